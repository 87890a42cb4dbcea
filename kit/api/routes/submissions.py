"""A participant's submissions: upload one, list their own, pick their finals."""

from __future__ import annotations

import time

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from kit.api.body_limit import lower_body_limit
from kit.api.deps import ParticipantToken, WorkspaceDep
from kit.api.errors import ApiError, error_response
from kit.api.models import (
    Finals,
    FinalsRequest,
    OwnSubmission,
    OwnSubmissions,
    SubmissionCreated,
    error_responses,
)
from kit.challenge.lookup import get_challenge
from kit.errors import NotFoundError
from kit.services.own_submissions import my_submissions, select_finals
from kit.services.participants import authenticate

router = APIRouter(tags=["submissions"])

# Room for the multipart framing and the message around the file itself.
MULTIPART_OVERHEAD_BYTES = 64 * 1024
ERRORS = error_responses(400, 401, 404, 409, 413, 429)
UPLOAD_BODY = {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file"],
    "properties": {"file": {"type": "string", "format": "binary", "description": "The submission CSV."},
                   "message": {"type": "string", "description": "What you tried (optional, ≤ 500 characters)."}},
}}}}}


# A challenge's file cap, kept a few seconds per database and slug: it only lets the server refuse an
# oversized body before reading it; the submission service checks the file's size itself.
_LIMIT_SECONDS = 5.0
_limits: dict[tuple[str, str], tuple[int, float]] = {}


def _challenge_limit(ws, slug: str) -> int:
    key = (ws.settings.database_url, slug)
    cached = _limits.get(key)
    if cached is not None and cached[1] > time.monotonic():
        return cached[0]
    with ws.session() as session:
        limit = get_challenge(session, slug).max_file_bytes  # an unknown slug: 404, never cached
    if len(_limits) > 1000:
        _limits.clear()
    _limits[key] = (limit, time.monotonic() + _LIMIT_SECONDS)
    return limit


@router.post("/challenges/{slug}/submissions", status_code=201, response_model=SubmissionCreated,
             responses=ERRORS, openapi_extra=UPLOAD_BODY)
async def create_submission(slug: str, request: Request, ws: WorkspaceDep, token: ParticipantToken):
    """Upload a submission CSV: 201 with its public score, or 400 with the grader's own message."""
    max_bytes = await run_in_threadpool(_challenge_limit, ws, slug)
    lower_body_limit(request, max_bytes + MULTIPART_OVERHEAD_BYTES)  # before a byte of the body is read
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise ApiError(400, "invalid", "Send the file as multipart/form-data with a `file` field "
                       "(curl -F file=@submission.csv).")
    async with request.form(max_files=1, max_fields=2, max_part_size=64 * 1024) as form:
        upload, message = form.get("file"), form.get("message") or ""
        if not isinstance(upload, UploadFile):
            raise ApiError(400, "invalid", "The form has no `file` field; send the CSV as `file`.")
        if not isinstance(message, str):
            raise ApiError(400, "invalid", "The `message` field must be text.")
        content = await upload.read()
        filename = upload.filename or "submission.csv"
    reply = await request.app.state.submitter.submit(slug=slug, token=token, content=content, filename=filename,
                                                     message=message)
    if not reply.scored:  # stored as an attempt; the grader's words
        return error_response(400, "rejected", reply.error or "The submission was rejected.", submission_id=reply.id,
                              reason=reply.error_code)  # the grader's stable code, e.g. "row_count"
    body = SubmissionCreated(id=reply.id, challenge=slug, filename=reply.filename, status="scored",
                             public_score=reply.public_score, public_low=reply.public_low,
                             public_high=reply.public_high, decimals=reply.decimals, rank=reply.rank,
                             left_today=reply.left_today, submitted_at=reply.submitted_at, ladder=reply.ladder,
                             ladder_moved=reply.ladder_moved, comparison=reply.comparison)
    return JSONResponse(body.model_dump(mode="json"), status_code=201,
                        headers={"Location": f"{request.url.path}/{reply.id}"})


def own_submission(s) -> OwnSubmission:
    return OwnSubmission(id=s.id, submitted_at=s.submitted_at, filename=s.filename, message=s.message, status=s.status,
                         error=s.error, public_score=s.public_score, private_score=s.private_score, selected=s.selected,
                         public_low=s.public_low, public_high=s.public_high, private_low=s.private_low,
                         private_high=s.private_high, ladder_step=s.ladder_step)


@router.get("/challenges/{slug}/submissions", response_model=OwnSubmissions, responses=ERRORS)
def list_own_submissions(slug: str, ws: WorkspaceDep, token: ParticipantToken) -> OwnSubmissions:
    """Your own submissions, oldest first; private scores stay null until the challenge closes."""
    with ws.session() as session:
        participant = authenticate(session, token)
        history = my_submissions(session, slug=slug, participant=participant)
        rows = [own_submission(s) for s in history.submissions]
        return OwnSubmissions(challenge=slug, participant=participant.name, closed=history.closed,
                              scored_today=history.scored_today, attempts_today=history.attempts_today,
                              decimals=history.decimals, submissions=rows)


@router.get("/challenges/{slug}/submissions/{submission_id}", response_model=OwnSubmission, responses=ERRORS)
def get_own_submission(slug: str, submission_id: int, ws: WorkspaceDep, token: ParticipantToken) -> OwnSubmission:
    """One of your own submissions (the 201's Location); someone else's is simply not found."""
    with ws.session() as session:
        participant = authenticate(session, token)
        history = my_submissions(session, slug=slug, participant=participant)
        found = next((s for s in history.submissions if s.id == submission_id), None)
        if found is None:
            raise NotFoundError(f"You have no submission {submission_id} on {slug!r} (see `kit submissions {slug}`).")
        return own_submission(found)


@router.put("/challenges/{slug}/finals", response_model=Finals, responses=ERRORS)
def put_finals(slug: str, body: FinalsRequest, ws: WorkspaceDep, token: ParticipantToken) -> Finals:
    """Pick the submissions that count on the private board (replacing any earlier pick)."""
    with ws.session(write=True) as session:
        participant = authenticate(session, token)
        chosen = select_finals(session, slug=slug, participant=participant, submission_ids=body.submission_ids)
        return Finals(challenge=slug, selected=[s.id for s in chosen])
