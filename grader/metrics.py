"""The metric registry: a name, a direction, the kind of prediction and the function.

``Metric.score`` is the one entry point: it checks its inputs at the boundary (lengths,
shapes, classes) and hands clean numpy arrays to the functions in ``classification``,
``regression`` and ``ranking``.
"""

from __future__ import annotations

import difflib
import enum
import functools
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from grader import classification as clf
from grader import influence as inf
from grader import multicolumn, ranking, regression
from grader.errors import MetricError, UnknownMetricError


class PredictionKind(enum.StrEnum):
    """What a submission predicts, which fixes its columns and how they are parsed."""

    LABEL = "label"
    PROBABILITY = "probability"  # binary: P(positive class) in the target column
    CLASS_PROBABILITIES = "class_probabilities"  # one column per class
    VALUE = "value"  # regression
    RANKED_LABELS = "ranked_labels"  # space-separated labels, best first (MAP@K)
    # Several target columns in the solution; the submission has one column of the same name for each.
    COLUMN_PROBABILITIES = "column_probabilities"  # a probability per target column (one-hot, multi-label)
    COLUMN_VALUES = "column_values"  # a value per target column (several regression targets)

    @property
    def multi_column(self) -> bool:
        return self in (PredictionKind.COLUMN_PROBABILITIES, PredictionKind.COLUMN_VALUES)

    @property
    def holds(self) -> str:
        """What a submission holds for this kind of prediction, in words."""
        return _HOLDS[self]


_HOLDS = {
    PredictionKind.LABEL: "one label per id, in the target column",
    PredictionKind.PROBABILITY: "P(positive class) per id, in the target column",
    PredictionKind.CLASS_PROBABILITIES: "one probability column per class, named by the class",
    PredictionKind.VALUE: "one number per id, in the target column",
    PredictionKind.RANKED_LABELS: "up to K space-separated labels per id, best first",
    PredictionKind.COLUMN_PROBABILITIES: "one probability per target column, named like the solution's",
    PredictionKind.COLUMN_VALUES: "one number per target column, named like the solution's",
}


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
    binary: bool = False  # exactly two classes
    nonnegative: bool = False  # predictions below 0 are refused (rmsle)
    ranks_scores: bool = False  # only the order of the scores counts (AUC): any real number is allowed
    # (score, per-row influence ψ) from the same inputs as ``function``; see grader.influence.
    influence: Callable | None = field(default=None, repr=False, compare=False)
    bounds: tuple[float, float] = (0.0, 1.0)  # the values the score can take; intervals stay inside
    proportion: bool = False  # the score is a share of rows (accuracy): Wilson's interval, not zero-wide at 1

    def undefined_for(self, truth, classes: Sequence | None = None) -> str | None:
        """Why some valid submission would have no score on rows with this truth, or None.

        Checked on each Public/Private part when a challenge is added, so a submission can
        never meet an undefined metric (whose error would describe the hidden labels).
        """
        truth = np.asarray(truth) if not isinstance(truth, list) else truth
        if len(truth) == 0:
            return "it has no rows"
        if self.prediction.multi_column:
            if self.name == "mean_columnwise_roc_auc":
                for k in range(truth.shape[1] if truth.ndim == 2 else 0):
                    if len(np.unique(truth[:, k])) < 2:
                        return f"its target column #{k + 1} holds a single class and ROC AUC needs both"
            return None
        if self.prediction in (PredictionKind.VALUE, PredictionKind.RANKED_LABELS):
            if self.nonnegative and np.asarray(truth, dtype=np.float64).min() < 0:
                return f"it holds a negative value and {self.name} needs values of 0 or more"
            return None
        present = len(np.unique(truth))
        if self.name == "quadratic_weighted_kappa" and present < 2:
            return "all its labels are one class, so kappa is undefined for a submission predicting that class"
        if self.name.startswith("roc_auc"):
            wanted = len(classes) if classes is not None else 2
            if present < max(wanted, 2):
                return f"it holds {present} of the {max(wanted, 2)} classes and ROC AUC needs every class present"
        return None

    @property
    def higher_is_better(self) -> bool:
        return self.direction == "higher"

    @property
    def arrow(self) -> str:
        return "↑" if self.higher_is_better else "↓"

    def score(self, y_true, y_pred, classes: Sequence | None = None) -> float:
        """The metric on these rows; raises MetricError when it is undefined for them."""
        return self.function(*self._arguments(y_true, y_pred, classes))

    def estimate(self, y_true, y_pred, classes: Sequence | None = None) -> tuple[float, np.ndarray | None]:
        """(score, per-row influence ψ); ψ is None for a metric without an influence function."""
        arguments = self._arguments(y_true, y_pred, classes)
        if self.influence is None:
            return self.function(*arguments), None
        return self.influence(*arguments)

    def _arguments(self, y_true, y_pred, classes: Sequence | None) -> tuple:
        """The checked numpy arguments of ``function`` (lengths, shapes, classes)."""
        if len(y_true) != len(y_pred):
            raise MetricError(f"{self.name}: y_true has {len(y_true)} rows but y_pred has {len(y_pred)}")
        if len(y_true) == 0:
            raise MetricError(f"{self.name} is undefined on zero rows")
        kind = self.prediction
        if kind is PredictionKind.RANKED_LABELS:
            return y_true, y_pred
        if kind.multi_column:
            t = np.asarray(y_true, dtype=np.float64)
            p = np.asarray(y_pred, dtype=np.float64)
            if t.ndim != 2 or p.shape != t.shape:
                raise MetricError(f"{self.name} expects y_true and y_pred of the same shape (n, columns); "
                                  f"got {t.shape} and {p.shape}")
            return t, p
        if kind is PredictionKind.VALUE:
            t = np.asarray(y_true, dtype=np.float64)
            p = np.asarray(y_pred, dtype=np.float64)
            if p.ndim != 1:
                raise MetricError(f"{self.name} expects a 1-D array of values, got shape {p.shape}")
            return t, p
        t = np.asarray(y_true)
        p = np.asarray(y_pred) if kind is PredictionKind.LABEL else np.asarray(y_pred, dtype=np.float64)
        cls = _classes(t, p if kind is PredictionKind.LABEL else None, classes)
        if self.binary and len(cls) != 2:
            raise MetricError(f"{self.name} is a binary metric; got {len(cls)} classes")
        if kind is PredictionKind.CLASS_PROBABILITIES and (p.ndim != 2 or p.shape[1] != len(cls)):
            raise MetricError(f"{self.name} expects y_pred of shape (n, {len(cls)}), got {p.shape}")
        if kind is PredictionKind.PROBABILITY and p.ndim != 1:
            raise MetricError(f"{self.name} expects a 1-D array of probabilities, got shape {p.shape}")
        return t, p, cls


def _classes(y_true: np.ndarray, y_pred: np.ndarray | None, classes: Sequence | None) -> np.ndarray:
    if classes is not None:
        return np.asarray(classes)
    seen = np.unique(y_true if y_pred is None else np.concatenate([y_true, y_pred]))
    if y_pred is None and len(seen) == 1 and seen.dtype.kind in "biu" and seen[0] in (0, 1):
        seen = np.array([0, 1])  # a 0/1 truth with one class present is still binary
    return seen


def _map_metric(k: int) -> Metric:
    return Metric(
        name=f"map@{k}", direction="higher",
        prediction=PredictionKind.RANKED_LABELS, task="classification", decimals=5,
        description=f"Mean average precision at {k} (Kaggle's MAP@{k}): up to {k} space-separated labels, best first.",
        function=functools.partial(ranking.map_at_k, k=k), influence=functools.partial(inf.map_at_k, k=k))


_C, _R = "classification", "regression"
_L, _P, _CP, _V = (PredictionKind.LABEL, PredictionKind.PROBABILITY,
                   PredictionKind.CLASS_PROBABILITIES, PredictionKind.VALUE)
_COLP = PredictionKind.COLUMN_PROBABILITIES

_LOSS, _UP_TO_ONE = (0.0, math.inf), (-math.inf, 1.0)

METRICS: dict[str, Metric] = {m.name: m for m in [
    Metric("accuracy", "higher", _L, _C, 5, "Share of rows whose predicted label is right.", clf.accuracy,
           influence=inf.accuracy, proportion=True),
    Metric("balanced_accuracy", "higher", _L, _C, 5,
           "Mean recall over the classes: accuracy that does not reward ignoring rare classes.",
           clf.balanced_accuracy, influence=inf.balanced_accuracy),
    Metric("f1", "higher", _L, _C, 5, "F1 of the positive class (the last of the sorted classes).",
           clf.f1_binary, binary=True, influence=inf.f1_binary),
    Metric("f1_macro", "higher", _L, _C, 5, "Unweighted mean of the per-class F1 scores.", clf.f1_macro,
           influence=inf.f1_macro),
    Metric("f1_micro", "higher", _L, _C, 5, "F1 over all rows pooled (equals accuracy for single labels).",
           clf.f1_micro, influence=inf.f1_micro, proportion=True),
    Metric("roc_auc", "higher", _P, _C, 5,
           "Area under the ROC curve of a score for the positive class (any real number: only the order "
           "counts); 0.5 is chance, 1 is perfect ranking.",
           clf.roc_auc, binary=True, ranks_scores=True, influence=inf.roc_auc),
    Metric("roc_auc_ovr", "higher", _CP, _C, 5,
           "Mean one-vs-rest ROC AUC over the classes, one score column per class (any real numbers: "
           "only each column's order counts).",
           clf.roc_auc_ovr, ranks_scores=True, influence=inf.roc_auc_ovr),
    Metric("log_loss", "lower", _P, _C, 5,
           "Binary cross-entropy of P(positive class), clipped to [1e-15, 1 - 1e-15].",
           clf.log_loss, binary=True, influence=inf.log_loss, bounds=_LOSS),
    Metric("multiclass_log_loss", "lower", _CP, _C, 5,
           "Kaggle's multiclass log loss: rows rescaled to sum to 1, clipped to [1e-15, 1 - 1e-15].",
           clf.multiclass_log_loss, influence=inf.multiclass_log_loss, bounds=_LOSS),
    Metric("rmse", "lower", _V, _R, 5, "Root mean squared error.", regression.rmse, influence=inf.rmse,
           bounds=_LOSS),
    Metric("mae", "lower", _V, _R, 5, "Mean absolute error.", regression.mae, influence=inf.mae, bounds=_LOSS),
    Metric("rmsle", "lower", _V, _R, 5, "Root mean squared error of log(1 + value); values must be >= 0.",
           regression.rmsle, nonnegative=True, influence=inf.rmsle, bounds=_LOSS),
    Metric("r2", "higher", _V, _R, 5, "Coefficient of determination R²; 1 is perfect, 0 is predicting the mean.",
           regression.r2, influence=inf.r2, bounds=_UP_TO_ONE),
    Metric("quadratic_weighted_kappa", "higher", _L, _C, 5,
           "Agreement between ordered labels beyond chance, penalising far-off labels quadratically.",
           clf.quadratic_weighted_kappa, influence=inf.quadratic_weighted_kappa, bounds=_UP_TO_ONE),
    Metric("multiclass_log_loss_onehot", "lower", _COLP, _C, 5,
           "Kaggle's multiclass log loss with a one-hot solution (one 0/1 column per class): each row "
           "rescaled to sum to 1, clipped to [1e-15, 1 - 1e-15].", multicolumn.onehot_log_loss, bounds=_LOSS,
           influence=multicolumn.onehot_log_loss_influence),
    Metric("mean_columnwise_roc_auc", "higher", _COLP, _C, 5,
           "Multi-label: the ROC AUC of each 0/1 target column, averaged over the columns.",
           multicolumn.mean_columnwise_roc_auc, ranks_scores=True,
           influence=multicolumn.mean_columnwise_roc_auc_influence),
    Metric("mean_columnwise_rmse", "lower", PredictionKind.COLUMN_VALUES, _R, 5,
           "Several regression targets: the RMSE of each target column, averaged over the columns.",
           multicolumn.mean_columnwise_rmse, bounds=_LOSS, influence=multicolumn.mean_columnwise_rmse_influence),
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
    near = difflib.get_close_matches(name.strip().lower(), list_metrics(), n=1, cutoff=0.6)
    hint = f" Did you mean {near[0]!r}?" if near else ""
    raise UnknownMetricError(
        f"Unknown metric {name!r}.{hint} Known metrics: {', '.join(list_metrics())}, or map@K for any K "
        "(`kit metrics` describes each).")


def list_metrics() -> list[str]:
    """Names of the registered metrics, sorted."""
    return sorted(METRICS)


def expected_columns(metric: str | Metric, id_column: str, target_column: str | Sequence[str],
                     classes: Sequence | None = None) -> list[str]:
    """The submission's exact header for this metric: the one source every page, README and
    sample_submission.csv take it from. ``target_column`` may name several target columns."""
    metric = get_metric(metric)
    targets = [target_column] if isinstance(target_column, str) else list(target_column)
    if metric.prediction.multi_column:
        return [id_column, *targets]
    if len(targets) != 1:
        raise MetricError(f"{metric.name} scores one target column; the solution has {len(targets)} "
                          f"({', '.join(targets)}). Name one, or use a multi-column metric: "
                          f"{', '.join(n for n, m in METRICS.items() if m.prediction.multi_column)}.")
    target_column = targets[0]
    if metric.prediction is PredictionKind.CLASS_PROBABILITIES:
        if classes is None:
            raise MetricError(f"{metric.name} needs the classes to name one column per class")
        return [id_column] + [str(c) for c in classes]
    return [id_column, target_column]
