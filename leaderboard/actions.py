"""Every write the pages make, as plain functions of bytes and strings (testable without a browser).

Each takes the token it needs as an argument and checks it through kit services at the
moment of the action; refusals raise `kit.errors.KitError` with a message for a person.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from kit.challenge.lookup import get_challenge, list_challenges
from kit.challenge.noise import NoiseReport
from kit.errors import InvalidInputError
from kit.season.awards import record_award
from kit.season.checkins import checkins_of, log_checkin
from kit.season.seasons import get_season, joined_day
from kit.season.standings import participant_streak
from kit.season.streaks import Streak
from kit.season.teams import (
    TeamInfo,
    create_team,
    join_team,
    leave_team,
    members_of,
    team_info,
    team_of,
    teams_of_season,
)
from kit.services.boards import challenge_board
from kit.services.challenges import close_challenge, public_noise
from kit.services.comparisons import Comparison, compare_submissions
from kit.services.exports import board_csv, submissions_zip
from kit.services.own_submissions import MyHistory, my_submissions, select_finals
from kit.services.participants import authenticate, register, register_by_organizer
from kit.services.participants import self_registration_open as registration_open
from kit.services.participants import sign_in as check_sign_in
from kit.services.reveal import Shift, overfitting_history, revealed_shifts
from kit.services.submissions import submit
from kit.services.token_resets import reset_token
from kit.services.webhooks import DeliveryView, WebhookView, add_webhook, delivery_log, list_webhooks, remove_webhook
from kit.store.models import SubmissionStatus
from kit.store.organizer_token import is_organizer, require_organizer
from kit.store.web_sessions import participant_of_web_session
from kit.store.workspace import Workspace
from leaderboard.views import CheckInView

# ---- participants ----------------------------------------------------------------------------


def self_registration_open(ws: Workspace) -> tuple[bool, str | None]:
    """Whether visitors may register themselves, and the season deciding it."""
    with ws.session() as session:
        return registration_open(session)


def join(ws: Workspace, name: str) -> tuple[str, str]:
    """Register a participant; returns (name, token). The token exists only in this return value."""
    with ws.session(write=True) as session:
        participant, token = register(session, name)
        return participant.name, token


def sign_in(ws: Workspace, name: str, token: str) -> str:
    """Check a participant's name and token together; returns the stored spelling of the name."""
    with ws.session() as session:
        return check_sign_in(session, name, token).name


def web_session_name(ws: Workspace, cookie: str | None) -> str | None:
    """The participant a lasting sign-in's cookie names, or None (absent, forged, ended or expired)."""
    if not cookie:
        return None
    with ws.session() as session:
        participant = participant_of_web_session(session, cookie)
        return participant.name if participant else None


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


def submit_file(ws: Workspace, *, slug: str, token: str, content: bytes, filename: str, message: str = "") -> Outcome:
    outcome = submit(ws, slug=slug, token=token, content=content, filename=filename, message=message)
    row = outcome.submission
    return Outcome(row.id, slug, row.filename, row.status, row.public_score if row.status == SubmissionStatus.SCORED else None,
                   row.error, outcome.rank, outcome.left_today)


def my_history(ws: Workspace, *, slug: str, token: str, moment: datetime | None = None) -> MyHistory:
    """The signed-in participant's submissions (private scores only after close)."""
    with ws.session() as session:
        return my_submissions(session, slug=slug, participant=authenticate(session, token), moment=moment)


def public_noise_of(ws: Workspace, slug: str) -> NoiseReport:
    """How wide the challenge's public intervals are, and the organizer's warning when too wide."""
    with ws.session() as session:
        return public_noise(session, get_challenge(session, slug))


def compare_with(ws: Workspace, *, slug: str, token: str, submission_id: int,
                 against: int | None = None) -> list[Comparison]:
    """Is this submission better than my best (or another of mine)? The paired answer, per part."""
    with ws.session() as session:
        return compare_submissions(session, slug=slug, participant=authenticate(session, token),
                                   submission_id=submission_id, against=against)


def my_reveal(ws: Workspace, *, slug: str, token: str) -> tuple[list[Shift], list[Shift]]:
    """After close: (each submission's public → private shift, the season's gap per closed challenge)."""
    with ws.session() as session:
        participant = authenticate(session, token)
        challenge = get_challenge(session, slug)
        season = [c for c in list_challenges(session)
                  if challenge.season_id is not None and c.season_id == challenge.season_id] or [challenge]
        return revealed_shifts(session, challenge, participant), overfitting_history(session, participant, season)


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
    joined_day: int = 1  # days before it are not "missed"


def check_in(ws: Workspace, *, token: str, season_slug: str, note: str, url: str | None = None) -> CheckInView:
    """Log what a participant learned today; kit.season.checkins refuses empty notes, bad URLs and days off-season."""
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
                        tuple(CheckInView(c.day, c.created_at, c.note, c.url) for c in reversed(rows)),
                        joined_day(season, participant.created_at))


# ---- organizer -------------------------------------------------------------------------------


def is_organizer_credential(ws: Workspace, credential: str | None) -> bool:
    """The organizer token, or a live organizer sign-in's cookie (absent, forged, ended or expired: False)."""
    if not credential:
        return False
    with ws.session() as session:
        return is_organizer(session, credential)


def close(ws: Workspace, *, organizer_token: str, slug: str) -> None:
    with ws.session(write=True) as session:
        require_organizer(session, organizer_token)
        close_challenge(session, slug)


def board_export(ws: Workspace, *, organizer_token: str, slug: str, private: bool) -> str:
    with ws.session() as session:
        require_organizer(session, organizer_token)
        _, board = challenge_board(session, slug, private=private)
        return board_csv(board, private=private)


def submissions_export(ws: Workspace, *, organizer_token: str, slug: str) -> bytes:
    with ws.session() as session:
        return submissions_zip(session, slug, organizer_token)


def register_for(ws: Workspace, *, organizer_token: str, name: str) -> tuple[str, str]:
    """An organizer registers someone (when self-registration is off); returns (name, token)."""
    with ws.session(write=True) as session:
        participant, token = register_by_organizer(session, organizer_token, name)
        return participant.name, token


def reset_token_for(ws: Workspace, *, organizer_token: str, name: str) -> tuple[str, str]:
    """The organizer gives someone a new token (the old one dies at once); returns (name, token)."""
    with ws.session(write=True) as session:
        participant, token = reset_token(session, name, organizer_token)
        return participant.name, token


def award(ws: Workspace, *, organizer_token: str, slug: str, place: int, note: str) -> str:
    """Record the organizer's note for a place (1–3) on a closed challenge; returns the winner's name."""
    with ws.session(write=True) as session:
        require_organizer(session, organizer_token)
        return record_award(session, slug, place, note).participant.name


# ---- teams -------------------------------------------------------------------------------------


def my_team(ws: Workspace, *, token: str, season_slug: str) -> TeamInfo | None:
    """The signed-in participant's team (with its invite code), or None."""
    with ws.session() as session:
        participant = authenticate(session, token)
        season = get_season(session, season_slug)
        team = team_of(session, season, participant)
        return team_info(session, team) if team is not None else None


def create_my_team(ws: Workspace, *, token: str, season_slug: str, name: str) -> TeamInfo:
    with ws.session(write=True) as session:
        participant = authenticate(session, token)
        return team_info(session, create_team(session, get_season(session, season_slug), participant, name))


def join_a_team(ws: Workspace, *, token: str, invite_code: str) -> TeamInfo:
    if not invite_code.strip():
        raise InvalidInputError("Paste the invite code a team member gave you (it starts with team_).")
    with ws.session(write=True) as session:
        participant = authenticate(session, token)
        return team_info(session, join_team(session, participant, invite_code))


def leave_my_team(ws: Workspace, *, token: str, season_slug: str) -> str:
    with ws.session(write=True) as session:
        participant = authenticate(session, token)
        return leave_team(session, get_season(session, season_slug), participant).name


def season_teams(ws: Workspace, season_slug: str) -> list[tuple[str, tuple[str, ...]]]:
    """Every team of the season with its members: public (no invite codes)."""
    with ws.session() as session:
        season = get_season(session, season_slug)
        return [(t.name, tuple(p.name for p in members_of(session, t))) for t in teams_of_season(session, season)]


# ---- webhooks (organizer) ------------------------------------------------------------------


def webhooks(ws: Workspace, *, organizer_token: str, season_slug: str) -> tuple[list[WebhookView], list[DeliveryView]]:
    """The season's webhooks (URLs masked) and its latest deliveries."""
    with ws.session() as session:
        require_organizer(session, organizer_token)
        season = get_season(session, season_slug)
        return list_webhooks(session, season), delivery_log(session, season)


def add_webhook_for(ws: Workspace, *, organizer_token: str, season_slug: str, url: str, fmt: str,
                    events: list[str]) -> WebhookView:
    if not events:
        raise InvalidInputError("Choose at least one event for the webhook.")
    with ws.session(write=True) as session:
        require_organizer(session, organizer_token)
        return add_webhook(session, get_season(session, season_slug), url, fmt, events)


def remove_webhook_for(ws: Workspace, *, organizer_token: str, season_slug: str, webhook_id: int) -> WebhookView:
    with ws.session(write=True) as session:
        require_organizer(session, organizer_token)
        return remove_webhook(session, get_season(session, season_slug), webhook_id)
