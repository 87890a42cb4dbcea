"""Engines, sessions and schema migration for the kit's database."""

from __future__ import annotations

import os
import random
import sqlite3
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from kit.errors import BusyError, ConflictError, InvalidInputError, SchemaTooNewError, WorkspaceError
from kit.settings import Settings
from kit.store.private_files import make_database_private
from kit.text import is_utf8

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
# How long a writer waits for the lock before a clean, retryable refusal (BusyError).
SQLITE_BUSY_TIMEOUT_MS = int(float(os.environ.get("KIT_LOCK_TIMEOUT_S", "30")) * 1000)


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
                    raise BusyError() from None
                time.sleep(random.uniform(0.0005, 0.002))
    finally:
        dbapi_connection.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")


def _set_lock_timeout(dbapi_connection, _record) -> None:
    # Row locks (a participant's submissions, a replaced challenge) wait this long at most. Set
    # once per connection rather than per transaction: one round trip less on every write.
    with dbapi_connection.cursor() as cursor:
        cursor.execute(f"SET lock_timeout = '{SQLITE_BUSY_TIMEOUT_MS}ms'")
    dbapi_connection.commit()


def _refuse_unstorable_text(_connection, _cursor, _statement, parameters, _context, executemany) -> None:
    """The last guard before the driver: text that is not UTF-8 (lone surrogates from argv or
    JSON escapes) fails as a clear error, not an encoding crash inside the driver. What people
    type is checked earlier, before any slow work; this keeps every other path safe too."""
    for row in parameters if executemany else (parameters,):
        values = row.values() if isinstance(row, dict) else row if isinstance(row, (list, tuple)) else (row,)
        for value in values:
            if isinstance(value, str) and not value.isascii() and not is_utf8(value):
                raise InvalidInputError("Some text given (a name, slug, message or note) is not valid UTF-8: it "
                                        "holds a byte that is no character. Type it again in UTF-8.")


def make_engine(url: str) -> Engine:
    """An engine for `url`; SQLite gets WAL, a busy timeout and serialised writers."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", _tune_sqlite)

        @event.listens_for(engine, "connect")
        def _no_pysqlite_begin(dbapi_connection, _record):
            dbapi_connection.isolation_level = None

        event.listen(engine, "begin", _begin)
    else:
        engine = create_engine(url, pool_pre_ping=True)
        event.listen(engine, "connect", _set_lock_timeout)
    event.listen(engine, "before_cursor_execute", _refuse_unstorable_text)
    return engine


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

    heads = ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads()
    if len(heads) != 1:  # two migrations with the same down_revision: chain one after the other
        raise WorkspaceError(f"The schema migrations must form one line; they end in {', '.join(sorted(heads))}.")
    return heads[0]


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


_WRITE_BINDS: weakref.WeakKeyDictionary[Engine, Engine] = weakref.WeakKeyDictionary()


def _write_bind(engine: Engine) -> Engine:
    """The engine marked for write transactions, made once per engine: a new one per session
    (or a new sessionmaker, which makes a Session subclass) cost more CPU than a submission's grading."""
    if engine not in _WRITE_BINDS:
        _WRITE_BINDS[engine] = engine.execution_options(kit_write=True)
    return _WRITE_BINDS[engine]


@contextmanager
def session_scope(engine: Engine, *, write: bool = False) -> Iterator[Session]:
    """A session whose transaction commits on success and rolls back on any error.

    `write=True` marks a transaction that reads then writes: on SQLite it takes the
    write lock up front.
    """
    bind = _write_bind(engine) if write else engine
    try:
        with Session(bind, expire_on_commit=False) as session:
            with session.begin():
                yield session
    except OperationalError as error:
        if _is_lock_timeout(error):
            raise BusyError() from None
        raise
    except IntegrityError as error:
        # Two requests took the same name or slug at once: the database's unique constraint
        # held; the loser gets the refusal it would have had a moment later, not a traceback.
        if getattr(error.orig, "sqlstate", None) == "23505" or "UNIQUE constraint failed" in str(error.orig):
            raise ConflictError("That name was taken by another request at the same moment. Pick another "
                                "(or look it up: it may be yours).") from None
        raise


def _is_lock_timeout(error: OperationalError) -> bool:
    """A lock not had in time (SQLite's "database is locked", PostgreSQL's lock timeout or a
    deadlock): a refusal the person can retry, not a crash."""
    sqlstate = getattr(error.orig, "sqlstate", None)
    return sqlstate in ("55P03", "40P01") or "database is locked" in str(error.orig)


def open_engine(settings: Settings, *, create: bool = False) -> Engine:
    """The engine for a workspace, checking the folder exists (or creating it)."""
    try:
        if create:
            settings.workspace.mkdir(parents=True, exist_ok=True)
        elif settings.is_sqlite and not settings.workspace.exists():
            raise WorkspaceError(
                f"No workspace at {settings.workspace}. Run `kit init --workspace {settings.workspace}` "
                "or `kit demo` first."
            )
        if settings.database_url not in _ENGINES:
            make_database_private(settings.database_url)  # before SQLite creates it (or its -wal) world-readable
    except OSError as error:  # a file in the way, a read-only or impossible place: say where and why
        raise WorkspaceError(_unusable_workspace(settings.workspace, error)) from None
    return cached_engine(settings.database_url)


def _unusable_workspace(folder: Path, error: OSError) -> str:
    where = Path(error.filename) if error.filename else folder
    if isinstance(error, FileExistsError):
        reason = f"{where} is a file, not a folder"
    elif isinstance(error, NotADirectoryError):
        reason = f"part of {where} is a file, not a folder"
    else:
        reason = f"{where}: {error.strerror or error}"
    return (f"Cannot use {folder} as a workspace ({reason}). "
            "Pick a folder you can write to, e.g. kit init --workspace ./my-season")


def dispose_engines() -> None:
    """Close every cached engine (before a database file is deleted or replaced)."""
    for engine in _ENGINES.values():
        engine.dispose()
    _ENGINES.clear()
