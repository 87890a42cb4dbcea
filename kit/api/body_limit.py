"""Request bodies are capped before they are read.

A declared `Content-Length` over the cap is answered 413 at once, without reading a byte
of the body; a body without one (chunked) is counted as it streams in and refused the
moment it passes the cap. JSON bodies (names, notes, ids) are small; only the upload
routes take files, and each lowers the cap to its own limit (a challenge's file limit)
through `lower_body_limit` before it reads the body.
"""

from __future__ import annotations

import json
import re

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kit.api.errors import ApiError

LIMIT_KEY = "kit_body_limit"
# POST routes that take files (paths inside /api/v1): a submission, a baseline, a new challenge.
UPLOAD_ROUTES = re.compile(r"^/challenges(/[^/]+/(submissions|baselines))?/?$")


def too_large(limit: int) -> ApiError:
    return ApiError(413, "too_large", f"The request body is larger than this route accepts ({limit:,} bytes at most).")


def lower_body_limit(request: Request, limit: int) -> None:
    """Refuse now if the declared length is over `limit`; cap the streamed body at `limit` too."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise too_large(limit)
    current = request.scope.get(LIMIT_KEY)
    request.scope[LIMIT_KEY] = min(limit, current) if current else limit


def route_path(scope: Scope) -> str:
    """The path inside the mounted API (without /api/v1)."""
    path, root = scope["path"], scope.get("root_path", "")
    return path[len(root):] if root and path.startswith(root) else path


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, max_bytes: int, max_upload_bytes: int):
        self.app, self.max_bytes, self.max_upload_bytes = app, max_bytes, max_upload_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        upload = scope["method"] == "POST" and UPLOAD_ROUTES.match(route_path(scope))
        limit = scope[LIMIT_KEY] = self.max_upload_bytes if upload else self.max_bytes
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await self._refuse(send, limit)
            return
        received = 0

        async def capped_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > scope[LIMIT_KEY]:
                    raise too_large(scope[LIMIT_KEY])
            return message

        await self.app(scope, capped_receive, send)

    async def _refuse(self, send: Send, limit: int) -> None:
        body = json.dumps({"error": "too_large", "message": str(too_large(limit))}).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})
