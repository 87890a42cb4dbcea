"""Logistic regression: the "hello world" baseline (Ridge regression for regression tasks).

It reads the one-hot encoded, standardised features of `baselines.preprocessing`: lbfgs
converges much faster when every column has mean 0 and variance 1, and the L2 penalty
then treats every feature alike.
"""

from __future__ import annotations

import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression, Ridge
from threadpoolctl import threadpool_limits

from baselines.devices import resolve_device
from baselines.features import Prepared
from baselines.progress import training_progress
from baselines.task import FittedModel, Task

ENCODING = "onehot"  # see baselines.preprocessing
MAX_ITER = 100  # enough for the demo datasets; on big image sets more mostly overfits


def inverse_regularisation(n_rows: int) -> float:
    """scikit-learn's penalty stays the same while the loss sums over rows, so the same C
    regularises big sets far less: 48,000 Fashion-MNIST rows overfit at C=1. Scale C down
    as rows grow (1.0 up to 500 rows, 0.01 at 50,000)."""
    return min(1.0, 500 / n_rows)


def build_model(task: Task, n_rows: int, seed: int = 0) -> LogisticRegression | Ridge:
    if task.kind == "regression":
        return Ridge(alpha=1.0)
    return LogisticRegression(solver="lbfgs", C=inverse_regularisation(n_rows), max_iter=MAX_ITER,
                              random_state=seed)


def fit(prepared: Prepared, task: Task, *, epochs: int | None = None, seed: int = 0,
        progress: bool = True, device: str = "auto") -> FittedModel:
    """Fit on the training rows. `epochs` caps lbfgs iterations for classification.

    Always on the CPU, whatever `device` says: scikit-learn's lbfgs has no GPU path, and
    on these sizes (Fashion-MNIST: about 8 s) a GPU linear model has not been shown faster
    at the same accuracy. `device` is still checked, so `--device cuda` without a GPU fails
    the same way for every model.
    """
    resolve_device(device)
    model = build_model(task, len(prepared.X_train), seed)
    if epochs is not None and task.kind == "classification":
        model.set_params(max_iter=epochs)
    # One BLAS thread: lbfgs's skinny products gain little from more, and on a busy machine
    # threads waiting on each other made a Fashion-MNIST fit 2.5× slower.
    with training_progress("logreg", None, enabled=progress), warnings.catch_warnings(), \
            threadpool_limits(1):
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
