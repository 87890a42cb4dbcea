"""Paired comparisons of two submissions on the same rows, from their stored per-row influences.

Grading stores each submission's influences (grader.grade) in ``submission_influence``;
two submissions of one challenge line up row by row, so the standard error of their
difference is exact for that pair (grader.paired_difference). Submissions never change,
so a pair's result is cached for the life of the process, keyed by database, part, ids
and scores; a board only computes the pairs it has not met before.
"""

from __future__ import annotations

import zlib
from collections import OrderedDict
from typing import Any

import numpy as np
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

import grader
from kit.store.models import SubmissionInfluence

PARTS = ("public", "private")
_MAX_PAIRS = 500_000
_MAX_VECTOR_BYTES = 64 * 1024 * 1024
_CHUNK = 500  # ids per IN (…) query

_pairs: OrderedDict[tuple, grader.Difference | None] = OrderedDict()
_vectors: OrderedDict[tuple, np.ndarray | None] = OrderedDict()
_vector_bytes = 0


def pack(influence: np.ndarray | None) -> bytes | None:
    """float32 influences → compressed bytes (label-like metrics compress to almost nothing)."""
    if influence is None:
        return None
    return zlib.compress(np.ascontiguousarray(influence, dtype="<f4").tobytes(), 1)


def unpack(blob: bytes | None) -> np.ndarray | None:
    return None if blob is None else np.frombuffer(zlib.decompress(blob), dtype="<f4")


def influence_row(submission_id: int, grade: grader.Grade) -> SubmissionInfluence:
    return SubmissionInfluence(submission_id=submission_id, public=pack(grade.public_influence),
                               private=pack(grade.private_influence))


def _database(session: Session) -> str:
    return str(session.get_bind().engine.url)


def _remember_vector(key: tuple, vector: np.ndarray | None) -> None:
    global _vector_bytes
    _vectors[key] = vector
    _vector_bytes += 0 if vector is None else vector.nbytes
    while _vector_bytes > _MAX_VECTOR_BYTES and _vectors:
        _, dropped = _vectors.popitem(last=False)
        _vector_bytes -= 0 if dropped is None else dropped.nbytes


# Built once per part: a submission's comparison with the entrant's best reads them.
_INFLUENCES = {part: select(SubmissionInfluence.submission_id, getattr(SubmissionInfluence, part))
               .where(SubmissionInfluence.submission_id.in_(bindparam("ids", expanding=True))) for part in PARTS}


def influences(session: Session, part: str, ids) -> dict[int, np.ndarray | None]:
    """Submission id → its influences on ``part`` (None when none were stored)."""
    if part not in PARTS:
        raise ValueError(f"part must be one of {PARTS}, not {part!r}")
    database = _database(session)
    found, missing = {}, []
    for submission_id in dict.fromkeys(ids):
        key = (database, part, submission_id)
        if key in _vectors:
            _vectors.move_to_end(key)
            found[submission_id] = _vectors[key]
        else:
            missing.append(submission_id)
    for start in range(0, len(missing), _CHUNK):
        chunk = missing[start:start + _CHUNK]
        stored: dict[int, Any] = dict(session.execute(_INFLUENCES[part], {"ids": chunk}).all())
        for submission_id in chunk:
            found[submission_id] = unpack(stored.get(submission_id))
            _remember_vector((database, part, submission_id), found[submission_id])
    return found


def differences(session: Session, part: str, pairs: list[tuple[int, float, int, float]]) -> list[grader.Difference | None]:
    """For each (id a, score a, id b, score b): a − b with its paired standard error, or None
    when either submission has no stored influences (graded before intervals existed)."""
    database = _database(session)
    keys = [(database, part, *pair) for pair in pairs]
    results = {key: _pairs[key] for key in keys if key in _pairs}
    todo = [pair for key, pair in zip(keys, pairs, strict=True) if key not in results]
    if todo:
        vectors = influences(session, part, [pair[0] for pair in todo] + [pair[2] for pair in todo])
        for a, score_a, b, score_b in todo:
            va, vb = vectors.get(a), vectors.get(b)
            result = None
            if va is not None and vb is not None and len(va) == len(vb):
                result = grader.paired_difference(score_a, va, score_b, vb)
            results[(database, part, a, score_a, b, score_b)] = _pairs[(database, part, a, score_a, b, score_b)] = result
            if len(_pairs) > _MAX_PAIRS:
                _pairs.popitem(last=False)
    return [results[key] for key in keys]


def difference(session: Session, part: str, a: int, score_a: float, b: int, score_b: float) -> grader.Difference | None:
    return differences(session, part, [(a, score_a, b, score_b)])[0]


def forget() -> None:
    """Drop the process's cached pairs and influences (what a fresh process starts with)."""
    global _vector_bytes
    _pairs.clear()
    _vectors.clear()
    _vector_bytes = 0
