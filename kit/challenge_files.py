"""Reading a challenge's stored files: the public bundle, and the solution for the grader only."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from kit.bundle import BUNDLE_FILES, SOLUTION_FILE
from kit.challenges import get_challenge
from kit.errors import WorkspaceError
from kit.models import Challenge, ChallengeFile


def bundle_files(session: Session, challenge: Challenge) -> dict[str, bytes]:
    """The public files, in a fixed order. The hidden solution is never among them."""
    rows = session.scalars(select(ChallengeFile).where(ChallengeFile.challenge_id == challenge.id,
                                                       ChallengeFile.hidden.is_(False)))
    files = {row.name: gzip.decompress(row.gzip_content) for row in rows}
    return {name: files[name] for name in BUNDLE_FILES if name in files}


def bundle_file(session: Session, challenge: Challenge, name: str) -> bytes:
    if name not in BUNDLE_FILES:
        raise WorkspaceError(f"{name!r} is not a bundle file; the bundle has {', '.join(BUNDLE_FILES)}.")
    row = session.scalar(select(ChallengeFile).where(ChallengeFile.challenge_id == challenge.id,
                                                     ChallengeFile.name == name, ChallengeFile.hidden.is_(False)))
    if row is None:
        raise WorkspaceError(f"The challenge {challenge.slug!r} has no stored {name}.")
    return gzip.decompress(row.gzip_content)


def solution_bytes(session: Session, challenge: Challenge) -> bytes:
    """The hidden labels. Only the grading service calls this."""
    row = session.scalar(select(ChallengeFile).where(ChallengeFile.challenge_id == challenge.id,
                                                     ChallengeFile.name == SOLUTION_FILE))
    if row is None:
        raise WorkspaceError(f"The challenge {challenge.slug!r} has no stored solution.")
    return gzip.decompress(row.gzip_content)


def write_bundle(session: Session, slug: str, folder: Path) -> list[Path]:
    """Write the bundle into `folder`; each file appears whole or not at all."""
    challenge = get_challenge(session, slug)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in bundle_files(session, challenge).items():
        target = folder / name
        partial = folder / f".{name}.part"
        partial.write_bytes(content)
        os.replace(partial, target)
        written.append(target)
    return written
