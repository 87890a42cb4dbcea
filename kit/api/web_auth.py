"""The web app's lasting sign-in: POST /auth/sign-in and /auth/sign-out set and clear a
participant's cookie, /auth/organizer/sign-in and /auth/organizer/sign-out the organizer's.

Streamlit cannot set an HttpOnly cookie, so the pages post plain HTML forms here; the
pages then read the cookies through `st.context.cookies`. Each cookie is HttpOnly,
SameSite=Lax, Secure over HTTPS, and holds a signed session key, never a token.
Wrong tokens count against one throttle: per client and name, the organizer being one name.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Hashable
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from kit.api.errors import status_of
from kit.errors import AuthError, InvalidInputError, KitError
from kit.services.participants import sign_in
from kit.services.sign_in_throttle import SignInThrottle
from kit.store.organizer_token import organizer_sign_in, organizer_sign_out
from kit.store.web_sessions import COOKIE_NAME, ORGANIZER_COOKIE_NAME, end_web_session, start_web_session
from kit.store.workspace import Workspace

MAX_FORM_BYTES = 16 * 1024


def safe_next(target: str | None) -> str:
    """Only a path on this server (no scheme, no host): a sign-in cannot redirect elsewhere."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else "/"


def same_origin(request: Request) -> bool:
    """Browsers send Origin on form posts; one from another site is a forged sign-in (login CSRF)."""
    origin = request.headers.get("origin")
    if origin is None or origin == "null":
        return origin is None
    return urlsplit(origin).netloc == request.headers.get("host")


async def read_form(request: Request) -> dict[str, str]:
    """A small urlencoded form, refused before reading when it says it is larger than a sign-in form."""
    declared = request.headers.get("content-length")
    if declared is None or not declared.isdigit() or int(declared) > MAX_FORM_BYTES:
        raise InvalidInputError("A sign-in form is small; this request is too large or has no length.")
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM_BYTES:
            raise InvalidInputError("A sign-in form is small; this request is too large.")
    fields = parse_qs(body.decode("utf-8", errors="replace"), max_num_fields=10)
    return {key: values[0] for key, values in fields.items()}


def refusal(error: KitError, back: str) -> HTMLResponse:
    status = status_of(error)[0]
    headers = {"Retry-After": str(error.retry_after)} if getattr(error, "retry_after", None) else None
    page = (f"<!doctype html><title>Sign-in refused</title><p>{html.escape(str(error))}</p>"
            f'<p><a href="{html.escape(back)}">Back</a></p>')
    return HTMLResponse(page, status_code=status, headers=headers)


def set_session_cookie(response: Response, request: Request, name: str, value: str, lifetime: timedelta) -> None:
    response.set_cookie(name, value, max_age=int(lifetime.total_seconds()), path="/", httponly=True,
                        samesite="lax", secure=request.url.scheme == "https")


Form = dict[str, str]


def auth_routes(workspace: Workspace, throttle: SignInThrottle, lifetime: timedelta) -> list[Route]:
    """Sign-in and sign-out for participants (name and token) and for the organizer (the organizer token)."""

    def participant_cookie(form: Form) -> str:
        with workspace.session(write=True) as session:
            name, token = form.get("participant", "").strip(), form.get("token", "").strip()
            return start_web_session(session, sign_in(session, name, token), lifetime)

    def organizer_cookie(form: Form) -> str:
        with workspace.session(write=True) as session:
            return organizer_sign_in(session, form.get("token", "").strip(), lifetime)

    def end_participant(cookie: str | None) -> None:
        with workspace.session(write=True) as session:
            end_web_session(session, cookie)

    def end_organizer(cookie: str | None) -> None:
        with workspace.session(write=True) as session:
            organizer_sign_out(session, cookie)

    def sign_in_route(cookie_name: str, start: Callable[[Form], str], throttle_key: Callable[[Form, str], Hashable]):
        async def route(request: Request) -> Response:
            try:
                form = await read_form(request)
            except KitError as error:
                return refusal(error, "/")
            back = safe_next(form.get("next"))
            if not same_origin(request):
                return HTMLResponse("Sign-in forms are accepted only from this site.", status_code=403)
            client = request.client.host if request.client else "unknown"
            keys = (throttle_key(form, client),)
            try:
                throttle.check(*keys)
                cookie = await run_in_threadpool(start, form)
            except AuthError as error:
                throttle.failed(*keys)
                return refusal(error, back)
            except KitError as error:
                return refusal(error, back)
            throttle.succeeded(*keys)
            response = RedirectResponse(back, status_code=303)
            set_session_cookie(response, request, cookie_name, cookie, lifetime)
            return response
        return route

    def sign_out_route(cookie_name: str, end: Callable[[str | None], None]):
        async def route(request: Request) -> Response:
            try:
                form = await read_form(request)
            except KitError:
                form = {}
            if not same_origin(request):  # another site cannot sign a visitor out either
                return HTMLResponse("Sign-out forms are accepted only from this site.", status_code=403)
            await run_in_threadpool(end, request.cookies.get(cookie_name))
            response = RedirectResponse(safe_next(form.get("next")), status_code=303)
            response.delete_cookie(cookie_name, path="/", httponly=True, samesite="lax")
            return response
        return route

    # Failures count per client and name (the API counts per client); the organizer is one more name.
    def per_name(form: Form, client: str) -> Hashable:
        return ("client-name", client, form.get("participant", "").strip().lower())

    def per_organizer(form: Form, client: str) -> Hashable:
        return ("client-organizer", client)

    return [Route("/auth/sign-in", sign_in_route(COOKIE_NAME, participant_cookie, per_name), methods=["POST"]),
            Route("/auth/sign-out", sign_out_route(COOKIE_NAME, end_participant), methods=["POST"]),
            Route("/auth/organizer/sign-in", sign_in_route(ORGANIZER_COOKIE_NAME, organizer_cookie, per_organizer),
                  methods=["POST"]),
            Route("/auth/organizer/sign-out", sign_out_route(ORGANIZER_COOKIE_NAME, end_organizer), methods=["POST"])]
