"""Engines, sessions and schema migration for the kit's database."""

from __future__ import annotations

import random
import sqlite3
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.orm import Session, sessionmaker

from kit.errors import SchemaTooNewError, WorkspaceError
from kit.settings import Settings

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 30_000


def _tune_sqlite(dbapi_connection, _record) -> None:
    # WAL lets readers run beside one writer. The busy timeout, which makes writers wait
    # their turn instead of failing with "database is locked", is the connection's
    # `timeout` (see make_engine).
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _begin(connection) -> None:
    # pysqlite's own BEGIN handling is off (see make_engine): a write transaction takes
    # the write lock at its start, so a read-then-write (the daily limit check) cannot be
    # overtaken by another writer; reads stay deferred and never block one another.
    if not connection.get_execution_options().get("kit_write", False):
        connection.exec_driver_sql("BEGIN")
        return
    _begin_immediate(connection.connection.driver_connection)


def _begin_immediate(dbapi_connection) -> None:
    """Take the write lock, retrying every millisecond or so.

    SQLite's own busy handler sleeps 1, 2, 5, 10 … up to 100 ms between tries, so under
    many writers the lock often sits free while they sleep; short, jittered retries keep
    it busy. Same total patience as the busy timeout.
    """
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    dbapi_connection.execute("PRAGMA busy_timeout=0")
    try:
        while True:
            try:
                dbapi_connection.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) and "busy" not in str(error):
                    raise
                if time.monotonic() > deadline:
                    raise
                time.sleep(random.uniform(0.0005, 0.002))
    finally:
        dbapi_connection.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")


def make_engine(url: str) -> Engine:
    """An engine for `url`; SQLite gets WAL, a busy timeout and serialised writers."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", _tune_sqlite)

        @event.listens_for(engine, "connect")
        def _no_pysqlite_begin(dbapi_connection, _record):
            dbapi_connection.isolation_level = None

        event.listen(engine, "begin", _begin)
        return engine
    return create_engine(url, pool_pre_ping=True)


_ENGINES: dict[str, Engine] = {}


def cached_engine(url: str) -> Engine:
    """One engine per URL per process (the app and the CLI reuse it)."""
    if url not in _ENGINES:
        _ENGINES[url] = make_engine(url)
    return _ENGINES[url]


def alembic_config(url: str):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def _known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    return {revision.revision for revision in script.walk_revisions()}


def check_not_newer(engine: Engine) -> str | None:
    """Refuse a database written by a newer kit; return its revision."""
    revision = current_revision(engine)
    if revision is not None and revision not in _known_revisions():
        raise SchemaTooNewError(
            f"The database is at schema revision {revision!r}, which this kit (newest "
            f"{head_revision()!r}) does not know: it was written by a newer version. "
            "Upgrade the kit (pip install -U challenge-kit) instead of using this one."
        )
    return revision


def migrate(engine: Engine) -> tuple[str | None, str]:
    """Upgrade the schema to head; returns (revision before, revision after)."""
    from alembic import command

    before = check_not_newer(engine)
    config = alembic_config(str(engine.url.render_as_string(hide_password=False)))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    return before, head_revision()


def require_current_schema(engine: Engine) -> None:
    """Commands other than `kit init` need a database already at head."""
    revision = check_not_newer(engine)
    if revision is None:
        if set(inspect(engine).get_table_names()) - {"alembic_version"}:
            raise WorkspaceError("The database has tables but no kit schema version; is the URL right?")
        raise WorkspaceError("The workspace has no database yet. Run `kit init` first.")
    if revision != head_revision():
        raise WorkspaceError(
            f"The database schema is at {revision!r}, older than this kit's {head_revision()!r}. "
            "Run `kit init` to upgrade it (your data is kept)."
        )


@contextmanager
def session_scope(engine: Engine, *, write: bool = False) -> Iterator[Session]:
    """A session whose transaction commits on success and rolls back on any error.

    `write=True` marks a transaction that reads then writes: on SQLite it takes the
    write lock up front.
    """
    bind = engine.execution_options(kit_write=True) if write else engine
    factory = sessionmaker(bind, expire_on_commit=False)
    with factory() as session:
        with session.begin():
            yield session


def open_engine(settings: Settings, *, create: bool = False) -> Engine:
    """The engine for a workspace, checking the folder exists (or creating it)."""
    if create:
        settings.workspace.mkdir(parents=True, exist_ok=True)
    elif settings.is_sqlite and not settings.workspace.exists():
        raise WorkspaceError(
            f"No workspace at {settings.workspace}. Run `kit init --workspace {settings.workspace}` "
            "or `kit demo` first."
        )
    return cached_engine(settings.database_url)


def dispose_engines() -> None:
    """Close every cached engine (before a database file is deleted or replaced)."""
    for engine in _ENGINES.values():
        engine.dispose()
    _ENGINES.clear()
