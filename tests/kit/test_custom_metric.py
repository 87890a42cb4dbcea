"""Custom metrics: an organizer's Python function graded like a built-in, never a traceback for participants."""

from __future__ import annotations

import io
import json

import numpy as np
import pandas as pd
import pytest

from kit.challenge.bundle import bundle_files, solution_bytes
from kit.challenge.lookup import get_challenge

SCORING = '''
import numpy as np


def weighted_accuracy(y_true, y_pred):
    """Mistakes on 'virginica' count double."""
    weights = np.where(y_true == "virginica", 2.0, 1.0)
    return float(np.sum(weights * (y_true == y_pred)) / np.sum(weights))


def fails(y_true, y_pred):
    return 1 / 0


def says_hello(y_true, y_pred):
    return "hello"


def picky(y_true, y_pred):
    # Fails only on submissions that predict 'setosa' everywhere.
    if np.all(y_pred == "setosa"):
        raise ValueError("secret detail " + str(list(y_true[:3])))
    return float(np.mean(y_true == y_pred))
'''

CUSTOM = '''
metric_direction = "higher"
metric_prediction = "label"
'''


def custom_spec(write_spec, tmp_path, function: str, extra: str = CUSTOM):
    (tmp_path / "scoring.py").write_text(SCORING)
    return write_spec(slug="iris-custom", source="sklearn:iris", metric=f"custom:scoring.py:{function}",
                      extra="").read_text().replace("[data]", extra + "\n[data]")


def add(kit, tmp_path, text: str):
    (tmp_path / "custom.toml").write_text(text)
    return kit("challenge", "add", str(tmp_path / "custom.toml"))


def register(kit_workspace, name: str) -> str:
    from kit.services.participants import register as register_participant

    with kit_workspace.session(write=True) as session:
        return register_participant(session, name)[1]


def reference(y_true, y_pred) -> float:
    weights = np.where(y_true == "virginica", 2.0, 1.0)
    return float(np.sum(weights * (y_true == y_pred)) / np.sum(weights))


def test_a_custom_metric_grades_public_and_private_rows_like_a_builtin(kit, kit_workspace, write_spec, tmp_path):
    added = add(kit, tmp_path, custom_spec(write_spec, tmp_path, "weighted_accuracy"))
    assert added.exit_code == 0, added.output
    with kit_workspace.session() as session:
        challenge = get_challenge(session, "iris-custom")
        files = bundle_files(session, challenge)
        truth = pd.read_csv(io.BytesIO(solution_bytes(session, challenge)))
    assert "custom_metric.py" not in files  # the organizer's code stays hidden with the solution
    rng = np.random.default_rng(0)
    guess = np.where(rng.random(len(truth)) < 0.7, truth["species"], "setosa")
    (tmp_path / "sub.csv").write_text(pd.DataFrame({"id": truth["id"], "species": guess}).to_csv(index=False))
    token = register(kit_workspace, "ana")
    submitted = kit("submit", "iris-custom", "-f", str(tmp_path / "sub.csv"), "--json", token=token)
    assert submitted.exit_code == 0, submitted.output
    public = truth["Usage"] == "Public"
    expected = reference(truth["species"][public].to_numpy(), guess[public.to_numpy()])
    assert json.loads(submitted.output)["public_score"] == pytest.approx(expected)
    shown = json.loads(kit("challenge", "show", "iris-custom", "--json").output)
    assert shown["direction"] == "higher" and shown["submission_header"] == ["id", "species"]
    # Offline validation cannot run the organizer's code; it says so instead of "unknown metric".
    assert kit("download", "iris-custom", "-p", str(tmp_path / "bundle")).exit_code == 0
    offline = kit("validate", "iris-custom", "-f", str(tmp_path / "sub.csv"), "--bundle", str(tmp_path / "bundle"))
    assert offline.exit_code == 1 and "organizer's own metric" in offline.output


@pytest.mark.parametrize("function, message", [
    ("fails", "ZeroDivisionError"),
    ("says_hello", "returned str 'hello'; it must return a number"),
    ("nope", "has no function 'nope'"),
])
def test_challenge_add_refuses_a_failing_function_with_the_organizers_traceback(
        kit, write_spec, tmp_path, function, message):
    refused = add(kit, tmp_path, custom_spec(write_spec, tmp_path, function))
    assert refused.exit_code == 1
    assert message in refused.output
    if function == "fails":
        assert 'File "scoring.py", line 12, in fails' in refused.output and "return 1 / 0" in refused.output
    assert "Added challenge" not in kit("challenge", "list").output


def test_a_participant_never_sees_a_traceback_from_it(kit, kit_workspace, write_spec, tmp_path):
    assert add(kit, tmp_path, custom_spec(write_spec, tmp_path, "picky")).exit_code == 0
    with kit_workspace.session() as session:
        truth = pd.read_csv(io.BytesIO(solution_bytes(session, get_challenge(session, "iris-custom"))))
    (tmp_path / "sub.csv").write_text(pd.DataFrame({"id": truth["id"], "species": "setosa"}).to_csv(index=False))
    token = register(kit_workspace, "bob")
    refused = kit("submit", "iris-custom", "-f", str(tmp_path / "sub.csv"), token=token)
    assert refused.exit_code == 1
    assert "cannot be scored" in refused.output
    for leak in ("Traceback", "secret detail", "ValueError", 'File "', "virginica"):
        assert leak not in refused.output


@pytest.mark.parametrize("extra, message", [
    ('metric_direction = "higher"', "needs metric_direction"),
    ('metric_direction = "up"\nmetric_prediction = "label"', "metric_direction"),
])
def test_custom_metric_fields_are_checked(kit, write_spec, tmp_path, extra, message):
    refused = add(kit, tmp_path, custom_spec(write_spec, tmp_path, "weighted_accuracy", extra=extra))
    assert refused.exit_code == 1 and message in refused.output


def test_the_file_must_stay_in_the_spec_folder(kit, write_spec, tmp_path):
    text = custom_spec(write_spec, tmp_path, "weighted_accuracy").replace("custom:scoring.py", "custom:../x.py")
    refused = add(kit, tmp_path, text)
    assert refused.exit_code == 1 and "stay inside it" in refused.output
    builtin = write_spec(slug="iris-b", extra="").read_text().replace("[data]", CUSTOM + "\n[data]")
    refused = add(kit, tmp_path, builtin)
    assert refused.exit_code == 1 and "only for a custom metric" in refused.output
