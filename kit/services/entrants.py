"""Who a submission ranks for: a team submits and ranks as one, a participant alone as themself."""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_
from sqlalchemy.orm import Session

from kit.season.teams import team_id_for
from kit.store.models import Challenge, Participant, Submission


def entrant_filter(session: Session, challenge: Challenge, participant: Participant) -> ColumnElement[bool]:
    """The participant's submissions on this challenge, or their team's: a team submits as one."""
    team_id = team_id_for(session, challenge, participant)
    if team_id is not None:
        return Submission.team_id == team_id
    return and_(Submission.participant_id == participant.id, Submission.team_id.is_(None))
