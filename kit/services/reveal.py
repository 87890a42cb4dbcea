"""Learning from the reveal: how far each public score was from its private one.

Once a challenge has closed, a participant sees each submission's public→private shift with
both intervals, and across the season the gap of their best public submission per
challenge: an overfitting history. Nothing here is shown before close.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from kit.challenge.lookup import is_closed
from kit.challenge.metric_of import challenge_metric
from kit.season.teams import team_id_for
from kit.services.comparisons import best_submission
from kit.services.entrants import entrant_filter
from kit.store.models import Challenge, Participant, Submission, SubmissionStatus


@dataclass(frozen=True)
class Shift:
    """One submission's public and private scores with their intervals, once revealed."""

    challenge: str
    submission_id: int
    metric: str
    public_score: float
    public_low: float | None
    public_high: float | None
    private_score: float
    private_low: float | None
    private_high: float | None

    @property
    def gap(self) -> float:
        """Private minus public: how much the public rows flattered (negative) or undersold the submission."""
        return self.private_score - self.public_score

    @property
    def within_noise(self) -> bool | None:
        """The two intervals overlap: the shift is what two samples of rows give by chance."""
        public_low, public_high = self.public_low, self.public_high
        private_low, private_high = self.private_low, self.private_high
        if public_low is None or public_high is None or private_low is None or private_high is None:
            return None
        return public_low <= private_high and private_low <= public_high


def _shift(challenge: Challenge, row) -> Shift:
    return Shift(challenge.slug, row.id, challenge_metric(challenge).name, row.public_score, row.public_low,
                 row.public_high, row.private_score, row.private_low, row.private_high)


def revealed_shifts(session: Session, challenge: Challenge, participant: Participant) -> list[Shift]:
    """Each of the participant's (or their team's) scored submissions, public → private; empty before close."""
    if not is_closed(challenge):
        return []
    rows = session.execute(
        select(Submission.id, Submission.public_score, Submission.public_low, Submission.public_high,
               Submission.private_score, Submission.private_low, Submission.private_high)
        .where(Submission.challenge_id == challenge.id, Submission.status == SubmissionStatus.SCORED,
               entrant_filter(session, challenge, participant))
        .order_by(Submission.created_at, Submission.id)).all()
    return [_shift(challenge, row) for row in rows]


def overfitting_history(session: Session, participant: Participant, challenges: list[Challenge]) -> list[Shift]:
    """Per closed challenge (in the order given), the shift of the participant's best public submission."""
    history = []
    for challenge in challenges:
        if not is_closed(challenge):
            continue
        best = best_submission(session, challenge, participant.id, team_id_for(session, challenge, participant))
        if best is None:
            continue
        row = session.execute(
            select(Submission.id, Submission.public_score, Submission.public_low, Submission.public_high,
                   Submission.private_score, Submission.private_low, Submission.private_high)
            .where(Submission.id == best.id)).one()
        history.append(_shift(challenge, row))
    return history
