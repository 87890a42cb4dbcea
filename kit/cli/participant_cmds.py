"""`kit register` and `kit download`: what a participant does first."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kit.cli.common import open_workspace, WorkspaceOption, console, reports_errors


@reports_errors
def register(
    name: Annotated[str, typer.Argument(help="Your participant or team name (unique, case-insensitive).")],
    workspace: WorkspaceOption = None,
) -> None:
    """Register a participant and print its secret token (shown only once).

    Example: kit register ada-lovelace
    """
    from kit.participants import register as register_participant

    ws = open_workspace(workspace)
    with ws.session(write=True) as session:
        participant, token = register_participant(session, name)
    console.print(f"Registered [bold]{participant.name}[/]. Your token (shown only this once; keep it secret):")
    console.print(f"  [bold]{token}[/]")
    console.print("Submit with --token, or: export KIT_TOKEN=<token>")


@reports_errors
def download(
    slug: Annotated[str, typer.Argument(help="The challenge's slug.")],
    path: Annotated[Path | None, typer.Option("--path", "-p", help="Folder to write into [default: ./SLUG].",
                                              show_default=False)] = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Download a challenge's bundle: train.csv, test.csv, sample_submission.csv, README.md.

    Example: kit download digits -p data/digits
    """
    from kit.challenge_files import write_bundle

    ws = open_workspace(workspace)
    with ws.session() as session:
        written = write_bundle(session, slug, path or Path(slug))
    for file in written:
        console.print(f"  {file}")
    console.print(f"Bundle of {slug} written. Read {written[0].parent / 'README.md'} first.")


def register_commands(app: typer.Typer) -> None:
    app.command("register")(register)
    app.command()(download)
