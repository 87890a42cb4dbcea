"""A challenge with several target columns, as Kaggle's multi-column solutions are built and graded."""

from __future__ import annotations

import io
import json

import numpy as np
import pandas as pd
import pytest
from sklearn import metrics as skm
from sqlalchemy import select

from kit.challenge.bundle import bundle_files, solution_bytes
from kit.challenge.lookup import get_challenge
from kit.store.models import Submission

SPEC = """
slug = "multi"
title = "Several targets"
metric = "{metric}"
opens = 2020-01-01T00:00:00Z
closes = 2099-01-01T00:00:00Z
[data]
source = "csv:data.csv"
target = {target}
seed = 4
"""


def write_data(tmp_path, kind: str, rows: int = 240):
    rng = np.random.default_rng(3)
    frame = pd.DataFrame({"x": rng.normal(size=rows), "colour": rng.choice(["red", "blue"], rows)})
    if kind == "onehot":
        labels = rng.integers(0, 3, rows)
        for k, name in enumerate(["cat", "dog", "eel"]):
            frame[name] = (labels == k).astype(int)
    elif kind == "flags":
        for name in ("toxic", "insult"):
            frame[name] = (rng.random(rows) < 0.4).astype(int)
    else:
        frame["co"], frame["nox"] = rng.normal(5, 1, rows).round(3), rng.normal(20, 4, rows).round(3)
    frame.to_csv(tmp_path / "data.csv", index=False)


def add(kit, tmp_path, metric: str, target: str):
    (tmp_path / "multi.toml").write_text(SPEC.format(metric=metric, target=target))
    return kit("challenge", "add", str(tmp_path / "multi.toml"))


@pytest.mark.parametrize("kind, metric, target, columns", [
    ("onehot", "multiclass_log_loss_onehot", '["cat", "dog", "eel"]', ["cat", "dog", "eel"]),
    ("flags", "mean_columnwise_roc_auc", '["toxic", "insult"]', ["toxic", "insult"]),
    ("values", "mean_columnwise_rmse", '["co", "nox"]', ["co", "nox"]),
])
def test_a_multi_target_challenge_builds_and_grades(kit, kit_workspace, tmp_path, kind, metric, target, columns):
    write_data(tmp_path, kind)
    added = add(kit, tmp_path, metric, target)
    assert added.exit_code == 0, added.output
    with kit_workspace.session() as session:
        challenge = get_challenge(session, "multi")
        files = bundle_files(session, challenge)
        truth = pd.read_csv(io.BytesIO(solution_bytes(session, challenge)))
    assert list(truth.columns) == ["id", *columns, "Usage"]
    test = pd.read_csv(io.BytesIO(files["test.csv"]))
    assert not set(columns) & set(test.columns)
    header = files["sample_submission.csv"].decode().splitlines()[0]
    assert header == ",".join(["id", *columns])
    assert json.loads(kit("challenge", "show", "multi", "--json").output)["submission_header"] == ["id", *columns]
    # A submission of the truth itself, nudged, is graded like the reference on the Public rows.
    rng = np.random.default_rng(0)
    guess = truth[columns].to_numpy(float) * 0.6 + rng.random((len(truth), len(columns))) * 0.4
    pd.DataFrame(guess, columns=columns).assign(id=truth["id"])[["id", *columns]].to_csv(tmp_path / "s.csv",
                                                                                       index=False)
    token = register(kit_workspace)
    submitted = kit("submit", "multi", "-f", str(tmp_path / "s.csv"), "--json", token=token)
    assert submitted.exit_code == 0, submitted.output
    public = (truth["Usage"] == "Public").to_numpy()
    t, p = truth[columns].to_numpy(float)[public], guess[public]
    expected = {"multiclass_log_loss_onehot": lambda: skm.log_loss(t.argmax(1), p / p.sum(1, keepdims=True)),
                "mean_columnwise_roc_auc": lambda: skm.roc_auc_score(t, p, average="macro"),
                "mean_columnwise_rmse": lambda: skm.root_mean_squared_error(t, p)}[metric]()
    with kit_workspace.session() as session:  # the stored full-precision score (the CLI rounds it to the noise)
        stored = session.scalar(select(Submission.public_score))
    assert stored == pytest.approx(expected)
    refused = kit("baseline", "multi", "--model", "logreg", "-o", str(tmp_path / "b.csv"))
    assert refused.exit_code == 1 and "scored on several" in refused.output


def register(kit_workspace) -> str:
    from kit.services.participants import register as register_participant

    with kit_workspace.session(write=True) as session:
        return register_participant(session, "ana")[1]


@pytest.mark.parametrize("metric, target, message", [
    ("rmse", '["co", "nox"]', "use a multi-column metric"),
    ("mean_columnwise_rmse", '"co"', "name them as a list"),
    ("mean_columnwise_rmse", '["co", "co"]', "two or more different columns"),
])
def test_metric_and_targets_must_agree(kit, tmp_path, metric, target, message):
    write_data(tmp_path, "values")
    refused = add(kit, tmp_path, metric, target)
    assert refused.exit_code == 1 and message in refused.output
