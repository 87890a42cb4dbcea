"""Submitting: token, window, daily limit, grading and storing, in one transaction."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

import grader
from kit.challenges import challenge_status, get_challenge
from kit.clock import utcnow
from kit.errors import NotFoundError, SubmissionRefused, ValidationError
from kit.grading import grade_bytes
from kit.models import REJECTED, SCORED, Challenge, Participant, Submission
from kit.participants import authenticate, baseline_participant
from kit.ranking import public_rank_of
from kit.text import clean_text

MAX_MESSAGE_CHARS = 500
MAX_FILENAME_CHARS = 255
# Rejected files do not use up the daily limit, but attempts are capped so nobody can
# probe the grader without limit.
ATTEMPTS_PER_ALLOWED_SUBMISSION = 4


@dataclass(frozen=True)
class SubmitOutcome:
    submission: Submission
    rank: int | None  # the participant's public rank after this submission (None for baselines)
    left_today: int


def utc_day_bounds(moment: datetime) -> tuple[datetime, datetime]:
    start = datetime.combine(moment.date(), time.min, tzinfo=moment.tzinfo)
    return start, start + timedelta(days=1)


def attempts_cap(challenge: Challenge) -> int:
    return challenge.daily_limit * ATTEMPTS_PER_ALLOWED_SUBMISSION


def todays_counts(session: Session, challenge: Challenge, participant: Participant,
                  moment: datetime) -> tuple[int, int]:
    """(scored, all attempts) today, UTC."""
    start, end = utc_day_bounds(moment)
    rows = session.execute(
        select(Submission.status, func.count()).where(
            Submission.challenge_id == challenge.id, Submission.participant_id == participant.id,
            Submission.created_at >= start, Submission.created_at < end,
        ).group_by(Submission.status)
    ).all()
    counts = dict(rows)
    return counts.get(SCORED, 0), sum(counts.values())


def _check_limits(challenge: Challenge, scored: int, attempts: int, *, baseline: bool) -> None:
    if baseline:
        return
    if scored >= challenge.daily_limit:
        raise SubmissionRefused(
            f"You have used all {challenge.daily_limit} submissions for today on {challenge.slug!r}. "
            "The count resets at 00:00 UTC."
        )
    if attempts >= attempts_cap(challenge):
        raise SubmissionRefused(
            f"You have made {attempts} attempts today on {challenge.slug!r}, the most allowed. "
            "Check your file against sample_submission.csv and try again after 00:00 UTC."
        )


def check_open(challenge: Challenge, moment: datetime) -> None:
    status = challenge_status(challenge, moment)
    if status == "upcoming":
        raise SubmissionRefused(f"{challenge.slug!r} opens at {challenge.opens_at:%Y-%m-%d %H:%M} UTC; "
                                "submissions are not accepted yet.")
    if status == "closed":
        raise SubmissionRefused(f"{challenge.slug!r} is closed; it no longer accepts submissions.")


def clean_message(message: str) -> str:
    return clean_text(message, what="message", max_chars=MAX_MESSAGE_CHARS)


def clean_filename(filename: str) -> str:
    name = os.path.basename(filename.replace("\\", "/")) or "submission.csv"
    return "".join(ch for ch in name if ch.isprintable())[:MAX_FILENAME_CHARS] or "submission.csv"


def read_submission_file(path: Path, max_bytes: int) -> bytes:
    """Read a file from disk, refusing one over the limit before reading it."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise ValidationError(f"No file at {path}.") from None
    if not path.is_file():
        raise ValidationError(f"{path} is not a file.")
    if size > max_bytes:
        raise SubmissionRefused(f"The file is {size:,} bytes; this challenge accepts at most {max_bytes:,} bytes.")
    return path.read_bytes()


def submit(workspace, *, slug: str, content: bytes, filename: str, message: str = "", token: str | None = None,
           baseline_model: str | None = None, moment: datetime | None = None) -> SubmitOutcome:
    """Grade and store one submission; a rejected file is stored with its rejection.

    Grading runs first, outside any write lock; then one write transaction re-checks
    the window and the daily limit and stores the row, so a race cannot pass the limit.
    `baseline_model` submits as that baseline instead of a participant's token.
    """
    now = moment or utcnow()
    message = clean_message(message)
    filename = clean_filename(filename)
    with workspace.session() as session:
        participant = None if baseline_model else authenticate(session, token)
        challenge = get_challenge(session, slug)
        check_open(challenge, now)
        if len(content) > challenge.max_file_bytes:
            raise SubmissionRefused(f"The file is {len(content):,} bytes; this challenge accepts at most "
                                    f"{challenge.max_file_bytes:,} bytes.")
        if participant is not None:  # fail fast; the write transaction checks again
            _check_limits(challenge, *todays_counts(session, challenge, participant, now), baseline=False)
        try:
            result, rejection = grade_bytes(session, challenge, content, filename), None
        except grader.SubmissionError as error:
            result, rejection = None, error

    with workspace.session(write=True) as session:
        challenge = get_challenge(session, slug)
        check_open(challenge, now)
        if baseline_model:
            participant = baseline_participant(session, baseline_model)
        if session.get_bind().dialect.name != "sqlite":
            # Serialise this participant's submissions; on SQLite the write lock already does.
            session.execute(select(Participant.id).where(Participant.id == participant.id).with_for_update())
        scored, attempts = todays_counts(session, challenge, participant, now)
        _check_limits(challenge, scored, attempts, baseline=participant.is_baseline)
        row = Submission(challenge_id=challenge.id, participant_id=participant.id, created_at=now, filename=filename,
                         message=message, content=content, size=len(content),
                         sha256=hashlib.sha256(content).hexdigest(), selected=False)
        if rejection is not None:
            row.status, row.error_code, row.error = REJECTED, rejection.code, rejection.message
        else:
            row.status, row.public_score, row.private_score = SCORED, result.public_score, result.private_score
        session.add(row)
        session.flush()
        used = scored + (row.status == SCORED)
    # The rank is read after the commit, so the write lock is held only for the insert.
    rank = None
    if not participant.is_baseline and row.status == SCORED:
        with workspace.session() as session:
            rank = public_rank_of(session, challenge, participant)
    return SubmitOutcome(row, rank, max(0, challenge.daily_limit - used))


def own_submissions(session: Session, challenge: Challenge, participant: Participant) -> list[Submission]:
    return list(session.scalars(
        select(Submission).where(Submission.challenge_id == challenge.id, Submission.participant_id == participant.id)
        .order_by(Submission.created_at, Submission.id)
    ))


def select_finals(session: Session, *, slug: str, participant: Participant, submission_ids: list[int],
                  moment: datetime | None = None) -> list[Submission]:
    """Pick the final submissions that count on the private board (replacing any earlier pick)."""
    challenge = get_challenge(session, slug)
    if challenge_status(challenge, moment or utcnow()) == "closed":
        raise SubmissionRefused(f"{slug!r} is closed; final submissions can no longer change.")
    unique = list(dict.fromkeys(submission_ids))
    if not unique:
        raise ValidationError("Name at least one submission id (see `kit submissions SLUG`).")
    if len(unique) > challenge.final_selections:
        raise ValidationError(f"{slug!r} allows {challenge.final_selections} final submission(s); you named {len(unique)}.")
    mine = {s.id: s for s in own_submissions(session, challenge, participant)}
    for submission_id in unique:
        if submission_id not in mine:
            raise NotFoundError(f"You have no submission {submission_id} on {slug!r} (see `kit submissions {slug}`).")
        if mine[submission_id].status != SCORED:
            raise ValidationError(f"Submission {submission_id} was rejected; only scored submissions can be finals.")
    for submission in mine.values():
        submission.selected = submission.id in unique
    session.flush()
    return [mine[i] for i in unique]
