"""Streaks over a season's days: the current run and the longest one."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Streak:
    current: int
    longest: int
    days: tuple[bool, ...]  # one cell per season day: active or not

    def cells(self, today: int | None, joined: int = 1) -> str:
        """A row of cells for the terminal: ■ active, □ missed, · still to come, blank before joining."""
        upto = len(self.days) if today is None else today
        return "".join("■" if active else (" " if day < joined else "□" if day <= upto else "·")
                       for day, active in enumerate(self.days, start=1))


def streak(active: set[int], *, season_days: int, today: int | None) -> Streak:
    """`today` is the season day now (None once the season is over: the last day counts).

    The current streak runs back from today, or from yesterday while today is not yet
    active, so a streak is not broken before the day is over.
    """
    cells = tuple(day in active for day in range(1, season_days + 1))
    longest = run = 0
    for active_day in cells:
        run = run + 1 if active_day else 0
        longest = max(longest, run)
    end = season_days if today is None else today
    if end not in active:
        end -= 1
    current = 0
    while end >= 1 and end in active:
        current += 1
        end -= 1
    return Streak(current, longest, cells)
