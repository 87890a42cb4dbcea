"""Gradient-boosted trees with XGBoost, stopping early when the validation score stalls.

Named xgboost_model.py so that `import xgboost` still finds the real package.
"""

from __future__ import annotations

import numpy as np
import xgboost as xgb

from baselines.devices import resolve_device
from baselines.features import SMALL_DATA, Prepared
from baselines.progress import TrainingProgress, training_progress
from baselines.task import FittedModel, Task

ENCODING = "native"  # categories as codes XGBoost splits on natively; see baselines.preprocessing
MAX_ROUNDS = 500
# Images: many similar pixel columns, so few fast rounds on coarse histograms.
PIXEL_PARAMS = {
    "learning_rate": 0.3,  # XGBoost's default: few rounds, fast on CPU
    "max_depth": 6,
    "max_bin": 64,  # coarser histograms: faster splits, same accuracy on pixel-like data
    "colsample_bytree": 0.5,  # each tree sees half the features: faster and less overfit
}
# Tables: fewer, mixed columns (categories with up to 255 levels need as many bins); smaller
# steps and shallower trees generalise better (on the benchmark's mixed table, within
# HistGradientBoosting's accuracy where the image settings fell 1.5 points short).
TABLE_PARAMS = {"learning_rate": 0.1, "max_depth": 5, "max_bin": 256, "colsample_bytree": 0.8}  # an upper bound; early stopping usually ends well before
EARLY_STOPPING_ROUNDS = 20


class ProgressCallback(xgb.callback.TrainingCallback):
    """Advances the Rich bar after each boosting round."""

    def __init__(self, bar: TrainingProgress) -> None:
        super().__init__()
        self.bar = bar

    def after_iteration(self, model, epoch: int, evals_log) -> bool:
        scores = evals_log.get("validation", {})
        status = ", ".join(f"{name} {values[-1]:.4f}" for name, values in scores.items())
        self.bar.advance(status=status)
        return False  # False means "keep training"

    def after_training(self, model):
        # Early stopping ends before the round cap: close the bar at the rounds actually run.
        self.bar.finish()
        return model


def objective(task: Task, n_classes: int) -> dict:
    if task.kind == "regression":
        return {"objective": "reg:squarederror", "eval_metric": "rmse"}
    if n_classes == 2:
        return {"objective": "binary:logistic", "eval_metric": "logloss"}
    return {"objective": "multi:softprob", "eval_metric": "mlogloss", "num_class": n_classes}


def fit(prepared: Prepared, task: Task, *, epochs: int | None = None, seed: int = 0,
        progress: bool = True, device: str = "auto") -> FittedModel:
    """Boost up to `epochs` rounds (default MAX_ROUNDS) with early stopping on validation.

    On a GPU (`device` auto or cuda) XGBoost builds its histograms there, on all the rows.
    """
    device = resolve_device(device).type
    rounds = epochs or MAX_ROUNDS
    params = {
        **objective(task, prepared.n_classes),
        "tree_method": "hist",  # histogram splits: fast on CPU and the GPU path
        "device": device,
        "subsample": 0.8,
        "seed": seed,
        **(PIXEL_PARAMS if task.image_shape is not None else TABLE_PARAMS),
    }
    if prepared.X_train.size < SMALL_DATA:
        params["nthread"] = 1  # see features.SMALL_DATA
    def matrix(X: np.ndarray, label: np.ndarray | None = None) -> xgb.DMatrix:
        # Columns typed "c" are categories: XGBoost partitions their codes instead of ordering them.
        return xgb.DMatrix(X, label=label, feature_types=prepared.feature_types,
                           enable_categorical=prepared.feature_types is not None)

    train = matrix(prepared.X_train, prepared.y_train)
    validation = matrix(prepared.X_val, prepared.y_val)
    with training_progress("xgboost", rounds, enabled=progress) as bar:
        booster = xgb.train(
            params,
            train,
            num_boost_round=rounds,
            evals=[(validation, "validation")],
            early_stopping_rounds=EARLY_STOPPING_ROUNDS,
            callbacks=[ProgressCallback(bar)],
            verbose_eval=False,
        )

    # Predict on the CPU: the arrays are in host memory, and a GPU booster would warn about
    # copying them over ("mismatched devices") on every call.
    booster.set_param({"device": "cpu"})

    def predict(X: np.ndarray) -> np.ndarray:
        # Predict with the best round found by early stopping, not the last one.
        output = booster.predict(matrix(X), iteration_range=(0, booster.best_iteration + 1))
        if task.kind == "regression":
            return output
        if prepared.n_classes == 2:
            return np.column_stack([1.0 - output, output])
        return output

    return FittedModel(model=booster, predict=predict, device=device, epochs=booster.best_iteration + 1)
