"""Bundles: the right files, no hidden label anywhere, byte-identical on every run."""

import io
import math

import pandas as pd
import pytest

from kit.challenge.bundle import bundle_files, solution_bytes
from kit.challenge.lookup import get_challenge
from kit.challenge.spec import load_spec
from kit.services.challenges import add_challenge
from kit.store.workspace import init_workspace


def _add(workspace, spec_path):
    spec, text = load_spec(spec_path)
    with workspace.session(write=True) as session:
        add_challenge(session, spec, text, base_dir=spec_path.parent, progress=False)


def _files(workspace, slug):
    with workspace.session() as session:
        challenge = get_challenge(session, slug)
        return bundle_files(session, challenge), solution_bytes(session, challenge)


@pytest.mark.parametrize("source, metric", [("sklearn:iris", "accuracy"), ("sklearn:breast_cancer", "roc_auc"),
                                            ("sklearn:wine", "multiclass_log_loss"), ("sklearn:diabetes", "rmse")])
def test_bundle_contents(kit_workspace, write_spec, source, metric):
    _add(kit_workspace.workspace, write_spec(slug="c-1", source=source, metric=metric))
    files, solution = _files(kit_workspace.workspace, "c-1")
    assert list(files) == ["README.md", "train.csv", "test.csv", "sample_submission.csv"]
    train = pd.read_csv(io.BytesIO(files["train.csv"]))
    test = pd.read_csv(io.BytesIO(files["test.csv"]))
    sample = pd.read_csv(io.BytesIO(files["sample_submission.csv"]))
    truth = pd.read_csv(io.BytesIO(solution))
    target = [c for c in truth.columns if c not in ("id", "Usage")][0]
    assert target in train.columns and target not in test.columns
    assert list(test.columns) == [c for c in train.columns if c != target]
    assert "Usage" not in test.columns and "Usage" not in train.columns
    assert sorted(sample["id"]) == sorted(test["id"]) == sorted(truth["id"])
    assert set(train["id"]).isdisjoint(test["id"])
    assert metric in files["README.md"].decode()


def test_no_file_of_the_bundle_holds_a_hidden_label(kit_workspace, write_spec):
    _add(kit_workspace.workspace, write_spec(slug="dia", source="sklearn:diabetes", metric="rmse"))
    files, solution = _files(kit_workspace.workspace, "dia")
    truth = pd.read_csv(io.BytesIO(solution))
    test = pd.read_csv(io.BytesIO(files["test.csv"]))
    sample = pd.read_csv(io.BytesIO(files["sample_submission.csv"]))
    assert "progression" not in test.columns and "Usage" not in test.columns
    # The sample is one naive value for every row, not a per-row label.
    assert sample["progression"].nunique() == 1
    assert not set(sample["progression"]) & set(truth["progression"])
    assert "solution.csv" not in files
    for name, content in files.items():
        assert b"Usage" not in content or name == "README.md", name
        assert b"Private" not in content or name == "README.md", name


def test_sample_submission_is_accepted_by_the_grader(kit_workspace, write_spec):
    import grader

    for source, metric in [("sklearn:breast_cancer", "roc_auc"), ("sklearn:wine", "multiclass_log_loss"),
                           ("sklearn:iris", "accuracy"), ("sklearn:diabetes", "rmse")]:
        slug = metric.replace("_", "-")
        _add(kit_workspace.workspace, write_spec(slug=slug, source=source, metric=metric))
        files, solution = _files(kit_workspace.workspace, slug)
        result = grader.grade(grader.read_solution(solution), files["sample_submission.csv"], metric)
        assert math.isfinite(result.public_score) and math.isfinite(result.private_score), (metric, result)


def test_same_spec_gives_byte_identical_files(tmp_path, write_spec):
    spec = write_spec(slug="digits", source="sklearn:digits", metric="accuracy")
    outputs = []
    for name in ("one", "two"):
        workspace = init_workspace(tmp_path / name).workspace
        _add(workspace, spec)
        outputs.append(_files(workspace, "digits"))
    assert outputs[0] == outputs[1]
