"""Season standings: points from each closed challenge's private rank, plus check-in days.

    challenge points = 1000 × rank^(−0.75) × log10(1 + log10(1 + field))
    check-in bonus   = 10 per active day (a day with a submission or a learning log)

`field` is the number of ranked participants on that private board, so a win in a big
field is worth more, and points decay with rank as on Kaggle (without the time decay).
Ties: more challenge points, then more active days, then the longer longest streak, then
whoever registered first. Baselines never score points.

Teams: the season's `standings_by` decides. "team": one row per team, ranked by the team's
private ranks, its members' active days pooled. "participant": one row per person, each
team member earning the team's challenge points with their own check-ins.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from kit.challenge.lookup import is_closed
from kit.challenge.ranking import private_board
from kit.clock import utcnow
from kit.season.checkins import active_days
from kit.season.seasons import day_of_season, joined_day
from kit.season.streaks import Streak, streak
from kit.store.models import PERSON_STANDINGS, Award, Participant, Season, Submission, Team, TeamMember

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
    team_id: int | None = None  # set on a team's row (participant_id is then its first member)
    members: tuple[str, ...] = ()
    joined_day: int = 1  # the season day they (a team: its first member) joined; earlier days were not missed

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
    participant_id: int | None = None  # who made the winning submission (a team's member)


def _memberships(session: Session, season: Season) -> dict[int, list[int]]:
    """team id → its current members' ids, in joining order."""
    teams: dict[int, list[int]] = {}
    for team_id, participant_id in session.execute(
            select(TeamMember.team_id, TeamMember.participant_id).where(TeamMember.season_id == season.id)
            .order_by(TeamMember.joined_at, TeamMember.id)):
        teams.setdefault(team_id, []).append(participant_id)
    return teams


def _members_at_close(session: Session, challenge, team_id: int) -> set[int]:
    """Who was in the team when the challenge closed: whoever submitted for it there (a leaver's
    submissions to a closed challenge stay with the team), and members who had joined by then."""
    closed_at = min(filter(None, (challenge.closed_at, challenge.closes_at)))
    authors = set(session.scalars(select(Submission.participant_id).distinct().where(
        Submission.challenge_id == challenge.id, Submission.team_id == team_id)))
    joined = set(session.scalars(select(TeamMember.participant_id).where(
        TeamMember.team_id == team_id, TeamMember.joined_at <= closed_at)))
    return authors | joined


def season_standings(session: Session, season: Season, moment: datetime | None = None) -> list[Standing]:
    now = moment or utcnow()
    today = day_of_season(season, now)
    days = active_days(session, season)
    participants = {p.id: p for p in session.scalars(select(Participant).where(Participant.is_baseline.is_(False)))}
    teams = _memberships(session, season)
    by_team = season.standings_by != PERSON_STANDINGS
    # An entrant: ("team", id) or ("participant", id); what earns points and what is shown.
    earned: dict[tuple, dict[str, float]] = {}
    for challenge in season.challenges:
        if not is_closed(challenge, now):
            continue
        board = [row for row in private_board(session, challenge) if row.rank is not None]
        for row in board:
            assert row.rank is not None  # baselines (no rank) were left out above
            points = challenge_points(row.rank, len(board))
            if row.team_id is None:
                earners = [("participant", row.participant_id)]
            elif by_team:
                earners = [("team", row.team_id)]
            else:  # each member of the team as it closed earns its points
                earners = [("participant", pid) for pid in _members_at_close(session, challenge, row.team_id)]
            for earner in earners:
                earned.setdefault(earner, {})[challenge.slug] = points
    team_of = {pid: team_id for team_id, members in teams.items() for pid in members} if by_team else {}
    pooled: dict[tuple, set[int]] = {}
    for pid, active in days.items():
        if pid in participants and active:
            key = ("team", team_of[pid]) if pid in team_of else ("participant", pid)
            pooled.setdefault(key, set()).update(active)
    team_names = dict(session.execute(select(Team.id, Team.name).where(Team.season_id == season.id)).all())
    rows = []
    for key in set(earned) | set(pooled):
        kind, ident = key
        active = pooled.get(key, set())
        if kind == "team":
            member_ids = teams.get(ident, [])
            name, first, team_id = team_names[ident], (member_ids[0] if member_ids else 0), ident
            members = tuple(participants[pid].name for pid in member_ids)
        else:
            member_ids, name, first, team_id, members = [ident], participants[ident].name, ident, None, ()
        joined = min((joined_day(season, participants[pid].created_at) for pid in member_ids), default=1)
        rows.append(Standing(0, name, first, sum(earned.get(key, {}).values()), len(active),
                             CHECKIN_BONUS * len(active), streak(active, season_days=season.days, today=today),
                             earned.get(key, {}), team_id, members, joined))
    rows.sort(key=lambda s: (-s.points, -s.challenge_points, -s.active_days, -s.streak.longest, s.participant_id,
                             s.participant))
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
        # A note belongs to the place and the person it was recorded for, matched by ids, not names.
        notes: dict[tuple[int, int | None], str] = {
            (a.place, a.participant_id): a.note
            for a in session.scalars(select(Award).where(Award.challenge_id == challenge.id))}
        ranked = [(row.rank, row) for row in private_board(session, challenge) if row.rank is not None]
        for rank, row in ranked[:WINNER_PLACES]:
            winners.append(Winner(challenge.slug, challenge.week, rank, row.participant, row.score,
                                  notes.get((rank, row.participant_id)), row.participant_id))
    return winners
