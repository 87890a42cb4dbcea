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
                                                "(all interfaces when not given).", show_default=False)] = None,
    sign_in_days: Annotated[float, typer.Option("--sign-in-days", envvar="KIT_SIGN_IN_DAYS", min=0.001, max=400,
                                                help="How long a web sign-in lasts (days).")] = 30,
    submit_workers: Annotated[int, typer.Option(
        "--submit-workers", envvar="KIT_SUBMIT_WORKERS", min=0, max=64,
        help="Grade and store API submissions in this many worker processes (0: in the server's own "
             "threads). One process uses about one core; on a machine with several, set it to the core count.")] = 0,
    database_url: Annotated[str | None, typer.Option("--database-url", envvar="KIT_DATABASE_URL",
                                                     help="A SQLAlchemy URL instead of the workspace's SQLite file.",
                                                     show_default=False)] = None,
) -> None:
    """Start the server: the web leaderboard and the JSON API.

    Both on one address (the API under /api/v1), with the webhook worker beside them.

    \b
    Examples:
      kit serve --workspace ./demo --port 8501
      kit serve --address 0.0.0.0 --submit-workers 4
    """
    from datetime import timedelta

    from kit.cli.web_server import run_server
    from kit.services.delivery import WebhookWorker
    from kit.store.workspace import open_workspace

    # The webhook worker runs beside the app, in this process: it posts the season's moments.
    worker = WebhookWorker(open_workspace(workspace, database_url or None)).start()
    try:
        code = run_server(Path(workspace) if workspace else None, port, database_url or None, address,
                          sign_in_lifetime=timedelta(days=sign_in_days), submit_workers=submit_workers)
    finally:
        worker.stop()
    raise typer.Exit(code)


def register_commands(app: typer.Typer) -> None:
    app.command()(serve)
