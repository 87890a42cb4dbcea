"""Turning a service's refusal into an HTTP status and `{"error": code, "message": text}`.

The service decides what is wrong (its exception class); this table only says how HTTP
spells it. Classes are looked up along the exception's MRO, so a subclass added in
`kit.errors` answers with its parent's status until it gets a row of its own.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from kit.clock import utcnow
from kit.errors import (
    AttemptLimitError,
    AuthError,
    BaselineRunError,
    BusyError,
    ChallengeClosedError,
    ChallengeNotOpenError,
    ConflictError,
    DailyLimitError,
    DatasetError,
    FileTooLargeError,
    InvalidInputError,
    KitError,
    NotFoundError,
    NotRevealedError,
    OutsideSeasonError,
    RegistrationClosedError,
    SpecError,
    TeamRuleError,
    TooManySignInsError,
    WorkspaceError,
)

# How HTTP spells each kind of refusal; the error code is the class's own `code`.
STATUS_BY_ERROR: dict[type[KitError], int] = {
    AuthError: 401,
    RegistrationClosedError: 403,
    NotRevealedError: 403,
    NotFoundError: 404,
    ConflictError: 409,
    ChallengeNotOpenError: 409,
    ChallengeClosedError: 409,
    OutsideSeasonError: 409,
    TeamRuleError: 409,
    FileTooLargeError: 413,
    BusyError: 503,
    DailyLimitError: 429,
    AttemptLimitError: 429,
    TooManySignInsError: 429,
    InvalidInputError: 400,
    SpecError: 400,
    DatasetError: 400,
    BaselineRunError: 400,
    WorkspaceError: 500,
    KitError: 400,
}
# Limits that reset with the UTC day tell the client when to come back.
RESETS_AT_UTC_MIDNIGHT = {DailyLimitError.code, AttemptLimitError.code}


class ApiError(Exception):
    """A refusal decided at the HTTP layer itself (a missing header, a body too large)."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers or {}


def error_response(status: int, code: str, message: str, headers: dict[str, str] | None = None,
                   **extra) -> JSONResponse:
    return JSONResponse({"error": code, "message": message, **extra}, status_code=status, headers=headers)


def status_of(error: KitError) -> tuple[int, str]:
    """(HTTP status, error code): the nearest class in the table along the exception's MRO."""
    status = next(STATUS_BY_ERROR[cls] for cls in type(error).__mro__ if cls in STATUS_BY_ERROR)
    return status, error.code


def seconds_until_utc_midnight() -> int:
    now = utcnow()
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    return max(1, int(86400 - (now - midnight).total_seconds()))


def kit_error_handler(_request: Request, error: KitError) -> JSONResponse:
    status, code = status_of(error)
    headers = {}
    if code in RESETS_AT_UTC_MIDNIGHT:
        headers["Retry-After"] = str(seconds_until_utc_midnight())
    retry_after = getattr(error, "retry_after", None)
    if retry_after:
        headers["Retry-After"] = str(int(retry_after))
    if status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    return error_response(status, code, str(error), headers)


def api_error_handler(_request: Request, error: ApiError) -> JSONResponse:
    return error_response(error.status, error.code, error.message, error.headers)


def validation_error_handler(_request: Request, error: RequestValidationError) -> JSONResponse:
    # pydantic's own words, without echoing the input (it may be a token or a file).
    problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'] if p != 'body') or 'body'}: {e['msg']}"
                         for e in error.errors())
    return error_response(400, "invalid", f"The request is not valid: {problems}.")


def http_error_handler(_request: Request, error: StarletteHTTPException) -> JSONResponse:
    codes = {404: "not_found", 405: "method_not_allowed", 413: "too_large"}
    message = error.detail if isinstance(error.detail, str) else "The request cannot be served."
    if error.status_code == 404:
        message = "No such API route; see /api/v1/docs."
    return error_response(error.status_code, codes.get(error.status_code, "http_error"), message,
                          dict(error.headers or {}))


def install_error_handlers(app) -> None:
    app.add_exception_handler(KitError, kit_error_handler)
    app.add_exception_handler(ApiError, api_error_handler)
    app.add_exception_handler(RequestValidationError, validation_error_handler)
    app.add_exception_handler(StarletteHTTPException, http_error_handler)
