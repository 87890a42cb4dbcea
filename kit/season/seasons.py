"""Seasons: a name, a start date, 27 days, weekly challenges."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session

from kit.clock import utcnow
from kit.errors import ConflictError, InvalidInputError, NotFoundError
from kit.store.models import Season
from kit.text import clean_text

SEASON_DAYS = 27
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}[a-z0-9]$")


def season_zone(season: Season) -> ZoneInfo:
    return ZoneInfo(season.timezone)


def season_start(season: Season) -> datetime:
    """Midnight of day 1 in the season's time zone, as an aware datetime."""
    return datetime.combine(season.starts_on, time.min, tzinfo=season_zone(season))


def season_end(season: Season) -> datetime:
    return datetime.combine(season.starts_on + timedelta(days=season.days), time.min, tzinfo=season_zone(season))


def local_date(season: Season, moment: datetime | None = None) -> date:
    """The date in the season's time zone at `moment` (now by default)."""
    return (moment or utcnow()).astimezone(season_zone(season)).date()


def day_of_season(season: Season, moment: datetime | None = None) -> int | None:
    """1..27 while the season runs, None before day 1 or after the last day."""
    day = (local_date(season, moment) - season.starts_on).days + 1
    return day if 1 <= day <= season.days else None


def joined_day(season: Season, joined_at: datetime) -> int:
    """The season day someone joined on: 1 when they joined before the season began."""
    return max(1, (local_date(season, joined_at) - season.starts_on).days + 1)


def week_window(season: Season, week: int) -> tuple[datetime, datetime]:
    """A weekly challenge's default window: its 7 days (the last week ends with the season)."""
    opens = season_start(season) + timedelta(days=7 * (week - 1))
    closes = min(opens + timedelta(days=7), season_end(season))
    return opens, closes


def create_season(session: Session, *, slug: str, name: str, starts_on: date, timezone: str = "UTC",
                  hashtag: str | None = None, self_registration: bool = True) -> Season:
    if not SLUG.match(slug):
        raise InvalidInputError(f"Season slug {slug!r} must be 3–64 lowercase letters, digits and dashes.")
    name = clean_text(name, what="season name", max_chars=200)
    if hashtag is not None:
        hashtag = clean_text(hashtag, what="hashtag", max_chars=100) or None
    if len(name) < 3:
        raise InvalidInputError("A season name needs 3 to 200 characters.")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInputError(f"Unknown time zone {timezone!r}; use an IANA name such as UTC or Europe/Paris.") from None
    if session.scalar(select(Season).where(Season.slug == slug)) is not None:
        raise ConflictError(f"A season {slug!r} already exists.")
    season = Season(slug=slug, name=name, starts_on=starts_on, days=SEASON_DAYS, timezone=timezone,
                    hashtag=hashtag, self_registration=self_registration, created_at=utcnow())
    session.add(season)
    session.flush()
    return season


def get_season(session: Session, slug: str | None = None) -> Season:
    """The season named `slug`, or the latest one when no slug is given."""
    if slug is None:
        season = session.scalar(select(Season).order_by(Season.starts_on.desc(), Season.id.desc()).limit(1))
        if season is None:
            raise NotFoundError("There is no season yet. Create one with `kit season create` or run `kit demo`.")
        return season
    season = session.scalar(select(Season).where(Season.slug == slug))
    if season is None:
        raise NotFoundError(f"No season {slug!r}. See `kit season show`.")
    return season


def list_seasons(session: Session) -> list[Season]:
    return list(session.scalars(select(Season).order_by(Season.starts_on, Season.id)))
