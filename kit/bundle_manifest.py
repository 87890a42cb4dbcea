"""What a challenge's bundle holds (names and sizes), without reading any file."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from kit.bundle import BUNDLE_FILES
from kit.models import Challenge, ChallengeFile


@dataclass(frozen=True)
class BundleEntry:
    name: str
    size: int  # uncompressed bytes


def bundle_manifest(session: Session, challenge: Challenge) -> list[BundleEntry]:
    """The public bundle files in their fixed order; the hidden solution is never listed."""
    rows = session.execute(select(ChallengeFile.name, ChallengeFile.size).where(
        ChallengeFile.challenge_id == challenge.id, ChallengeFile.hidden.is_(False),
        ChallengeFile.name.in_(BUNDLE_FILES))).all()
    sizes = dict(rows)
    return [BundleEntry(name, sizes[name]) for name in BUNDLE_FILES if name in sizes]
