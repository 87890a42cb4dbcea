"""The C allocator's settings for a one-shot command that crunches a big file (`kit grade`).

`kit grade` on a million rows allocates and frees arrays the size of a column a few dozen
times in one short process. By default glibc hands each freed block back to the kernel and
the next allocation faults its pages in again, zeroed: ≈ 10,000 page faults, 40–70 ms of
system time (issue 12). Keeping freed blocks for reuse costs nothing in a process that ends
a moment later; a long-running server keeps the defaults.
"""

from __future__ import annotations

import ctypes
import sys

_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3
_MMAP_THRESHOLD_MAX = 32 * 1024 * 1024  # glibc refuses more on 64-bit systems
_NEVER_TRIM = 1 << 30


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
