"""Whatever the bytes, reading and validating raises SubmissionError and nothing else."""

import gzip

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import grader

SOLUTIONS = {
    "int_ids": grader.read_solution(b"id,y,Usage\n1,0,Public\n2,1,Private\n3,1,Public\n4,0,Private\n"),
    "str_ids": grader.read_solution(b"id,y,Usage\na,cat,Public\n007,dog,Private\nb,cat,Private\n"),
    "regression": grader.read_solution(b"id,y,Usage\n1,1.5,Public\n2,2.5,Private\n3,0,Private\n"),
}
CASES = [("int_ids", "accuracy"), ("int_ids", "roc_auc"), ("str_ids", "multiclass_log_loss"),
         ("str_ids", "roc_auc_ovr"), ("str_ids", "map@2"), ("regression", "rmsle"), ("int_ids", "map@3"),
         ("int_ids", "quadratic_weighted_kappa")]

CELLS = st.sampled_from(["1", "2", "3", "4", "a", "b", "007", "7.0", "0.5", "-1", "1e3", "nan", "inf", "", " ",
                         "cat", "dog", "cat dog", "0x1", '"', '""', "1,2", "\t", "é", "9" * 30, "-0", "+1"])
ROW = st.lists(CELLS, min_size=0, max_size=5).map(",".join)
HEADERS = st.sampled_from(["id,y", "y,id", "id", "id,cat,dog", "id,y,y", "1,2", "", "id,y,", '"id",y', "Id,Y"])
CSV_TEXT = st.builds(lambda header, rows, newline: newline.join([header] + rows),
                     HEADERS, st.lists(ROW, max_size=8), st.sampled_from(["\n", "\r\n", "\r"]))
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _only_submission_errors(solution, data, metric, **kwargs):
    try:
        result = grader.grade(solution, data, metric, **kwargs)
    except grader.SubmissionError as error:
        assert error.code and error.message and "Traceback" not in error.message
    except grader.MetricError:
        # A valid file on which the metric is undefined for this tiny solution (e.g. AUC of
        # a part holding one class) is the solution's problem, not a crash.
        pass
    else:
        assert isinstance(result, grader.Grade)


@pytest.mark.parametrize("case", CASES)
@FUZZ
@given(data=st.binary(max_size=300))
def test_random_bytes(case, data):
    name, metric = case
    _only_submission_errors(SOLUTIONS[name], data, metric)


@pytest.mark.parametrize("case", CASES)
@FUZZ
@given(text=CSV_TEXT, bom=st.booleans())
def test_random_csv_like_text(case, text, bom):
    name, metric = case
    data = (b"\xef\xbb\xbf" if bom else b"") + text.encode()
    _only_submission_errors(SOLUTIONS[name], data, metric)


@settings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=200), compress=st.booleans())
def test_random_gzip(data, compress):
    payload = gzip.compress(data) if compress else data
    _only_submission_errors(SOLUTIONS["int_ids"], payload, "accuracy", filename="s.csv.gz", max_bytes=1000)


VALUE_CASES = [("int_ids", "accuracy", "id,y", ["1", "2", "3", "4"]),
               ("int_ids", "roc_auc", "id,y", ["1", "2", "3", "4"]),
               ("regression", "rmsle", "id,y", ["1", "2", "3"]),
               ("str_ids", "map@2", "id,y", ["a", "007", "b"]),
               ("str_ids", "multiclass_log_loss", "id,cat,dog", ["a", "007", "b"])]


@pytest.mark.parametrize("case", VALUE_CASES)
@FUZZ
@given(cells=st.lists(st.lists(CELLS, min_size=1, max_size=2), min_size=4, max_size=4),
       shuffle=st.permutations(range(4)))
def test_right_ids_random_values(case, cells, shuffle):
    # The header and the ids are right, so the fuzzing reaches the value checks.
    name, metric, header, ids = case
    width = header.count(",")
    rows = [",".join([ids[i % len(ids)]] + (cells[i] * width)[:width]) for i in shuffle[: len(ids)]]
    _only_submission_errors(SOLUTIONS[name], "\n".join([header] + rows).encode(), metric)
