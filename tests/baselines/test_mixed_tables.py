"""Every tabular baseline runs on a table as found in the wild and beats the trivial predictor."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from baselines import BaselineError, Task, run_baseline
from baselines.features import prepare
from baselines.preprocessing import column_kinds

CLASSES = ["Adelie", "Chinstrap", "Gentoo"]


def split(frame: pd.DataFrame, target: str):
    frame = frame.reset_index(drop=True)
    frame.insert(0, "id", np.arange(1, len(frame) + 1))
    test = frame.sample(frac=0.3, random_state=1)
    train = frame.drop(index=test.index)
    return train.reset_index(drop=True), test.drop(columns=[target]).reset_index(drop=True), test[target].to_numpy()


@pytest.fixture(scope="module")
def penguins():
    from tests.conftest import mixed_table

    return split(mixed_table(500, seed=1), "species")


@pytest.fixture(scope="module")
def penguin_mass():
    from tests.conftest import mixed_table

    frame = mixed_table(500, seed=2)
    rng = np.random.default_rng(0)
    # Mass grows with the flipper, differs by species and island; gaps and text columns on the way.
    frame["body_mass_g"] = (frame["species"].map({"Adelie": 3700, "Chinstrap": 3730, "Gentoo": 5070})
                            + 20 * (frame["flipper_length_mm"].fillna(200) - 200)
                            + np.where(frame["island"] == "Dream", 150, 0) + rng.normal(0, 120, len(frame)))
    return split(frame.drop(columns=["species"]), "body_mass_g")


def test_every_kind_of_column_is_recognised(penguins):
    train, _test, _truth = penguins
    kinds = column_kinds(train, ["island", "bill_length_mm", "tagged", "observed", "sex"])
    assert kinds == {"island": "category", "bill_length_mm": "number", "tagged": "boolean",
                     "observed": "date", "sex": "category"}


def test_unseen_categories_and_gaps_in_test_are_encoded(penguins):
    train, test, _truth = penguins
    test = test.copy()
    test.loc[0, "island"] = "Atlantis"  # a level train.csv never had
    task = Task(id_column="id", target="species", kind="classification", prediction="label", classes=CLASSES)
    for encoding in ("onehot", "native"):
        prepared = prepare(train, test, task, encoding=encoding)
        assert prepared.X_test.shape[0] == len(test)
        assert prepared.X_train.dtype == np.float32
    assert not np.isnan(prepare(train, test, task).X_test).any()
    native = prepare(train, test, task, encoding="native")
    assert "c" in native.feature_types and "q" in native.feature_types


@pytest.mark.parametrize("model", ["logreg", "xgboost", "mlp"])
def test_each_tabular_baseline_beats_the_majority_class(penguins, model):
    train, test, truth = penguins
    task = Task(id_column="id", target="species", kind="classification", prediction="label",
                classes=CLASSES, metric="accuracy")
    result = run_baseline(model, train, test, task, progress=False, epochs=15 if model == "mlp" else None)
    assert list(result.submission.columns) == ["id", "species"]
    majority = np.mean(truth == train["species"].mode()[0])
    accuracy = np.mean(result.submission["species"].to_numpy() == truth)
    assert accuracy > majority + 0.3, (accuracy, majority)


@pytest.mark.parametrize("model", ["logreg", "xgboost", "mlp"])
def test_each_tabular_baseline_beats_the_mean_on_a_regression(penguin_mass, model):
    train, test, truth = penguin_mass
    task = Task(id_column="id", target="body_mass_g", kind="regression", prediction="value", metric="rmse")
    result = run_baseline(model, train, test, task, progress=False, epochs=40 if model == "mlp" else None)
    rmse = np.sqrt(np.mean((result.submission["body_mass_g"].to_numpy() - truth) ** 2))
    trivial = np.sqrt(np.mean((train["body_mass_g"].mean() - truth) ** 2))
    assert rmse < 0.6 * trivial, (rmse, trivial)


def test_the_cnn_refuses_a_table(penguins):
    train, test, _truth = penguins
    task = Task(id_column="id", target="species", kind="classification", prediction="label", classes=CLASSES)
    with pytest.raises(BaselineError, match="needs an image challenge.*tabular.*--model mlp or xgboost"):
        run_baseline("cnn", train, test, task, progress=False)
