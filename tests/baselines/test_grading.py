"""The grader accepts every baseline's submission, scored against the held-out labels."""

from __future__ import annotations

import math

import pytest

from baselines import run_baseline
from grader import grade, read_solution

CASES = [("logreg", "digits"), ("cnn", "digits"), ("xgboost", "breast_cancer"),
         ("mlp", "wine"), ("logreg", "diabetes")]
EPOCHS = {"logreg": None, "xgboost": 20, "mlp": 5, "cnn": 2}


@pytest.mark.parametrize("model, bundle", CASES, indirect=["bundle"])
def test_grader_accepts_the_submission(model, bundle):
    result = run_baseline(model, bundle.train, bundle.test, bundle.task, epochs=EPOCHS[model],
                          progress=False)
    solution = read_solution(bundle.solution.to_csv(index=False).encode(), id_column="id",
                             target_column=bundle.task.target, classes=bundle.task.classes)
    scores = grade(solution, result.submission.to_csv(index=False).encode(), bundle.task.metric)
    assert math.isfinite(scores.public_score) and math.isfinite(scores.private_score)
    # The held-out test score should be in the neighbourhood of the validation score.
    test_score = (scores.public_score * 0.3 + scores.private_score * 0.7)
    assert abs(test_score - result.validation_score) < max(0.15, 0.5 * abs(result.validation_score))
