"""The closest valid name for a misspelt one, as every spec and data error suggests it."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def did_you_mean(name: str, choices: Iterable) -> str:
    """" Did you mean 'species'?" when `name` is close to one of `choices`, else ""."""
    match = difflib.get_close_matches(str(name), [str(c) for c in choices], n=1, cutoff=0.6)
    return f" Did you mean {match[0]!r}?" if match else ""
