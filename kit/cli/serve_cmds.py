"""`kit serve`: the web leaderboard on a workspace."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kit.cli.common import WorkspaceOption, reports_errors


@reports_errors
def serve(
    workspace: WorkspaceOption = None,
    port: Annotated[int, typer.Option("--port", "-p", min=1, max=65535, help="Port to listen on.")] = 8501,
    address: Annotated[str | None, typer.Option("--address", help="Interface to bind, e.g. 127.0.0.1 "
                                                "[default: all interfaces].", show_default=False)] = None,
    database_url: Annotated[str | None, typer.Option("--database-url", envvar="KIT_DATABASE_URL",
                                                     help="A SQLAlchemy URL instead of the workspace's SQLite file.",
                                                     show_default=False)] = None,
) -> None:
    """Start the web leaderboard (Streamlit) on a workspace and print its address.

    Example: kit serve --workspace ./demo --port 8501
    """
    from leaderboard.server import run_server

    code = run_server(Path(workspace) if workspace else None, port, database_url or None, address)
    raise typer.Exit(code)


def register_commands(app: typer.Typer) -> None:
    app.command()(serve)
