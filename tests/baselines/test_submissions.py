"""Every baseline writes a submission with the grader's columns and types for every kind of task."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from baselines import MODELS, BaselineResult, run_baseline

TINY = {"logreg": 50, "xgboost": 5, "mlp": 2, "cnn": 2}  # epochs / rounds / iterations
TABULAR = ["breast_cancer", "wine", "diabetes"]
CASES = [(model, "digits") for model in MODELS] + [
    (model, name) for model in MODELS if model != "cnn" for name in TABULAR
]


def run(model, bundle) -> BaselineResult:
    return run_baseline(model, bundle.train, bundle.test, bundle.task, epochs=TINY[model],
                        seed=0, progress=False)


@pytest.mark.parametrize("model, bundle", CASES, indirect=["bundle"])
def test_submission_matches_the_grader_contract(model, bundle):
    result = run(model, bundle)
    submission, task = result.submission, bundle.task
    assert isinstance(submission, pd.DataFrame)
    assert len(submission) == len(bundle.test)
    assert submission["id"].tolist() == bundle.test["id"].tolist()  # test order
    assert submission["id"].dtype == bundle.test["id"].dtype
    if task.prediction == "class_probabilities":
        assert list(submission.columns) == ["id"] + [str(c) for c in task.classes]
        rows = submission.drop(columns="id").to_numpy()
        assert np.allclose(rows.sum(axis=1), 1.0)
        assert (rows >= 0).all()
    else:
        assert list(submission.columns) == ["id", task.target]
        column = submission[task.target]
        assert column.notna().all()
        if task.prediction == "label":
            assert column.dtype == bundle.train[task.target].dtype  # ints stay ints
            assert set(column) <= set(task.classes)
        elif task.prediction == "probability":
            assert column.between(0, 1).all()
        else:
            assert pd.api.types.is_float_dtype(column)
    assert np.isfinite(result.validation_score)
    assert result.metric == task.metric
    assert result.train_seconds > 0
    assert result.device.startswith(("cpu", "cuda"))
    assert result.train_rows + result.validation_rows == len(bundle.train)


@pytest.mark.parametrize("model", ["logreg", "xgboost", "mlp"])
def test_string_labels_come_back_as_strings(model, wine):
    names = np.array(["barolo", "grignolino", "barbera"])
    train = wine.train.assign(cultivar=names[wine.train["cultivar"]])
    task = type(wine.task)(**{**wine.task.__dict__, "classes": sorted(names), "prediction": "label",
                               "metric": "accuracy"})
    result = run_baseline(model, train, wine.test, task, epochs=TINY[model], progress=False)
    assert set(result.submission["cultivar"]) <= set(names)


def test_validation_scores_are_sensible(digits, diabetes):
    # Defaults on small data: a linear model already reads digits well, and the mlp
    # must beat predicting the mean on diabetes.
    assert run_baseline("logreg", digits.train, digits.test, digits.task, progress=False).validation_score > 0.9
    spread = diabetes.train["progression"].std()
    assert run_baseline("mlp", diabetes.train, diabetes.test, diabetes.task, progress=False).validation_score < spread
