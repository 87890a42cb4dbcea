"""A participant's own submissions: their history (private scores hidden until close) and their finals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from kit.challenge.lookup import challenge_status, get_challenge
from kit.challenge.noise import board_decimals
from kit.clock import utcnow
from kit.errors import ChallengeClosedError, InvalidInputError, NotFoundError
from kit.services.boards import private_scores_visible, shown
from kit.services.submissions import entrant_filter, todays_counts
from kit.store.models import Challenge, Participant, Submission, SubmissionStatus


@dataclass(frozen=True)
class MySubmission:
    """One row of a participant's history, as every front end shows it."""

    id: int
    submitted_at: datetime
    filename: str
    message: str
    status: str
    error: str | None
    public_score: float | None
    private_score: float | None  # None until the challenge is closed
    selected: bool
    public_low: float | None = None  # the public score's 95 % interval
    public_high: float | None = None
    private_low: float | None = None  # None until the challenge is closed
    private_high: float | None = None
    ladder_step: bool | None = None  # on a Ladder challenge: this one moved the displayed public score


@dataclass(frozen=True)
class MyHistory:
    """A participant's submissions to one challenge and what they have used today."""

    submissions: tuple[MySubmission, ...]
    scored_today: int
    attempts_today: int
    closed: bool
    decimals: int = 5  # public scores are rounded to the challenge's noise (kit.challenge.noise)


def own_submissions(session: Session, challenge: Challenge, participant: Participant) -> list[Submission]:
    """The participant's submission rows, oldest first (the file bytes are loaded only when read)."""
    return list(session.scalars(
        select(Submission).where(Submission.challenge_id == challenge.id, Submission.participant_id == participant.id)
        .order_by(Submission.created_at, Submission.id)
    ))


def entrant_submissions(session: Session, challenge: Challenge, participant: Participant) -> list[Submission]:
    """The submissions that rank together with the participant's: their team's, or their own."""
    return list(session.scalars(
        select(Submission).where(Submission.challenge_id == challenge.id,
                                 entrant_filter(session, challenge, participant))
        .order_by(Submission.created_at, Submission.id)
    ))


def my_submissions(session: Session, *, slug: str, participant: Participant,
                   moment: datetime | None = None) -> MyHistory:
    """The participant's history on `slug`; private scores only once the challenge is closed."""
    now = moment or utcnow()
    challenge = get_challenge(session, slug)
    revealed = private_scores_visible(challenge, now)
    d = board_decimals(challenge)
    ladder = challenge.public_board == "ladder"
    rows = tuple(MySubmission(s.id, s.created_at, s.filename, s.message, s.status, s.error, shown(s.public_score, d),
                              s.private_score if revealed else None, s.selected, shown(s.public_low, d),
                              shown(s.public_high, d), s.private_low if revealed else None,
                              s.private_high if revealed else None, s.ladder_step if ladder else None)
                 for s in own_submissions(session, challenge, participant))
    scored, attempts = todays_counts(session, challenge, participant, now)
    return MyHistory(rows, scored, attempts, revealed, d)


def select_finals(session: Session, *, slug: str, participant: Participant, submission_ids: list[int],
                  moment: datetime | None = None) -> list[Submission]:
    """Pick the final submissions that count on the private board (replacing any earlier pick)."""
    challenge = get_challenge(session, slug)
    if challenge_status(challenge, moment or utcnow()) == "closed":
        raise ChallengeClosedError(f"{slug!r} is closed; final submissions can no longer change.")
    unique = list(dict.fromkeys(submission_ids))
    if not unique:
        raise InvalidInputError("Name at least one submission id (see `kit submissions SLUG`).")
    if len(unique) > challenge.final_selections:
        raise InvalidInputError(f"{slug!r} allows {challenge.final_selections} final submission(s); "
                                f"you named {len(unique)}.")
    # A team picks its finals together: any member may pick among the team's submissions.
    mine = {s.id: s for s in entrant_submissions(session, challenge, participant)}
    for submission_id in unique:
        if submission_id not in mine:
            raise NotFoundError(f"You have no submission {submission_id} on {slug!r} (see `kit submissions {slug}`).")
        if mine[submission_id].status != SubmissionStatus.SCORED:
            raise InvalidInputError(f"Submission {submission_id} was rejected; only scored submissions can be finals.")
    for submission in mine.values():
        submission.selected = submission.id in unique
    session.flush()
    return [mine[i] for i in unique]
