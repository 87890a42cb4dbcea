"""Tables as found in the wild: text, categories, booleans, dates and gaps; csv and parquet;
task inference under pandas 3; missing targets; the warnings `challenge add` gives."""

from __future__ import annotations

import io
import warnings
from datetime import UTC, datetime

import numpy as np
import pandas as pd
import pytest

from kit.challenge.build import build_challenge
from kit.challenge.data_checks import DataWarning
from kit.challenge.datasets import load_dataset
from kit.challenge.datasets.tabular import infer_task
from kit.challenge.spec import parse_spec
from kit.errors import DatasetError, SpecError

WINDOW = (datetime(2020, 1, 1, tzinfo=UTC), datetime(2099, 1, 1, tzinfo=UTC))


def spec_text(source="csv:data.csv", target="species", metric="accuracy", extra=""):
    return f"""
slug = "wild"
title = "Wild data"
metric = "{metric}"
opens = 2020-01-01T00:00:00Z
closes = 2099-01-01T00:00:00Z
[data]
source = "{source}"
target = "{target}"
seed = 3
{extra}
"""


def build(tmp_path, **options):
    spec = parse_spec(spec_text(**options))
    return build_challenge(spec, window=WINDOW, base_dir=tmp_path, cache_dir=None, progress=False)


def built_quietly(tmp_path, **options):
    with warnings.catch_warnings():
        warnings.simplefilter("error", DataWarning)  # the realistic table has nothing to warn about
        return build(tmp_path, **options)


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_a_mixed_table_with_gaps_builds_with_text_labels(tmp_path, make_mixed_table, fmt):
    frame = make_mixed_table(200)
    if fmt == "csv":
        frame.to_csv(tmp_path / "data.csv", index=False)
    else:
        frame.to_parquet(tmp_path / "data.parquet", index=False)
    built = built_quietly(tmp_path, source=f"{fmt}:data.{fmt}")
    assert built.dataset.task == "classification"
    assert built.classes == ["Adelie", "Chinstrap", "Gentoo"]
    train = pd.read_csv(io.BytesIO(built.files.bundle["train.csv"]))
    test = pd.read_csv(io.BytesIO(built.files.bundle["test.csv"]))
    # Every kind of column arrives in the bundle as it was, gaps included.
    assert {"island", "sex", "tagged", "observed", "bill_length_mm"} <= set(test.columns)
    assert train["island"].isna().any() and train["observed"].isna().any()
    assert set(train["species"]) == {"Adelie", "Chinstrap", "Gentoo"}
    sample = pd.read_csv(io.BytesIO(built.files.bundle["sample_submission.csv"]))
    assert set(sample["species"]) <= {"Adelie", "Chinstrap", "Gentoo"}


@pytest.mark.parametrize("values, task", [
    (pd.Series(["a", "b", "a"] * 10), "classification"),  # pandas 3: dtype str, not object
    (pd.Series(["a", "b", "a"] * 10, dtype="category"), "classification"),
    (pd.Series([True, False, True] * 10), "classification"),
    (pd.Series([1, 2, 3] * 10), "classification"),  # few whole numbers: classes
    (pd.Series([0.0, 1.0] * 15), "classification"),  # whole floats: classes too
    (pd.Series(range(30)), "regression"),  # many whole numbers: a quantity
    (pd.Series([0.5, 1.5, 2.25] * 10), "regression"),
])
def test_task_inference(values, task):
    assert infer_task(values) == task


def test_text_labels_are_classes_under_the_installed_pandas(tmp_path):
    frame = pd.DataFrame({"x": range(30), "species": ["Adelie", "Gentoo", "Dream"] * 10})
    assert not pd.api.types.is_object_dtype(frame["species"]) or pd.__version__ < "3"
    frame.to_csv(tmp_path / "d.csv", index=False)
    dataset = load_dataset("csv:d.csv", target="species", base_dir=tmp_path)
    assert dataset.task == "classification"


def test_task_in_the_spec_overrides_inference(tmp_path):
    frame = pd.DataFrame({"x": np.arange(40.0), "y": [1, 2, 3, 4] * 10})
    frame.to_csv(tmp_path / "d.csv", index=False)
    assert load_dataset("csv:d.csv", target="y", base_dir=tmp_path).task == "classification"
    assert load_dataset("csv:d.csv", target="y", task="regression", base_dir=tmp_path).task == "regression"
    frame.assign(y=["a", "b"] * 20).to_csv(tmp_path / "d.csv", index=False)
    with pytest.raises(DatasetError, match="needs a numeric target"):
        load_dataset("csv:d.csv", target="y", task="regression", base_dir=tmp_path)


def test_boolean_labels_become_text_classes(tmp_path):
    frame = pd.DataFrame({"x": np.arange(40.0), "y": [True, False] * 20})
    frame.to_csv(tmp_path / "d.csv", index=False)
    dataset = load_dataset("csv:d.csv", target="y", base_dir=tmp_path)
    assert sorted(dataset.frame["y"].unique()) == ["False", "True"]


def test_missing_target_is_refused_with_the_count_unless_the_spec_opts_in(tmp_path, make_mixed_table):
    frame = make_mixed_table(200)
    frame.loc[[3, 50, 77], "species"] = None
    frame.to_csv(tmp_path / "data.csv", index=False)
    with pytest.raises(DatasetError) as refused:
        build(tmp_path)
    message = str(refused.value)
    assert "empty on 3 of 200 rows" in message and "lines 5, 52, 79" in message
    assert "drop_missing_target = true" in message
    built = built_quietly(tmp_path, extra="drop_missing_target = true")
    assert built.train_rows + built.test_rows == 197


def test_parquet_missing_target_names_rows(tmp_path):
    frame = pd.DataFrame({"x": np.arange(20.0), "y": [1.5, None] * 10})
    frame.to_parquet(tmp_path / "d.parquet")
    with pytest.raises(DatasetError, match=r"empty on 10 of 20 rows .*rows 2, 4"):
        load_dataset("parquet:d.parquet", target="y", base_dir=tmp_path)


def test_a_broken_parquet_file_is_refused_clearly(tmp_path):
    (tmp_path / "d.parquet").write_bytes(b"not parquet at all")
    with pytest.raises(DatasetError, match="not a readable parquet file"):
        load_dataset("parquet:d.parquet", target="y", base_dir=tmp_path)


@pytest.mark.parametrize("change, expected", [
    (lambda f: f.assign(row_key=[f"r{i}" for i in range(len(f))]), "'row_key' has a different value in every row"),
    (lambda f: f.assign(colony="north"), "'colony' holds the same value in every row"),
    (lambda f: f.assign(answer=f["species"]), "'answer' is identical to the target 'species'"),
    (lambda f: pd.concat([f, f.iloc[:1].assign(species="Emperor")]), "'Emperor' has 1 row in train.csv"),
    (lambda f: pd.concat([f, f.iloc[:2].assign(species="Emperor")]), "'Emperor' is missing from"),
])
def test_challenge_add_warns_about_what_will_hurt_participants(tmp_path, make_mixed_table, change, expected):
    change(make_mixed_table(200)).reset_index(drop=True).to_csv(tmp_path / "data.csv", index=False)
    with pytest.warns(DataWarning) as caught:
        build(tmp_path)
    assert any(expected in str(w.message) for w in caught), [str(w.message) for w in caught]


def test_the_cli_prints_warnings_and_still_adds(kit, tmp_path, make_mixed_table):
    make_mixed_table(200).assign(colony="north").to_csv(tmp_path / "data.csv", index=False)
    (tmp_path / "wild.toml").write_text(spec_text())
    result = kit("challenge", "add", str(tmp_path / "wild.toml"))
    assert result.exit_code == 0, result.output
    assert "Warning: Feature 'colony' holds the same value in every row" in result.output
    assert "Added challenge wild" in result.output


@pytest.mark.parametrize("options, hint", [
    ({"target": "specis"}, "Did you mean 'species'?"),
    ({"metric": "acuracy"}, "Did you mean 'accuracy'?"),
    ({"extra": 'id_column = "islnd"'}, "Did you mean 'island'?"),
    ({"source": "sklearn:irs"}, "Did you mean 'sklearn:iris'?"),
])
def test_spec_errors_suggest_the_closest_name(tmp_path, make_mixed_table, options, hint):
    make_mixed_table(60).to_csv(tmp_path / "data.csv", index=False)
    with pytest.raises((DatasetError, SpecError)) as refused:
        build(tmp_path, **options)
    assert hint in str(refused.value)
