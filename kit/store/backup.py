"""Backing up and restoring a SQLite workspace with SQLite's online backup API.

A backup is a consistent snapshot taken while the kit keeps serving: WAL lets the copy
read beside writers, and one backup step copies every page inside one read transaction.
A restore checks the file is a whole kit database (integrity check) whose schema is exactly
what the kit's migrations build at its revision (no trigger, view or extra object, no
changed table), then copies it into place in one write transaction, so every process sees
the old database or the restored one and never a mixture. PostgreSQL has its own tools: pg_dump and pg_restore.
"""

from __future__ import annotations

import functools
import os
import sqlite3
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from kit.errors import AuthError, SchemaTooNewError, WorkspaceError
from kit.settings import Settings
from kit.store.db import _known_revisions, alembic_config, dispose_engines, head_revision
from kit.store.organizer_token import ORGANIZER_KEY
from kit.store.private_files import make_private
from kit.tokens import token_matches

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_S = 30.0
KIT_TABLES = {"alembic_version", "challenge", "participant", "submission", "kit_setting"}


@dataclass(frozen=True)
class BackupInfo:
    """What a backup file holds: its path, size, schema revision and row counts."""

    path: Path
    size: int
    revision: str
    challenges: int
    participants: int
    submissions: int


def database_path(settings: Settings) -> Path:
    """The SQLite file behind a workspace; PostgreSQL and in-memory databases are refused."""
    if not settings.is_sqlite:
        raise WorkspaceError(
            "kit backup and kit restore work on SQLite workspaces. For PostgreSQL use its own tools: "
            "pg_dump -Fc DBNAME > kit.dump to back up, pg_restore --clean -d DBNAME kit.dump to restore."
        )
    database = make_url(settings.database_url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        raise WorkspaceError(f"The database URL {settings.database_url!r} names no SQLite file to back up.")
    return Path(database)


def _connect(path: Path, *, readonly: bool = False) -> sqlite3.Connection:
    if readonly:
        return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_S)
    return sqlite3.connect(path, timeout=BUSY_TIMEOUT_S)


def _copy(source: sqlite3.Connection, target: Path) -> None:
    """Snapshot `source` into a new standalone file at `target` (rollback journal, no -wal), mode 0600."""
    make_private(target)  # a backup holds the hidden solutions too
    destination = sqlite3.connect(target)
    try:
        source.backup(destination)  # pages=-1: every page in one step, one consistent snapshot
        destination.execute("PRAGMA journal_mode=DELETE")
    finally:
        destination.close()


# SQLite's own bookkeeping tables, made on first use: present or not, they hold no kit data.
_SQLITE_BOOKKEEPING = {"sqlite_sequence", "sqlite_stat1", "sqlite_stat2", "sqlite_stat3", "sqlite_stat4"}


def _definition(sql: str | None) -> tuple[str, ...]:
    """An object's SQL as comparable parts: spacing normalised, and a table's columns and
    constraints as a sorted list (Alembic's batch migrations rebuild tables with their foreign
    keys in varying order, so two identical schemas may list them differently)."""
    text = " ".join((sql or "").split())
    if not text.upper().startswith("CREATE TABLE") or "(" not in text:
        return (text,)
    head, body = text.split("(", 1)
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for ch in body.rsplit(")", 1)[0]:
        depth += (ch == "(") - (ch == ")")
        if ch == "," and depth == 0:
            parts.append("".join(current).strip())
            current = []
        else:
            current.append(ch)
    parts.append("".join(current).strip())
    return (head.strip(), *sorted(parts))


def schema_of(connection: sqlite3.Connection) -> dict[tuple[str, str], tuple]:
    """Every object in the database: (type, name) → (its table, its definition)."""
    return {(kind, name): (table, _definition(sql))
            for kind, name, table, sql in connection.execute("SELECT type, name, tbl_name, sql FROM sqlite_master")
            if name not in _SQLITE_BOOKKEEPING}


@functools.cache
def migrated_schema(revision: str) -> dict[tuple[str, str], tuple]:
    """The schema the kit's own migrations build at `revision`, on a fresh file (once per process)."""
    from alembic import command
    from sqlalchemy import create_engine

    with tempfile.TemporaryDirectory(prefix="kit-schema-") as folder:
        file = Path(folder) / "fresh.sqlite3"
        engine = create_engine(f"sqlite:///{file}")
        try:
            config = alembic_config(f"sqlite:///{file}")
            with engine.begin() as connection:
                config.attributes["connection"] = connection
                command.upgrade(config, revision)
        finally:
            engine.dispose()
        built = sqlite3.connect(file)
        try:
            return schema_of(built)
        finally:
            built.close()


def _check_schema(path: Path, found: dict, expected: dict, revision: str,
                  verdict: str = "it is refused and nothing was restored") -> None:
    """Refuse anything but the migrated schema: a trigger, a view, an extra table or index, a
    table with other columns or constraints (a trigger could copy hidden labels anywhere)."""
    for kind, name in sorted(found.keys() - expected.keys()):
        raise WorkspaceError(f"{path} holds a {kind} {name!r} that no kit database has: it was changed "
                             f"outside the kit, so {verdict}.")
    for kind, name in sorted(expected.keys() - found.keys()):
        raise WorkspaceError(f"{path} lacks the {kind} {name!r} of the kit's schema at {revision!r}: it is not a "
                             f"whole kit database, so {verdict}.")
    for key in sorted(found):
        if found[key] != expected[key]:
            kind, name = key
            raise WorkspaceError(f"{path}: the {kind} {name!r} differs from the kit's schema at {revision!r} "
                                 f"(its columns, constraints or definition were changed), so {verdict}.")


def check_database_schema(path: Path) -> None:
    """Refuse a workspace database whose schema is not what the migrations build at its revision
    (`kit init` would otherwise call a hollow or altered database "up to date")."""
    connection = _connect(path, readonly=True)
    try:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        if row is None or row[0] not in _known_revisions():
            return  # no kit schema yet, or a newer one: the migrations say so
        _check_schema(path, schema_of(connection), migrated_schema(row[0]), row[0],
                      "the kit will not use it; restore a backup (kit restore) into a fresh workspace")
    except sqlite3.DatabaseError as error:
        raise WorkspaceError(f"{path} cannot be read as a kit database: {error}.") from None
    finally:
        connection.close()


def inspect_backup(path: Path) -> BackupInfo:
    """Check that `path` is a whole kit database at a schema this kit knows; describe it."""
    try:
        with open(path, "rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        raise WorkspaceError(f"No file at {path}.") from None
    except IsADirectoryError:
        raise WorkspaceError(f"{path} is a folder, not a backup file.") from None
    if header != SQLITE_HEADER:
        raise WorkspaceError(f"{path} is not a SQLite database, so not a kit backup.")
    connection = _connect(path, readonly=True)
    try:
        check = connection.execute("PRAGMA integrity_check").fetchall()
        if check != [("ok",)]:
            raise WorkspaceError(f"{path} is damaged (SQLite says: {check[0][0]}); it cannot be restored.")
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not KIT_TABLES <= tables:
            raise WorkspaceError(f"{path} is a SQLite database but not a kit database "
                                 f"(it lacks {', '.join(sorted(KIT_TABLES - tables))}).")
        versions = connection.execute("SELECT version_num FROM alembic_version").fetchall()
        if len(versions) != 1:
            raise WorkspaceError(f"{path} has {len(versions)} kit schema versions, not one; it is not a kit backup.")
        revision = versions[0][0]
        if revision not in _known_revisions():
            raise SchemaTooNewError(
                f"{path} is at schema revision {revision!r}, which this kit (newest {head_revision()!r}) does not "
                "know: it was written by a newer version. Upgrade the kit (pip install -U challenge-kit) to restore it."
            )
        _check_schema(path, schema_of(connection), migrated_schema(revision), revision)
        counts = [connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                  for table in ("challenge", "participant", "submission")]
    except sqlite3.DatabaseError as error:
        raise WorkspaceError(f"{path} cannot be read as a kit database: {error}.") from None
    finally:
        connection.close()
    return BackupInfo(path, path.stat().st_size, revision, *counts)


def _organizer_hash(path: Path) -> str | None:
    connection = _connect(path, readonly=True)
    try:
        row = connection.execute("SELECT value FROM kit_setting WHERE key = ?", (ORGANIZER_KEY,)).fetchone()
    finally:
        connection.close()
    return row[0] if row else None


def require_organizer_of(path: Path, token: str | None) -> None:
    """The organizer check, read straight from a database file (the workspace's, or a backup's)."""
    stored = _organizer_hash(path)
    if stored is None:
        raise AuthError(f"{path.name} has no organizer token; run `kit init` first.")
    if not token or not token_matches(token, stored):
        raise AuthError(
            "This is an organizer action: pass the organizer token printed by `kit init` "
            "with --organizer-token or the KIT_ORGANIZER_TOKEN variable."
        )


def _temp_beside(path: Path) -> Path:
    return path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.part")


def backup_database(settings: Settings, target: Path, *, organizer_token: str | None) -> BackupInfo:
    """Write a consistent snapshot of the workspace's database to `target`, safe while serving."""
    source_path = database_path(settings)
    if not source_path.is_file():
        raise WorkspaceError(f"The workspace has no database at {source_path}. Run `kit init` first.")
    require_organizer_of(source_path, organizer_token)
    target = target.expanduser().absolute()
    if target.resolve() == source_path.resolve():
        raise WorkspaceError("The backup file cannot be the workspace's own database.")
    if target.is_dir():
        raise WorkspaceError(f"{target} is a folder; name the backup file, e.g. {target / 'kit-backup.sqlite3'}.")
    if not target.parent.is_dir():
        raise WorkspaceError(f"The folder {target.parent} does not exist.")
    partial = _temp_beside(target)
    source = _connect(source_path)
    try:
        _copy(source, partial)
        info = inspect_backup(partial)
        os.replace(partial, target)
    finally:
        source.close()
        partial.unlink(missing_ok=True)
    return BackupInfo(target, target.stat().st_size, info.revision, info.challenges, info.participants,
                      info.submissions)


def restore_database(settings: Settings, source: Path, *, organizer_token: str | None) -> BackupInfo:
    """Replace the workspace's database with a backup, all at once.

    The organizer token of the current database is needed (of the backup when the
    workspace has no database yet). With no database in place the checked copy is moved
    in with os.replace; over a live database the copy goes through SQLite's backup API in
    one write transaction, which keeps the -wal file and every open connection consistent
    (replacing the file under a serving process would pair the new file with the old WAL).
    """
    target = database_path(settings)
    source = source.expanduser()
    info = inspect_backup(source)
    live = target.is_file()
    require_organizer_of(target if live else source, organizer_token)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = _temp_beside(target)
    reader = _connect(source, readonly=True)
    try:
        _copy(reader, partial)  # a private snapshot: the checks below hold for what is restored
    finally:
        reader.close()
    try:
        info = inspect_backup(partial)
        dispose_engines()
        if not live:
            for suffix in ("-wal", "-shm", "-journal"):  # leftovers of a deleted database
                target.with_name(target.name + suffix).unlink(missing_ok=True)
            os.replace(partial, target)
        else:
            snapshot, destination = _connect(partial, readonly=True), _connect(target)
            try:
                snapshot.backup(destination)
            except sqlite3.OperationalError as error:
                raise WorkspaceError(f"The restore could not write {target.name}: {error}. Nothing was changed; "
                                     "stop processes writing to the workspace and try again.") from None
            finally:
                snapshot.close()
                destination.close()
    finally:
        partial.unlink(missing_ok=True)
    return BackupInfo(source, source.stat().st_size, info.revision, info.challenges, info.participants,
                      info.submissions)
