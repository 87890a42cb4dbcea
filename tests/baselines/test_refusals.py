"""Unsupported requests fail with a BaselineError that says what to do instead."""

from __future__ import annotations

import pytest

from baselines import BaselineError, Task, run_baseline


def test_cnn_refuses_a_tabular_task(wine):
    with pytest.raises(BaselineError, match=r"cnn baseline needs an image challenge.*'wine' is tabular.*mlp or xgboost"):
        run_baseline("cnn", wine.train, wine.test, wine.task, progress=False)


def test_unknown_model_is_named(wine):
    with pytest.raises(BaselineError, match=r"Unknown baseline 'forest'.*logreg, xgboost, mlp, cnn"):
        run_baseline("forest", wine.train, wine.test, wine.task)


@pytest.mark.parametrize("fields, message", [
    ({"kind": "clustering", "prediction": "label"}, "kind must be one of"),
    ({"kind": "regression", "prediction": "label"}, "regression task predicts 'value'"),
    ({"kind": "classification", "prediction": "value"}, "classification task predicts"),
    ({"kind": "classification", "prediction": "probability", "classes": [0, 1, 2]}, "binary tasks"),
    ({"kind": "classification", "prediction": "label", "image_shape": (8,)}, "image_shape"),
])
def test_task_checks_its_fields(fields, message):
    with pytest.raises(BaselineError, match=message):
        Task(id_column="id", target="y", **fields)


def test_pixel_count_must_match_the_image_shape(digits):
    task = Task(**{**digits.task.__dict__, "image_shape": (9, 9)})
    with pytest.raises(BaselineError, match="9×9×1 needs 81 pixel columns; got 64"):
        run_baseline("cnn", digits.train, digits.test, task, epochs=1, progress=False)


def test_text_features_are_encoded_not_refused(wine):
    # Text used to be refused; now it is a category like any other (see test_mixed_tables).
    train = wine.train.assign(alcohol="lots")
    test = wine.test.assign(alcohol="lots")
    result = run_baseline("logreg", train, test, wine.task, progress=False)
    assert len(result.submission) == len(test)


def test_unknown_labels_are_refused(wine):
    task = Task(**{**wine.task.__dict__, "classes": [0, 1, 5]})
    with pytest.raises(BaselineError, match="label 2, which is not among"):
        run_baseline("logreg", wine.train, wine.test, task, progress=False)
