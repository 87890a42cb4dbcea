"""The metric registry: a name, a direction, the kind of prediction and the function.

``Metric.score`` is the one entry point: it checks its inputs at the boundary (lengths,
shapes, classes) and hands clean numpy arrays to the functions in ``classification``,
``regression`` and ``ranking``.
"""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from grader import classification as clf
from grader import ranking, regression
from grader.errors import MetricError, UnknownMetricError


class PredictionKind(str, enum.Enum):
    """What a submission predicts, which fixes its columns and how they are parsed."""

    LABEL = "label"
    PROBABILITY = "probability"  # binary: P(positive class) in the target column
    CLASS_PROBABILITIES = "class_probabilities"  # one column per class
    VALUE = "value"  # regression
    RANKED_LABELS = "ranked_labels"  # space-separated labels, best first (MAP@K)


@dataclass(frozen=True)
class Metric:
    """One registered metric; ``score`` is full precision, ``decimals`` is for display only."""

    name: str
    direction: str  # "higher" or "lower"
    prediction: PredictionKind
    task: str  # "classification" or "regression"
    decimals: int
    description: str
    function: Callable = field(repr=False, compare=False)
    requires_sum_to_one: bool = False  # class probabilities must sum to 1 per row
    binary: bool = False  # exactly two classes
    nonnegative: bool = False  # predictions below 0 are refused (rmsle)

    @property
    def higher_is_better(self) -> bool:
        return self.direction == "higher"

    @property
    def arrow(self) -> str:
        return "↑" if self.higher_is_better else "↓"

    def score(self, y_true, y_pred, classes: Sequence | None = None) -> float:
        """The metric on these rows; raises MetricError when it is undefined for them."""
        if len(y_true) != len(y_pred):
            raise MetricError(f"{self.name}: y_true has {len(y_true)} rows but y_pred has {len(y_pred)}")
        if len(y_true) == 0:
            raise MetricError(f"{self.name} is undefined on zero rows")
        kind = self.prediction
        if kind is PredictionKind.RANKED_LABELS:
            return self.function(y_true, y_pred)
        if kind is PredictionKind.VALUE:
            t = np.asarray(y_true, dtype=np.float64)
            p = np.asarray(y_pred, dtype=np.float64)
            if p.ndim != 1:
                raise MetricError(f"{self.name} expects a 1-D array of values, got shape {p.shape}")
            return self.function(t, p)
        t = np.asarray(y_true)
        p = np.asarray(y_pred) if kind is PredictionKind.LABEL else np.asarray(y_pred, dtype=np.float64)
        cls = _classes(t, p if kind is PredictionKind.LABEL else None, classes)
        if self.binary and len(cls) != 2:
            raise MetricError(f"{self.name} is a binary metric; got {len(cls)} classes")
        if kind is PredictionKind.CLASS_PROBABILITIES and (p.ndim != 2 or p.shape[1] != len(cls)):
            raise MetricError(f"{self.name} expects y_pred of shape (n, {len(cls)}), got {p.shape}")
        if kind is PredictionKind.PROBABILITY and p.ndim != 1:
            raise MetricError(f"{self.name} expects a 1-D array of probabilities, got shape {p.shape}")
        return self.function(t, p, cls)


def _classes(y_true: np.ndarray, y_pred: np.ndarray | None, classes: Sequence | None) -> np.ndarray:
    if classes is not None:
        return np.asarray(classes)
    seen = np.unique(y_true if y_pred is None else np.concatenate([y_true, y_pred]))
    if y_pred is None and len(seen) == 1 and seen.dtype.kind in "biu" and seen[0] in (0, 1):
        seen = np.array([0, 1])  # a 0/1 truth with one class present is still binary
    return seen


def _map_metric(k: int) -> Metric:
    return Metric(
        name="map_at_3" if k == 3 else f"map@{k}", direction="higher",
        prediction=PredictionKind.RANKED_LABELS, task="classification", decimals=5,
        description=f"Mean average precision at {k} (Kaggle's MAP@{k}): up to {k} space-separated labels, best first.",
        function=functools.partial(ranking.map_at_k, k=k))


_C, _R = "classification", "regression"
_L, _P, _CP, _V = (PredictionKind.LABEL, PredictionKind.PROBABILITY,
                   PredictionKind.CLASS_PROBABILITIES, PredictionKind.VALUE)

METRICS: dict[str, Metric] = {m.name: m for m in [
    Metric("accuracy", "higher", _L, _C, 5, "Share of rows whose predicted label is right.", clf.accuracy),
    Metric("balanced_accuracy", "higher", _L, _C, 5,
           "Mean recall over the classes: accuracy that does not reward ignoring rare classes.",
           clf.balanced_accuracy),
    Metric("f1", "higher", _L, _C, 5, "F1 of the positive class (the last of the sorted classes).",
           clf.f1_binary, binary=True),
    Metric("f1_macro", "higher", _L, _C, 5, "Unweighted mean of the per-class F1 scores.", clf.f1_macro),
    Metric("f1_micro", "higher", _L, _C, 5, "F1 over all rows pooled (equals accuracy for single labels).",
           clf.f1_micro),
    Metric("roc_auc", "higher", _P, _C, 5,
           "Area under the ROC curve of P(positive class); 0.5 is chance, 1 is perfect ranking.",
           clf.roc_auc, binary=True),
    Metric("roc_auc_ovr", "higher", _CP, _C, 5,
           "Mean one-vs-rest ROC AUC over the classes, one probability column per class.",
           clf.roc_auc_ovr, requires_sum_to_one=True),
    Metric("log_loss", "lower", _P, _C, 5,
           "Binary cross-entropy of P(positive class), clipped to [1e-15, 1 - 1e-15].",
           clf.log_loss, binary=True),
    Metric("multiclass_log_loss", "lower", _CP, _C, 5,
           "Kaggle's multiclass log loss: rows rescaled to sum to 1, clipped to [1e-15, 1 - 1e-15].",
           clf.multiclass_log_loss),
    Metric("rmse", "lower", _V, _R, 5, "Root mean squared error.", regression.rmse),
    Metric("mae", "lower", _V, _R, 5, "Mean absolute error.", regression.mae),
    Metric("rmsle", "lower", _V, _R, 5, "Root mean squared error of log(1 + value); values must be >= 0.",
           regression.rmsle, nonnegative=True),
    Metric("r2", "higher", _V, _R, 5, "Coefficient of determination R²; 1 is perfect, 0 is predicting the mean.",
           regression.r2),
    Metric("quadratic_weighted_kappa", "higher", _L, _C, 5,
           "Agreement between ordered labels beyond chance, penalising far-off labels quadratically.",
           clf.quadratic_weighted_kappa),
    _map_metric(3),
]}

_MAP_AT = re.compile(r"map@([1-9][0-9]{0,2})")


def get_metric(name: str | Metric) -> Metric:
    """The registered metric called ``name``; ``map@K`` works for any K from 1 to 999."""
    if isinstance(name, Metric):
        return name
    if not isinstance(name, str):
        raise TypeError(f"metric must be a name or a Metric, got {type(name).__name__}")
    if name in METRICS:
        return METRICS[name]
    match = _MAP_AT.fullmatch(name.strip().lower())
    if match:
        return _map_metric(int(match.group(1)))
    raise UnknownMetricError(
        f"Unknown metric {name!r}. Known metrics: {', '.join(list_metrics())}, or map@K for any K.")


def list_metrics() -> list[str]:
    """Names of the registered metrics, sorted."""
    return sorted(METRICS)


def expected_columns(metric: str | Metric, id_column: str, target_column: str,
                     classes: Sequence | None = None) -> list[str]:
    """The submission's header for this metric (the kit writes sample_submission.csv with it)."""
    metric = get_metric(metric)
    if metric.prediction is PredictionKind.CLASS_PROBABILITIES:
        if classes is None:
            raise MetricError(f"{metric.name} needs the classes to name one column per class")
        return [id_column] + [str(c) for c in classes]
    return [id_column, target_column]
