"""Failed sign-ins are counted per client (and per client and name) and refused past a limit.

Tokens carry 192 random bits, so guessing one is hopeless; the throttle keeps a script from
hammering the server with guesses at all, and keeps a name's sign-in form from being used
to probe tokens. Counts live in the server process: each `kit serve` process keeps its own.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Hashable

from kit.errors import TooManySignInsError

# A sign-in form names someone: 10 wrong tokens for one name from one client is plenty.
MAX_FAILURES_PER_NAME = 10
# A bearer token names no one; a client address may be a whole classroom behind one NAT.
MAX_FAILURES_PER_CLIENT = 30
WINDOW_SECONDS = 600
MAX_TRACKED_KEYS = 100_000


class SignInThrottle:
    """At most `max_failures` failed sign-ins per key within a sliding `window_seconds`."""

    def __init__(self, max_failures: int = MAX_FAILURES_PER_NAME, window_seconds: float = WINDOW_SECONDS,
                 clock: Callable[[], float] = time.monotonic):
        self.max_failures, self.window, self.clock = max_failures, window_seconds, clock
        self._failures: dict[Hashable, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: Hashable, now: float) -> deque[float]:
        times = self._failures.get(key)
        if times is None:
            return deque()
        while times and times[0] <= now - self.window:
            times.popleft()
        if not times:
            del self._failures[key]
        return times

    def check(self, *keys: Hashable) -> None:
        """Refuse before the sign-in is even tried when any key has used up its failures."""
        now = self.clock()
        with self._lock:
            for key in keys:
                times = self._recent(key, now)
                if len(times) >= self.max_failures:
                    wait = int(times[0] + self.window - now) + 1
                    raise TooManySignInsError(
                        f"Too many failed sign-ins; try again in {wait} seconds. "
                        "Check your token (from `kit register`, or ask the organizer to reset it).", retry_after=wait)

    def failed(self, *keys: Hashable) -> None:
        now = self.clock()
        with self._lock:
            if len(self._failures) > MAX_TRACKED_KEYS:  # forget the stalest first
                for key in list(self._failures)[: MAX_TRACKED_KEYS // 10]:
                    del self._failures[key]
            for key in keys:
                self._failures.setdefault(key, deque()).append(now)

    def succeeded(self, *keys: Hashable) -> None:
        with self._lock:
            for key in keys:
                self._failures.pop(key, None)
