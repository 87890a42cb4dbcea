"""New tokens for existing participants: the organizer resets a lost one, a participant rotates their own.

Either way the old token stops working at the moment the new one is stored (only its hash
is kept), and the new token exists only in the return value.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from kit.errors import AuthError, InvalidInputError
from kit.names import name_key
from kit.services.participants import authenticate, get_participant
from kit.store.models import Participant
from kit.store.organizer_token import is_organizer, require_organizer
from kit.store.web_sessions import end_participant_sessions
from kit.tokens import hash_token, new_token


def _replace_token(session: Session, participant: Participant) -> str:
    if participant.is_baseline:
        raise InvalidInputError(f"{participant.name!r} is a baseline; baselines have no token.")
    token = new_token("kit")
    participant.token_hash = hash_token(token)
    end_participant_sessions(session, participant)  # a browser signed in with the old token is signed out too
    session.flush()
    return token


def reset_token(session: Session, name: str, organizer_token: str | None) -> tuple[Participant, str]:
    """The organizer gives `name` a new token (they lost theirs); the old one is dead at once."""
    require_organizer(session, organizer_token)
    participant = get_participant(session, name)
    return participant, _replace_token(session, participant)


def rotate_token(session: Session, name: str, token: str | None) -> tuple[Participant, str]:
    """A participant replaces their own token (they fear it leaked)."""
    participant = authenticate(session, token)
    if participant.name_key != name_key(name):
        raise AuthError(f"That token belongs to another participant than {name!r}; "
                        "only the organizer may reset someone else's token.")
    return participant, _replace_token(session, participant)


def new_token_for(session: Session, name: str, token: str | None) -> tuple[Participant, str]:
    """The organizer's token resets anyone's; a participant's token rotates only its own."""
    if is_organizer(session, token):
        return reset_token(session, name, token)
    return rotate_token(session, name, token)
