"""How the leaders got there: each top participant's best public score over time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from grader import get_metric
from kit.models import SCORED, Challenge, Submission
from kit.ranking import BoardRow


@dataclass(frozen=True)
class HistoryPoint:
    participant: str
    submitted_at: datetime
    best_score: float  # the best public score so far (never a private score)


def best_public_history(session: Session, challenge: Challenge, board: list[BoardRow], top: int = 10) -> list[HistoryPoint]:
    """A step series per participant among the `top` ranked rows of the public `board`.

    One point per submission that improved the participant's best public score.
    Baselines are left out (they are drawn as reference lines by the app).
    """
    leaders = [row for row in board if row.rank is not None][:top]
    if not leaders:
        return []
    name_of_submission = {row.submission_id: row.participant for row in leaders}
    name_of = {participant_id: name_of_submission[submission_id] for participant_id, submission_id in session.execute(
        select(Submission.participant_id, Submission.id).where(Submission.id.in_(list(name_of_submission))))}
    higher = get_metric(challenge.metric).higher_is_better
    rows = session.execute(
        select(Submission.participant_id, Submission.created_at, Submission.public_score)
        .where(Submission.challenge_id == challenge.id, Submission.status == SCORED,
               Submission.participant_id.in_(list(name_of)))
        .order_by(Submission.participant_id, Submission.created_at, Submission.id)
    ).all()
    points, best = [], {}
    for participant_id, created_at, score in rows:
        if score is None:
            continue
        current = best.get(participant_id)
        if current is None or (score > current if higher else score < current):
            best[participant_id] = score
            points.append(HistoryPoint(name_of[participant_id], created_at, score))
    return points
