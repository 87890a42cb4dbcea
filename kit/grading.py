"""The bridge from the store to the grader: a challenge's solution, read once per process."""

from __future__ import annotations

import grader
from sqlalchemy import select
from sqlalchemy.orm import Session

from kit.bundle import SOLUTION_FILE
from kit.challenge_files import solution_bytes
from kit.models import Challenge, ChallengeFile

# Parsed solutions by (challenge id, solution sha256): a replaced challenge gets a new entry.
_SOLUTIONS: dict[tuple[int, str], grader.Solution] = {}
_MAX_CACHED = 16


def challenge_solution(session: Session, challenge: Challenge) -> grader.Solution:
    """The challenge's parsed solution; only its hash is read when it is cached already."""
    digest = session.scalar(select(ChallengeFile.sha256).where(ChallengeFile.challenge_id == challenge.id,
                                                               ChallengeFile.name == SOLUTION_FILE))
    key = (challenge.id, digest)
    if key not in _SOLUTIONS:
        classes = tuple(challenge.classes) if challenge.classes else None
        if len(_SOLUTIONS) >= _MAX_CACHED:
            _SOLUTIONS.pop(next(iter(_SOLUTIONS)))
        _SOLUTIONS[key] = grader.read_solution(solution_bytes(session, challenge), id_column=challenge.id_column,
                                               target_column=challenge.target, classes=classes)
    return _SOLUTIONS[key]


def grade_bytes(session: Session, challenge: Challenge, content: bytes, filename: str) -> grader.Grade:
    """Grade a submission's bytes; raises grader.SubmissionError with a user-facing message."""
    return grader.grade(challenge_solution(session, challenge), content, challenge.metric, filename=filename,
                        max_bytes=challenge.max_file_bytes)
