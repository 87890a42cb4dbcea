"""Leaderboards as everyone may see them: the public board always, the private one only after close.

The CLI, the web app and the API all read boards here. ``leaderboard`` adds what makes a
board honest: public scores rounded to the challenge's noise (kit.challenge.noise; ranks
keep full precision), each row's 95 % interval, and whether it is tied with the row above
(a paired test on the same rows).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from kit.challenge.lookup import get_challenge, is_closed
from kit.challenge.metric_of import challenge_metric
from kit.challenge.noise import board_decimals
from kit.challenge.ranking import BoardRow, private_board, public_board
from kit.errors import NotRevealedError
from kit.store.models import Challenge


def private_scores_visible(challenge: Challenge, moment: datetime | None = None) -> bool:
    """Private scores and the private board are revealed when the challenge closes, not before."""
    return is_closed(challenge, moment)


def challenge_board(session: Session, slug: str, *, private: bool = False,
                    moment: datetime | None = None) -> tuple[Challenge, list[BoardRow]]:
    """The challenge and its public board, or its private board once it is closed."""
    challenge = get_challenge(session, slug)
    if not private:
        return challenge, public_board(session, challenge)
    if not private_scores_visible(challenge, moment):
        raise NotRevealedError(f"The private leaderboard of {slug!r} is revealed when it closes "
                               f"({challenge.closes_at:%Y-%m-%d %H:%M} UTC).")
    return challenge, private_board(session, challenge)


def revealed_board(session: Session, slug: str, moment: datetime | None = None) -> tuple[bool, list[BoardRow]]:
    """What a visitor sees: (False, the public board) while open, (True, the private board) once closed."""
    challenge = get_challenge(session, slug)
    if private_scores_visible(challenge, moment):
        return True, private_board(session, challenge)
    return False, public_board(session, challenge)


def shown(value: float | None, decimals: int | None) -> float | None:
    """A score as a board gives it: rounded to ``decimals`` (None: in full; NaN becomes None)."""
    if value is None or not math.isfinite(value):
        return None
    return value if decimals is None else round(value, decimals)


def tie_groups(rows: list[BoardRow]) -> list[int]:
    """Group number of each row: a row tied with the row above shares its group."""
    groups, group = [], 0
    for index, row in enumerate(rows):
        if index and not row.tied_with_above:
            group += 1
        groups.append(group)
    return groups


@dataclass(frozen=True)
class Leaderboard:
    slug: str
    title: str
    metric: str
    direction: str  # "higher" or "lower"
    private: bool
    mode: str  # "best" or "ladder" (how the public board picks each entrant's score)
    decimals: int  # scores are shown to this many decimals
    rows: list[BoardRow]

    @property
    def rounding(self) -> int | None:
        """Decimals the public board's numbers leave with (its noise); the revealed private board's are in full."""
        return None if self.private else self.decimals

    def records(self) -> list[dict]:
        """Plain rows for JSON and CSV: rounded scores, the interval, the tie mark."""
        out = []
        for row, group in zip(self.rows, tie_groups(self.rows), strict=True):
            record = {
                "rank": row.rank, "participant": row.participant, "baseline": row.is_baseline,
                "score": shown(row.score, self.rounding), "score_low": shown(row.score_low, self.rounding),
                "score_high": shown(row.score_high, self.rounding), "tied_with_above": bool(row.tied_with_above),
                "tie_group": group, "entries": row.entries, "submitted_at": row.submitted_at.isoformat(),
                "team": row.team_id is not None, "members": list(row.members),
            }
            if self.private:
                record |= {"public_rank": row.public_rank, "shake_up": row.shake_up}
            out.append(record)
        return out

    def as_json(self) -> dict:
        return {"challenge": self.slug, "board": "private" if self.private else "public", "mode": self.mode,
                "metric": self.metric, "direction": self.direction, "decimals": self.decimals,
                "rows": self.records()}


def leaderboard(session: Session, slug: str, *, private: bool = False, moment: datetime | None = None) -> Leaderboard:
    """The public board, or the private one once the challenge has closed, ready to show."""
    challenge, rows = challenge_board(session, slug, private=private, moment=moment)
    metric = challenge_metric(challenge)
    # Public scores to their noise (a defence against probing); the revealed private board in full.
    decimals = metric.decimals if private else board_decimals(challenge)
    return Leaderboard(challenge.slug, challenge.title, metric.name, metric.direction, private,
                       challenge.public_board, decimals, rows)
