"""Exports for organizers and spreadsheets: leaderboards as CSV, every submission as a zip.

Text that a spreadsheet would run as a formula is neutralised in both."""

from __future__ import annotations

import csv
import io
import math
import re
import zipfile

from sqlalchemy import select
from sqlalchemy.orm import Session, undefer

from kit.challenge.lookup import get_challenge
from kit.store.models import Participant, Submission
from kit.store.organizer_token import require_organizer

# A cell starting with one of these is run as a formula by spreadsheet programs.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """Prefix text that a spreadsheet would take for a formula with a quote."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


BOARD_COLUMNS = ("rank", "participant", "baseline", "score", "score_low", "score_high", "tied_with_above",
                 "entries", "submitted_at")


def board_csv(board, *, private: bool, decimals: int | None = None) -> str:
    """A board as CSV; scores rounded to ``decimals`` when given (the public board's noise), else in full."""
    def number(value):
        if value is None or not math.isfinite(value):
            return ""
        return repr(value if decimals is None else round(value, decimals))

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(BOARD_COLUMNS + (("public_rank", "shake_up") if private else ()))
    for row in board:
        values = ["" if row.rank is None else row.rank, neutralise(row.participant), int(row.is_baseline),
                  number(row.score), number(row.score_low), number(row.score_high), int(bool(row.tied_with_above)),
                  row.entries, row.submitted_at.isoformat()]
        if private:
            values += ["" if row.public_rank is None else row.public_rank, "" if row.shake_up is None else row.shake_up]
        writer.writerow(values)
    return buffer.getvalue()


INDEX_NAME = "index.csv"
INDEX_COLUMNS = ("submission_id", "participant", "baseline", "submitted_at", "filename", "message", "status",
                 "error", "public_score", "private_score", "selected", "size", "sha256", "path")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def archive_path(submission_id: int, filename: str) -> str:
    """Where a submission's bytes sit in the zip: a flat, safe name that keeps the id first."""
    safe = _UNSAFE.sub("_", filename).strip("._") or "submission.csv"
    return f"submissions/{submission_id:07d}-{safe[:100]}"


def submissions_zip(session: Session, slug: str, organizer_token: str | None) -> bytes:
    """A zip of each submission's raw bytes plus index.csv (formula-neutralised). Organizers only."""
    require_organizer(session, organizer_token)
    challenge = get_challenge(session, slug)
    rows = session.execute(
        select(Submission, Participant.name, Participant.is_baseline)
        .options(undefer(Submission.content))  # every file goes into the zip: one query, not one per file
        .join(Participant, Participant.id == Submission.participant_id)
        .where(Submission.challenge_id == challenge.id)
        .order_by(Submission.created_at, Submission.id)
    )
    index = io.StringIO()
    writer = csv.writer(index, lineterminator="\n")
    writer.writerow(INDEX_COLUMNS)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for submission, name, is_baseline in rows:
            path = archive_path(submission.id, submission.filename)
            archive.writestr(path, submission.content)
            writer.writerow([
                submission.id, neutralise(name), int(is_baseline), submission.created_at.isoformat(),
                neutralise(submission.filename), neutralise(submission.message), submission.status,
                neutralise(submission.error or ""), "" if submission.public_score is None else repr(submission.public_score),
                "" if submission.private_score is None else repr(submission.private_score), int(submission.selected),
                submission.size, submission.sha256, path,
            ])
        archive.writestr(INDEX_NAME, index.getvalue())
    return buffer.getvalue()
