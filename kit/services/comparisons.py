""""Is my new submission better than my best?": a paired answer on the same rows.

The difference between two of an entrant's submissions comes with the standard error of
the paired per-row differences (kit.challenge.paired), so a gain the rows cannot support
is called noise. Private rows are compared only once the challenge has closed.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

import grader
from kit.challenge.lookup import get_challenge, is_closed
from kit.challenge.metric_of import challenge_metric
from kit.challenge.noise import board_decimals
from kit.challenge.paired import difference
from kit.errors import InvalidInputError, NotFoundError
from kit.season.teams import team_id_for
from kit.services.entrants import bound_entrant, entrant_filter
from kit.store.models import Challenge, Participant, Submission, SubmissionStatus

BETTER, WORSE, NOISE, UNKNOWN = "better", "worse", "within noise", "unknown"


@dataclass(frozen=True)
class Comparison:
    """Submission vs another on one part: ``improvement`` > 0 means better, whatever the direction.

    Public numbers are rounded to the board's precision (the challenge's noise)."""

    submission_id: int
    against_id: int
    part: str  # "public" or "private"
    metric: str
    score: float
    against_score: float
    improvement: float
    standard_error: float | None  # None: no per-row data stored for one of them
    low: float | None  # 95 % interval of the improvement
    high: float | None
    verdict: str  # better | worse | within noise | unknown
    message: str


@dataclass(frozen=True)
class SubmissionRef:
    id: int
    public_score: float
    private_score: float | None = None


@functools.cache
def _best_query(higher: bool, team: bool, other_than: bool):
    """The statement behind `best_submission`, built once per shape (it runs on every submit)."""
    order = Submission.public_score.desc() if higher else Submission.public_score.asc()
    query = (select(Submission.id, Submission.public_score, Submission.private_score)
             .where(Submission.challenge_id == bindparam("challenge_id"), Submission.status == SubmissionStatus.SCORED,
                    bound_entrant(team))
             .order_by(order, Submission.created_at, Submission.id).limit(1))
    return query.where(Submission.id != bindparam("other_than")) if other_than else query


def best_submission(session: Session, challenge: Challenge, participant_id: int, team_id: int | None, *,
                    other_than: int | None = None) -> SubmissionRef | None:
    """The entrant's best scored submission by public score (ties: the earliest): the team's when
    `team_id` is given, else the participant's own outside any team (kit.services.entrants)."""
    query = _best_query(challenge_metric(challenge).higher_is_better, team_id is not None, other_than is not None)
    row = session.execute(query, {"challenge_id": challenge.id, "team_id": team_id, "participant_id": participant_id,
                                  "other_than": other_than}).first()
    return None if row is None else SubmissionRef(row.id, row.public_score, row.private_score)


def compare_rows(session: Session, challenge: Challenge, new, old, *, part: str = "public",
                 label: str = "your best") -> Comparison:
    """``new`` against ``old`` (anything with id and public_score / private_score) on one part."""
    metric = challenge_metric(challenge)
    score, against = getattr(new, f"{part}_score"), getattr(old, f"{part}_score")
    sign = 1.0 if metric.higher_is_better else -1.0
    improvement = sign * (score - against)
    found = difference(session, part, new.id, score, old.id, against)
    # Public rows to the board's precision, never finer: a finer difference would tell which
    # public rows a change got right (probing). Private rows are revealed in full after close.
    decimals = board_decimals(challenge) if part == "public" else metric.decimals
    keep = (lambda value: round(value, decimals)) if part == "public" else (lambda value: value)
    gap = f"{improvement:+.{decimals}f} {part} {metric.name}"
    if found is None:
        return Comparison(new.id, old.id, part, metric.name, keep(score), keep(against), keep(improvement), None,
                          None, None, UNKNOWN,
                          f"#{new.id} vs #{old.id} ({label}): {gap}; no per-row data to tell whether that is noise.")
    se = found.standard_error
    low, high = improvement - grader.Z95 * se, improvement + grader.Z95 * se
    verdict = NOISE if not found.significant else BETTER if improvement > 0 else WORSE
    words = {BETTER: "better, beyond the noise", WORSE: "worse, beyond the noise",
             NOISE: "within noise: the same rows could give this gap by chance"}[verdict]
    return Comparison(new.id, old.id, part, metric.name, keep(score), keep(against), keep(improvement), keep(se),
                      keep(low), keep(high), verdict,
                      f"#{new.id} vs #{old.id} ({label}): {gap} (95 % interval {low:+.{decimals}f} to "
                      f"{high:+.{decimals}f}): {words}.")


def compare_submissions(session: Session, *, slug: str, participant: Participant, submission_id: int,
                        against: int | None = None, moment: datetime | None = None) -> list[Comparison]:
    """The participant's (or their team's) submission against another of theirs, or their best.

    Public rows always; private rows too once the challenge has closed.
    """
    challenge = get_challenge(session, slug)
    entrant = entrant_filter(session, challenge, participant)
    mine = {row.id: row for row in session.execute(
        select(Submission.id, Submission.status, Submission.public_score, Submission.private_score)
        .where(Submission.challenge_id == challenge.id, entrant)).all()}
    for wanted in (submission_id, against):
        if wanted is not None and wanted not in mine:
            raise NotFoundError(f"You have no submission {wanted} on {slug!r} (see `kit submissions {slug}`).")
        if wanted is not None and mine[wanted].status != SubmissionStatus.SCORED:
            raise InvalidInputError(f"Submission {wanted} was rejected; only scored submissions can be compared.")
    if against == submission_id:
        raise InvalidInputError("Name two different submissions to compare.")
    if against is None:
        best = best_submission(session, challenge, participant.id, team_id_for(session, challenge, participant),
                               other_than=submission_id)
        if best is None:
            raise InvalidInputError(f"Submission {submission_id} is your only scored one on {slug!r}: "
                                  "there is nothing to compare it with yet.")
        other, label = best, "your best"
    else:
        chosen = mine[against]
        other, label = SubmissionRef(chosen.id, chosen.public_score, chosen.private_score), f"#{against}"
    new = mine[submission_id]
    parts = ["public"] + (["private"] if is_closed(challenge, moment) else [])
    return [compare_rows(session, challenge, new, other, part=part, label=label) for part in parts]
