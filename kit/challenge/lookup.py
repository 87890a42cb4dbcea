"""Finding stored challenges and telling where they stand in their window."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from kit.clock import utcnow
from kit.errors import NotFoundError
from kit.store.models import Challenge

# Built once: get_challenge runs several times on every submission.
_BY_SLUG = select(Challenge).where(Challenge.slug == bindparam("slug"))


def get_challenge(session: Session, slug: str) -> Challenge:
    challenge = session.scalar(_BY_SLUG, {"slug": slug})
    if challenge is None:
        known = ", ".join(session.scalars(select(Challenge.slug).order_by(Challenge.opens_at)).all()) or "none yet"
        raise NotFoundError(f"No challenge {slug!r}. Known challenges: {known}.")
    return challenge


def list_challenges(session: Session) -> list[Challenge]:
    return list(session.scalars(select(Challenge).order_by(Challenge.opens_at, Challenge.slug)))


def challenge_status(challenge: Challenge, moment: datetime | None = None) -> str:
    """upcoming, open or closed; closing early (kit challenge close) wins over the dates."""
    now = moment or utcnow()
    if challenge.closed_at is not None or now >= challenge.closes_at:
        return "closed"
    return "open" if now >= challenge.opens_at else "upcoming"


def is_closed(challenge: Challenge, moment: datetime | None = None) -> bool:
    return challenge_status(challenge, moment) == "closed"
