"""How wide a part's intervals will be, before anyone submits: the noise a split gives.

A seeded "typical" submission (right about three times in four, or as far off as half the
target's spread for values) is scored on the Public rows with its interval. Organizers see
the width when they add a challenge; the kit rounds public scores to it.
"""

from __future__ import annotations

import numpy as np

from grader.intervals import Z95, interval
from grader.metrics import Metric, PredictionKind, get_metric
from grader.solution import Solution

TYPICAL_SKILL = 0.75  # share of rows a typical submission gets right


def typical_predictions(metric: Metric, target, classes, rng: np.random.Generator):
    """Predictions of the shape ``metric`` takes, about as good as a first baseline."""
    n = len(target)
    right = rng.random(n) < TYPICAL_SKILL
    kind = metric.prediction
    if kind is PredictionKind.VALUE:
        values = np.asarray(target, dtype=np.float64)
        column_spread = float(np.std(values)) or 1.0
        guess = values + rng.normal(0.0, column_spread / 2, n)
        return np.abs(guess) if metric.nonnegative else guess
    if kind.multi_column:  # several target columns: values off by half a spread, or 0/1 flags mostly right
        columns = np.asarray(target, dtype=np.float64)
        if kind is PredictionKind.COLUMN_VALUES:
            spreads = np.where(columns.std(axis=0) > 0, columns.std(axis=0), 1.0)
            return columns + rng.normal(0.0, spreads / 2, columns.shape)
        return np.where((rng.random(columns.shape) < TYPICAL_SKILL) == (columns == 1), 0.7, 0.3)
    if kind is PredictionKind.RANKED_LABELS:
        labels = np.unique([str(t) for t in target])
        return [[str(t)] if ok else [str(labels[i % len(labels)])] for t, ok, i in
                zip(target, right, rng.integers(0, len(labels), n), strict=True)]
    codes = np.searchsorted(np.asarray(classes), target)
    k = len(classes)
    other = (codes + rng.integers(1, max(k, 2), n)) % k
    guessed = np.where(right, codes, other)
    if kind is PredictionKind.LABEL:
        return np.asarray(classes)[guessed]
    # Probabilities: 0.7 on the guessed class, the rest shared; the binary kind keeps the positive column.
    probabilities = np.full((n, k), 0.3 / max(k - 1, 1))
    probabilities[np.arange(n), guessed] = 0.7
    return probabilities[:, -1] if kind is PredictionKind.PROBABILITY else probabilities


def typical_interval(solution: Solution, metric: str | Metric, *, public: bool = True,
                     seed: int = 0) -> tuple[float, float]:
    """(score, half-width of its 95 % interval) of a typical submission on the Public (or Private) rows."""
    metric = get_metric(metric)
    mask = solution.public if public else ~solution.public
    target = solution.target[mask]
    if metric.prediction is PredictionKind.RANKED_LABELS:
        target = [str(t) for t in target.tolist()]
    predictions = typical_predictions(metric, target, solution.classes, np.random.default_rng(seed))
    truth = [[t] for t in target] if isinstance(target, list) else target
    score, psi = metric.estimate(truth, predictions, solution.classes)
    if psi is None:
        return score, float("nan")
    return score, Z95 * interval(metric, score, psi).standard_error
