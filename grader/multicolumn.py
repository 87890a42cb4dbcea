"""Metrics over several target columns, as Kaggle's multi-column solutions are scored.

Each function takes (n, k) float arrays: the solution's k target columns and the
submission's columns of the same names, already checked for shape by ``Metric.score``.
"""

from __future__ import annotations

import numpy as np

from grader.classification import LOG_LOSS_EPS, binary_auc
from grader.errors import MetricError


def onehot_log_loss(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """Kaggle's multi-class log loss with a one-hot solution: rows rescaled to sum to 1, then clipped."""
    if not np.all(np.isin(y_true, (0.0, 1.0))) or not np.all(y_true.sum(axis=1) == 1):
        raise MetricError("a one-hot solution needs exactly one 1 per row and 0 elsewhere")
    sums = y_pred.sum(axis=1)
    if np.any(sums <= 0):
        raise MetricError("multiclass_log_loss_onehot needs every row of probabilities to have a positive sum")
    p = np.clip(y_pred / sums[:, None], LOG_LOSS_EPS, 1 - LOG_LOSS_EPS)
    return float(-np.mean(np.sum(y_true * np.log(p), axis=1)))


def mean_columnwise_roc_auc(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """Multi-label: the ROC AUC of each column (0/1 truth), averaged over the columns."""
    if not np.all(np.isin(y_true, (0.0, 1.0))):
        raise MetricError("a multi-label solution holds only 0 and 1")
    return float(np.mean([binary_auc(y_true[:, k] == 1, y_pred[:, k], f"target column #{k + 1}")
                          for k in range(y_true.shape[1])]))


def mean_columnwise_rmse(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """Several regression targets: the RMSE of each column, averaged over the columns."""
    return float(np.mean(np.sqrt(np.mean((y_true - y_pred) ** 2, axis=0))))


# Each metric's score with its per-row influence ψ (see grader.influence): a mean over columns
# of per-column scores has the mean of their influences.


def onehot_log_loss_influence(y_true: np.ndarray, y_pred: np.ndarray) -> tuple[float, np.ndarray]:
    score = onehot_log_loss(y_true, y_pred)
    p = np.clip(y_pred / y_pred.sum(axis=1)[:, None], LOG_LOSS_EPS, 1 - LOG_LOSS_EPS)
    return score, -np.sum(y_true * np.log(p), axis=1) - score


def mean_columnwise_roc_auc_influence(y_true: np.ndarray, y_pred: np.ndarray) -> tuple[float, np.ndarray]:
    from grader.influence import _auc_parts

    score = mean_columnwise_roc_auc(y_true, y_pred)
    parts = [_auc_parts(y_true[:, k] == 1, y_pred[:, k], f"target column #{k + 1}") for k in range(y_true.shape[1])]
    return score, np.mean([psi for _auc, psi in parts], axis=0)


def mean_columnwise_rmse_influence(y_true: np.ndarray, y_pred: np.ndarray) -> tuple[float, np.ndarray]:
    from grader.influence import _root_of_mean

    score = mean_columnwise_rmse(y_true, y_pred)
    squares = (y_true - y_pred) ** 2
    return score, np.mean([_root_of_mean(squares[:, k])[1] for k in range(y_true.shape[1])], axis=0)
