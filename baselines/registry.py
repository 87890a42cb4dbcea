"""`run_baseline`: prepare the data, fit one baseline, score it on validation, write the submission."""

from __future__ import annotations

import time

import pandas as pd

from baselines import cnn, logreg, mlp, xgboost_model
from baselines.devices import resolve_device
from baselines.features import prepare
from baselines.submission import build_submission, validation_score
from baselines.task import BaselineError, BaselineResult, Task

MODELS = ("logreg", "xgboost", "mlp", "cnn")
_MODULES = {"logreg": logreg, "xgboost": xgboost_model, "mlp": mlp, "cnn": cnn}


def run_baseline(
    model: str,
    train_df: pd.DataFrame,
    test_df: pd.DataFrame,
    task: Task,
    *,
    epochs: int | None = None,
    seed: int = 0,
    progress: bool = True,
    max_rows: int | None = None,
    device: str = "auto",
) -> BaselineResult:
    """Train baseline `model` on train.csv's rows and predict test.csv.

    `epochs` overrides the model's default (training epochs for mlp/cnn, boosting rounds
    for xgboost, lbfgs iterations for logreg); `max_rows` trains on a stratified subset
    of train.csv; `seed` makes the split and the training repeatable on one device;
    `device` is auto (the GPU when there is one), cpu or cuda.
    The model trains on 80 % of train.csv; the other 20 % (at most 5,000 rows) gives `validation_score`.
    """
    if model not in _MODULES:
        raise BaselineError(f"Unknown baseline {model!r}; choose one of {', '.join(MODELS)}.")
    if not isinstance(task, Task):
        raise BaselineError(f"task must be a baselines.Task; got {type(task).__name__}.")
    if epochs is not None and epochs < 1:
        raise BaselineError(f"epochs must be a positive number; got {epochs}.")
    if max_rows is not None and max_rows < 4:
        raise BaselineError(f"max_rows must be at least 4; got {max_rows}.")
    resolve_device(device)  # refuse `cuda` without a GPU before any data work
    if model == "cnn":
        cnn.require_images(task)  # before any data work, so the refusal is instant

    module = _MODULES[model]
    prepared = prepare(train_df, test_df, task, seed=seed, max_rows=max_rows, encoding=module.ENCODING)
    started = time.perf_counter()
    fitted = module.fit(prepared, task, epochs=epochs, seed=seed, progress=progress, device=device)
    train_seconds = time.perf_counter() - started

    return BaselineResult(
        submission=build_submission(fitted.predict(prepared.X_test), prepared, task),
        validation_score=validation_score(fitted.predict(prepared.X_val), prepared, task),
        metric=getattr(task.metric, "name", task.metric),
        device=fitted.device,
        train_seconds=train_seconds,
        model=fitted.model,
        epochs=fitted.epochs,
        train_rows=len(prepared.X_train),
        validation_rows=len(prepared.X_val),
    )
