"""The server's JSON errors turned back into the kit's own exceptions, with the server's message.

The CLI reports a KitError the same way whichever side raised it, so a refusal reads (and
exits) the same in local and in remote mode.
"""

from __future__ import annotations

from kit.errors import (
    AuthError,
    ConflictError,
    FileTooLargeError,
    InvalidInputError,
    KitError,
    NotFoundError,
    ServerError,
    error_class_for,
)

# HTTP status → the class to use when the server's error code is not one this kit knows.
ERROR_BY_STATUS: dict[int, type[KitError]] = {
    400: InvalidInputError,
    401: AuthError,
    403: AuthError,
    404: NotFoundError,
    409: ConflictError,
    413: FileTooLargeError,
}


def error_from_response(status: int, body: object, retry_after: str | None = None) -> KitError:
    """The KitError that matches an error answer (by its `error` code); `body` is its decoded JSON (or None)."""
    message = body.get("message") if isinstance(body, dict) else None
    if not isinstance(message, str) or not message:
        return ServerError(f"The server answered HTTP {status} without the API's error body; "
                           "check that KIT_SERVER points at a `kit serve` address.")
    if status >= 500:
        return ServerError(f"The server failed: {message}")
    code = body.get("error") if isinstance(body, dict) else None
    cls = (error_class_for(code) if isinstance(code, str) else None) or ERROR_BY_STATUS.get(status, KitError)
    error = cls(message)
    if retry_after and retry_after.isdigit():
        error.retry_after = int(retry_after)
    return error
