"""How the leaders got there: each top participant's best public score over time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from kit.challenge.metric_of import challenge_metric
from kit.challenge.ranking import BoardRow
from kit.store.models import Challenge, Submission, SubmissionStatus


@dataclass(frozen=True)
class HistoryPoint:
    participant: str
    submitted_at: datetime
    best_score: float  # the best public score so far (never a private score)


def best_public_history(session: Session, challenge: Challenge, board: list[BoardRow], top: int = 10) -> list[HistoryPoint]:
    """A step series per entrant (a participant, or a team) among the `top` ranked rows of the public `board`.

    One point per submission that improved the entrant's best public score.
    Baselines are left out (they are drawn as reference lines by the app).
    """
    leaders = [row for row in board if row.rank is not None][:top]
    if not leaders:
        return []
    # An entrant's series: a team's submissions (whoever made them), or a person's own outside a team.
    teams = {row.team_id: row.participant for row in leaders if row.team_id is not None}
    people = {row.participant_id: row.participant for row in leaders if row.team_id is None}
    higher = challenge_metric(challenge).higher_is_better
    rows = session.execute(
        select(Submission.participant_id, Submission.team_id, Submission.created_at, Submission.public_score)
        .where(Submission.challenge_id == challenge.id, Submission.status == SubmissionStatus.SCORED,
               or_(Submission.team_id.in_(list(teams)),
                   and_(Submission.participant_id.in_(list(people)), Submission.team_id.is_(None))))
        .order_by(Submission.created_at, Submission.id)
    ).all()
    points: list[HistoryPoint] = []
    best: dict[tuple[str, int], float] = {}
    for participant_id, team_id, created_at, score in rows:
        if score is None:
            continue
        entrant = ("team", team_id) if team_id is not None else ("participant", participant_id)
        current = best.get(entrant)
        if current is None or (score > current if higher else score < current):
            best[entrant] = score
            name = teams[team_id] if team_id is not None else people[participant_id]
            points.append(HistoryPoint(name, created_at, score))
    return points
