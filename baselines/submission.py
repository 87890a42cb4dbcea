"""Model outputs → the submission DataFrame the grader expects, and the validation score.

Every baseline predicts the same two shapes: an (n, K) matrix of class probabilities in
`classes` order for classification, or a 1-D array of values for regression. This module
turns those into what the task's prediction kind asks for.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from baselines.features import Prepared, decode_labels
from baselines.task import Task


def prediction_for_metric(output: np.ndarray, prepared: Prepared, task: Task) -> np.ndarray:
    """What the metric (and the submission) wants from the model's output."""
    if task.prediction == "value":
        return np.asarray(output, dtype=np.float64).reshape(-1)
    probabilities = normalise(output)
    if task.prediction == "label":
        return decode_labels(probabilities.argmax(axis=1), prepared.classes)
    if task.prediction == "probability":
        return probabilities[:, -1]  # the positive class is the last of the sorted classes
    return probabilities


def normalise(probabilities: np.ndarray) -> np.ndarray:
    """Rows of non-negative float64 that sum to exactly 1 (float32 softmax is a hair off)."""
    p = np.clip(np.asarray(probabilities, dtype=np.float64), 0.0, None)
    return p / p.sum(axis=1, keepdims=True)


def build_submission(output: np.ndarray, prepared: Prepared, task: Task) -> pd.DataFrame:
    """One row per test id, in test.csv's order, with exactly the grader's columns."""
    prediction = prediction_for_metric(output, prepared, task)
    ids = prepared.test_ids.to_numpy()
    if task.prediction == "class_probabilities":
        columns = [str(c) for c in prepared.classes]
        frame = pd.DataFrame(prediction, columns=columns)
        frame.insert(0, task.id_column, ids)
        return frame
    return pd.DataFrame({task.id_column: ids, task.target: prediction})


def validation_score(output: np.ndarray, prepared: Prepared, task: Task) -> float:
    """The grader's metric on the held-out validation rows."""
    # Imported here, not at the top: grader is only needed once a model is trained.
    from grader import get_metric

    prediction = prediction_for_metric(output, prepared, task)
    classes = task.classes if task.classes is not None else (
        None if prepared.classes is None else prepared.classes.tolist()
    )
    return float(get_metric(task.metric).score(prepared.y_val_raw, prediction, classes=classes))
