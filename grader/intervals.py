"""95 % intervals on scores, and paired comparisons of two submissions on the same rows.

Both come from the per-row influences of ``grader.influence``: a score's standard error is
sqrt(Σψ² / (n(n − 1))); the difference of two scores on the same rows has the same formula
on ψ_a − ψ_b. A metric without an influence function gets a seeded bootstrap instead.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from grader.errors import MetricError
from grader.metrics import Metric, get_metric

Z95 = 1.959963984540054  # two-sided 95 % normal quantile
BOOTSTRAP_REPLICATES = 200
BOOTSTRAP_SEED = 20150706  # fixed: the same submission always gets the same interval


def standard_error(influence: np.ndarray) -> float:
    """The score's standard error from its per-row influences (0 for fewer than two rows)."""
    n = len(influence)
    if n < 2:
        return 0.0
    return math.sqrt(float(np.dot(influence, influence)) / (n * (n - 1.0)))


@dataclass(frozen=True)
class Interval:
    """A 95 % interval around a score, clipped to the values the metric can take."""

    low: float
    high: float
    standard_error: float

    @property
    def half_width(self) -> float:
        return (self.high - self.low) / 2


def interval(metric: str | Metric, score: float, influence: np.ndarray | None = None, *,
             se: float | None = None) -> Interval:
    """The 95 % interval: score ± 1.96·SE (SE from ``influence`` unless given); Wilson's for a share of rows."""
    metric = get_metric(metric)
    if se is None:
        se = standard_error(influence) if influence is not None else math.nan
    if metric.proportion and influence is not None and len(influence) and math.isfinite(score):
        return _wilson(score, len(influence), se)
    low, high = metric.bounds
    return Interval(max(low, score - Z95 * se), min(high, score + Z95 * se), se)


def _wilson(share: float, n: int, se: float) -> Interval:
    """Wilson's score interval for a share of n rows: honest at 0 % and 100 %, where ±1.96·SE is zero-wide."""
    z2 = Z95 * Z95
    centre = (share + z2 / (2 * n)) / (1 + z2 / n)
    half = Z95 * math.sqrt(share * (1 - share) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return Interval(max(0.0, centre - half), min(1.0, centre + half), se)


def bootstrap_interval(metric: str | Metric, y_true, y_pred, classes=None, *,
                       replicates: int = BOOTSTRAP_REPLICATES, seed: int = BOOTSTRAP_SEED) -> Interval:
    """A seeded percentile bootstrap: rows drawn with replacement, the metric on each draw.

    For metrics without an influence function; resamples where the metric is undefined
    (one class left, say) are skipped.
    """
    metric = get_metric(metric)
    n = len(y_true)
    draws = np.random.default_rng(seed).integers(0, n, size=(replicates, n))
    take = (lambda values, rows: [values[i] for i in rows]) if isinstance(y_true, list) else \
        (lambda values, rows: np.asarray(values)[rows])
    scores = []
    for rows in draws:
        try:
            scores.append(metric.score(take(y_true, rows), take(y_pred, rows), classes))
        except MetricError:  # a resample the metric cannot score (one class left) says nothing
            continue
    if len(scores) < 2:
        return Interval(math.nan, math.nan, math.nan)
    low, high = np.quantile(scores, [0.025, 0.975])
    return Interval(float(low), float(high), float(np.std(scores, ddof=1)))


@dataclass(frozen=True)
class Difference:
    """Submission a minus submission b on the same rows, with the paired standard error."""

    difference: float
    standard_error: float

    @property
    def low(self) -> float:
        return self.difference - Z95 * self.standard_error

    @property
    def high(self) -> float:
        return self.difference + Z95 * self.standard_error

    @property
    def significant(self) -> bool:
        """The 95 % interval of the difference excludes 0 (identical submissions never are)."""
        return abs(self.difference) > Z95 * self.standard_error


def paired_difference(score_a: float, influence_a: np.ndarray, score_b: float,
                      influence_b: np.ndarray) -> Difference:
    """a − b with the standard error of the paired per-row differences (the Ladder's std/√n)."""
    if len(influence_a) != len(influence_b):
        raise ValueError(f"paired rows differ: {len(influence_a)} and {len(influence_b)}")
    return Difference(score_a - score_b, standard_error(np.subtract(influence_a, influence_b, dtype=np.float64)))
