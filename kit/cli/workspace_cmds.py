"""`kit init` and `kit demo`: making a workspace."""

from __future__ import annotations

import shutil
import sys
from typing import Annotated

import typer

from kit.cli.common import WorkspaceOption, console, err_console, reports_errors, status_text, styled
from kit.errors import WorkspaceError

# The demo's community is drawn from this seed unless --seed says otherwise.
DEMO_SEED = 27


def _print_organizer_token(token: str | None) -> None:
    if token:
        console.print("\nOrganizer token (shown only this once; keep it secret):")
        console.print(styled("  ", (token, "bold")))
        console.print("Use it with --organizer-token or: export KIT_ORGANIZER_TOKEN=<token>")


@reports_errors
def init(workspace: WorkspaceOption = None) -> None:
    """Create a workspace, or bring its database up to date.

    An older database is upgraded in place; one written by a newer kit is refused.

    Example: kit init --workspace ./my-season
    """
    from kit.store.workspace import init_workspace

    result = init_workspace(workspace)
    where = result.workspace.settings
    if result.revision_before is None:
        console.print(f"Created workspace {where.workspace} (schema {result.revision_after}).")
    elif result.revision_before != result.revision_after:
        console.print(f"Upgraded {where.workspace} from schema {result.revision_before} to {result.revision_after}.")
    else:
        console.print(f"Workspace {where.workspace} is up to date (schema {result.revision_after}).")
    _print_organizer_token(result.organizer_token)


@reports_errors
def demo(
    workspace: WorkspaceOption = None,
    empty: Annotated[bool, typer.Option("--empty", help="A clean season on day 4: no community, no closed "
                                                        "week.")] = False,
    seed: Annotated[int, typer.Option(help="Seed of the simulated community (same seed, same boards).")]
    = DEMO_SEED,
    reset: Annotated[bool, typer.Option("--reset", help="Delete the workspace's SQLite database first.")] = False,
    baselines: Annotated[bool, typer.Option("--baselines/--no-baselines",
                                            help="Train and submit quick baselines on every challenge.")] = True,
    serve: Annotated[bool, typer.Option("--serve/--no-serve", help="Start the web leaderboard at the end.")] = True,
    port: Annotated[int, typer.Option(help="Port for the web leaderboard.")] = 8501,
    address: Annotated[str, typer.Option(help="Interface the web leaderboard binds; 0.0.0.0 for every "
                                              "interface.")] = "127.0.0.1",
) -> None:
    """Build the demo season "27 Days of Deep Learning".

    A community on day 10 of 27, with week 1 closed and revealed; --empty for a clean
    season.

    Example: kit demo --workspace ./demo --no-serve
    """
    from kit.cli.baseline_runs import train_demo_baselines
    from kit.services.demo import build_demo, has_demo
    from kit.settings import resolve_settings
    from kit.store.db import dispose_engines
    from kit.store.workspace import init_workspace

    settings = resolve_settings(workspace)
    if reset:
        if not settings.is_sqlite:
            raise WorkspaceError("--reset only deletes SQLite workspaces; drop a PostgreSQL database yourself.")
        dispose_engines()
        for suffix in ("", "-wal", "-shm"):
            (settings.workspace / f"kit.sqlite3{suffix}").unlink(missing_ok=True)
        shutil.rmtree(settings.bundles_dir, ignore_errors=True)
    result = init_workspace(workspace)
    if has_demo(result.workspace):
        # Running the demo again serves what is there instead of failing.
        console.print(f"The demo season is already in {settings.workspace} (use --reset to rebuild it).")
        _serve_or_exit(serve, settings.workspace, port, address)
        return
    with err_console.status(status_text("Building the demo season…")) as status:
        built = build_demo(result.workspace, empty=empty, seed=seed,
                           on_step=lambda message: status.update(status_text(message + "…")))
    if baselines:
        err_console.print("Training quick baselines so every board opens with rows to beat…")
        built.baselines = train_demo_baselines(result.workspace, built.challenges, moment=built.first_rows_at,
                                               on_step=lambda message: err_console.print(f"  {message}"))
    console.print(styled("Demo season ", ("27 Days of Deep Learning", "bold"), f" is ready in {settings.workspace}"))
    if built.community:
        people = built.community
        console.print(f"  {people.participants} participants, {people.submissions} submissions "
                      f"({people.rejected} rejected), {people.checkins} check-ins; week 1 closed with its awards")
    console.print(f"  challenges: {', '.join(built.challenges)}")
    for line in built.baselines:
        console.print(f"  baseline {line}")
    for note in built.skipped:
        console.print(styled((f"  skipped {note}", "dim")))
    _print_organizer_token(result.organizer_token)
    ws = f" -w {settings.workspace}" if workspace else ""
    # The next steps come last, short, right before the server's address.
    activate = f"  . {sys.prefix}/bin/activate    # puts kit on your path\n" if sys.prefix != sys.base_prefix else ""
    console.print(
        "\nNext steps:\n" + activate +
        f"  kit register YOUR-NAME{ws}    # then: export KIT_TOKEN=<the token>\n"
        f"  kit baseline breast-cancer --model logreg -o sub.csv{ws}\n"
        f"  kit submit breast-cancer -f sub.csv{ws}"
    )
    _serve_or_exit(serve, settings.workspace, port, address)


def _serve_or_exit(serve: bool, workspace, port: int, address: str) -> None:
    if serve:
        from kit.cli.web_server import run_server

        raise typer.Exit(run_server(workspace, port, None, address))


def register_commands(app: typer.Typer) -> None:
    app.command()(init)
    app.command()(demo)
