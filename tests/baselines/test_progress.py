"""Training shows Rich progress on stderr, never on stdout, and nothing when progress=False."""

from __future__ import annotations

import pytest

from baselines import run_baseline

EPOCHS = {"logreg": None, "xgboost": 3, "mlp": 2}


@pytest.mark.parametrize("model", ["logreg", "xgboost", "mlp"])
def test_progress_goes_to_stderr(model, wine, capsys):
    run_baseline(model, wine.train, wine.test, wine.task, epochs=EPOCHS[model], progress=True)
    out, err = capsys.readouterr()
    assert out == ""
    assert model in err


def test_no_progress_means_silence(wine, capfd):
    run_baseline("mlp", wine.train, wine.test, wine.task, epochs=2, progress=False)
    out, err = capfd.readouterr()
    assert out == "" and err == ""


def test_epoch_bar_counts_epochs(wine, capsys):
    run_baseline("mlp", wine.train, wine.test, wine.task, epochs=3, progress=True)
    assert "3/3" in capsys.readouterr().err
