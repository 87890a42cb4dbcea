"""Tiny challenge bundles built from scikit-learn's bundled datasets, one per kind of prediction."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pytest
from sklearn import datasets
from sklearn.model_selection import train_test_split

from baselines import Task


@dataclass
class Bundle:
    name: str
    train: pd.DataFrame
    test: pd.DataFrame
    solution: pd.DataFrame  # id, target, Usage — what the grader scores against
    task: Task


def make_bundle(name: str, loader, task_fields: dict, *, pixel_names: bool = False,
                stratify: bool = True, seed: int = 0) -> Bundle:
    data = loader()
    X, y = data.data, data.target
    columns = [f"pixel{i}" for i in range(X.shape[1])] if pixel_names else [
        str(c).replace(" ", "_") for c in data.feature_names
    ]
    frame = pd.DataFrame(X, columns=columns)
    frame.insert(0, "id", np.arange(1000, 1000 + len(frame)))
    target = task_fields["target"]
    frame[target] = y
    train, test = train_test_split(frame, test_size=0.25, random_state=seed,
                                   stratify=y if stratify else None)
    train, test = train.reset_index(drop=True), test.reset_index(drop=True)
    usage = np.where(np.arange(len(test)) % 10 < 3, "Public", "Private")
    solution = pd.DataFrame({"id": test["id"], target: test[target], "Usage": usage})
    return Bundle(name, train, test.drop(columns=[target]), solution,
                  Task(id_column="id", name=name, **task_fields))


@pytest.fixture(scope="session")
def digits() -> Bundle:
    return make_bundle("digits", datasets.load_digits, {
        "target": "label", "kind": "classification", "prediction": "label", "classes": list(range(10)),
        "image_shape": (8, 8), "metric": "accuracy"}, pixel_names=True)


@pytest.fixture(scope="session")
def breast_cancer() -> Bundle:
    return make_bundle("breast-cancer", datasets.load_breast_cancer, {
        "target": "malignant", "kind": "classification", "prediction": "probability", "classes": [0, 1],
        "metric": "roc_auc"})


@pytest.fixture(scope="session")
def wine() -> Bundle:
    return make_bundle("wine", datasets.load_wine, {
        "target": "cultivar", "kind": "classification", "prediction": "class_probabilities",
        "classes": [0, 1, 2], "metric": "multiclass_log_loss"})


@pytest.fixture(scope="session")
def diabetes() -> Bundle:
    return make_bundle("diabetes", datasets.load_diabetes, {
        "target": "progression", "kind": "regression", "prediction": "value", "metric": "rmse"},
        stratify=False)


@pytest.fixture
def bundle(request) -> Bundle:
    """Parametrise a test with indirect=True and a fixture name: digits, wine, …"""
    return request.getfixturevalue(request.param)

