"""Preparing a bundle's data: columns, label encoding, the validation split, subsets."""

from __future__ import annotations

import numpy as np
import pandas as pd

from baselines import Task
from baselines.features import as_images, decode_labels, encode_labels, prepare, validation_size


def test_labels_round_trip_through_their_codes():
    classes = np.array(["cat", "dog", "eel"])
    y = pd.Series(["eel", "cat", "eel", "dog"])
    codes = encode_labels(y, classes)
    assert codes.tolist() == [2, 0, 2, 1]
    assert decode_labels(codes, classes).tolist() == y.tolist()


def test_validation_split_is_stratified_seeded_and_leaves_test_alone(digits):
    a = prepare(digits.train, digits.test, digits.task, seed=0, encoding="pixels")
    b = prepare(digits.train, digits.test, digits.task, seed=0, encoding="pixels")
    c = prepare(digits.train, digits.test, digits.task, seed=1, encoding="pixels")
    assert np.array_equal(a.y_val, b.y_val) and not np.array_equal(a.y_val, c.y_val)
    assert len(a.X_train) + len(a.X_val) == len(digits.train)
    assert abs(len(a.X_val) - 0.2 * len(digits.train)) <= 1
    # Stratified: every class keeps its share within a row or two.
    shares = np.bincount(a.y_val, minlength=10) / np.bincount(digits.train["label"], minlength=10)
    assert np.all(np.abs(shares - 0.2) < 0.05)
    assert np.array_equal(a.X_test, digits.test.drop(columns="id").to_numpy(np.float32))
    assert a.feature_columns == [f"pixel{i}" for i in range(64)]


def test_big_sets_hold_out_at_most_5000_rows_for_validation():
    assert validation_size(1_000) == 0.2 and validation_size(25_000) == 0.2
    assert validation_size(52_500) == 5_000  # Fashion-MNIST's train.csv: 47,500 rows left to train on
    rng = np.random.default_rng(0)
    train = pd.DataFrame({"id": np.arange(30_000), "x": rng.random(30_000), "label": rng.integers(0, 3, 30_000)})
    task = Task(id_column="id", target="label", kind="classification", prediction="label", classes=[0, 1, 2])
    prepared = prepare(train, train.drop(columns="label").head(5), task)
    assert len(prepared.X_val) == 5_000 and len(prepared.X_train) == 25_000


def test_max_rows_keeps_a_stratified_subset(digits):
    p = prepare(digits.train, digits.test, digits.task, seed=0, max_rows=500)
    assert len(p.X_train) + len(p.X_val) == 500
    assert set(p.y_train.tolist()) == set(range(10))
    assert len(p.X_test) == len(digits.test)


def test_missing_numbers_are_filled_with_training_medians(wine):
    test = wine.test.copy()
    test.loc[0, "alcohol"] = np.nan
    p = prepare(wine.train, test, wine.task, encoding="native")  # numbers pass through unscaled
    column = p.feature_columns.index("alcohol")
    assert np.isnan(p.X_test[0, column])  # XGBoost handles the gap itself
    scaled = prepare(wine.train, test, wine.task)
    assert not np.isnan(scaled.X_test).any()
    # The median of the training rows, standardised, is the training rows' scaled median.
    assert np.isclose(scaled.X_test[0, column], np.median(scaled.X_train[:, column]), atol=1e-6)


def test_pixels_become_images_row_major():
    X = np.arange(12, dtype=np.float32).reshape(2, 6)
    images = as_images(X, (2, 3))
    assert images.shape == (2, 1, 2, 3)
    assert images[1, 0, 1].tolist() == [9, 10, 11]
