"""`kit backup` and `kit restore`: a SQLite workspace's database to a file and back (organizers)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kit.cli.common import OrganizerTokenOption, WorkspaceOption, console, reports_errors
from kit.settings import resolve_settings


@reports_errors
def backup(
    file: Annotated[Path, typer.Argument(help="Where to write the backup (a SQLite file).", show_default=False)],
    workspace: WorkspaceOption = None,
    organizer_token: OrganizerTokenOption = None,
) -> None:
    """Back up the workspace's database to FILE (organizers).

    Safe while the kit is serving.

    SQLite only; for PostgreSQL use pg_dump.

    Example: kit backup backups/2026-11-23.sqlite3
    """
    from kit.store.backup import backup_database

    info = backup_database(resolve_settings(workspace), file, organizer_token=organizer_token)
    console.print(f"Backed up to {info.path} ({info.size:,} bytes, schema {info.revision}): {info.challenges} "
                  f"challenge(s), {info.participants} participant(s), {info.submissions} submission(s).")


@reports_errors
def restore(
    file: Annotated[Path, typer.Argument(help="A backup written by `kit backup`.", show_default=False)],
    workspace: WorkspaceOption = None,
    organizer_token: OrganizerTokenOption = None,
) -> None:
    """Replace the workspace's database with a backup (organizers).

    The swap happens all at once.

    The file must be a kit database at a schema this kit knows. SQLite only; for
    PostgreSQL use pg_restore.

    Example: kit restore backups/2026-11-23.sqlite3
    """
    from kit.store.backup import restore_database

    info = restore_database(resolve_settings(workspace), file, organizer_token=organizer_token)
    console.print(f"Restored {info.path} (schema {info.revision}): {info.challenges} challenge(s), "
                  f"{info.participants} participant(s), {info.submissions} submission(s).")


def register_commands(app: typer.Typer) -> None:
    app.command()(backup)
    app.command()(restore)
