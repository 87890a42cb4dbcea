"""`kit init` and `kit demo`: making a workspace."""

from __future__ import annotations

import shutil
from typing import Annotated

import typer

from kit.cli.common import WorkspaceOption, console, err_console, reports_errors
from kit.errors import WorkspaceError


def _print_organizer_token(token: str | None) -> None:
    if token:
        console.print("\nOrganizer token (shown only this once; keep it secret):")
        console.print(f"  [bold]{token}[/]")
        console.print("Use it with --organizer-token or: export KIT_ORGANIZER_TOKEN=<token>")


@reports_errors
def init(workspace: WorkspaceOption = None) -> None:
    """Create a workspace and migrate its database to the newest schema.

    An older database is upgraded in place; one written by a newer kit is refused.

    Example: kit init --workspace ./my-season
    """
    from kit.workspace import init_workspace

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
    reset: Annotated[bool, typer.Option("--reset", help="Delete the workspace's SQLite database first.")] = False,
    baselines: Annotated[bool, typer.Option("--baselines/--no-baselines",
                                            help="Train and submit quick baselines on every challenge.")] = True,
    serve: Annotated[bool, typer.Option("--serve/--no-serve", help="Start the web leaderboard at the end.")] = True,
    port: Annotated[int, typer.Option(help="Port for the web leaderboard.")] = 8501,
) -> None:
    """Build the demo season "27 Days of Deep Learning" from data embedded in the kit.

    Example: kit demo --workspace ./demo --no-serve
    """
    from kit.db import dispose_engines
    from kit.demo import build_demo, has_demo, train_demo_baselines
    from kit.settings import resolve_settings
    from kit.workspace import init_workspace

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
        _serve_or_exit(serve, settings.workspace, port)
        return
    with err_console.status("Building the demo season…") as status:
        built = build_demo(result.workspace, on_step=lambda message: status.update(message + "…"))
    if baselines:
        err_console.print("Training quick baselines so every board opens with rows to beat…")
        built.baselines = train_demo_baselines(result.workspace, built.challenges,
                                               on_step=lambda message: err_console.print(f"  {message}"))
    console.print(f"Demo season [bold]27 Days of Deep Learning[/] is ready in {settings.workspace}")
    for slug in built.challenges:
        console.print(f"  • {slug}")
    for line in built.baselines:
        console.print(f"  baseline {line}")
    for note in built.skipped:
        console.print(f"  [dim]skipped {note}[/]")
    _print_organizer_token(result.organizer_token)
    ws = f" --workspace {settings.workspace}" if workspace else ""
    console.print(
        "\nNext steps:\n"
        f"  kit challenge list{ws}\n"
        f"  kit register YOUR-NAME{ws}          # prints your token\n"
        f"  kit download digits{ws} -p digits/\n"
        f"  kit baseline digits --model cnn{ws} -o submission.csv\n"
        f"  kit submit digits -f submission.csv -m 'my first CNN'{ws}\n"
        f"  kit serve{ws}                        # the web leaderboard\n"
    )
    _serve_or_exit(serve, settings.workspace, port)


def _serve_or_exit(serve: bool, workspace, port: int) -> None:
    if serve:
        from leaderboard.server import run_server

        raise typer.Exit(run_server(workspace, port, None))


def register(app: typer.Typer) -> None:
    app.command()(init)
    app.command()(demo)
