"""Regression metrics in numpy: RMSE, MAE, RMSLE and R^2."""

from __future__ import annotations

import numpy as np

from grader.errors import MetricError


def rmse(y_true: np.ndarray, y_pred: np.ndarray, classes: np.ndarray | None = None) -> float:
    """Root mean squared error (lower is better)."""
    return float(np.sqrt(np.mean((y_true - y_pred) ** 2)))


def mae(y_true: np.ndarray, y_pred: np.ndarray, classes: np.ndarray | None = None) -> float:
    """Mean absolute error (lower is better)."""
    return float(np.mean(np.abs(y_true - y_pred)))


def rmsle(y_true: np.ndarray, y_pred: np.ndarray, classes: np.ndarray | None = None) -> float:
    """Root mean squared error of log(1 + value); refuses negative values (lower is better)."""
    # log1p is undefined below -1 and meaningless below 0: refuse instead of returning NaN.
    if np.any(y_true < 0):
        raise MetricError("rmsle is undefined for a negative true value")
    if np.any(y_pred < 0):
        raise MetricError("rmsle is undefined for a negative prediction")
    return float(np.sqrt(np.mean((np.log1p(y_pred) - np.log1p(y_true)) ** 2)))


def r2(y_true: np.ndarray, y_pred: np.ndarray, classes: np.ndarray | None = None) -> float:
    """Coefficient of determination R²; a constant truth scores 1 if matched exactly, else 0 (higher is better)."""
    residual = np.sum((y_true - y_pred) ** 2)
    total = np.sum((y_true - np.mean(y_true)) ** 2)
    if total == 0:
        # A constant truth: scikit-learn's force_finite convention (1 if perfect, else 0).
        return 1.0 if residual == 0 else 0.0
    return float(1.0 - residual / total)
