"""The bridge from the store to the grader: a challenge's solution, read once per process."""

from __future__ import annotations

from functools import lru_cache

import grader
from sqlalchemy.orm import Session

from kit.challenge_files import solution_bytes
from kit.models import Challenge


@lru_cache(maxsize=16)
def _parsed_solution(key: tuple, data: bytes, id_column: str, target: str, classes: tuple | None) -> grader.Solution:
    return grader.read_solution(data, id_column=id_column, target_column=target, classes=classes)


def challenge_solution(session: Session, challenge: Challenge) -> grader.Solution:
    data = solution_bytes(session, challenge)
    classes = tuple(challenge.classes) if challenge.classes else None
    # Keyed by the challenge and its content: a replaced challenge gets a fresh entry.
    key = (challenge.id, challenge.created_at.isoformat(), len(data))
    return _parsed_solution(key, data, challenge.id_column, challenge.target, classes)


def grade_bytes(session: Session, challenge: Challenge, content: bytes, filename: str) -> grader.Grade:
    """Grade a submission's bytes; raises grader.SubmissionError with a user-facing message."""
    return grader.grade(challenge_solution(session, challenge), content, challenge.metric, filename=filename,
                        max_bytes=challenge.max_file_bytes)
