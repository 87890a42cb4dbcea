"""Each metric's score together with its per-row influence, for intervals and paired comparisons.

The influence ψ of a row is the first-order effect of that row on the score (the delta
method; for ROC AUC, DeLong's structural components). With n rows the score's standard
error is sqrt(Σψ² / (n(n − 1))), and because every submission's ψ is defined on the same
rows, two submissions are compared with the same formula on ψ_a − ψ_b (a paired test).

Each function takes what the metric's own function takes (checked by ``Metric``) and returns
``(score, ψ)``; the score is computed exactly as the metric's function computes it, so the
full-precision score does not change when intervals are asked for.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from grader import classification as clf
from grader import ranking, regression

# (the full-precision score, ψ: one influence per row)
Influence = tuple[float, np.ndarray]


def _mean_of(values: np.ndarray) -> tuple[float, np.ndarray]:
    score = float(np.mean(values))
    return score, values - score


def accuracy(y_true: np.ndarray, y_pred: np.ndarray, classes: np.ndarray) -> Influence:
    """accuracy's score and each row's influence on it."""
    return _mean_of((y_true == y_pred).astype(np.float64))


def f1_micro(y_true: np.ndarray, y_pred: np.ndarray, classes: np.ndarray) -> Influence:
    """f1_micro's score and each row's influence on it."""
    clf.encode(y_true, classes, "y_true")
    clf.encode(y_pred, classes, "y_pred")
    return accuracy(y_true, y_pred, classes)


def balanced_accuracy(y_true: np.ndarray, y_pred: np.ndarray, classes: np.ndarray) -> Influence:
    """balanced_accuracy's score and each row's influence on it."""
    # recall_k is a ratio of means; a row of class k moves it by (correct − recall_k)·n/n_k.
    score = clf.balanced_accuracy(y_true, y_pred, classes)
    t = clf.encode(y_true, classes, "y_true")
    correct = (y_true == y_pred).astype(np.float64)
    support = np.bincount(t, minlength=len(classes)).astype(np.float64)
    recall = np.bincount(t, weights=correct, minlength=len(classes)) / np.maximum(support, 1)
    present = int(np.count_nonzero(support))
    psi = (correct - recall[t]) * len(t) / support[t] / present
    return score, psi


def f1_binary(y_true: np.ndarray, y_pred: np.ndarray, classes: np.ndarray) -> Influence:
    """f1_binary's score and each row's influence on it."""
    # F1 = Σ 2tp / Σ (2tp + fp + fn): a ratio of means, linearised.
    score = clf.f1_binary(y_true, y_pred, classes)
    positive = classes[-1]
    t, p = y_true == positive, y_pred == positive
    numerator = 2.0 * (t & p)
    denominator = numerator + (p & ~t) + (t & ~p)
    total = denominator.sum()
    if total == 0:
        return score, np.zeros(len(t))
    return score, len(t) * (numerator - score * denominator) / total


def f1_macro(y_true: np.ndarray, y_pred: np.ndarray, classes: np.ndarray) -> Influence:
    """f1_macro's score and each row's influence on it."""
    # Mean over the seen classes of each class's F1 influence; a row touches its true class
    # and its predicted class only.
    score = clf.f1_macro(y_true, y_pred, classes)
    t = clf.encode(y_true, classes, "y_true")
    p = clf.encode(y_pred, classes, "y_pred")
    k, n = len(classes), len(t)
    cm = np.bincount(t * k + p, minlength=k * k).reshape(k, k)
    sums = (cm.sum(axis=0) + cm.sum(axis=1)).astype(np.float64)  # 2tp + fp + fn per class
    seen = sums > 0
    f1 = np.where(seen, 2.0 * np.diag(cm) / np.where(seen, sums, 1), 0.0)
    right = t == p
    # True class a: numerator 2·[p = a], denominator 1 + [p = a]. Predicted class b ≠ a: 0 and 1.
    psi = n * (2.0 * right - f1[t] * (1.0 + right)) / sums[t]
    psi += np.where(right, 0.0, n * (-f1[p]) / sums[p])
    return score, psi / int(np.count_nonzero(seen))


def quadratic_weighted_kappa(y_true: np.ndarray, y_pred: np.ndarray, classes: np.ndarray) -> Influence:
    """quadratic_weighted_kappa's score and each row's influence on it."""
    # κ = 1 − O/E with O the mean weight of (truth, prediction) and E = Σ w_ab r_a c_b.
    score = clf.quadratic_weighted_kappa(y_true, y_pred, classes)
    t = clf.encode(y_true, classes, "y_true").astype(np.float64)
    p = clf.encode(y_pred, classes, "y_pred").astype(np.float64)
    k = len(classes)
    idx = np.arange(k, dtype=np.float64)
    r = np.bincount(t.astype(np.int64), minlength=k) / len(t)
    c = np.bincount(p.astype(np.int64), minlength=k) / len(p)
    w = (idx[:, None] - idx[None, :]) ** 2
    observed_each = (t - p) ** 2
    observed = observed_each.mean()
    expected = r @ w @ c
    influence_o = observed_each - observed
    influence_e = (w @ c)[t.astype(np.int64)] + (r @ w)[p.astype(np.int64)] - 2 * expected
    return score, -(influence_o - (observed / expected) * influence_e) / expected


def _auc_parts(positive: np.ndarray, scores: np.ndarray, what: str = "the truth") -> tuple[float, np.ndarray]:
    """ROC AUC and DeLong's influence per row, from one sort of all the scores.

    V10 of a positive is the share of negatives below it, V01 of a negative the share of
    positives above it, ties counting half. Counting through the sorted scores gives, for
    each tied group, how many negatives (positives) lie below it and within it.
    """
    n = len(scores)
    m = int(np.count_nonzero(positive))
    k = n - m
    if m == 0 or k == 0:
        return clf.binary_auc(positive, scores, what), np.zeros(n)  # binary_auc raises
    order = np.argsort(scores)
    ordered = scores[order]
    is_pos = positive[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])  # first sorted row of each tied group
    sizes = np.diff(np.r_[starts, n])
    negatives_through = np.cumsum(~is_pos)  # negatives at or before each sorted row
    neg_before = np.r_[0, negatives_through][starts]
    neg_in = negatives_through[np.r_[starts[1:], n] - 1] - neg_before
    pos_in = sizes - neg_in
    pos_above = m - (starts - neg_before) - pos_in
    # Twice V10 · k for a positive of the group (negatives below, ties half), twice V01 · m for a negative.
    twice_v10, twice_v01 = 2 * neg_before + neg_in, 2 * pos_above + pos_in
    auc = float(np.dot(pos_in, twice_v10) / 2.0 / (m * float(k)))  # exact integer sums, as binary_auc
    per_row = np.where(is_pos, np.repeat(twice_v10 * (n / (2.0 * k * m)), sizes) - auc * (n / m),
                       np.repeat(twice_v01 * (n / (2.0 * m * k)), sizes) - auc * (n / k))
    psi = np.empty(n)
    psi[order] = per_row
    return auc, psi


def roc_auc(y_true: np.ndarray, y_pred: np.ndarray, classes: np.ndarray) -> Influence:
    """roc_auc's score and each row's influence on it."""
    clf._require_binary(classes, "roc_auc")
    return _auc_parts(clf._positive_mask(y_true, classes), np.asarray(y_pred, dtype=np.float64))


def roc_auc_ovr(y_true: np.ndarray, y_pred: np.ndarray, classes: np.ndarray) -> Influence:
    """roc_auc_ovr's score and each row's influence on it."""
    codes = clf.encode(y_true, classes, "y_true")
    scores = np.asarray(y_pred, dtype=np.float64)
    parts = [_auc_parts(codes == c, scores[:, c], f"the truth of one-vs-rest class #{c + 1}")
             for c in range(len(classes))]
    return float(np.mean([auc for auc, _ in parts])), np.mean([psi for _, psi in parts], axis=0)


def log_loss(y_true: np.ndarray, y_pred: np.ndarray, classes: np.ndarray) -> Influence:
    """log_loss's score and each row's influence on it."""
    clf._require_binary(classes, "log_loss")
    positive = clf._positive_mask(y_true, classes)
    p = np.clip(np.asarray(y_pred, dtype=np.float64), clf.LOG_LOSS_EPS, 1 - clf.LOG_LOSS_EPS)
    return _mean_of(-np.where(positive, np.log(p), np.log1p(-p)))


def multiclass_log_loss(y_true: np.ndarray, y_pred: np.ndarray, classes: np.ndarray) -> Influence:
    """multiclass_log_loss's score and each row's influence on it."""
    score = clf.multiclass_log_loss(y_true, y_pred, classes)
    codes = clf.encode(y_true, classes, "y_true")
    p = np.asarray(y_pred, dtype=np.float64)
    p_true = p[np.arange(len(codes)), codes] / p.sum(axis=1)
    losses = -np.log(np.clip(p_true, clf.LOG_LOSS_EPS, 1 - clf.LOG_LOSS_EPS))
    return score, losses - score


def _root_of_mean(squares: np.ndarray) -> tuple[float, np.ndarray]:
    mean = np.mean(squares)
    score = float(np.sqrt(mean))
    if score == 0:
        return score, np.zeros(len(squares))
    return score, (squares - mean) / (2.0 * score)


def rmse(y_true: np.ndarray, y_pred: np.ndarray, classes: np.ndarray | None = None) -> Influence:
    """rmse's score and each row's influence on it."""
    return _root_of_mean((y_true - y_pred) ** 2)


def rmsle(y_true: np.ndarray, y_pred: np.ndarray, classes: np.ndarray | None = None) -> Influence:
    """rmsle's score and each row's influence on it."""
    if np.any(y_true < 0) or np.any(y_pred < 0):
        regression.rmsle(y_true, y_pred)  # raises the metric's own error
    return _root_of_mean((np.log1p(y_pred) - np.log1p(y_true)) ** 2)


def mae(y_true: np.ndarray, y_pred: np.ndarray, classes: np.ndarray | None = None) -> Influence:
    """mae's score and each row's influence on it."""
    return _mean_of(np.abs(y_true - y_pred))


def r2(y_true: np.ndarray, y_pred: np.ndarray, classes: np.ndarray | None = None) -> Influence:
    """r2's score and each row's influence on it."""
    # R² = 1 − MSE/V: a ratio of means, linearised.
    score = regression.r2(y_true, y_pred)
    squares = (y_true - y_pred) ** 2
    spread = (y_true - np.mean(y_true)) ** 2
    mse, variance = squares.mean(), spread.mean()
    if variance == 0:
        return score, np.zeros(len(squares))
    return score, -((squares - mse) - (mse / variance) * (spread - variance)) / variance


def map_at_k(y_true: Sequence, y_pred: Sequence, k: int) -> Influence:
    """MAP@K's score and each row's influence on it (a mean: the row's AP@K minus the score)."""
    return _mean_of(np.array([ranking.average_precision_at_k(a, p, k) for a, p in zip(y_true, y_pred, strict=True)],
                             dtype=np.float64))
