"""Lasting web sign-in: a browser holds a signed cookie naming a server-side session, never a token.

The cookie's value is a random key signed with a secret kept in the store's settings
(itsdangerous); the store keeps only the key's hash, the participant and the expiry.
Signing out deletes the row, so a copied cookie dies with it; a token reset ends every
session of that participant.
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
SECRET_KEY = "web_session_secret"
# Cookie values start with this, so a credential is told apart from a participant token (kit_…).
PREFIX = "ws."
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


def _serializer(secret: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret, salt="kit-web-session")


def is_web_session(credential: str | None) -> TypeGuard[str]:
    return credential is not None and credential.startswith(PREFIX)


def start_web_session(session: Session, participant: Participant, lifetime: timedelta = DEFAULT_LIFETIME,
                      moment: datetime | None = None) -> str:
    """A new session for an already authenticated participant; returns the cookie's value."""
    if not timedelta(minutes=1) <= lifetime <= MAX_LIFETIME:
        raise InvalidInputError(f"A sign-in lasts between 1 minute and {MAX_LIFETIME.days} days; got {lifetime}.")
    now = moment or utcnow()
    key = secrets.token_urlsafe(32)
    session.add(WebSession(key_hash=hash_token(key), participant_id=participant.id, created_at=now,
                           expires_at=now + lifetime))
    session.flush()
    secret = _secret(session, create=True)
    assert secret is not None  # created when missing
    return PREFIX + _serializer(secret).dumps(key)


def _key(session: Session, cookie: str | None) -> str | None:
    if not is_web_session(cookie):
        return None
    secret = _secret(session, create=False)
    if secret is None:
        return None
    try:
        key = _serializer(secret).loads(cookie[len(PREFIX):])
    except BadSignature:
        return None
    return key if isinstance(key, str) else None


def participant_of_web_session(session: Session, cookie: str | None, moment: datetime | None = None) -> Participant | None:
    """The participant a cookie signs in, or None (bad signature, ended or expired session)."""
    key = _key(session, cookie)
    if key is None:
        return None
    row = session.scalar(select(WebSession).where(WebSession.key_hash == hash_token(key)))
    if row is None or row.expires_at <= (moment or utcnow()):
        return None
    return row.participant


def end_web_session(session: Session, cookie: str | None) -> None:
    """Sign out: the session is deleted, so the cookie (or any copy of it) no longer signs anyone in."""
    key = _key(session, cookie)
    if key is not None:
        session.execute(delete(WebSession).where(WebSession.key_hash == hash_token(key)))


def end_participant_sessions(session: Session, participant: Participant) -> None:
    """Every browser session of a participant ends (their token was reset or rotated)."""
    session.execute(delete(WebSession).where(WebSession.participant_id == participant.id))
