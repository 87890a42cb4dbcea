"""The API application: FastAPI with the routers, the error format and the body cap.

`kit serve` mounts it under /api/v1 beside the web app; its schema is at
/api/v1/openapi.json and a docs page at /api/v1/docs.
"""

from __future__ import annotations

from fastapi import FastAPI

from kit.api.body_limit import BodyLimitMiddleware
from kit.api.errors import install_error_handlers
from kit.api.routes import challenges, honest, organizer, participants, seasons, submissions, teams
from kit.api.submit_pool import InProcessSubmitter, SubmitPool
from kit.services.sign_in_throttle import MAX_FAILURES_PER_CLIENT, SignInThrottle
from kit.store.workspace import Workspace

API_PREFIX = "/api/v1"
# JSON bodies hold names, notes and ids; the upload routes take at most a spec plus its data
# CSV (each lowers this to its own limit).
DEFAULT_MAX_BODY_BYTES = 64 * 1024
DEFAULT_MAX_UPLOAD_BYTES = 210 * 1024 * 1024


def create_api(workspace: Workspace, *, max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
               max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES,
               throttle: SignInThrottle | None = None, submit_pool: SubmitPool | None = None) -> FastAPI:
    """The API on `workspace`; submissions are graded in `submit_pool`'s processes when given, else
    in this process's threads."""
    api = FastAPI(
        title="Challenge kit API",
        version="1",
        summary="Challenges, submissions and leaderboards of a challenge-kit server.",
        description="Send `Authorization: Bearer <token>` where a route needs a participant or the organizer. "
                    'Errors are JSON: `{"error": code, "message": text}`.',
        openapi_url="/openapi.json", docs_url="/docs", redoc_url=None,
    )
    api.state.workspace = workspace
    api.state.throttle = throttle or SignInThrottle(MAX_FAILURES_PER_CLIENT)
    api.state.submitter = submit_pool or InProcessSubmitter(workspace)
    install_error_handlers(api)
    for module in (challenges, submissions, honest, participants, seasons, teams, organizer):
        api.include_router(module.router)
    api.add_middleware(BodyLimitMiddleware, max_bytes=max_body_bytes, max_upload_bytes=max_upload_bytes)
    return api
