"""What routes need from a request: the workspace, and the bearer token checked (and throttled).

A route gets the token string, not a participant: the service it calls authenticates again
inside its own transaction. Checking here first lets failed sign-ins be counted per client.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from kit.api.errors import ApiError
from kit.errors import AuthError
from kit.services.participants import authenticate
from kit.services.sign_in_throttle import SignInThrottle
from kit.store.organizer_token import is_organizer
from kit.store.workspace import Workspace


def workspace(request: Request) -> Workspace:
    return request.app.state.workspace


def throttle(request: Request) -> SignInThrottle:
    return request.app.state.throttle


def client_key(request: Request) -> tuple[str, str]:
    return ("client", request.client.host if request.client else "unknown")


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


def _require_bearer(request: Request) -> str:
    token = bearer_token(request)
    if token is None:
        raise ApiError(401, "unauthorized", "This route needs your token: send `Authorization: Bearer <token>` "
                       "(the token from registration).", {"WWW-Authenticate": "Bearer"})
    return token


def _checked_bearer(request: Request, *, organizer_ok: bool, refusal: str | None = None) -> tuple[str, bool]:
    """(token, whether it is the organizer's): the organizer's token (when `organizer_ok`) or a
    participant's valid one; a wrong one counts against this client's sign-in budget and is
    refused with `refusal` (or the service's own message)."""
    token = _require_bearer(request)
    guard, key = throttle(request), client_key(request)
    guard.check(key)
    with workspace(request).session() as session:
        if organizer_ok and is_organizer(session, token):
            return token, True
        try:
            authenticate(session, token)
        except AuthError:
            guard.failed(key)
            if refusal is not None:
                raise AuthError(refusal) from None
            raise
    return token, False


def participant_token(request: Request) -> str:
    """A participant's valid token."""
    return _checked_bearer(request, organizer_ok=False)[0]


def any_token(request: Request) -> str:
    """The organizer's or a participant's valid token (routes that serve both)."""
    return _checked_bearer(request, organizer_ok=True)[0]


def organizer_token(request: Request) -> str:
    """The organizer's token: a participant's token gets 403, anything else 401."""
    token, is_organizer = _checked_bearer(
        request, organizer_ok=True, refusal="This is an organizer route: send the organizer token printed by `kit init`.")
    if is_organizer:
        return token
    raise ApiError(403, "forbidden", "This is an organizer route; a participant's token cannot use it.")


WorkspaceDep = Annotated[Workspace, Depends(workspace)]
ParticipantToken = Annotated[str, Depends(participant_token)]
AnyToken = Annotated[str, Depends(any_token)]
OrganizerToken = Annotated[str, Depends(organizer_token)]
