"""Moving files: Rich progress bars on stderr, and unpacking a bundle's zip safely.

A bundle comes from the network, so its zip is treated as hostile: every member must land
inside the target folder (no absolute path, no `..`, no link), sizes are capped while
writing, and each file is written to a fresh temporary file created exclusively in the
target folder, then renamed over the final name, so a file appears whole or not at all and
nothing already there (a link planted at the final name included) is written through.
"""

from __future__ import annotations

import os
import stat
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import IO, BinaryIO

from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TaskID, TextColumn, TransferSpeedColumn

from kit.atomic_files import write_atomically
from kit.errors import InvalidInputError

CHUNK = 256 * 1024
MAX_BUNDLE_BYTES = 4 * 1024**3  # an unpacked bundle larger than this is refused (a zip bomb)

progress_console = Console(stderr=True, highlight=False, markup=False, emoji=False)


@contextmanager
def progress_bar(description: str, total: int | None) -> Iterator[tuple[Progress, TaskID]]:
    """A transient bar on stderr (silent when stderr is not a terminal, so pipes stay clean)."""
    # The description holds file names: shown as text, never read as markup.
    columns = (TextColumn("{task.description}", markup=False), BarColumn(), DownloadColumn(), TransferSpeedColumn())
    with Progress(*columns, console=progress_console, transient=True) as progress:
        yield progress, progress.add_task(description, total=total)


class ProgressReader:
    """A file that advances a progress bar as it is read (httpx reads uploads in chunks)."""

    def __init__(self, file: BinaryIO, progress: Progress, task: TaskID):
        self.file, self.progress, self.task = file, progress, task

    def read(self, size: int = -1) -> bytes:
        chunk = self.file.read(size)
        self.progress.advance(self.task, len(chunk))
        return chunk

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        position = self.file.seek(offset, whence)
        self.progress.update(self.task, completed=position)
        return position

    def tell(self) -> int:
        return self.file.tell()

    def fileno(self) -> int:
        return self.file.fileno()  # lets httpx learn the length without reading


def member_path(folder: Path, info: zipfile.ZipInfo, strip: str | None = None) -> Path | None:
    """Where a zip member may be written inside `folder` (None for a directory entry); refuses escapes.

    `strip` is a top folder every member sits in (the server zips `SLUG/README.md`, …), left out.
    """
    name = info.filename
    pure = PurePosixPath(name.replace("\\", "/"))
    if stat.S_ISLNK(info.external_attr >> 16):
        raise InvalidInputError(f"The bundle holds a link ({name!r}); refusing to unpack it.")
    if pure.is_absolute() or ".." in pure.parts or ":" in name or not pure.parts or "\x00" in name:
        raise InvalidInputError(f"The bundle holds an unsafe path ({name!r}); refusing to unpack it.")
    parts = pure.parts[1:] if strip is not None and pure.parts[0] == strip else pure.parts
    if info.is_dir() or not parts:
        return None
    target = folder.joinpath(*parts)
    root = folder.resolve()
    if not target.parent.resolve().is_relative_to(root):
        raise InvalidInputError(f"The bundle's {name!r} would land outside {folder}; refusing to unpack it.")
    return target


def extract_bundle(archive: Path, folder: Path, max_bytes: int = MAX_BUNDLE_BYTES) -> list[Path]:
    """Unpack a downloaded files.zip into `folder`, every member checked before any is written."""
    try:
        zf = zipfile.ZipFile(archive)
    except zipfile.BadZipFile:
        raise InvalidInputError("The downloaded bundle is not a valid zip file; try the download again.") from None
    with zf:
        tops = {PurePosixPath(info.filename).parts[0] for info in zf.infolist() if info.filename.strip("/")}
        nested = len(tops) == 1 and all("/" in info.filename for info in zf.infolist())
        strip = tops.pop() if nested else None
        members = [(info, member_path(folder, info, strip)) for info in zf.infolist()]
        if sum(info.file_size for info, _ in members) > max_bytes:
            raise InvalidInputError("The bundle unpacks to more than the allowed size; refusing to unpack it.")
        written = []
        budget = [max_bytes]
        for info, target in members:
            if target is None:
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            if not target.parent.resolve().is_relative_to(folder.resolve()):  # a link made a folder escape
                raise InvalidInputError(f"The bundle's {info.filename!r} would land outside {folder}.")
            with zf.open(info) as source:
                written.append(write_atomically(target.parent, target.name, _capped(source, budget)))
        return written


def _capped(source: IO[bytes], budget: list[int]) -> Iterator[bytes]:
    # The sizes a zip declares can lie; count what really comes out.
    while chunk := source.read(CHUNK):
        budget[0] -= len(chunk)
        if budget[0] < 0:
            raise InvalidInputError("The bundle unpacks to more than the allowed size; refusing to unpack it.")
        yield chunk
