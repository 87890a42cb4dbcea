"""Grading end to end: alignment by id, Public and Private scored apart, every kind of prediction."""

import dataclasses
import subprocess
import sys

import numpy as np
import pytest
from sklearn import metrics as skm

import grader


def _random_solution(rows=400, seed=0):
    rng = np.random.default_rng(seed)
    ids = rng.permutation(np.arange(5000, 5000 + rows * 2, 2))
    truth = rng.integers(0, 2, rows)
    public = rng.random(rows) < 0.3
    text = "id,target,Usage\n" + "".join(
        f"{i},{t},{'Public' if p else 'Private'}\n" for i, t, p in zip(ids, truth, public, strict=True))
    return grader.read_solution(text.encode()), ids, truth, public, rng


def _csv(ids, values, header="id,target"):
    return (header + "\n" + "".join(f"{i},{v}\n" for i, v in zip(ids, values, strict=True))).encode()


def test_scores_match_sklearn_per_part_in_any_row_order():
    solution, ids, truth, public, rng = _random_solution()
    proba = np.clip(truth * 0.3 + rng.random(len(ids)) * 0.7, 0, 1)
    order = rng.permutation(len(ids))
    result = grader.grade(solution, _csv(ids[order], proba[order]), "roc_auc")
    assert result.public_score == pytest.approx(skm.roc_auc_score(truth[public], proba[public]))
    assert result.private_score == pytest.approx(skm.roc_auc_score(truth[~public], proba[~public]))
    assert result.metric == "roc_auc" and result.rows == len(ids)
    # The same rows in the solution's order give the same grade (the no-lookup fast path).
    assert grader.grade(solution, _csv(ids, proba), "roc_auc") == result


def test_private_score_uses_only_private_rows():
    solution, ids, truth, public, rng = _random_solution(seed=1)
    labels = truth.copy()
    before = grader.grade(solution, _csv(ids, labels), "accuracy")
    labels[public] = 1 - labels[public]  # ruin every Public prediction
    after = grader.grade(solution, _csv(ids, labels), "accuracy")
    assert before.public_score == 1.0 and after.public_score == 0.0
    assert after.private_score == before.private_score == 1.0
    labels = truth.copy()
    labels[~public] = 1 - labels[~public]  # and the other way round
    swapped = grader.grade(solution, _csv(ids, labels), "accuracy")
    assert swapped.public_score == 1.0 and swapped.private_score == 0.0


def test_single_class_in_a_part_is_found_before_anyone_submits():
    text = b"id,y,Usage\n1,1,Public\n2,1,Public\n3,0,Private\n4,1,Private\n"
    solution = grader.read_solution(text)
    with pytest.raises(grader.MetricError, match="Public part"):
        grader.check_scorable(solution, "roc_auc")
    grader.check_scorable(solution, "accuracy")
    # Graded anyway, the refusal is clean and says nothing about the labels.
    with pytest.raises(grader.SubmissionError) as info:
        grader.grade(solution, b"id,y\n1,0.1\n2,0.2\n3,0.3\n4,0.4\n", "roc_auc")
    assert info.value.code == "unscorable" and "class" not in info.value.message


def test_a_part_without_rows_scores_nan():
    solution = grader.read_solution(b"id,y,Usage\n1,1,Private\n2,0,Private\n")
    result = grader.grade(solution, b"id,y\n1,1\n2,1\n", "accuracy")
    assert np.isnan(result.public_score) and result.private_score == 0.5


def test_metric_may_be_given_as_a_metric_object():
    solution, ids, truth, *_ = _random_solution(rows=20)
    assert grader.grade(solution, _csv(ids, truth), grader.METRICS["f1"]).private_score == 1.0
    with pytest.raises(grader.UnknownMetricError):
        grader.grade(solution, _csv(ids, truth), "auc")


def test_class_probabilities_string_classes():
    sol = grader.read_solution(
        b"id,animal,Usage\n1,cat,Public\n2,dog,Public\n3,fish,Public\n4,cat,Private\n5,dog,Private\n6,fish,Private\n")
    assert sol.classes == ("cat", "dog", "fish")
    assert grader.expected_columns("multiclass_log_loss", "id", "animal", sol.classes) == ["id", "cat", "dog", "fish"]
    probs = np.array([[0.7, 0.2, 0.1], [0.1, 0.8, 0.1], [0.2, 0.2, 0.6]] * 2)
    # Columns in any order: matched by name, not position.
    rows = "".join(f"{i},{p[2]},{p[0]},{p[1]}\n" for i, p in zip(range(1, 7), probs, strict=True))
    result = grader.grade(sol, ("id,fish,cat,dog\n" + rows).encode(), "multiclass_log_loss")
    want = skm.log_loss(["cat", "dog", "fish"], probs[:3], labels=["cat", "dog", "fish"])
    assert result.public_score == pytest.approx(want) and result.private_score == pytest.approx(want)


def test_given_classes_keep_absent_classes_and_types():
    sol = grader.read_solution(b"id,digit,Usage\n1,0,Public\n2,1,Private\n", classes=["2", "1", "0"])
    assert sol.classes == (0, 1, 2)
    result = grader.grade(sol, b"id,digit\n1,2\n2,1\n", "accuracy")
    assert (result.public_score, result.private_score) == (0.0, 1.0)
    with pytest.raises(grader.SolutionError):
        grader.read_solution(b"id,digit,Usage\n1,0,Public\n2,5,Private\n", classes=[0, 1])


def test_regression_and_ranked_labels():
    sol = grader.read_solution(b"id,price,Usage\n1,10.5,Public\n2,20,Private\n3,30,Private\n")
    assert sol.classes is None and sol.target.dtype == np.float64
    result = grader.grade(sol, b"id,price\n3,33\n1,10.5\n2,18\n", "rmse")
    assert result.public_score == 0.0 and result.private_score == pytest.approx(np.sqrt((4 + 9) / 2))

    sol = grader.read_solution(b"id,hotel,Usage\n1,a,Public\n2,b,Private\n3,c,Private\n", classes=list("abcd"))
    result = grader.grade(sol, b"id,hotel\n1,a b c\n2,c b\n3,d a b\n", "map@3")
    assert result.public_score == 1.0 and result.private_score == pytest.approx((0.5 + 0) / 2)
    assert result.metric == "map@3"


def test_solution_reading():
    sol = grader.read_solution(b"id,Survived,Usage\n892,0,Public\n893,1,Private\n")
    assert sol.ids.dtype == np.int64 and sol.target.dtype == np.int64 and sol.classes == (0, 1)
    assert sol.public.tolist() == [True, False] and sol.target_column == "Survived"
    assert "Survived" in repr(sol) and "[0 1]" not in repr(sol)
    sol = grader.read_solution(b"key,Usage,y\n007,Public,1\n8,Private,0\n", id_column="key")
    assert sol.ids.tolist() == ["007", "8"]
    # Ids are integers only when every one is written as Python writes it; else their text.
    for written, ints in ((["0", "-7", "10"], True), (["0", "-0"], False), (["00", "1"], False),
                          (["8", "0x7"], False), (["8", "-07"], False), (["9223372036854775807", "1"], True)):
        text = "".join(f"{i},1,Public\n" for i in written)
        ids = grader.read_solution(f"id,y,Usage\n{text}".encode()).ids
        assert (ids.dtype == np.int64) is ints and [str(i) for i in ids.tolist()] == written, written
    # Several candidate columns are several targets (Kaggle's multi-column solutions).
    assert grader.read_solution(b"id,a,b,Usage\n1,0,0,Public\n").targets == ("a", "b")
    for bad in (b"id,y\n1,0\n", b"id,y,Usage\n1,0,Hidden\n", b"id,y,Usage\n1,0,Public\n1,1,Private\n"):
        with pytest.raises(grader.SolutionError):
            grader.read_solution(bad)
    for empty in (b"id,y,Usage\n1,0,Public\n,1,Private\n", b"id,y,Usage\na,0,Public\n,1,Private\n"):
        with pytest.raises(grader.SolutionError, match="The solution has an empty id"):
            grader.read_solution(empty)


def test_grading_imports_neither_pandas_nor_sklearn_nor_pyarrow_compute():
    code = (
        "import sys, grader\n"
        "s = grader.read_solution(b'id,y,Usage\\n1,0,Public\\n2,1,Public\\n3,a,Private\\n')\n"
        "s = grader.read_solution(b'id,y,Usage\\n1,0,Public\\n2,1,Public\\n3,0,Private\\n4,1,Private\\n')\n"
        "grader.grade(s, b'id,y\\n2,0.4\\n1,0.3\\n3,0.2\\n4,0.9\\n', 'roc_auc')\n"
        "grader.grade(s, b'id,y\\n1,0\\n2,1\\n3,0\\n4,1\\n', 'accuracy')\n"
        "try:\n    grader.grade(s, b'id,y\\n1,0\\n2,x\\n3,0\\n4,1\\n', 'accuracy')\nexcept grader.SubmissionError: pass\n"
        # pyarrow.compute: its few hundred wrappers cost every grading process ≈ 20 ms (grader.kernels)
        "print(sorted(m for m in ('pandas', 'sklearn', 'scipy', 'pyarrow.compute') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_public_api():
    for name in ("grade", "read_solution", "Solution", "Grade", "SubmissionError", "RejectionCode", "MetricError",
                 "UnknownMetricError", "Metric", "PredictionKind", "METRICS", "get_metric", "list_metrics",
                 "expected_columns"):
        assert name in grader.__all__ and hasattr(grader, name)
    with pytest.raises(dataclasses.FrozenInstanceError):
        grader.Grade(1.0, 1.0, "accuracy", 1).public_score = 2.0  # frozen
