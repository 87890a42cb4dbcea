"""The organizer token: created by `kit init`, shown once, stored hashed; and the organizer's web sign-in."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from kit.errors import AuthError
from kit.store.models import KitSetting
from kit.store.web_sessions import (
    DEFAULT_LIFETIME,
    end_organizer_session,
    is_organizer_session,
    is_organizer_web_session,
    start_organizer_session,
)
from kit.tokens import hash_token, new_token, token_matches

ORGANIZER_KEY = "organizer_token_hash"


def create_organizer_token_if_missing(session: Session) -> str | None:
    """A new organizer token when the workspace has none yet, else None."""
    if session.get(KitSetting, ORGANIZER_KEY) is not None:
        return None
    token = new_token("org")
    session.add(KitSetting(key=ORGANIZER_KEY, value=hash_token(token)))
    session.flush()
    return token


def _stored_hash(session: Session) -> str | None:
    setting = session.get(KitSetting, ORGANIZER_KEY)
    return setting.value if setting else None


def is_organizer(session: Session, credential: str | None, moment: datetime | None = None) -> bool:
    """The organizer token itself, or the cookie of a live organizer web sign-in."""
    stored = _stored_hash(session)
    if stored is None or not credential:
        return False
    if is_organizer_web_session(credential):
        return is_organizer_session(session, credential, stored, moment)
    return token_matches(credential, stored)


def require_organizer(session: Session, credential: str | None) -> None:
    """Every organizer action passes through here: the token, or an organizer web sign-in's cookie."""
    if _stored_hash(session) is None:
        raise AuthError("This workspace has no organizer token yet; run `kit init`.")
    if is_organizer(session, credential):
        return
    if is_organizer_web_session(credential):
        raise AuthError("Your organizer sign-in has ended or expired; sign in again with the organizer token.")
    raise AuthError(
        "This is an organizer action: pass the organizer token printed by `kit init` "
        "with --organizer-token or the KIT_ORGANIZER_TOKEN variable."
    )


def organizer_sign_in(session: Session, token: str, lifetime: timedelta = DEFAULT_LIFETIME) -> str:
    """The web sign-in: the organizer token (never a cookie) opens a lasting session; returns its cookie."""
    stored = _stored_hash(session)
    if stored is None:
        raise AuthError("This workspace has no organizer token yet; run `kit init`.")
    if not token.strip() or not token_matches(token, stored):
        raise AuthError("That is not the organizer token. Use the one `kit init` (or `kit demo`) printed.")
    return start_organizer_session(session, stored, lifetime)


def organizer_sign_out(session: Session, cookie: str | None) -> None:
    """The organizer's session ends on the server: the cookie, and any copy of it, signs nobody in."""
    stored = _stored_hash(session)
    if stored is not None:
        end_organizer_session(session, cookie, stored)
