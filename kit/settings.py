"""Where the kit keeps its state: the workspace folder and the database URL."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_WORKSPACE = "kit-workspace"
DATABASE_FILENAME = "kit.sqlite3"


@dataclass(frozen=True)
class Settings:
    workspace: Path
    database_url: str

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def cache_dir(self) -> Path:
        return self.workspace / "cache"

    @property
    def bundles_dir(self) -> Path:
        return self.workspace / "bundles"


def resolve_settings(workspace: str | Path | None = None, database_url: str | None = None) -> Settings:
    """Explicit arguments win, then KIT_WORKSPACE / KIT_DATABASE_URL, then defaults."""
    folder = Path(workspace or os.environ.get("KIT_WORKSPACE") or DEFAULT_WORKSPACE).expanduser().resolve()
    url = database_url or os.environ.get("KIT_DATABASE_URL") or f"sqlite:///{folder / DATABASE_FILENAME}"
    return Settings(workspace=folder, database_url=url)
