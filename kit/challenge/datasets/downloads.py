"""Getting a dataset's files: a local copy if one exists, else a checked download with a progress bar."""

from __future__ import annotations

import hashlib
import os
import urllib.request
from collections.abc import Iterable
from pathlib import Path

from rich.progress import Progress

from kit.atomic_files import exclusive_temp
from kit.errors import DatasetError


def folder_holding(folders: Iterable[Path], names: Iterable[str]) -> Path | None:
    """The first folder that holds every one of `names`, or None."""
    wanted = list(names)
    return next((folder for folder in folders if all((folder / name).is_file() for name in wanted)), None)


def md5_of(path: Path) -> str:
    digest = hashlib.md5()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def download_checked(url: str, target: Path, md5: str, *, bar: Progress, what: str, how_to_get: str) -> None:
    """Download `url` to `target` with a progress task; a failed or corrupt download leaves nothing behind."""
    out, partial = exclusive_temp(target.parent, target.name)  # never a planted .part file or link
    try:
        with urllib.request.urlopen(url, timeout=30) as response, out:
            task = bar.add_task(what, total=int(response.headers.get("Content-Length") or 0) or None)
            for chunk in iter(lambda: response.read(1 << 16), b""):
                out.write(chunk)
                bar.advance(task, len(chunk))
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise DatasetError(f"Could not download {what} ({error}); this machine may be offline. {how_to_get}") from None
    if md5_of(partial) != md5:
        partial.unlink()
        raise DatasetError(f"The download of {what} is corrupt (checksum mismatch). {how_to_get}")
    os.replace(partial, target)


def download_bar(progress: bool) -> Progress:
    """A download progress bar on stderr (hidden when `progress` is False)."""
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, TransferSpeedColumn

    return Progress("[progress.description]{task.description}", BarColumn(), DownloadColumn(), TransferSpeedColumn(),
                    console=Console(stderr=True), disable=not progress)
