"""Kaggle's multi-column solutions: one-hot classes, multi-label, several regression targets."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn import metrics as skm

import grader

ROWS = 300


def frame_csv(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False, lineterminator="\n").encode()


def solution_frame(truth: np.ndarray, columns: list[str], seed: int = 0) -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(seed)
    public = rng.random(len(truth)) < 0.4
    frame = pd.DataFrame(truth, columns=columns)
    frame.insert(0, "id", np.arange(100, 100 + len(truth)))
    frame["Usage"] = np.where(public, "Public", "Private")
    return frame, public


def submission(prediction: np.ndarray, columns: list[str], order: np.ndarray) -> bytes:
    frame = pd.DataFrame(prediction, columns=columns)
    frame.insert(0, "id", np.arange(100, 100 + len(prediction)))
    return frame_csv(frame.iloc[order])


@pytest.fixture
def rng():
    return np.random.default_rng(7)


def test_onehot_multiclass_log_loss_matches_sklearn_per_part(rng):
    classes = ["cat", "dog", "eel"]
    labels = rng.integers(0, 3, ROWS)
    truth = np.eye(3)[labels]
    solution_df, public = solution_frame(truth.astype(int), classes)
    raw = (rng.random((ROWS, 3)) + 2 * truth) / 3.5  # rows not summing to 1: Kaggle rescales them
    solution = grader.read_solution(frame_csv(solution_df))
    assert solution.targets == tuple(classes) and solution.target.shape == (ROWS, 3)
    result = grader.grade(solution, submission(raw, classes, rng.permutation(ROWS)), "multiclass_log_loss_onehot")
    p = raw / raw.sum(axis=1, keepdims=True)
    for score, mask in ((result.public_score, public), (result.private_score, ~public)):
        assert score == pytest.approx(skm.log_loss(labels[mask], p[mask], labels=[0, 1, 2]))


def test_onehot_log_loss_clips_like_kaggle(rng):
    truth = np.eye(2)[[0, 1, 0, 1]]
    prediction = np.array([[0.0, 1.0], [0.0, 1.0], [1.0, 0.0], [1.0, 0.0]])  # half certain and wrong
    score = grader.get_metric("multiclass_log_loss_onehot").score(truth, prediction)
    assert score == pytest.approx(-np.log(1e-15) / 2)


def test_mean_columnwise_roc_auc_matches_sklearn(rng):
    columns = ["toxic", "obscene", "insult", "threat"]
    truth = (rng.random((ROWS, 4)) < 0.3).astype(int)
    scores = np.clip(truth * 0.4 + rng.random((ROWS, 4)) * 0.6, 0, 1)
    solution_df, public = solution_frame(truth, columns, seed=1)
    solution = grader.read_solution(frame_csv(solution_df))
    result = grader.grade(solution, submission(scores, columns, rng.permutation(ROWS)), "mean_columnwise_roc_auc")
    for score, mask in ((result.public_score, public), (result.private_score, ~public)):
        assert score == pytest.approx(skm.roc_auc_score(truth[mask], scores[mask], average="macro"))


def test_mean_columnwise_rmse_matches_sklearn(rng):
    columns = ["co", "benzene", "nox"]
    truth = rng.normal(10, 3, (ROWS, 3)).round(3)
    prediction = truth + rng.normal(0, [0.5, 1, 2], (ROWS, 3))
    solution_df, public = solution_frame(truth, columns, seed=2)
    solution = grader.read_solution(frame_csv(solution_df))
    result = grader.grade(solution, submission(prediction, columns, np.arange(ROWS)), "mean_columnwise_rmse")
    for score, mask in ((result.public_score, public), (result.private_score, ~public)):
        expected = skm.root_mean_squared_error(truth[mask], prediction[mask], multioutput="uniform_average")
        assert score == pytest.approx(expected)


def test_the_header_names_every_target_column():
    assert grader.expected_columns("mean_columnwise_rmse", "id", ["a", "b"]) == ["id", "a", "b"]
    with pytest.raises(grader.MetricError, match="scores one target column; the solution has 2 .*mean_columnwise"):
        grader.expected_columns("rmse", "id", ["a", "b"])


def test_multi_column_submissions_are_validated(rng):
    truth = np.eye(3)[rng.integers(0, 3, 20)].astype(int)
    solution_df, _public = solution_frame(truth, ["a", "b", "c"])
    solution = grader.read_solution(frame_csv(solution_df))
    good = np.full((20, 3), 1 / 3)
    with pytest.raises(grader.SubmissionError, match="Required column 'c'"):
        grader.grade(solution, submission(good[:, :2], ["a", "b"], np.arange(20)), "multiclass_log_loss_onehot")
    bad = good.copy()
    bad[4, 1] = 1.5
    with pytest.raises(grader.SubmissionError, match="Line 6, column 'b'.*not a probability"):
        grader.grade(solution, submission(bad, ["a", "b", "c"], np.arange(20)), "multiclass_log_loss_onehot")


def test_a_single_target_metric_on_a_multi_column_solution_says_what_to_do(rng):
    solution_df, _public = solution_frame(np.eye(2)[[0, 1] * 10].astype(int), ["a", "b"])
    solution = grader.read_solution(frame_csv(solution_df))
    with pytest.raises(grader.MetricError, match="accuracy scores one target column"):
        grader.grade(solution, b"id,a\n1,1\n", "accuracy")
    named = grader.read_solution(frame_csv(solution_df), target_column="a")
    assert named.targets == ("a",)


def test_a_multi_column_solution_needs_numbers():
    text = b"id,a,b,Usage\n1,x,1,Public\n2,y,0,Private\n"
    with pytest.raises(grader.SolutionError, match="'a' must hold a number"):
        grader.read_solution(text)
