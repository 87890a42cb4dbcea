"""Daily check-ins: a participant's day counts when they submit or log what they learned."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from urllib.parse import urlparse

from sqlalchemy import select
from sqlalchemy.orm import Session

from kit.clock import utcnow
from kit.errors import InvalidInputError, OutsideSeasonError
from kit.season.seasons import day_of_season, local_date
from kit.store.models import Challenge, CheckIn, Participant, Season, Submission
from kit.text import clean_text

MAX_NOTE_CHARS = 1000
MAX_URL_CHARS = 500


def clean_url(url: str | None) -> str | None:
    """Only http(s) links with a host; shown as links, never rendered as HTML."""
    if url is None or not url.strip():
        return None
    url = url.strip()
    if len(url) > MAX_URL_CHARS:
        raise InvalidInputError(f"The URL has {len(url)} characters; the most allowed is {MAX_URL_CHARS}.")
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc or any(ch.isspace() for ch in url):
        raise InvalidInputError(f"The URL must start with http:// or https:// and name a host; got {url[:80]!r}.")
    return url


def clean_note(note: str) -> str:
    return clean_text(note, what="note", max_chars=MAX_NOTE_CHARS, allowed_controls="\n\t",
                      empty_message="Say what you learned today (the note is empty).")


def log_checkin(session: Session, season: Season, participant: Participant, note: str, url: str | None = None,
                moment: datetime | None = None) -> CheckIn:
    """Record what a participant learned today; refused outside the season's 27 days."""
    now = moment or utcnow()
    note, url = clean_note(note), clean_url(url)
    day = day_of_season(season, now)
    if day is None:
        when = "has not started yet" if local_date(season, now) < season.starts_on else "has ended"
        raise OutsideSeasonError(f"{season.name} {when}; check-ins count only on its {season.days} days.")
    checkin = CheckIn(season_id=season.id, participant_id=participant.id, day=day, note=note, url=url,
                      created_at=now)
    session.add(checkin)
    session.flush()
    return checkin


def active_days(session: Session, season: Season) -> dict[int, set[int]]:
    """participant id → the season days (1..27) on which they submitted or logged."""
    days: dict[int, set[int]] = defaultdict(set)
    for participant_id, day in session.execute(
        select(CheckIn.participant_id, CheckIn.day).where(CheckIn.season_id == season.id)
    ):
        days[participant_id].add(day)
    submitted = session.execute(
        select(Submission.participant_id, Submission.created_at)
        .join(Challenge, Challenge.id == Submission.challenge_id)
        .join(Participant, Participant.id == Submission.participant_id)
        .where(Challenge.season_id == season.id, Participant.is_baseline.is_(False))
    )
    for participant_id, created_at in submitted:
        submitted_on = day_of_season(season, created_at)
        if submitted_on is not None:
            days[participant_id].add(submitted_on)
    return days


def checkins_of(session: Session, season: Season, participant: Participant) -> list[CheckIn]:
    return list(session.scalars(select(CheckIn).where(CheckIn.season_id == season.id,
                                                      CheckIn.participant_id == participant.id)
                                .order_by(CheckIn.created_at, CheckIn.id)))
