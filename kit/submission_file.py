"""A submission file on disk, checked before a byte of it is read or sent (local submit and the client)."""

from __future__ import annotations

from pathlib import Path

from kit.errors import FileTooLargeError, InvalidInputError


def check_file_size(size: int, max_bytes: int) -> None:
    """Refuse a file from its size (declared by an upload, or on disk) before its bytes are read."""
    if size > max_bytes:
        raise FileTooLargeError.of(size, max_bytes)


def check_submission_path(path: Path, max_bytes: int | None) -> int:
    """The file's size; refuses a missing path, a folder or device, or a file over `max_bytes`."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InvalidInputError(f"No file at {path}.") from None
    if not path.is_file():
        raise InvalidInputError(f"{path} is not a file.")
    if max_bytes is not None:
        check_file_size(size, max_bytes)
    return size
