"""Grading: read, validate, align by id, then score the Public and the Private rows apart."""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np

from grader.metrics import Metric, PredictionKind, expected_columns, get_metric
from grader.reading import load_bytes, read_submission
from grader.solution import Solution
from grader.validation import check_header, check_submission


@dataclass(frozen=True)
class Grade:
    """Scores at full precision; a part with no rows scores NaN."""

    public_score: float
    private_score: float
    metric: str
    rows: int


def grade(solution: Solution, submission: bytes | os.PathLike, metric: str | Metric, *,
          filename: str = "submission.csv", max_bytes: int | None = None) -> Grade:
    """Grade one submission (CSV bytes, or a path) against ``solution`` with ``metric``.

    Raises SubmissionError when the file is rejected, MetricError when the metric is
    undefined on the solution's rows (e.g. AUC with a single-class Public part).
    """
    metric = get_metric(metric)
    expected = expected_columns(metric, solution.id_column, solution.target_column, solution.classes)
    table = read_submission(load_bytes(submission, filename, max_bytes),
                            check_header=lambda names: check_header(names, expected))
    checked = check_submission(table, solution, metric)

    # Bring the truth to the submission's row order (one gather) rather than the reverse.
    positions = checked.positions
    target = solution.target if positions is None else solution.target[positions]
    public = solution.public if positions is None else solution.public[positions]
    predictions = checked.predictions
    if metric.prediction is PredictionKind.RANKED_LABELS:
        target = _relevant_labels(target)
    return Grade(
        public_score=_score_part(metric, target, predictions, public, solution.classes),
        private_score=_score_part(metric, target, predictions, ~public, solution.classes),
        metric=metric.name,
        rows=table.num_rows,
    )


def _score_part(metric: Metric, target: np.ndarray, predictions, mask: np.ndarray, classes) -> float:
    rows = np.flatnonzero(mask)
    if len(rows) == 0:
        return float("nan")
    if len(rows) == len(mask):
        return metric.score(target, predictions, classes)
    return metric.score(_take(target, rows), _take(predictions, rows), classes)


def _take(values, rows: np.ndarray):
    # Ranked labels are lists of lists; everything else is a numpy array.
    return [values[i] for i in rows] if isinstance(values, list) else values[rows]


def _relevant_labels(target: np.ndarray) -> list:
    # MAP@K truths may hold several space-separated relevant labels.
    if target.dtype.kind in "iu":
        return target.tolist()
    return [label.split() for label in target.tolist()]
