"""The same seed on the same device gives exactly the same submission."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from baselines import run_baseline

EPOCHS = {"xgboost": 10, "mlp": 2, "cnn": 1}


@pytest.mark.parametrize("model", ["xgboost", "mlp", "cnn"])
def test_seeded_runs_repeat_exactly(model, digits):
    # Compare probabilities, not labels: labels would hide small numerical differences.
    task = replace(digits.task, prediction="class_probabilities", metric="multiclass_log_loss")

    def submission():
        return run_baseline(model, digits.train, digits.test, task, epochs=EPOCHS[model], seed=7,
                            progress=False).submission

    pd.testing.assert_frame_equal(submission(), submission(), check_exact=True)


def test_class_probabilities_repeat_exactly(wine):
    runs = [run_baseline("mlp", wine.train, wine.test, wine.task, epochs=2, seed=3, progress=False)
            for _ in range(2)]
    pd.testing.assert_frame_equal(runs[0].submission, runs[1].submission, check_exact=True)
    assert runs[0].validation_score == runs[1].validation_score
    # ...and the seed matters: another one splits and initialises differently.
    other = run_baseline("mlp", wine.train, wine.test, wine.task, epochs=2, seed=4, progress=False)
    assert not other.submission.equals(runs[0].submission)
