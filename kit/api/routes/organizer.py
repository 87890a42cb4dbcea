"""Organizer routes, behind the organizer token: add and close challenges, baselines, awards, exports."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from kit.api.body_limit import lower_body_limit
from kit.api.deps import OrganizerToken, WorkspaceDep
from kit.api.errors import ApiError, error_response
from kit.api.models import AwardOut, AwardRequest, ChallengeSummary, SubmissionCreated, error_responses
from kit.api.routes.challenges import summary_fields
from kit.challenge.lookup import get_challenge
from kit.season.awards import record_award
from kit.services.boards import challenge_board
from kit.services.challenge_uploads import MAX_DATA_BYTES, MAX_SPEC_BYTES, add_challenge_from_upload
from kit.services.challenges import close_challenge
from kit.services.exports import board_csv, submissions_zip
from kit.services.submissions import submit_baseline
from kit.store.models import SubmissionStatus

router = APIRouter(tags=["organizer"])
ERRORS = error_responses(400, 401, 403, 404, 409, 413)
MULTIPART_OVERHEAD_BYTES = 64 * 1024


def _file_body(fields: dict[str, str]) -> dict:
    return {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
        "type": "object", "properties": {name: {"type": "string", "format": "binary", "description": text}
                                         for name, text in fields.items()}}}}}}


async def _read_form(request: Request, limit: int, names: tuple[str, ...]) -> dict[str, tuple[str, bytes] | str]:
    lower_body_limit(request, limit)
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise ApiError(400, "invalid", "Send multipart/form-data (curl -F name=@file).")
    found: dict[str, tuple[str, bytes] | str] = {}
    async with request.form(max_files=len(names), max_fields=len(names)) as form:
        for name in names:
            value = form.get(name)
            if isinstance(value, UploadFile):
                found[name] = (value.filename or name, await value.read())
            elif isinstance(value, str):
                found[name] = value
    return found


def _summary(ws, slug: str) -> ChallengeSummary:
    with ws.session() as session:
        return ChallengeSummary(**summary_fields(get_challenge(session, slug)))


@router.post("/challenges", status_code=201, response_model=ChallengeSummary, responses=ERRORS,
             openapi_extra=_file_body({"spec": "The challenge spec (TOML).",
                                       "data": "The CSV a `csv:` source reads (optional)."}))
async def add_challenge(request: Request, ws: WorkspaceDep, token: OrganizerToken):
    """Build and store a challenge from its spec (and data)."""
    form = await _read_form(request, MAX_SPEC_BYTES + MAX_DATA_BYTES + MULTIPART_OVERHEAD_BYTES, ("spec", "data"))
    spec = form.get("spec")
    if spec is None:
        raise ApiError(400, "invalid", "The form has no `spec` field; send the spec TOML as `spec`.")
    spec_bytes = spec[1] if isinstance(spec, tuple) else spec.encode()
    data = form.get("data")
    data_bytes = data[1] if isinstance(data, tuple) else None
    slug = await run_in_threadpool(add_challenge_from_upload, ws, organizer_token=token, spec_bytes=spec_bytes,
                                   data_bytes=data_bytes)
    summary = await run_in_threadpool(_summary, ws, slug)
    return JSONResponse(summary.model_dump(mode="json"), status_code=201)


@router.post("/challenges/{slug}/close", response_model=ChallengeSummary, responses=ERRORS)
def close(slug: str, ws: WorkspaceDep, token: OrganizerToken) -> ChallengeSummary:
    """Close now: no more submissions, and the private board is revealed."""
    with ws.session(write=True) as session:
        return ChallengeSummary(**summary_fields(close_challenge(session, slug)))


@router.post("/challenges/{slug}/baselines", status_code=201, response_model=SubmissionCreated, responses=ERRORS,
             openapi_extra=_file_body({"file": "The baseline's predictions (CSV).", "model": "The baseline's name."}))
async def add_baseline(slug: str, request: Request, ws: WorkspaceDep, token: OrganizerToken):
    """Put a baseline row on the board (shown with a badge, never ranked)."""
    with ws.session() as session:
        limit = get_challenge(session, slug).max_file_bytes
    form = await _read_form(request, limit + MULTIPART_OVERHEAD_BYTES, ("file", "model"))
    upload, model = form.get("file"), form.get("model")
    if not isinstance(upload, tuple) or not isinstance(model, str) or not model.strip():
        raise ApiError(400, "invalid", "Send the predictions as `file` and the baseline's name as `model`.")
    outcome = await run_in_threadpool(submit_baseline, ws, organizer_token=token, slug=slug, model=model.strip(),
                                      content=upload[1], filename=upload[0])
    row = outcome.submission
    if row.status != SubmissionStatus.SCORED or row.public_score is None:
        return error_response(400, "rejected", row.error or "The submission was rejected.", submission_id=row.id)
    body = SubmissionCreated(id=row.id, challenge=slug, filename=row.filename, status="scored",
                             public_score=row.public_score, rank=None, left_today=outcome.left_today,
                             submitted_at=row.created_at)
    return JSONResponse(body.model_dump(mode="json"), status_code=201)


@router.put("/challenges/{slug}/awards/{place}", response_model=AwardOut, responses=ERRORS)
def award(slug: str, place: int, body: AwardRequest, ws: WorkspaceDep, token: OrganizerToken) -> AwardOut:
    """The organizer's note (swag, GPU credits) for place 1–3 of a closed challenge."""
    with ws.session(write=True) as session:
        recorded = record_award(session, slug, place, body.note)
        return AwardOut(challenge=slug, place=recorded.place, participant=recorded.participant.name,
                        note=recorded.note)


@router.get("/challenges/{slug}/exports/leaderboard.csv", response_class=Response, responses=ERRORS)
def export_board(slug: str, ws: WorkspaceDep, token: OrganizerToken,
                 board: Literal["public", "private"] = "public") -> Response:
    private = board == "private"
    with ws.session() as session:
        _, rows = challenge_board(session, slug, private=private)
        text = board_csv(rows, private=private)
    return Response(text, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{slug}-{board}.csv"'})


@router.get("/challenges/{slug}/exports/submissions.zip", response_class=Response, responses=ERRORS)
def export_submissions(slug: str, ws: WorkspaceDep, token: OrganizerToken) -> Response:
    """Every submission's bytes plus index.csv."""
    with ws.session() as session:
        content = submissions_zip(session, slug, token)
    return Response(content, media_type="application/zip",
                    headers={"Content-Disposition": f'attachment; filename="{slug}-submissions.zip"'})
