"""`kit register` and `kit download`: what a participant does first."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kit.cli.common import (
    OrganizerTokenOption,
    ServerOption,
    WholeSummaries,
    WorkspaceOption,
    connect,
    console,
    open_workspace,
    reports_errors,
    styled,
)


@reports_errors
def register(
    name: Annotated[str, typer.Argument(help="Your participant or team name (unique, case-insensitive).")],
    organizer_token: OrganizerTokenOption = None,
    server: ServerOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Register a participant and print its secret token.

    The token is shown only once.

    When the season turns self-registration off, only the organizer registers people
    (with --organizer-token).

    Example: kit register ada-lovelace
    """
    if server:
        # The server applies the same rule: with the organizer's token as bearer, always allowed.
        with connect(server, organizer_token or None) as client:
            issued = client.register(name)
        registered, token = issued["name"], issued["token"]
    else:
        from kit.services.participants import register as register_participant
        from kit.services.participants import register_by_organizer

        ws = open_workspace(workspace)
        with ws.session(write=True) as session:
            if organizer_token:
                participant, token = register_by_organizer(session, organizer_token, name)
            else:
                participant, token = register_participant(session, name)
            registered = participant.name
    console.print(styled("Registered ", (registered, "bold"), ". Your token (shown only this once; keep it secret):"))
    console.print(styled("  ", (token, "bold")))
    console.print("Submit with --token, or: export KIT_TOKEN=<token>")


@reports_errors
def download(
    slug: Annotated[str, typer.Argument(help="The challenge's slug.")],
    path: Annotated[Path | None, typer.Option("--path", "-p", help="Folder to write into [default: ./SLUG].",
                                              show_default=False)] = None,
    server: ServerOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Download a challenge's bundle.

    train.csv, test.csv, sample_submission.csv and README.md.

    Example: kit download digits -p data/digits
    """
    folder = path or Path(slug)
    if server:
        with connect(server) as client:
            written = client.download(slug, folder)
    else:
        from kit.challenge.bundle import write_bundle

        ws = open_workspace(workspace)
        with ws.session() as session:
            written = write_bundle(session, slug, folder)
    for file in written:
        console.print(f"  {file}")
    console.print(f"Bundle of {slug} written. Read {folder / 'README.md'} first.")


participant_app = typer.Typer(cls=WholeSummaries, help="Participants: tokens.", no_args_is_help=True)


@participant_app.command("reset-token")
@reports_errors
def reset_token(
    name: Annotated[str, typer.Argument(help="The participant whose token is lost or leaked.")],
    organizer_token: OrganizerTokenOption = None,
    server: ServerOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Give a participant a new token (organizer only); the old token stops working at once.

    Their web sign-ins end too. Give them the new token privately; it is shown only this once.

    Example: kit participant reset-token ada-lovelace
    """
    if server:
        with connect(server, organizer_token or None) as client:
            issued = client.new_token(name)
        named, token = issued["name"], issued["token"]
    else:
        from kit.services.token_resets import reset_token as reset

        ws = open_workspace(workspace)
        with ws.session(write=True) as session:
            participant, token = reset(session, name, organizer_token)
            named = participant.name
    console.print(styled("New token for ", (named, "bold"), " (shown only this once; the old one no longer works):"))
    console.print(styled("  ", (token, "bold")))


def register_commands(app: typer.Typer) -> None:
    app.command("register")(register)
    app.command()(download)
    app.add_typer(participant_app, name="participant")
