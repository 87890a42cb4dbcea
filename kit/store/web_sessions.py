"""Lasting web sign-in: a browser holds a signed cookie naming a server-side session, never a token.

The cookie's value is a random key signed with a secret kept in the store's settings
(itsdangerous); the store keeps only the key's hash, whose session it is and the expiry.
Signing out deletes the row, so a copied cookie dies with it; a token reset ends every
session of that participant.

Participants and the organizer sign in the same way, but neither's cookie passes for the
other's: each has its own prefix and signing salt, and a session row names a participant
or (with no participant) the organizer. An organizer cookie is also signed under the
organizer token's hash, so a new organizer token voids every cookie given for the old one.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import TypeGuard

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kit.clock import utcnow
from kit.errors import InvalidInputError
from kit.store.models import KitSetting, Participant, WebSession
from kit.tokens import hash_token

COOKIE_NAME = "kit_session"
ORGANIZER_COOKIE_NAME = "kit_organizer"
SECRET_KEY = "web_session_secret"
# Cookie values start with these, so a credential is told apart from a token (kit_…, org_…).
PREFIX = "ws."
ORGANIZER_PREFIX = "wo."
SALT = "kit-web-session"
ORGANIZER_SALT = "kit-organizer-session"
DEFAULT_LIFETIME = timedelta(days=30)
MAX_LIFETIME = timedelta(days=400)  # browsers cap cookies at 400 days


def _secret(session: Session, *, create: bool) -> str | None:
    setting = session.get(KitSetting, SECRET_KEY)
    if setting is None and create:
        try:
            with session.begin_nested():  # another server process may create it at the same moment
                session.add(KitSetting(key=SECRET_KEY, value=secrets.token_hex(32)))
        except IntegrityError:
            pass
        setting = session.get(KitSetting, SECRET_KEY)
    return setting.value if setting else None


def _serializer(secret: str, salt: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret, salt=salt)


def is_web_session(credential: str | None) -> TypeGuard[str]:
    return credential is not None and credential.startswith(PREFIX)


def is_organizer_web_session(credential: str | None) -> TypeGuard[str]:
    return credential is not None and credential.startswith(ORGANIZER_PREFIX)


def _start(session: Session, participant_id: int | None, lifetime: timedelta, moment: datetime | None,
           prefix: str, salt: str) -> str:
    if not timedelta(minutes=1) <= lifetime <= MAX_LIFETIME:
        raise InvalidInputError(f"A sign-in lasts between 1 minute and {MAX_LIFETIME.days} days; got {lifetime}.")
    now = moment or utcnow()
    key = secrets.token_urlsafe(32)
    session.add(WebSession(key_hash=hash_token(key), participant_id=participant_id, created_at=now,
                           expires_at=now + lifetime))
    session.flush()
    secret = _secret(session, create=True)
    assert secret is not None  # created when missing
    return prefix + _serializer(secret, salt).dumps(key)


def _key(session: Session, cookie: str | None, prefix: str, salt: str) -> str | None:
    if cookie is None or not cookie.startswith(prefix):
        return None
    secret = _secret(session, create=False)
    if secret is None:
        return None
    try:
        key = _serializer(secret, salt).loads(cookie[len(prefix):])
    except BadSignature:
        return None
    return key if isinstance(key, str) else None


def _live(session: Session, key: str | None, moment: datetime | None) -> WebSession | None:
    if key is None:
        return None
    row = session.scalar(select(WebSession).where(WebSession.key_hash == hash_token(key)))
    return row if row is not None and row.expires_at > (moment or utcnow()) else None


def start_web_session(session: Session, participant: Participant, lifetime: timedelta = DEFAULT_LIFETIME,
                      moment: datetime | None = None) -> str:
    """A new session for an already authenticated participant; returns the cookie's value."""
    return _start(session, participant.id, lifetime, moment, PREFIX, SALT)


def participant_of_web_session(session: Session, cookie: str | None, moment: datetime | None = None) -> Participant | None:
    """The participant a cookie signs in, or None (bad signature, ended or expired session, the organizer's)."""
    row = _live(session, _key(session, cookie, PREFIX, SALT), moment)
    return row.participant if row is not None else None


def end_web_session(session: Session, cookie: str | None) -> None:
    """Sign out: the session is deleted, so the cookie (or any copy of it) no longer signs anyone in."""
    key = _key(session, cookie, PREFIX, SALT)
    if key is not None:
        session.execute(delete(WebSession).where(WebSession.key_hash == hash_token(key)))


def end_participant_sessions(session: Session, participant: Participant) -> None:
    """Every browser session of a participant ends (their token was reset or rotated)."""
    session.execute(delete(WebSession).where(WebSession.participant_id == participant.id))


# The organizer's sessions: callers pass the organizer token's stored hash (kit.store.organizer_token).

def _organizer_salt(organizer_hash: str) -> str:
    return f"{ORGANIZER_SALT}:{organizer_hash}"


def start_organizer_session(session: Session, organizer_hash: str, lifetime: timedelta = DEFAULT_LIFETIME,
                            moment: datetime | None = None) -> str:
    """A new session for whoever just gave the organizer token; returns the cookie's value."""
    return _start(session, None, lifetime, moment, ORGANIZER_PREFIX, _organizer_salt(organizer_hash))


def is_organizer_session(session: Session, cookie: str | None, organizer_hash: str,
                         moment: datetime | None = None) -> bool:
    """Whether a cookie is a live organizer session given under the current organizer token."""
    row = _live(session, _key(session, cookie, ORGANIZER_PREFIX, _organizer_salt(organizer_hash)), moment)
    return row is not None and row.participant_id is None


def end_organizer_session(session: Session, cookie: str | None, organizer_hash: str) -> None:
    """The organizer signs out: the session is deleted, and every copy of the cookie with it."""
    key = _key(session, cookie, ORGANIZER_PREFIX, _organizer_salt(organizer_hash))
    if key is not None:
        session.execute(delete(WebSession).where(WebSession.key_hash == hash_token(key),
                                                 WebSession.participant_id.is_(None)))
