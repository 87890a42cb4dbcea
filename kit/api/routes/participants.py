"""Participants: registering (the token, once), new tokens (reset or rotate), who am I."""

from __future__ import annotations

from fastapi import APIRouter, Request

from kit.api.deps import AnyToken, ParticipantToken, WorkspaceDep, bearer_token
from kit.api.models import IssuedToken, Me, RegistrationRequest, error_responses
from kit.services.participants import authenticate, register, register_by_organizer
from kit.services.token_resets import new_token_for

router = APIRouter(tags=["participants"])
ERRORS = error_responses(400, 401, 403, 404, 409, 429)


@router.post("/participants", status_code=201, response_model=IssuedToken, responses=ERRORS)
def create_participant(body: RegistrationRequest, request: Request, ws: WorkspaceDep) -> IssuedToken:
    """Register: the token is in this response and nowhere else. Open to anyone while the season allows
    self-registration; with the organizer's token as bearer, always."""
    with ws.session(write=True) as session:
        token = bearer_token(request)
        if token is None:
            participant, issued = register(session, body.name)
        else:
            participant, issued = register_by_organizer(session, token, body.name)
        return IssuedToken(name=participant.name, token=issued)


@router.post("/participants/{name}/token", response_model=IssuedToken, responses=ERRORS)
def new_token(name: str, ws: WorkspaceDep, token: AnyToken) -> IssuedToken:
    """A new token for `name`: the organizer resets anyone's, a participant rotates their own.
    The old token stops working at once."""
    with ws.session(write=True) as session:
        participant, issued = new_token_for(session, name, token)
        return IssuedToken(name=participant.name, token=issued)


@router.get("/me", response_model=Me, responses=ERRORS)
def me(ws: WorkspaceDep, token: ParticipantToken) -> Me:
    """Whose token this is (a quick check that a token works)."""
    with ws.session() as session:
        return Me(name=authenticate(session, token).name)
