"""Weekly awards: the organizer's note (swag, GPU credits) for a winner of a closed challenge."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from kit.challenge.lookup import get_challenge, is_closed
from kit.challenge.ranking import private_board
from kit.clock import utcnow
from kit.errors import InvalidInputError, NotRevealedError
from kit.season.standings import WINNER_PLACES
from kit.store.models import Award, Participant
from kit.text import clean_text

MAX_AWARD_CHARS = 500


def record_award(session: Session, slug: str, place: int, note: str, moment: datetime | None = None) -> Award:
    """Attach `note` to the participant at `place` on the closed challenge's private board."""
    now = moment or utcnow()
    challenge = get_challenge(session, slug)
    if not is_closed(challenge, now):
        raise NotRevealedError(f"{slug!r} is still open; its winners are known when it closes.")
    if not 1 <= place <= WINNER_PLACES:
        raise InvalidInputError(f"The place must be 1, 2 or 3, not {place}.")
    note = clean_text(note, what="award note", max_chars=MAX_AWARD_CHARS, allowed_controls="",
                      empty_message="An award note cannot be empty: say what the winner gets.")
    ranked = [row for row in private_board(session, challenge) if row.rank is not None]
    if len(ranked) < place:
        raise InvalidInputError(f"{slug!r} has {len(ranked)} ranked participant(s); there is no place {place}.")
    # A team's award is recorded for the member whose submission won it.
    winner = session.get_one(Participant, ranked[place - 1].participant_id)
    award = session.scalar(select(Award).where(Award.challenge_id == challenge.id, Award.place == place))
    if award is None:
        award = Award(challenge_id=challenge.id, place=place, participant_id=winner.id, note=note, created_at=now)
        session.add(award)
    else:
        award.participant_id, award.note, award.created_at = winner.id, note, now
    session.flush()
    return award
