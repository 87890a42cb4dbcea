"""Classification metrics in numpy: label metrics, ROC AUC by ranks, Kaggle's log losses.

Each function takes numpy arrays already checked for length by ``Metric.score`` and the
sorted ``classes`` array; the positive class of a binary task is ``classes[-1]``.
Errors never name a label from the truth: the truth may be the hidden solution.
"""

from __future__ import annotations

import numpy as np

from grader.errors import MetricError

# Kaggle clips probabilities to [EPS, 1 - EPS] before taking logs.
LOG_LOSS_EPS = 1e-15


def encode(labels: np.ndarray, classes: np.ndarray, what: str) -> np.ndarray:
    """Integer codes of ``labels`` in ``classes`` (sorted); refuse labels outside them."""
    if len(classes) == 0:
        raise MetricError("classes is empty")
    codes = np.searchsorted(classes, labels)
    codes = np.minimum(codes, len(classes) - 1)
    if not np.array_equal(classes[codes], labels):
        raise MetricError(f"{what} holds labels that are not among the {len(classes)} classes")
    return codes


def confusion(y_true: np.ndarray, y_pred: np.ndarray, classes: np.ndarray) -> np.ndarray:
    """K x K counts, rows = truth, columns = prediction, in the order of ``classes``."""
    k = len(classes)
    t = encode(y_true, classes, "y_true")
    p = encode(y_pred, classes, "y_pred")
    return np.bincount(t * k + p, minlength=k * k).reshape(k, k)


def accuracy(y_true: np.ndarray, y_pred: np.ndarray, classes: np.ndarray) -> float:
    """Share of rows whose predicted label equals the true one (higher is better)."""
    return float(np.mean(y_true == y_pred))


def balanced_accuracy(y_true: np.ndarray, y_pred: np.ndarray, classes: np.ndarray) -> float:
    """Mean recall over the classes present in the truth, as scikit-learn defines it (higher is better)."""
    # Mean recall over the classes present in the truth, as scikit-learn defines it.
    cm = confusion(y_true, y_pred, classes)
    support = cm.sum(axis=1)
    present = support > 0
    return float(np.mean(np.diag(cm)[present] / support[present]))


def _per_class_f1(cm: np.ndarray) -> np.ndarray:
    tp = np.diag(cm).astype(np.float64)
    denominator = cm.sum(axis=0) + cm.sum(axis=1)  # 2tp + fp + fn
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(denominator > 0, 2 * tp / denominator, 0.0)


def f1_binary(y_true: np.ndarray, y_pred: np.ndarray, classes: np.ndarray) -> float:
    """F1 of the positive class, ``classes[-1]``, of a binary task (higher is better)."""
    _require_binary(classes, "f1")
    cm = confusion(y_true, y_pred, classes)
    return float(_per_class_f1(cm)[-1])


def f1_macro(y_true: np.ndarray, y_pred: np.ndarray, classes: np.ndarray) -> float:
    """Unweighted mean of the per-class F1 over the classes seen in truth or predictions (higher is better)."""
    # Averaged over labels seen in the truth or the predictions (scikit-learn's default),
    # so a class absent from one Public/Private part does not count as a zero.
    cm = confusion(y_true, y_pred, classes)
    seen = (cm.sum(axis=0) + cm.sum(axis=1)) > 0
    return float(np.mean(_per_class_f1(cm)[seen]))


def f1_micro(y_true: np.ndarray, y_pred: np.ndarray, classes: np.ndarray) -> float:
    """F1 over all rows pooled; for single labels it equals accuracy (higher is better)."""
    # For single-label predictions micro precision = micro recall = accuracy.
    encode(y_true, classes, "y_true")
    encode(y_pred, classes, "y_pred")
    return accuracy(y_true, y_pred, classes)


def quadratic_weighted_kappa(y_true: np.ndarray, y_pred: np.ndarray, classes: np.ndarray) -> float:
    """Cohen's kappa with quadratic weights on the sorted classes' positions (higher is better)."""
    # Weights by position in the sorted classes: (i - j)^2, as Kaggle and scikit-learn do.
    cm = confusion(y_true, y_pred, classes).astype(np.float64)
    k = len(classes)
    idx = np.arange(k)
    weights = (idx[:, None] - idx[None, :]) ** 2
    expected = np.outer(cm.sum(axis=1), cm.sum(axis=0)) / cm.sum()
    denominator = (weights * expected).sum()
    if denominator == 0:
        raise MetricError("quadratic weighted kappa is undefined: truth and predictions use a single class")
    return float(1.0 - (weights * cm).sum() / denominator)


def _require_binary(classes: np.ndarray, name: str) -> None:
    if len(classes) != 2:
        raise MetricError(f"{name} is a binary metric; got {len(classes)} classes (use a multiclass metric)")


def _positive_mask(y_true: np.ndarray, classes: np.ndarray) -> np.ndarray:
    # Two comparisons are cheaper than encoding a million labels by binary search.
    positive = y_true == classes[-1]
    if not np.all(positive | (y_true == classes[0])):
        raise MetricError(f"y_true holds labels that are not among the {len(classes)} classes")
    return positive


def binary_auc(positive: np.ndarray, scores: np.ndarray, what: str = "the truth") -> float:
    """ROC AUC as the Mann-Whitney U statistic: P(score_pos > score_neg) + P(tie) / 2."""
    pos = np.sort(scores[positive])
    neg = np.sort(scores[~positive])
    if len(pos) == 0 or len(neg) == 0:
        raise MetricError(f"ROC AUC is undefined when {what} holds a single class")
    # For each positive: negatives strictly below it, plus half of those tied with it.
    below = np.searchsorted(neg, pos, side="left")
    below_or_tied = np.searchsorted(neg, pos, side="right")
    u = (below.sum(dtype=np.float64) + below_or_tied.sum(dtype=np.float64)) / 2.0
    return float(u / (len(pos) * float(len(neg))))


def roc_auc(y_true: np.ndarray, y_pred: np.ndarray, classes: np.ndarray) -> float:
    """ROC AUC of the positive class's scores: only their order counts (higher is better)."""
    _require_binary(classes, "roc_auc")
    return binary_auc(_positive_mask(y_true, classes), np.asarray(y_pred, dtype=np.float64))


def roc_auc_ovr(y_true: np.ndarray, y_pred: np.ndarray, classes: np.ndarray) -> float:
    """Macro mean of the one-vs-rest ROC AUCs, one score column per class (higher is better)."""
    # Macro average of one-vs-rest AUCs, scikit-learn's multi_class="ovr", average="macro".
    codes = encode(y_true, classes, "y_true")
    scores = np.asarray(y_pred, dtype=np.float64)
    return float(np.mean([
        binary_auc(codes == k, scores[:, k], f"the truth of one-vs-rest class #{k + 1}")
        for k in range(len(classes))
    ]))


def log_loss(y_true: np.ndarray, y_pred: np.ndarray, classes: np.ndarray) -> float:
    """Binary cross-entropy of P(positive class), clipped to [1e-15, 1 - 1e-15] (lower is better)."""
    _require_binary(classes, "log_loss")
    positive = _positive_mask(y_true, classes)
    p = np.clip(np.asarray(y_pred, dtype=np.float64), LOG_LOSS_EPS, 1 - LOG_LOSS_EPS)
    return float(-np.mean(np.where(positive, np.log(p), np.log1p(-p))))


def multiclass_log_loss(y_true: np.ndarray, y_pred: np.ndarray, classes: np.ndarray) -> float:
    """Kaggle's multiclass log loss: rows rescaled to sum 1, then clipped (lower is better)."""
    # Kaggle's rule: divide each row by its sum, then clip, then average -log p(true class).
    codes = encode(y_true, classes, "y_true")
    p = np.asarray(y_pred, dtype=np.float64)
    sums = p.sum(axis=1)
    if np.any(sums <= 0):
        raise MetricError("multiclass_log_loss needs every row of probabilities to have a positive sum")
    p_true = p[np.arange(len(codes)), codes] / sums
    return float(-np.mean(np.log(np.clip(p_true, LOG_LOSS_EPS, 1 - LOG_LOSS_EPS))))
