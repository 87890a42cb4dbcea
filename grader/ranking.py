"""Mean average precision at K, exactly as Kaggle defines it (Ben Hamner's ``ml_metrics.mapk``).

For each row: walk the first K predicted labels; a label that is relevant and not already
predicted earlier in the row adds hits_so_far / position; divide by min(len(actual), K).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def _as_set(actual: object) -> set:
    """The relevant labels of one row: a list of them, or a single label."""
    if isinstance(actual, (list, tuple, set, frozenset, np.ndarray)):
        return set(actual)
    return {actual}


def average_precision_at_k(actual: object, predicted: Sequence, k: int) -> float:
    """Kaggle's AP@K of one row: precision at each new relevant hit in the first K, over min(relevant, K)."""
    relevant = _as_set(actual)
    if not relevant:
        return 0.0
    hits = 0
    score = 0.0
    seen = set()
    for position, label in enumerate(predicted[:k], start=1):
        if label in relevant and label not in seen:
            hits += 1
            score += hits / position
        seen.add(label)
    return score / min(len(relevant), k)


def map_at_k(y_true: Sequence, y_pred: Sequence, k: int) -> float:
    """Kaggle's MAP@K: the mean of AP@K over the rows (higher is better)."""
    return float(np.mean([average_precision_at_k(a, p, k) for a, p in zip(y_true, y_pred, strict=True)]))
