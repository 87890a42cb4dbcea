"""Every write the pages make, as plain functions of bytes and strings (testable without a browser).

Each takes the token it needs as an argument and checks it through kit services at the
moment of the action; refusals raise `kit.errors.KitError` with a message for a person.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from kit.awards import record_award
from kit.challenges import add_challenge, close_challenge, get_challenge, is_closed
from kit.checkins import checkins_of, log_checkin
from kit.clock import utcnow
from kit.errors import AuthError, NotFoundError, SubmissionRefused, ValidationError
from kit.export import board_csv, submissions_zip
from kit.models import SCORED
from kit.organizer import require_organizer
from kit.participants import authenticate, register
from kit.ranking import private_board, public_board
from kit.seasons import get_season
from kit.spec import parse_spec
from kit.standings import participant_streak
from kit.streaks import Streak
from kit.submissions import own_submissions, select_finals, submit, todays_counts
from kit.workspace import Workspace
from leaderboard.views import CheckInView

MAX_SPEC_BYTES = 256 * 1024
MAX_DATA_BYTES = 200 * 1024 * 1024


# ---- participants ----------------------------------------------------------------------------


def self_registration_open(ws: Workspace) -> tuple[bool, str | None]:
    """Whether visitors may register themselves: the latest season decides (open when there is none)."""
    with ws.session() as session:
        try:
            season = get_season(session)
        except NotFoundError:
            return True, None
        return bool(season.self_registration), season.name


def join(ws: Workspace, name: str) -> tuple[str, str]:
    """Register a participant; returns (name, token). The token exists only in this return value."""
    allowed, season = self_registration_open(ws)
    if not allowed:
        raise AuthError(f"Self-registration is turned off for {season}; ask the organizer to register you.")
    with ws.session(write=True) as session:
        participant, token = register(session, name)
        return participant.name, token


def sign_in(ws: Workspace, name: str, token: str) -> str:
    """Check a participant's name and token together; returns the stored spelling of the name."""
    if not name.strip():
        raise ValidationError("Enter your participant name.")
    with ws.session() as session:
        participant = authenticate(session, token)
        if participant.name.lower() != name.strip().lower():
            raise AuthError("That name and token do not belong together. Check both and try again.")
        return participant.name


@dataclass(frozen=True)
class Outcome:
    """What the Submit page shows right after an upload."""

    submission_id: int
    slug: str
    filename: str
    status: str
    public_score: float | None  # never the private score
    error: str | None
    rank: int | None
    left_today: int


def check_upload_size(size: int, max_bytes: int) -> None:
    """Refuse an upload from its declared size, before its bytes are read."""
    if size > max_bytes:
        raise SubmissionRefused(f"The file is {size:,} bytes; this challenge accepts at most {max_bytes:,} bytes.")


def submit_file(ws: Workspace, *, slug: str, token: str, content: bytes, filename: str, message: str = "") -> Outcome:
    outcome = submit(ws, slug=slug, token=token, content=content, filename=filename, message=message)
    row = outcome.submission
    return Outcome(row.id, slug, row.filename, row.status, row.public_score if row.status == SCORED else None,
                   row.error, outcome.rank, outcome.left_today)


@dataclass(frozen=True)
class MySubmission:
    id: int
    submitted_at: datetime
    filename: str
    message: str
    status: str
    error: str | None
    public_score: float | None
    private_score: float | None  # None until the challenge is closed
    selected: bool


@dataclass(frozen=True)
class MyHistory:
    submissions: tuple[MySubmission, ...]
    scored_today: int
    attempts_today: int
    closed: bool


def my_submissions(ws: Workspace, *, slug: str, token: str, moment: datetime | None = None) -> MyHistory:
    now = moment or utcnow()
    with ws.session() as session:
        participant = authenticate(session, token)
        challenge = get_challenge(session, slug)
        closed = is_closed(challenge, now)
        rows = tuple(MySubmission(s.id, s.created_at, s.filename, s.message, s.status, s.error, s.public_score,
                                  s.private_score if closed else None, s.selected)
                     for s in own_submissions(session, challenge, participant))
        scored, attempts = todays_counts(session, challenge, participant, now)
    return MyHistory(rows, scored, attempts, closed)


def save_finals(ws: Workspace, *, slug: str, token: str, submission_ids: list[int]) -> list[int]:
    with ws.session(write=True) as session:
        participant = authenticate(session, token)
        chosen = select_finals(session, slug=slug, participant=participant, submission_ids=submission_ids)
        return [s.id for s in chosen]


# ---- the season: check-ins and streaks --------------------------------------------------------


@dataclass(frozen=True)
class MySeason:
    """One participant's part of a season: never cached (it needs their token)."""

    participant: str
    streak: Streak
    checkins: tuple[CheckInView, ...]  # newest first


def check_in(ws: Workspace, *, token: str, season_slug: str, note: str, url: str | None = None) -> CheckInView:
    """Log what a participant learned today; kit.checkins refuses empty notes, bad URLs and days off-season."""
    with ws.session(write=True) as session:
        participant = authenticate(session, token)
        checkin = log_checkin(session, get_season(session, season_slug), participant, note, url or None)
        return CheckInView(checkin.day, checkin.created_at, checkin.note, checkin.url)


def my_season(ws: Workspace, *, token: str, season_slug: str) -> MySeason:
    with ws.session() as session:
        participant = authenticate(session, token)
        season = get_season(session, season_slug)
        rows = checkins_of(session, season, participant)
        return MySeason(participant.name, participant_streak(session, season, participant),
                        tuple(CheckInView(c.day, c.created_at, c.note, c.url) for c in reversed(rows)))


# ---- organizer -------------------------------------------------------------------------------


def organizer_sign_in(ws: Workspace, token: str) -> None:
    with ws.session() as session:
        require_organizer(session, token)


def add_challenge_from_upload(ws: Workspace, *, organizer_token: str, spec_bytes: bytes,
                              data_name: str | None = None, data_bytes: bytes | None = None) -> str:
    """Add a challenge from an uploaded spec (and the CSV a `csv:` source names); returns its slug."""
    with ws.session() as session:
        require_organizer(session, organizer_token)
    if len(spec_bytes) > MAX_SPEC_BYTES:
        raise ValidationError(f"The spec is {len(spec_bytes):,} bytes; a spec file is at most {MAX_SPEC_BYTES:,}.")
    try:
        text = spec_bytes.decode("utf-8")
    except UnicodeDecodeError:
        raise ValidationError("The spec is not UTF-8 text.") from None
    spec = parse_spec(text, origin="the uploaded spec")
    with tempfile.TemporaryDirectory(prefix="kit-spec-") as folder:
        base = Path(folder)
        if spec.data.source.startswith("csv:"):
            relative = spec.data.source[4:]
            if data_bytes is None:
                raise ValidationError(f"The spec reads {relative!r}: upload that CSV file too.")
            if len(data_bytes) > MAX_DATA_BYTES:
                raise ValidationError(f"The data file is {len(data_bytes):,} bytes; the most is {MAX_DATA_BYTES:,}.")
            target = base / relative  # parse_spec refused absolute paths and '..'
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data_bytes)
        with ws.session(write=True) as session:
            require_organizer(session, organizer_token)
            challenge = add_challenge(session, spec, text, base_dir=base, cache_dir=ws.settings.cache_dir,
                                      progress=False)
            return challenge.slug


def close(ws: Workspace, *, organizer_token: str, slug: str) -> None:
    with ws.session(write=True) as session:
        require_organizer(session, organizer_token)
        close_challenge(session, slug)


def board_export(ws: Workspace, *, organizer_token: str, slug: str, private: bool) -> str:
    with ws.session() as session:
        require_organizer(session, organizer_token)
        challenge = get_challenge(session, slug)
        if private and not is_closed(challenge):
            raise SubmissionRefused(f"The private leaderboard of {slug!r} is revealed when it closes.")
        board = private_board(session, challenge) if private else public_board(session, challenge)
        return board_csv(board, private=private)


def submissions_export(ws: Workspace, *, organizer_token: str, slug: str) -> bytes:
    with ws.session() as session:
        return submissions_zip(session, slug, organizer_token)


def register_for(ws: Workspace, *, organizer_token: str, name: str) -> tuple[str, str]:
    """An organizer registers someone (when self-registration is off); returns (name, token)."""
    with ws.session(write=True) as session:
        require_organizer(session, organizer_token)
        participant, token = register(session, name)
        return participant.name, token


def award(ws: Workspace, *, organizer_token: str, slug: str, place: int, note: str) -> str:
    """Record the organizer's note for a place (1–3) on a closed challenge; returns the winner's name."""
    with ws.session(write=True) as session:
        require_organizer(session, organizer_token)
        return record_award(session, slug, place, note).participant.name
