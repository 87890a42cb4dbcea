"""`kit baseline` through the CLI: a valid submission written, submitted as a marked baseline row."""

import json

import pandas as pd


def test_baseline_writes_and_submits(kit, write_spec, tmp_path):
    kit("challenge", "add", str(write_spec(slug="wine-b", source="sklearn:wine", metric="multiclass_log_loss")))
    output = tmp_path / "sub.csv"
    result = kit("baseline", "wine-b", "--model", "mlp", "--epochs", "2", "-o", str(output), "--submit")
    assert result.exit_code == 0, result.output
    assert "validation multiclass_log_loss" in result.output and "↓" in result.output
    assert "Submitted as baseline" in result.output
    submission = pd.read_csv(output)
    assert list(submission.columns) == ["id", "0", "1", "2"]
    board = kit("leaderboard", "wine-b", "--csv").output.splitlines()
    assert board[1].split(",")[:3] == ["", "baseline: mlp", "1"]


def test_same_seed_same_predictions(kit, write_spec, tmp_path):
    kit("challenge", "add", str(write_spec(slug="iris-b", source="sklearn:iris", metric="accuracy")))
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    assert kit("baseline", "iris-b", "--model", "logreg", "--seed", "3", "-o", str(first)).exit_code == 0
    assert kit("baseline", "iris-b", "--model", "logreg", "--seed", "3", "-o", str(second)).exit_code == 0
    assert first.read_bytes() == second.read_bytes()
    assert set(pd.read_csv(first)["species"]) <= {"setosa", "versicolor", "virginica"}


def test_cnn_refuses_a_tabular_challenge(kit, write_spec):
    kit("challenge", "add", str(write_spec(slug="wine-c", source="sklearn:wine", metric="accuracy")))
    result = kit("baseline", "wine-c", "--model", "cnn")
    assert result.exit_code == 1
    assert "needs an image challenge" in result.output and "Traceback" not in result.output
    assert json.loads(kit("challenge", "list", "--json").output)[0]["slug"] == "wine-c"
