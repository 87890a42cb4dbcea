"""Logistic regression: the "hello world" baseline (Ridge regression for regression tasks).

Features are standardised first: lbfgs converges much faster when every column has
mean 0 and variance 1, and the L2 penalty then treats every feature alike.
"""

from __future__ import annotations

import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler

from threadpoolctl import threadpool_limits

from baselines.features import SMALL_DATA, Prepared
from baselines.progress import training_progress
from baselines.task import FittedModel, Task

MAX_ITER = 300  # enough for the demo datasets; big image sets stop a little short of converged


def build_model(task: Task, seed: int = 0) -> Pipeline:
    if task.kind == "regression":
        return make_pipeline(StandardScaler(), Ridge(alpha=1.0))
    return make_pipeline(
        StandardScaler(),
        LogisticRegression(solver="lbfgs", C=1.0, max_iter=MAX_ITER, random_state=seed),
    )


def fit(prepared: Prepared, task: Task, *, epochs: int | None = None, seed: int = 0,
        progress: bool = True) -> FittedModel:
    """Fit on the training rows. `epochs` caps lbfgs iterations for classification."""
    model = build_model(task, seed)
    if epochs is not None and task.kind == "classification":
        model.set_params(logisticregression__max_iter=epochs)
    threads = 1 if prepared.X_train.size < SMALL_DATA else None
    with training_progress("logreg", None, enabled=progress), warnings.catch_warnings(), \
            threadpool_limits(threads):
        # Stopping at max_iter is fine for a baseline; the validation score tells the story.
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(prepared.X_train, prepared.y_train)

    def predict(X: np.ndarray) -> np.ndarray:
        if task.kind == "regression":
            return model.predict(X)
        # The training split may lack a rare class; put each column where its class belongs.
        probabilities = np.zeros((len(X), prepared.n_classes))
        probabilities[:, model.classes_] = model.predict_proba(X)
        return probabilities

    return FittedModel(model=model, predict=predict, device="cpu")
