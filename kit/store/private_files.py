"""Files that hold the database are readable by their owner only (0600).

The database holds the hidden solutions and token hashes. A file is created empty with
mode 0600 before SQLite opens it; SQLite gives the -wal and -shm files it makes beside a
database the database file's own permissions, so they are private too.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from sqlalchemy.engine import make_url

PRIVATE_MODE = 0o600


def make_private(path: Path) -> None:
    """Create `path` empty with mode 0600, or take group and other access away from an existing file."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_MODE)
    except FileExistsError:
        if stat.S_IMODE(path.stat().st_mode) & 0o077:
            try:
                os.chmod(path, PRIVATE_MODE)
            except PermissionError:  # someone else's file: leave it, SQLite will report what it can
                pass
        return
    os.close(fd)


def sqlite_file(url: str) -> Path | None:
    """The file a SQLite URL names (None for PostgreSQL, in-memory or URI-style databases)."""
    if not url.startswith("sqlite"):
        return None
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def make_database_private(url: str) -> None:
    """Before the first connection: the database file, and any -wal/-shm left beside it, at 0600."""
    path = sqlite_file(url)
    if path is None or not path.parent.is_dir():
        return
    make_private(path)
    for suffix in ("-wal", "-shm", "-journal"):
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            make_private(companion)
