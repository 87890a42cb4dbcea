"""Season standings: points from each closed challenge's private rank, plus check-in days.

    challenge points = 1000 × rank^(−0.75) × log10(1 + log10(1 + field))
    check-in bonus   = 10 per active day (a day with a submission or a learning log)

`field` is the number of ranked participants on that private board, so a win in a big
field is worth more, and points decay with rank as on Kaggle (without the time decay).
Ties: more challenge points, then more active days, then the longer longest streak, then
whoever registered first. Baselines never score points.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from kit.challenges import is_closed
from kit.checkins import active_days
from kit.clock import utcnow
from kit.models import Award, Participant, Season
from kit.ranking import BoardRow, private_board
from kit.seasons import day_of_season
from kit.streaks import Streak, streak

CHECKIN_BONUS = 10.0
WINNER_PLACES = 3


def challenge_points(rank: int, field_size: int) -> float:
    return 1000.0 * rank ** -0.75 * math.log10(1 + math.log10(1 + field_size))


@dataclass
class Standing:
    rank: int
    participant: str
    participant_id: int
    challenge_points: float
    active_days: int
    bonus: float
    streak: Streak
    per_challenge: dict[str, float] = field(default_factory=dict)

    @property
    def points(self) -> float:
        return self.challenge_points + self.bonus


@dataclass(frozen=True)
class Winner:
    challenge: str
    week: int | None
    place: int
    participant: str
    score: float
    award: str | None


def season_standings(session: Session, season: Season, moment: datetime | None = None) -> list[Standing]:
    now = moment or utcnow()
    today = day_of_season(season, now)
    days = active_days(session, season)
    participants = {p.id: p for p in session.scalars(select(Participant).where(Participant.is_baseline.is_(False)))}
    earned: dict[int, dict[str, float]] = {}
    name_to_id = {p.name: p.id for p in participants.values()}
    for challenge in season.challenges:
        if not is_closed(challenge, now):
            continue
        board = [row for row in private_board(session, challenge) if row.rank is not None]
        for row in board:
            earned.setdefault(name_to_id[row.participant], {})[challenge.slug] = challenge_points(row.rank, len(board))
    involved = set(earned) | {pid for pid, d in days.items() if d and pid in participants}
    rows = []
    for pid in involved:
        active = days.get(pid, set())
        rows.append(Standing(0, participants[pid].name, pid, sum(earned.get(pid, {}).values()), len(active),
                             CHECKIN_BONUS * len(active), streak(active, season_days=season.days, today=today),
                             earned.get(pid, {})))
    rows.sort(key=lambda s: (-s.points, -s.challenge_points, -s.active_days, -s.streak.longest, s.participant_id))
    for position, standing in enumerate(rows, start=1):
        standing.rank = position
    return rows


def participant_streak(session: Session, season: Season, participant: Participant,
                       moment: datetime | None = None) -> Streak:
    active = active_days(session, season).get(participant.id, set())
    return streak(active, season_days=season.days, today=day_of_season(season, moment or utcnow()))


def weekly_winners(session: Session, season: Season, moment: datetime | None = None) -> list[Winner]:
    """The top three of each closed challenge's private board, with the organizer's notes."""
    now = moment or utcnow()
    winners = []
    for challenge in season.challenges:
        if not is_closed(challenge, now):
            continue
        notes = {a.place: a.note for a in session.scalars(select(Award).where(Award.challenge_id == challenge.id))}
        ranked: list[BoardRow] = [row for row in private_board(session, challenge) if row.rank is not None]
        for row in ranked[:WINNER_PLACES]:
            winners.append(Winner(challenge.slug, challenge.week, row.rank, row.participant, row.score,
                                  notes.get(row.rank)))
    return winners
