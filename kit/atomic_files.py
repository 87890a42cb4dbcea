"""Writing files into a folder someone else may also write to: whole or not at all, never through a link.

Each file is written to a fresh temporary file created exclusively (O_EXCL, a random name)
in the target folder, then renamed over the final name. A `.part` file or a link planted
beforehand is never opened for writing, and a link at the final name is replaced, not
followed.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO


def exclusive_temp(folder: Path, name: str) -> tuple[BinaryIO, Path]:
    """A new, empty file in `folder` that did not exist before (O_EXCL), readable only by us."""
    handle, path = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".part")
    return os.fdopen(handle, "wb"), Path(path)


def write_atomically(folder: Path, name: str, chunks: Iterable[bytes] | bytes, mode: int = 0o644) -> Path:
    """Write `chunks` (or bytes) to `folder/name` through an exclusive temporary file and a rename."""
    out, partial = exclusive_temp(folder, Path(name).name)
    try:
        with out:
            for chunk in [chunks] if isinstance(chunks, bytes) else chunks:
                out.write(chunk)
        os.chmod(partial, mode)
        target = folder / name
        os.replace(partial, target)
        return target
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
