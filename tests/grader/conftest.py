"""Small solutions shared by the grader tests."""

import pytest

import grader

TARGETS = [0, 1, 1, 0, 1, 0, 0, 1, 1, 0]
USAGE = ["Public", "Private"] * 5


def solution_csv(ids, targets, usage, target="Survived") -> bytes:
    lines = [f"id,{target},Usage"] + [f"{i},{t},{u}" for i, t, u in zip(ids, targets, usage, strict=True)]
    return ("\n".join(lines) + "\n").encode()


def submission_csv(rows, header="id,Survived", newline="\n") -> bytes:
    return (newline.join([header] + [",".join(str(v) for v in row) for row in rows]) + newline).encode()


@pytest.fixture
def binary():
    """Ten rows, ids 1..10, labels 0/1, Public and Private alternating."""
    return grader.read_solution(solution_csv(range(1, 11), TARGETS, USAGE))


def _reject(solution, data, metric="accuracy", **kwargs) -> grader.SubmissionError:
    with pytest.raises(grader.SubmissionError) as info:
        grader.grade(solution, data, metric, **kwargs)
    assert "Traceback" not in info.value.message
    return info.value


@pytest.fixture
def reject():
    """reject(solution, data, metric="accuracy", **grade_kwargs) -> the SubmissionError."""
    return _reject


@pytest.fixture
def csv():
    """csv(rows, header="id,Survived", newline="\n") -> submission bytes."""
    return submission_csv


@pytest.fixture
def good_rows():
    """The perfect submission's rows for ``binary``."""
    return [(i, t) for i, t in zip(range(1, 11), TARGETS, strict=True)]
