"""Challenges as anyone sees them: the list, one challenge, its bundle files, its leaderboard."""

from __future__ import annotations

import io
import zipfile
from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import Response

from kit.api.deps import WorkspaceDep
from kit.api.models import (
    BundleFile,
    ChallengeDetail,
    ChallengeSummary,
    Leaderboard,
    LeaderboardRow,
    error_responses,
)
from kit.challenge.bundle import BUNDLE_FILES, bundle_file, bundle_files, bundle_manifest, bundle_sha256
from kit.challenge.lookup import challenge_status, get_challenge, list_challenges
from kit.challenge.metric_of import challenge_metric
from kit.challenge.submission_format import submission_header
from kit.errors import NotFoundError
from kit.services.boards import leaderboard as honest_board
from kit.services.exports import board_csv
from kit.store.models import Challenge

router = APIRouter(tags=["challenges"])
NOT_FOUND = error_responses(404)


def summary_fields(challenge: Challenge) -> dict:
    return dict(
        slug=challenge.slug, title=challenge.title, season=challenge.season.slug if challenge.season else None,
        week=challenge.week, status=challenge_status(challenge), opens_at=challenge.opens_at,
        closes_at=challenge.closes_at, task=challenge.task, metric=challenge.metric,
        higher_is_better=challenge_metric(challenge).higher_is_better,
        decimals=challenge_metric(challenge).decimals, daily_limit=challenge.daily_limit,
        final_selections=challenge.final_selections, max_file_bytes=challenge.max_file_bytes,
        closed_at=challenge.closed_at, source=challenge.source, target=challenge.target,
        id_column=challenge.id_column, classes=challenge.classes, image_shape=challenge.image_shape,
        submission_header=submission_header(challenge), train_rows=challenge.train_rows,
        test_rows=challenge.test_rows,
    )


@router.get("/challenges", response_model=list[ChallengeSummary])
def challenges(ws: WorkspaceDep) -> list[ChallengeSummary]:
    with ws.session() as session:
        return [ChallengeSummary(**summary_fields(c)) for c in list_challenges(session)]


@router.get("/challenges/{slug}", response_model=ChallengeDetail, responses=NOT_FOUND)
def challenge(slug: str, ws: WorkspaceDep, request: Request) -> ChallengeDetail:
    with ws.session() as session:
        found = get_challenge(session, slug)
        files = [BundleFile(name=entry.name, size=entry.size,
                            url=str(request.url_for("bundle_file", slug=slug, name=entry.name).path))
                 for entry in bundle_manifest(session, found)]
        return ChallengeDetail(**summary_fields(found), description=found.description, files=files,
                               bundle_sha256=bundle_sha256(session, found))


# files.zip is declared before files/{name} so that the literal path wins.
@router.get("/challenges/{slug}/files.zip", responses={**NOT_FOUND, 200: {"content": {"application/zip": {}}}},
            response_class=Response)
def bundle_zip(slug: str, ws: WorkspaceDep) -> Response:
    with ws.session() as session:
        files = bundle_files(session, get_challenge(session, slug))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(f"{slug}/{name}", content)
    return Response(buffer.getvalue(), media_type="application/zip",
                    headers={"Content-Disposition": f'attachment; filename="{slug}.zip"'})


@router.get("/challenges/{slug}/files/{name}", name="bundle_file", response_class=Response,
            responses={**NOT_FOUND, 200: {"content": {"text/csv": {}, "text/markdown": {}}}})
def bundle_file_route(slug: str, name: str, ws: WorkspaceDep) -> Response:
    if name not in BUNDLE_FILES:  # the solution and anything else is simply not a bundle file
        raise NotFoundError(f"{name!r} is not a bundle file; the bundle has {', '.join(BUNDLE_FILES)}.")
    with ws.session() as session:
        content = bundle_file(session, get_challenge(session, slug), name)
    media = "text/markdown" if name.endswith(".md") else "text/csv"
    return Response(content, media_type=f"{media}; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def wants_csv(request: Request, format: str | None) -> bool:
    if format is not None:
        return format == "csv"
    return "text/csv" in request.headers.get("accept", "")


@router.get("/challenges/{slug}/leaderboard", response_model=Leaderboard,
            responses={**NOT_FOUND, **error_responses(403), 200: {"content": {"text/csv": {}}}})
def leaderboard(slug: str, ws: WorkspaceDep, request: Request, board: Literal["public", "private"] = "public",
                format: Literal["json", "csv"] | None = None):
    """The public board; `?board=private` once the challenge is closed. CSV with `Accept: text/csv` or `?format=csv`."""
    private = board == "private"
    with ws.session() as session:
        found = honest_board(session, slug, private=private)
    if wants_csv(request, format):
        return Response(board_csv(found.rows, private=private, decimals=found.rounding),
                        media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{slug}-{board}.csv"'})
    return Leaderboard(challenge=slug, title=found.title, board=board, metric=found.metric,
                       higher_is_better=found.direction == "higher", decimals=found.decimals, mode=found.mode,
                       rows=[LeaderboardRow(**{key: value for key, value in record.items() if key not in ("team", "members")})
                             for record in found.records()])
