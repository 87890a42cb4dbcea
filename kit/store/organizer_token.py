"""The organizer token: created by `kit init`, shown once, stored hashed."""

from __future__ import annotations

from sqlalchemy.orm import Session

from kit.errors import AuthError
from kit.store.models import KitSetting
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


def require_organizer(session: Session, token: str | None) -> None:
    """Every organizer action passes through here."""
    setting = session.get(KitSetting, ORGANIZER_KEY)
    if setting is None:
        raise AuthError("This workspace has no organizer token yet; run `kit init`.")
    if not token or not token_matches(token, setting.value):
        raise AuthError(
            "This is an organizer action: pass the organizer token printed by `kit init` "
            "with --organizer-token or the KIT_ORGANIZER_TOKEN variable."
        )
