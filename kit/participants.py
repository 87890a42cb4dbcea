"""Participants: unique names (case-insensitive) and secret tokens."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kit.clock import utcnow
from kit.errors import AuthError, ConflictError, NotFoundError, ValidationError
from kit.models import Participant
from kit.tokens import hash_token, new_token, token_matches

NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 _.\-]{1,38}[A-Za-z0-9_.]$")
RESERVED_PREFIX = "baseline"


def validate_name(name: str) -> str:
    if not NAME.match(name):
        raise ValidationError(
            f"Participant name {name[:60]!r} is not allowed: use 3–40 letters, digits, spaces, "
            "'_', '-' or '.', starting with a letter or digit."
        )
    if name.lower().startswith(RESERVED_PREFIX):
        raise ValidationError("Names starting with 'baseline' are reserved for the kit's baselines.")
    return name


def register(session: Session, name: str, *, baseline: bool = False) -> tuple[Participant, str]:
    """Create a participant; returns it with its token (the only time the token exists)."""
    name = name.strip()
    if not baseline:
        validate_name(name)
    key = name.lower()
    if session.scalar(select(Participant).where(Participant.name_key == key)) is not None:
        raise ConflictError(f"The name {name!r} is taken (names are case-insensitive). Pick another.")
    token = new_token("kit")
    participant = Participant(name=name, name_key=key, token_hash=hash_token(token), is_baseline=baseline,
                              created_at=utcnow())
    session.add(participant)
    session.flush()
    return participant, token


def authenticate(session: Session, token: str | None) -> Participant:
    if not token or not token.strip():
        raise AuthError("A participant token is needed: pass --token or set KIT_TOKEN (from `kit register`).")
    participant = session.scalar(select(Participant).where(Participant.token_hash == hash_token(token)))
    if participant is None or not token_matches(token, participant.token_hash):
        raise AuthError("That token is not valid. Check it, or register with `kit register NAME`.")
    return participant


def get_participant(session: Session, name: str) -> Participant:
    participant = session.scalar(select(Participant).where(Participant.name_key == name.strip().lower()))
    if participant is None:
        raise NotFoundError(f"No participant named {name!r}.")
    return participant


def baseline_participant(session: Session, model: str) -> Participant:
    """The pseudo-participant that owns a baseline model's submissions."""
    name = f"baseline: {model}"
    participant = session.scalar(select(Participant).where(Participant.name_key == name))
    if participant is None:
        try:
            with session.begin_nested():  # another process may create it at the same moment
                participant, _ = register(session, name, baseline=True)
        except (IntegrityError, ConflictError):
            participant = session.scalar(select(Participant).where(Participant.name_key == name))
    return participant
