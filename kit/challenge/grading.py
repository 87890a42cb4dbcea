"""The bridge from the store to the grader: a challenge's solution, read once per process."""

from __future__ import annotations

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

import grader
from kit.challenge.bundle import SOLUTION_FILE, solution_bytes
from kit.challenge.metric_of import CUSTOM_METRIC_FILE, challenge_metric, is_custom
from kit.challenge.submission_format import target_columns
from kit.store.models import Challenge, ChallengeFile

# Parsed solutions by (challenge id, solution sha256): a replaced challenge gets a new entry.
_SOLUTIONS: dict[tuple[int, str], grader.Solution] = {}
_MAX_CACHED = 16
# Custom metric functions by (sha256 of their stored source, function name).
_FUNCTIONS: dict[tuple[str, str], object] = {}


# Built once: every submission reads it.
_SOLUTION_DIGEST = select(ChallengeFile.sha256).where(ChallengeFile.challenge_id == bindparam("challenge_id"),
                                                      ChallengeFile.name == SOLUTION_FILE)


def challenge_solution(session: Session, challenge: Challenge) -> grader.Solution:
    """The challenge's parsed solution; only its hash is read when it is cached already."""
    digest = session.scalars(_SOLUTION_DIGEST, {"challenge_id": challenge.id}).one()
    key = (challenge.id, digest)
    if key not in _SOLUTIONS:
        classes = tuple(challenge.classes) if challenge.classes else None
        if len(_SOLUTIONS) >= _MAX_CACHED:
            _SOLUTIONS.pop(next(iter(_SOLUTIONS)))
        targets = target_columns(challenge_metric(challenge), challenge.target)
        _SOLUTIONS[key] = grader.read_solution(solution_bytes(session, challenge), id_column=challenge.id_column,
                                               target_column=targets[0] if len(targets) == 1 else targets,
                                               classes=classes)
    return _SOLUTIONS[key]


def scoring_metric(session: Session, challenge: Challenge) -> grader.Metric:
    """The metric that grades this challenge; a custom one is compiled from its stored source once."""
    if not is_custom(challenge.metric):
        return grader.get_metric(challenge.metric)
    row = session.scalar(select(ChallengeFile).where(ChallengeFile.challenge_id == challenge.id,
                                                     ChallengeFile.name == CUSTOM_METRIC_FILE))
    if row is None:
        return challenge_metric(challenge)  # scoring then refuses cleanly: the code is missing
    file_name, function_name = challenge.metric[len("custom:"):].split(":")
    key = (row.sha256, function_name)
    if key not in _FUNCTIONS:
        import gzip

        try:
            _FUNCTIONS[key] = grader.load_function(gzip.decompress(row.gzip_content).decode("utf-8"),
                                                          function_name, file_name)
        except grader.CustomMetricError:
            return challenge_metric(challenge)
    return challenge_metric(challenge, _FUNCTIONS[key])


def grade_bytes(session: Session, challenge: Challenge, content: bytes, filename: str) -> grader.Grade:
    """Grade a submission's bytes; raises grader.SubmissionError with a user-facing message."""
    return grader.grade(challenge_solution(session, challenge), content, scoring_metric(session, challenge),
                        filename=filename, max_bytes=challenge.max_file_bytes)
