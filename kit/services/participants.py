"""Participants: who may register (the season's flag or the organizer), unique names, secret tokens."""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kit.clock import utcnow
from kit.errors import AuthError, ConflictError, InvalidInputError, NotFoundError, RegistrationClosedError
from kit.names import looks_like_baseline, name_key
from kit.season.seasons import get_season
from kit.store.models import Participant, Team
from kit.store.organizer_token import require_organizer
from kit.store.web_sessions import is_web_session, participant_of_web_session
from kit.tokens import hash_token, new_token, token_matches

NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 _.\-]{1,38}[A-Za-z0-9_.]$")


def validate_name(name: str) -> str:
    if not NAME.match(name):
        raise InvalidInputError(
            f"Participant name {name[:60]!r} is not allowed: use 3–40 letters, digits, spaces, "
            "'_', '-' or '.', starting with a letter or digit."
        )
    if looks_like_baseline(name):
        raise InvalidInputError(f"{name!r} looks like a baseline row: names that read as 'baseline' are "
                                "reserved for the kit's baselines.")
    return name


def self_registration_open(session: Session) -> tuple[bool, str | None]:
    """Whether visitors may register themselves, and the season deciding it (open when there is none)."""
    try:
        season = get_season(session)
    except NotFoundError:
        return True, None
    return bool(season.self_registration), season.name


def register(session: Session, name: str, *, moment: datetime | None = None) -> tuple[Participant, str]:
    """A visitor registers themselves, while the latest season allows it.

    Returns the participant with its token (the only time the token exists). `moment` is
    when they joined (now by default); a season does not count the days before it.
    """
    allowed, season = self_registration_open(session)
    if not allowed:
        raise RegistrationClosedError(f"Self-registration is turned off for {season}; ask the organizer to "
                                      "register you (with their --organizer-token).")
    return create_participant(session, name, moment=moment)


def register_by_organizer(session: Session, organizer_token: str | None, name: str) -> tuple[Participant, str]:
    """The organizer registers someone, whatever the season's self-registration flag says."""
    require_organizer(session, organizer_token)
    return create_participant(session, name)


def create_participant(session: Session, name: str, *, baseline: bool = False,
                       moment: datetime | None = None) -> tuple[Participant, str]:
    """Create a participant with no rule checked but the name's; `register` is the use case."""
    name = name.strip()
    if not baseline:
        validate_name(name)
    key = name_key(name)
    taken = session.scalar(select(Participant.name).where(Participant.name_key == key))
    if taken is not None:
        raise _taken(name, taken)
    if not baseline and session.scalar(select(Team.id).where(Team.name_key == key).limit(1)) is not None:
        raise ConflictError(f"{name!r} is, or looks like, a team's name. Pick another.")
    token = new_token("kit")
    participant = Participant(name=name, name_key=key, token_hash=hash_token(token), is_baseline=baseline,
                              created_at=moment or utcnow())
    try:
        with session.begin_nested():  # another process may take the name between the check and here
            session.add(participant)
            session.flush()
    except IntegrityError:
        raise _taken(name, None) from None
    return participant, token


def _taken(name: str, holder: str | None) -> ConflictError:
    like = f" (it looks like {holder!r})" if holder is not None and holder != name else ""
    return ConflictError(f"The name {name!r} is taken{like}: names that differ only in case, look-alike "
                         "letters or punctuation are the same name. Pick another.")


# Built once: every submission and API call authenticates.
_BY_TOKEN_HASH = select(Participant).where(Participant.token_hash == bindparam("token_hash"))


def authenticate(session: Session, token: str | None) -> Participant:
    """The participant a token (or a web sign-in's cookie, see web_sessions) belongs to."""
    if not token or not token.strip():
        raise AuthError("A participant token is needed: pass --token or set KIT_TOKEN (from `kit register`).")
    if is_web_session(token):
        participant = participant_of_web_session(session, token)
        if participant is None:
            raise AuthError("Your sign-in has ended or expired; sign in again with your name and token.")
        return participant
    participant = session.scalar(_BY_TOKEN_HASH, {"token_hash": hash_token(token)})
    if participant is None or not token_matches(token, participant.token_hash):
        raise AuthError("That token is not valid. Check it, or register with `kit register NAME`.")
    return participant


def sign_in(session: Session, name: str, token: str) -> Participant:
    """A participant's name and token, checked together (the web app's sign-in)."""
    if not name.strip():
        raise InvalidInputError("Enter your participant name.")
    participant = authenticate(session, token)
    if participant.name_key != name_key(name):
        raise AuthError("That name and token do not belong together. Check both and try again.")
    return participant


def get_participant(session: Session, name: str) -> Participant:
    participant = session.scalar(select(Participant).where(Participant.name_key == name_key(name)))
    if participant is None:
        raise NotFoundError(f"No participant named {name!r}.")
    return participant


def baseline_participant(session: Session, model: str) -> Participant:
    """The pseudo-participant that owns a baseline model's submissions."""
    name = f"baseline: {model}"
    participant = session.scalar(select(Participant).where(Participant.name_key == name_key(name)))
    if participant is None:
        try:
            with session.begin_nested():  # another process may create it at the same moment
                participant, _ = create_participant(session, name, baseline=True)
        except (IntegrityError, ConflictError):
            participant = session.scalars(select(Participant).where(Participant.name_key == name_key(name))).one()
    return participant
