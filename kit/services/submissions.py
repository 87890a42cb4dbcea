"""Submitting: who may submit, the window, the size and daily limits, grading, storing in one transaction.

A participant submits with their token; a baseline row is an organizer action
(`submit_baseline`). Every refusal raises its own `kit.errors` class.
"""

from __future__ import annotations

import functools
import hashlib
import math
import os
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

import grader
from kit.challenge.grading import grade_bytes
from kit.challenge.lookup import challenge_status, get_challenge
from kit.challenge.noise import board_decimals
from kit.challenge.paired import influence_row
from kit.challenge.ranking import public_rank_of
from kit.clock import utcnow
from kit.errors import (
    AttemptLimitError,
    ChallengeClosedError,
    ChallengeNotOpenError,
    DailyLimitError,
)
from kit.season.teams import team_id_for
from kit.services.comparisons import Comparison, best_submission, compare_rows
from kit.services.entrants import bound_entrant, entrant_filter
from kit.services.ladder import LADDER, LadderStep, ladder_step
from kit.services.outbox import note_scored_submission
from kit.services.participants import authenticate, baseline_participant
from kit.store.models import Challenge, Participant, Submission, SubmissionStatus, Team
from kit.store.organizer_token import require_organizer
from kit.submission_file import check_file_size, check_submission_path
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
    ladder: LadderStep | None = None  # on a Ladder challenge: whether the displayed score moved
    comparison: Comparison | None = None  # paired, against the entrant's best before this one
    decimals: int = 5  # public scores are shown rounded to this (the challenge's noise)

    def shown(self, value: float | None) -> float | None:
        """A public number as a participant may see it: rounded to the noise (a defence against probing)."""
        return None if value is None or not math.isfinite(value) else round(value, self.decimals)


def utc_day_bounds(moment: datetime) -> tuple[datetime, datetime]:
    start = datetime.combine(moment.date(), time.min, tzinfo=moment.tzinfo)
    return start, start + timedelta(days=1)


def attempts_cap(challenge: Challenge) -> int:
    return challenge.daily_limit * ATTEMPTS_PER_ALLOWED_SUBMISSION


@functools.cache
def _todays_counts_query(team: bool):
    """Built once per kind of entrant: every submission counts twice."""
    return (select(Submission.status, func.count())
            .where(Submission.challenge_id == bindparam("challenge_id"), bound_entrant(team),
                   Submission.created_at >= bindparam("start"), Submission.created_at < bindparam("end"))
            .group_by(Submission.status))


def todays_counts(session: Session, challenge: Challenge, participant: Participant,
                  moment: datetime) -> tuple[int, int]:
    """(scored, all attempts) today, UTC: the participant's, or their team's when in one
    (the entrant of kit.services.entrants)."""
    start, end = utc_day_bounds(moment)
    team_id = team_id_for(session, challenge, participant)
    rows = session.execute(_todays_counts_query(team_id is not None),
                           {"challenge_id": challenge.id, "team_id": team_id, "participant_id": participant.id,
                            "start": start, "end": end}).all()
    counts = dict(rows)
    return counts.get(SubmissionStatus.SCORED, 0), sum(counts.values())


def _check_limits(challenge: Challenge, scored: int, attempts: int, *, baseline: bool) -> None:
    if baseline:
        return
    if scored >= challenge.daily_limit:
        raise DailyLimitError(
            f"You have used all {challenge.daily_limit} submissions for today on {challenge.slug!r}. "
            "The count resets at 00:00 UTC."
        )
    if attempts >= attempts_cap(challenge):
        raise AttemptLimitError(
            f"You have made {attempts} attempts today on {challenge.slug!r}, the most allowed. "
            "Check your file against sample_submission.csv and try again after 00:00 UTC."
        )


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


def check_open(challenge: Challenge, moment: datetime) -> None:
    status = challenge_status(challenge, moment)
    if status == "upcoming":
        raise ChallengeNotOpenError(f"{challenge.slug!r} opens at {challenge.opens_at:%Y-%m-%d %H:%M} UTC; "
                                "submissions are not accepted yet.")
    if status == "closed":
        raise ChallengeClosedError(f"{challenge.slug!r} is closed; it no longer accepts submissions.")


def clean_message(message: str) -> str:
    return clean_text(message, what="message", max_chars=MAX_MESSAGE_CHARS)


def clean_filename(filename: str) -> str:
    name = os.path.basename(filename.replace("\\", "/")) or "submission.csv"
    return "".join(ch for ch in name if ch.isprintable())[:MAX_FILENAME_CHARS] or "submission.csv"


def read_submission_file(path: Path, max_bytes: int) -> bytes:
    """Read a file from disk, refusing one over the limit before reading it."""
    check_submission_path(path, max_bytes)
    return path.read_bytes()


def submit(workspace, *, slug: str, content: bytes, filename: str, token: str | None, message: str = "",
           moment: datetime | None = None) -> SubmitOutcome:
    """A participant's submission, authenticated by their token; a rejected file is stored with its rejection."""
    return _grade_and_store(workspace, slug=slug, content=content, filename=filename, message=message, token=token,
                            moment=moment)


def submit_baseline(workspace, *, organizer_token: str | None, slug: str, model: str, content: bytes, filename: str,
                    message: str = "", moment: datetime | None = None) -> SubmitOutcome:
    """A baseline row (shown with a badge, never ranked): only the organizer adds one."""
    with workspace.session() as session:
        require_organizer(session, organizer_token)
    return record_baseline(workspace, slug=slug, model=model, content=content, filename=filename, message=message,
                           moment=moment)


def record_baseline(workspace, *, slug: str, model: str, content: bytes, filename: str, message: str = "",
                    moment: datetime | None = None) -> SubmitOutcome:
    """Store a baseline row with no token checked: for `submit_baseline` and for the organizer's own
    process building a workspace (the demo), never for anything a participant can reach."""
    return _grade_and_store(workspace, slug=slug, content=content, filename=filename, message=message,
                            baseline_model=model, moment=moment)


def _grade_and_store(workspace, *, slug: str, content: bytes, filename: str, message: str, token: str | None = None,
                     baseline_model: str | None = None, moment: datetime | None = None) -> SubmitOutcome:
    """Grading runs first, outside any write lock; then one write transaction re-checks
    the window and the daily limit and stores the row, so a race cannot pass the limit."""
    now = moment or utcnow()
    ladder = previous_best = None
    message = clean_message(message)
    filename = clean_filename(filename)
    with workspace.session() as session:
        submitter = None if baseline_model else authenticate(session, token)
        challenge = get_challenge(session, slug)
        check_open(challenge, now)
        check_file_size(len(content), challenge.max_file_bytes)
        if submitter is not None:  # fail fast; the write transaction checks again
            _check_limits(challenge, *todays_counts(session, challenge, submitter, now), baseline=False)
        result: grader.Grade | None = None
        rejection: grader.SubmissionError | None = None
        try:
            result = grade_bytes(session, challenge, content, filename)
        except grader.SubmissionError as error:
            rejection = error

    with workspace.session(write=True) as session:
        challenge = get_challenge(session, slug)
        check_open(challenge, now)
        participant = baseline_participant(session, baseline_model) if baseline_model else submitter
        assert participant is not None  # authenticated above, or the baseline's pseudo-participant
        team_id = None if participant.is_baseline else team_id_for(session, challenge, participant)
        if session.get_bind().dialect.name != "sqlite":
            # Serialise this participant's (and team's) submissions and team changes; on SQLite
            # the write lock already does.
            session.execute(select(Participant.id).where(Participant.id == participant.id).with_for_update())
            if team_id is not None:
                session.execute(select(Team.id).where(Team.id == team_id).with_for_update())
                team_id = team_id_for(session, challenge, participant)  # as of the lock
        scored, attempts = todays_counts(session, challenge, participant, now)
        _check_limits(challenge, scored, attempts, baseline=participant.is_baseline)
        row = Submission(challenge_id=challenge.id, participant_id=participant.id, team_id=team_id, created_at=now,
                         filename=filename,
                         message=message, content=content, size=len(content),
                         sha256=hashlib.sha256(content).hexdigest(), selected=False)
        if result is None:
            assert rejection is not None
            row.status, row.error_code, row.error = SubmissionStatus.REJECTED, rejection.code, rejection.message
        else:
            row.status, row.public_score, row.private_score = (SubmissionStatus.SCORED, result.public_score,
                                                               result.private_score)
            row.public_low, row.public_high = _finite(result.public_low), _finite(result.public_high)
            row.private_low, row.private_high = _finite(result.private_low), _finite(result.private_high)
            previous_best = best_submission(session, challenge, participant.id, team_id)
            if challenge.public_board == LADDER:
                ladder = ladder_step(session, challenge, entrant_filter(session, challenge, participant), result)
                row.ladder_step = ladder.moved
        session.add(row)
        session.flush()
        if result is not None:  # scored
            session.add(influence_row(row.id, result))
        if not participant.is_baseline:  # a new leader is a webhook event, stored with the row
            note_scored_submission(session, challenge, row, now)
        used = scored + (row.status == SubmissionStatus.SCORED)
    # The rank is read after the commit, so the write lock is held only for the insert.
    rank = comparison = None
    if row.status == SubmissionStatus.SCORED:
        with workspace.session() as session:
            if not participant.is_baseline:
                rank = public_rank_of(session, challenge, participant)
            if previous_best is not None:
                comparison = compare_rows(session, challenge, row, previous_best, part="public")
    return SubmitOutcome(row, rank, max(0, challenge.daily_limit - used), ladder, comparison,
                         board_decimals(challenge))
