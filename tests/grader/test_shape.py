"""A solution's label-free shape (test.csv's ids, the target's type, the classes) rejects
exactly what the real solution rejects, with the same messages, and can never score."""

import importlib.util
from pathlib import Path

import pytest

import grader

_spec = importlib.util.spec_from_file_location(
    "hostile_corpus", Path(__file__).resolve().parents[1] / "hostile" / "corpus.py")
corpus = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(corpus)

TEST_CSV = ("id,f1,f2\n" + "".join(f"{i},{i * 0.5},{i % 3}\n" for i in corpus.IDS)).encode()


def outcome(check, data: bytes, filename: str):
    try:
        check(data, filename)
    except grader.SubmissionError as error:
        return error.code, error.message
    return "accepted"


@pytest.mark.parametrize("name", sorted(corpus.CORPUS))
def test_the_shape_refuses_each_hostile_file_as_grading_does(name):
    data, filename = corpus.CORPUS[name]
    solution = grader.read_solution(corpus.SOLUTION)
    shape = grader.solution_shape(TEST_CSV, id_column="id", target_column="label", classes=solution.classes)
    graded = outcome(lambda d, f: grader.grade(solution, d, "accuracy", filename=f, max_bytes=1_000_000),
                     data, filename)
    validated = outcome(lambda d, f: grader.validate(shape, d, "accuracy", filename=f, max_bytes=1_000_000),
                        data, filename)
    assert validated == graded


SOLUTIONS = {  # metric → (solution CSV, classes the challenge stores, good submission, bad ones)
    "accuracy": ("id,species,Usage\na1,setosa,Public\na2,virginica,Private\na3,setosa,Private\n",
                 ["setosa", "versicolor", "virginica"],
                 "id,species\na3,versicolor\na1,setosa\na2,setosa\n",
                 ["id,species\na1,setosa\na2,setosa\na3,rose\n", "id,species\na1,setosa\na2,setosa\n",
                  "id,species\na1,setosa\na2,setosa\na4,setosa\n", "id,Species\na1,setosa\n"]),
    "roc_auc": ("id,y,Usage\n1,0,Public\n2,1,Private\n3,1,Public\n4,0,Private\n", [0, 1],
                "id,y\n1,0.1\n2,0.9\n3,0.5\n4,0.2\n",
                ["id,y\n1,0.1\n2,\n3,0.5\n4,0.2\n", "id,y\n1,0.1\n2,x\n3,0.5\n4,0.2\n"]),
    "multiclass_log_loss": ("id,digit,Usage\n1,0,Public\n2,2,Private\n3,1,Private\n", [0, 1, 2],
                            "id,0,1,2\n1,0.2,0.3,0.5\n2,1,0,0\n3,0.3,0.3,0.4\n",
                            ["id,0,1\n1,0.2,0.8\n", "id,0,1,2\n1,0,0,0\n2,1,0,0\n3,0.3,0.3,0.4\n"]),
    "rmsle": ("id,price,Usage\n10,1.5,Public\n11,2.5,Private\n", None, "id,price\n10,1\n11,2\n",
              ["id,price\n10,-1\n11,2\n", "id,price\n10,1\n11,\n"]),
    "map@3": ("id,label,Usage\n1,2,Public\n2,7,Private\n", [2, 5, 7], "id,label\n1,2 5 7\n2,7\n",
              ["id,label\n1,2 x\n2,7\n", "id,label\n1,2 9\n2,7\n"]),
}


@pytest.mark.parametrize("metric", sorted(SOLUTIONS))
def test_the_shape_follows_the_metric_and_the_target_type(metric):
    solution_text, classes, good, bad = SOLUTIONS[metric]
    solution = grader.read_solution(solution_text.encode(), classes=classes)
    ids = [line.split(",")[0] for line in solution_text.splitlines()[1:]]
    test_csv = ("id,feature\n" + "".join(f"{i},0\n" for i in ids)).encode()
    shape = grader.solution_shape(test_csv, id_column="id", target_column=solution.target_column, classes=classes)
    assert shape.classes == solution.classes and shape.target.dtype.kind == solution.target.dtype.kind
    assert grader.validate(shape, good.encode(), metric) == len(ids)
    for data in bad:
        with pytest.raises(grader.SubmissionError) as graded:
            grader.grade(solution, data.encode(), metric)
        with pytest.raises(grader.SubmissionError) as validated:
            grader.validate(shape, data.encode(), metric)
        assert (validated.value.code, validated.value.message) == (graded.value.code, graded.value.message)


def test_a_shape_holds_no_label_and_cannot_be_scored():
    solution = grader.read_solution(corpus.SOLUTION)
    shape = grader.solution_shape(TEST_CSV, id_column="id", target_column="label", classes=solution.classes)
    assert set(shape.target.tolist()) == {0} and not shape.public.any() and not shape.labelled
    with pytest.raises(grader.SolutionError, match="holds no labels"):
        grader.grade(shape, corpus.PERFECT.encode(), "accuracy")


def test_a_broken_test_csv_is_a_solution_error():
    with pytest.raises(grader.SolutionError, match="no 'id' column"):
        grader.solution_shape(b"key,f\n1,2\n", id_column="id", target_column="y")
    with pytest.raises(grader.SolutionError, match="test.csv repeats an id"):
        grader.solution_shape(b"id,f\n1,2\n1,3\n", id_column="id", target_column="y")


def test_a_multi_column_shape_checks_every_target_column():
    metric = next(m for m in grader.list_metrics() if grader.get_metric(m).prediction.multi_column)
    solution = grader.read_solution(b"id,a,b,Usage\n1,0.5,1,Public\n2,1.5,0,Private\n", target_column=["a", "b"])
    shape = grader.solution_shape(b"id,x\n1,0\n2,0\n", id_column="id", target_column="a,b")
    assert shape.target_columns == ("a", "b")
    for data in (b"id,a\n1,0.5\n2,1\n", b"id,a,b\n1,0.5,x\n2,1,0\n", b"id,a,b\n1,0.5,1\n"):
        with pytest.raises(grader.SubmissionError) as graded:
            grader.grade(solution, data, metric)
        with pytest.raises(grader.SubmissionError) as validated:
            grader.validate(shape, data, metric)
        assert (validated.value.code, validated.value.message) == (graded.value.code, graded.value.message)
    assert grader.validate(shape, b"id,a,b\n2,0.1,0.9\n1,0.3,0.2\n", metric) == 2
