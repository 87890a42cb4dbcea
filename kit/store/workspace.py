"""A workspace opened for work: its settings and a database engine at the current schema."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from kit.errors import WorkspaceError
from kit.settings import Settings, resolve_settings
from kit.store.db import migrate, open_engine, require_current_schema, session_scope
from kit.store.organizer_token import create_organizer_token_if_missing


@dataclass(frozen=True)
class Workspace:
    settings: Settings
    engine: Engine

    def session(self, *, write: bool = False):
        return session_scope(self.engine, write=write)


@dataclass(frozen=True)
class InitResult:
    workspace: Workspace
    revision_before: str | None
    revision_after: str
    organizer_token: str | None  # only when this init created it


def init_workspace(workspace: str | Path | None = None, database_url: str | None = None) -> InitResult:
    """Create the workspace folder, migrate the database, create the organizer token once."""
    settings = resolve_settings(workspace, database_url)
    engine = open_engine(settings, create=True)
    before, after = migrate(engine)
    if settings.is_sqlite:
        # "Up to date" must mean the schema itself, not only its revision number.
        from kit.store.backup import check_database_schema, database_path

        try:
            path = database_path(settings)
        except WorkspaceError:  # an in-memory database: nothing anyone could have altered
            path = None
        if path is not None:
            check_database_schema(path)
    with session_scope(engine, write=True) as session:
        token = create_organizer_token_if_missing(session)
    return InitResult(Workspace(settings, engine), before, after, token)


def open_workspace(workspace: str | Path | None = None, database_url: str | None = None) -> Workspace:
    """An existing workspace whose database is at this kit's schema."""
    settings = resolve_settings(workspace, database_url)
    engine = open_engine(settings)
    require_current_schema(engine)
    return Workspace(settings, engine)
