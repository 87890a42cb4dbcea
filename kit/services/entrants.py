"""Who a submission ranks for: a team submits and ranks as one, a participant alone as themself."""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, bindparam
from sqlalchemy.orm import Session

from kit.season.teams import team_id_for
from kit.store.models import Challenge, Participant, Submission


def entrant_clause(team_id, participant_id) -> ColumnElement[bool]:
    """A team's submissions when `team_id` is given, else the participant's own outside any team;
    each argument a value or a bound parameter."""
    if team_id is not None:
        return Submission.team_id == team_id
    return and_(Submission.participant_id == participant_id, Submission.team_id.is_(None))


def bound_entrant(team: bool) -> ColumnElement[bool]:
    """`entrant_clause` with bound :team_id and :participant_id, for statements built once."""
    return entrant_clause(bindparam("team_id") if team else None, bindparam("participant_id"))


def entrant_filter(session: Session, challenge: Challenge, participant: Participant) -> ColumnElement[bool]:
    """The participant's submissions on this challenge, or their team's: a team submits as one."""
    return entrant_clause(team_id_for(session, challenge, participant), participant.id)
