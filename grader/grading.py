"""Grading: read, validate, align by id, then score the Public and the Private rows apart.

Each part's score comes with its 95 % interval and its per-row influences, in the
solution's row order of that part, so that two submissions' influences line up row by row
for paired comparisons (grader.intervals).
"""

from __future__ import annotations

import contextvars
import math
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from grader.errors import MetricError, RejectionCode, SolutionError, SubmissionError
from grader.intervals import Interval, bootstrap_interval, interval
from grader.metrics import Metric, PredictionKind, expected_columns, get_metric
from grader.reading import load_bytes, read_submission
from grader.solution import Solution
from grader.validation import check_header, check_submission

_NO_INTERVAL = Interval(math.nan, math.nan, math.nan)
PARALLEL_ROWS = 200_000  # from this many rows, the two parts are estimated side by side


@dataclass(frozen=True)
class Grade:
    """Scores at full precision; a part with no rows scores NaN.

    Two grades are equal when their scores are (intervals are derived from the same rows).
    ``*_low``/``*_high`` bound the 95 % interval (NaN when intervals were not asked for);
    ``*_influence`` holds each row's influence on that part's score (float32, the part's
    rows in the solution's order), None without intervals or for a metric without one.
    """

    public_score: float
    private_score: float
    metric: str
    rows: int
    public_low: float = field(default=math.nan, compare=False)
    public_high: float = field(default=math.nan, compare=False)
    private_low: float = field(default=math.nan, compare=False)
    private_high: float = field(default=math.nan, compare=False)
    public_influence: np.ndarray | None = field(default=None, repr=False, compare=False)
    private_influence: np.ndarray | None = field(default=None, repr=False, compare=False)


def check_scorable(solution: Solution, metric: str | Metric) -> None:
    """Raise MetricError when some valid submission would have no score on a part.

    For the organizer, when a challenge is added (AUC with a single-class Public part,
    kappa with one label, rmsle with a negative truth, an empty part); after this check a
    submission that passes validation always gets a score.
    """
    metric = get_metric(metric)
    for name, mask in (("Public", solution.public), ("Private", ~solution.public)):
        reason = metric.undefined_for(solution.target[mask], solution.classes)
        if reason is not None:
            raise MetricError(f"the {name} part of the test rows cannot be scored with {metric.name}: {reason}")


def grade(solution: Solution, submission: bytes | os.PathLike, metric: str | Metric, *,
          filename: str = "submission.csv", max_bytes: int | None = None, intervals: bool = True,
          influences: bool = True) -> Grade:
    """Grade one submission (CSV bytes, or a path) against ``solution`` with ``metric``.

    Raises SubmissionError when the file is rejected, including when its score would not
    be a finite number; that message never describes the hidden labels.
    ``intervals=False`` skips the intervals and influences (the scores are the same);
    ``influences=False`` keeps the intervals but not the per-row influences, which only
    paired comparisons need (saves ordering them into the solution's rows).
    """
    metric = get_metric(metric)
    if not solution.labelled:
        raise SolutionError("This is a solution's shape from test.csv: it validates files but holds no labels to score.")
    table, checked = _read_and_check(solution, submission, metric, filename, max_bytes)

    # Bring the truth to the submission's row order (one gather) rather than the reverse.
    positions = checked.positions
    target = solution.target if positions is None else solution.target[positions]
    public = solution.public if positions is None else solution.public[positions]
    predictions = checked.predictions
    if metric.prediction is PredictionKind.RANKED_LABELS:
        target = _relevant_labels(target)
    try:
        with np.errstate(over="ignore", invalid="ignore"):
            if intervals:
                parts = _estimate_parts(metric, target, predictions, public, solution, positions, influences)
            else:
                parts = [(_score_part(metric, target, predictions, mask, solution.classes), _NO_INTERVAL, None)
                         for mask in (public, ~public)]
    except MetricError:
        # check_scorable keeps this from happening on a kit challenge; the metric's own
        # message may describe the hidden labels, so it is not passed on.
        raise SubmissionError(RejectionCode.UNSCORABLE, f"This submission cannot be scored with {metric.name}. "
                              "Check it against sample_submission.csv.") from None
    if any(not np.isfinite(part[0]) and mask.any() for part, mask in zip(parts, (public, ~public), strict=True)):
        raise SubmissionError(
            RejectionCode.SCORE_NOT_FINITE, f"The {metric.name} of this submission is not a finite number: its values are "
            "too large to score. Predict values of a realistic size.")
    (public_score, public_interval, public_influence), (private_score, private_interval, private_influence) = parts
    return Grade(
        public_score=public_score, private_score=private_score, metric=metric.name, rows=table.num_rows,
        public_low=public_interval.low, public_high=public_interval.high,
        private_low=private_interval.low, private_high=private_interval.high,
        public_influence=public_influence, private_influence=private_influence,
    )


def validate(solution: Solution, submission: bytes | os.PathLike, metric: str | Metric, *,
             filename: str = "submission.csv", max_bytes: int | None = None) -> int:
    """Check a submission as ``grade`` does, without scoring it; returns its number of rows.

    ``solution`` may be a label-free ``solution_shape``. Raises SubmissionError with the
    same message ``grade`` would give.
    """
    table, _ = _read_and_check(solution, submission, get_metric(metric), filename, max_bytes)
    return table.num_rows


def _read_and_check(solution: Solution, submission, metric: Metric, filename: str, max_bytes: int | None):
    expected = expected_columns(metric, solution.id_column, solution.targets, solution.classes)
    table = read_submission(load_bytes(submission, filename, max_bytes),
                            check_header=lambda names: check_header(names, expected))
    return table, check_submission(table, solution, metric)


def _score_part(metric: Metric, target: np.ndarray, predictions, mask: np.ndarray, classes) -> float:
    rows = np.flatnonzero(mask)
    if len(rows) == 0:
        return float("nan")
    if len(rows) == len(mask):
        return metric.score(target, predictions, classes)
    return metric.score(_take(target, rows), _take(predictions, rows), classes)


def _estimate_parts(metric: Metric, target: np.ndarray, predictions, public: np.ndarray, solution: Solution,
                    positions: np.ndarray | None, influences: bool) -> list:
    """Both parts' estimates; on a large file the Public part's runs in a second thread meanwhile
    (NumPy's sorts and scans release the GIL: two cores save ≈ 25 ms on a million rows)."""
    if len(public) < PARALLEL_ROWS or (os.cpu_count() or 1) < 2:
        return [_estimate_part(metric, target, predictions, mask, solution, positions, influences)
                for mask in (public, ~public)]
    # The thread runs in a copy of this context, so NumPy's error state set by the caller holds there too;
    # leaving the block joins it, so no thread outlives the call.
    with ThreadPoolExecutor(max_workers=1) as pool:
        public_part = pool.submit(contextvars.copy_context().run, _estimate_part, metric, target, predictions,
                                  public, solution, positions, influences)
        private_part = _estimate_part(metric, target, predictions, ~public, solution, positions, influences)
        return [public_part.result(), private_part]


def _estimate_part(metric: Metric, target: np.ndarray, predictions, mask: np.ndarray, solution: Solution,
                   positions: np.ndarray | None, influences: bool = True):
    """(score, interval, influences in the solution's order of the part's rows, or None)."""
    rows = np.flatnonzero(mask)
    if len(rows) == 0:
        return math.nan, _NO_INTERVAL, None
    if len(rows) < len(mask):
        target, predictions = _take(target, rows), _take(predictions, rows)
    score, psi = metric.estimate(target, predictions, solution.classes)
    if psi is None:
        return score, bootstrap_interval(metric, target, predictions, solution.classes), None
    if not np.isfinite(psi).all():  # values too large to linearise: the score stands, without an interval
        return score, _NO_INTERVAL, None
    if not influences:
        return score, interval(metric, score, psi), None
    influence = np.empty(len(rows), dtype=np.float32)
    if positions is None:
        influence[:] = psi  # the submission's rows are in the solution's order already
    else:
        influence[solution.index_in_part[positions[rows]]] = psi
    return score, interval(metric, score, psi), influence


def _take(values, rows: np.ndarray):
    # Ranked labels are lists of lists; everything else is a numpy array.
    return [values[i] for i in rows] if isinstance(values, list) else values[rows]


def _relevant_labels(target: np.ndarray) -> list:
    # MAP@K truths may hold several space-separated relevant labels.
    if target.dtype.kind in "iu":
        return target.tolist()
    return [label.split() for label in target.tolist()]
