"""Scores are finite numbers or the file is refused; a metric never fails on a valid file.

A metric that fails at submit time would describe the hidden labels ("truth and predictions
use a single class" says every private label is 0), so the grader checks at challenge time
that each part can score every valid submission, and refuses what still cannot be scored
without saying why in terms of the labels.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import grader


def _solution(targets, usage) -> grader.Solution:
    rows = "".join(f"{i},{t},{u}\n" for i, (t, u) in enumerate(zip(targets, usage, strict=True), start=1))
    return grader.read_solution(f"id,y,Usage\n{rows}".encode())


def _submission(values) -> bytes:
    return ("id,y\n" + "".join(f"{i},{v}\n" for i, v in enumerate(values, start=1))).encode()


# The case: 12 rows, quadratic weighted kappa, every Private label 0.
KAPPA = _solution([1, 2, 0, 0, 3, 0, 1, 0, 2, 0, 0, 0], ["Public", "Public", "Private", "Private", "Public",
                                                         "Private", "Public", "Private", "Public", "Private",
                                                         "Private", "Private"])


def test_a_part_whose_truth_makes_the_metric_undefined_is_found_when_the_challenge_is_added():
    with pytest.raises(grader.MetricError, match="Private part.*one class"):
        grader.check_scorable(KAPPA, "quadratic_weighted_kappa")
    grader.check_scorable(KAPPA, "accuracy")  # accuracy is defined on any labels


def test_an_unscorable_submission_is_a_clean_refusal_that_says_nothing_about_the_labels():
    with pytest.raises(grader.SubmissionError) as info:
        grader.grade(KAPPA, _submission([0] * 12), "quadratic_weighted_kappa")
    message = info.value.message
    assert info.value.code == "unscorable"
    for hint in ("single", "class", "truth", "0", "label"):
        assert hint not in message, message


@pytest.mark.parametrize(("metric", "targets", "usage", "part"), [
    ("roc_auc", [1, 1, 0, 1], ["Public", "Public", "Private", "Private"], "Public"),
    ("roc_auc_ovr", [0, 1, 2, 0, 1, 0], ["Public", "Public", "Public", "Private", "Private", "Private"], "Private"),
    ("rmsle", [1.5, -2.0, 3.5, 4.0], ["Public", "Private", "Public", "Private"], "Private"),
    ("accuracy", [0, 1, 0, 1], ["Private"] * 4, "Public"),
])
def test_each_metric_names_the_part_it_cannot_score(metric, targets, usage, part):
    with pytest.raises(grader.MetricError, match=f"{part} part"):
        grader.check_scorable(_solution(targets, usage), metric)


PRICES = _solution([100.5, 200.25, 300.75, 400.5, 500.25, 600.5], ["Public", "Private"] * 3)


@pytest.mark.parametrize(("metric", "value"), [
    ("rmse", "1e308"), ("mae", "1e308"), ("r2", "1e308"), ("mae", "1.7976931348623157e308"),
    ("rmse", "1e200"), ("r2", "1e200"),  # squares overflow
])
def test_values_that_overflow_the_metric_are_refused_not_scored_infinite(metric, value):
    with pytest.raises(grader.SubmissionError) as info:
        grader.grade(PRICES, _submission([value] * 6), metric)
    assert info.value.code == "score_not_finite" and "too large" in info.value.message


def test_large_but_scorable_values_get_a_finite_score():
    assert grader.grade(PRICES, _submission(["1e100"] * 6), "mae").public_score == pytest.approx(1e100)
    assert np.isfinite(grader.grade(PRICES, _submission(["1e308"] * 6), "rmsle").public_score)  # logs stay small


FINITE_OR_HUGE = st.one_of(st.floats(allow_nan=False, allow_infinity=False),
                           st.sampled_from([1e308, -1e308, 1.7976931348623157e308, 5e-324, -0.0]))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values=st.lists(FINITE_OR_HUGE, min_size=6, max_size=6),
       metric=st.sampled_from(["rmse", "mae", "r2", "rmsle"]))
def test_any_float_submission_scores_finite_json_safe_numbers_or_is_refused(values, metric):
    try:
        result = grader.grade(PRICES, _submission([repr(v) for v in values]), metric)
    except grader.SubmissionError as error:
        assert error.code in ("score_not_finite", "negative_value"), error
        return
    assert np.isfinite(result.public_score) and np.isfinite(result.private_score)
    json.dumps({"public": result.public_score, "private": result.private_score}, allow_nan=False)
