"""The split: deterministic, stratified, ids that leak nothing."""

import numpy as np
import pandas as pd

from kit.challenge.datasets import Dataset, load_dataset
from kit.challenge.split import split_dataset


def _split(source="sklearn:iris", seed=27, **options):
    return split_dataset(load_dataset(source), id_column="id", test_fraction=options.get("test_fraction", 0.3),
                         public_fraction=0.3, seed=seed, max_rows=options.get("max_rows"))


def test_same_seed_same_split():
    a, b = _split(), _split()
    pd.testing.assert_frame_equal(a.train, b.train)
    pd.testing.assert_frame_equal(a.solution, b.solution)


def test_another_seed_another_split():
    assert not _split(seed=1).solution["id"].equals(_split(seed=2).solution["id"])


def test_classification_is_stratified_in_test_and_in_public():
    split = _split("sklearn:digits")
    full = load_dataset("sklearn:digits").frame["label"].value_counts(normalize=True).sort_index()
    test = split.solution["label"].value_counts(normalize=True).sort_index()
    public = split.solution.query("Usage == 'Public'")["label"].value_counts(normalize=True).sort_index()
    assert np.abs(full - test).max() < 0.01
    assert np.abs(full - public).max() < 0.02


def test_fractions_and_ids_partition_the_rows():
    split = _split("sklearn:digits")
    assert len(split.train) + len(split.test) == 1797
    assert abs(len(split.test) / 1797 - 0.3) < 0.01
    assert set(split.train["id"]).isdisjoint(split.test["id"])
    assert split.test["id"].tolist() == split.solution["id"].tolist()
    public = (split.solution["Usage"] == "Public").mean()
    assert abs(public - 0.3) < 0.02
    assert set(split.solution["Usage"]) == {"Public", "Private"}


def test_ids_do_not_follow_the_sources_order():
    # Iris is sorted by species: ids in source order would give the labels away.
    split = _split("sklearn:iris")
    merged = pd.concat([split.train[["id", "species"]], split.solution[["id", "species"]]]).sort_values("id")
    first_fifty = merged.head(50)["species"]
    assert first_fifty.nunique() == 3


def test_test_features_carry_no_target():
    split = _split("sklearn:wine")
    assert "cultivar" not in split.test.columns
    assert "Usage" not in split.test.columns


def test_regression_splits_without_stratifying():
    split = _split("sklearn:diabetes")
    assert split.solution["progression"].dtype == float
    assert len(split.test) == round(442 * 0.3) or abs(len(split.test) - 442 * 0.3) < 1


def test_max_rows_subsamples_deterministically():
    a = _split("sklearn:digits", max_rows=300)
    assert len(a.train) + len(a.test) == 300
    pd.testing.assert_frame_equal(a.train, _split("sklearn:digits", max_rows=300).train)


def test_a_source_with_its_own_ids_keeps_them():
    frame = pd.DataFrame({"house": [f"h{i:03d}" for i in range(40)], "size": range(40),
                          "price": np.linspace(1, 2, 40)})
    split = split_dataset(Dataset(frame, "price", "regression", id_column="house"), id_column="house",
                          test_fraction=0.25, public_fraction=0.3, seed=1)
    assert split.solution["house"].str.startswith("h").all()
    assert sorted(split.train["house"].tolist() + split.test["house"].tolist()) == frame["house"].tolist()
