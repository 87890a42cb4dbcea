"""Process settings for a one-shot command that crunches a big file (`kit grade`).

`kit grade` on a million rows is one short process; two defaults meant for long-running
programs cost it time (issue 12), and neither changes a result:

- glibc hands each freed block of a column's size back to the kernel, and the next
  allocation faults its pages in again, zeroed: ≈ 10,000 page faults, 40–70 ms of system time.
  Freed blocks are kept for reuse instead.
- OpenBLAS's idle worker threads spin ≈ 0.1 s after NumPy's import and after each BLAS call
  before they sleep: ≈ 0.17 s of CPU that competes with Arrow's CSV threads on a small machine.
  They now sleep at once; their number, and so every sum they split, stays the same.

A long-running server keeps the defaults.
"""

from __future__ import annotations

import ctypes
import os
import sys

_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3
_MMAP_THRESHOLD_MAX = 32 * 1024 * 1024  # glibc refuses more on 64-bit systems
_NEVER_TRIM = 1 << 30
_SHORTEST_BLAS_SPIN = "4"  # OpenBLAS's minimum: 2**4 cycles of waiting before a worker sleeps


def prepare() -> None:
    """Set this process up for one short burst of work; call it before NumPy is imported."""
    os.environ.setdefault("OPENBLAS_THREAD_TIMEOUT", _SHORTEST_BLAS_SPIN)  # read when NumPy loads OpenBLAS
    keep_freed_memory()


def keep_freed_memory() -> None:
    """Have glibc serve blocks up to 32 MB from its heap and keep what is freed there for reuse.

    A no-op where the C library is not glibc (no `mallopt`)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return
    mallopt(_M_MMAP_THRESHOLD, _MMAP_THRESHOLD_MAX)
    mallopt(_M_TRIM_THRESHOLD, _NEVER_TRIM)
