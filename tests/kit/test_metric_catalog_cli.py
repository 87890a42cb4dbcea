"""`kit metrics` lists the catalog; the submission header is said once, the same everywhere."""

from __future__ import annotations

import json

import pandas as pd

from kit.challenge.bundle import bundle_files
from kit.challenge.lookup import get_challenge
from kit.challenge.submission_format import submission_header


def test_kit_metrics_lists_name_direction_holds_and_description(kit):
    shown = kit("metrics")
    assert shown.exit_code == 0
    for text in ("accuracy", "↑ higher", "rmse", "↓ lower", "one probability column per class",
                 "multiclass_log_loss_onehot", "mean_columnwise_rmse", "custom:FILE.py:FUNCTION"):
        assert text in shown.output
    rows = json.loads(kit("metrics", "--json").output)
    by_name = {row["name"]: row for row in rows}
    assert by_name["log_loss"]["direction"] == "lower" and by_name["log_loss"]["arrow"] == "↓"
    assert by_name["roc_auc_ovr"]["prediction"] == "class_probabilities"
    assert all(row["description"] for row in rows)


def test_header_is_the_same_in_sample_readme_and_cli(kit, kit_workspace, write_spec):
    spec = write_spec(slug="wine", source="sklearn:wine", metric="multiclass_log_loss")
    assert kit("challenge", "add", str(spec)).exit_code == 0
    with kit_workspace.session() as session:
        challenge = get_challenge(session, "wine")
        header = submission_header(challenge)
        files = bundle_files(session, challenge)
    assert header == ["id", "0", "1", "2"]  # one probability column per class
    assert files["sample_submission.csv"].decode().splitlines()[0] == ",".join(header)
    assert f"header is exactly `{','.join(header)}`" in files["README.md"].decode()
    shown = json.loads(kit("challenge", "show", "wine", "--json").output)
    assert shown["submission_header"] == header


def test_kit_grade_reads_a_multi_column_solution_and_takes_target(kit, tmp_path):
    solution = pd.DataFrame({"id": range(1, 9), "a": [1, 0] * 4, "b": [0, 1] * 4,
                             "Usage": ["Public", "Public", "Private", "Private"] * 2})
    solution.to_csv(tmp_path / "solution.csv", index=False)
    pd.DataFrame({"id": range(1, 9), "a": [0.9, 0.2] * 4, "b": [0.1, 0.8] * 4}).to_csv(tmp_path / "sub.csv", index=False)
    args = ["grade", "-s", str(tmp_path / "solution.csv"), "-f", str(tmp_path / "sub.csv")]
    scored = kit(*args, "-m", "multiclass_log_loss_onehot", "--json")
    assert scored.exit_code == 0, scored.output
    assert json.loads(scored.output)["public_score"] > 0
    refused = kit(*args, "-m", "rmse")
    assert refused.exit_code == 1
    assert "2 target columns (a, b)" in refused.output and "--target COL" in refused.output
    pd.DataFrame({"id": range(1, 9), "a": [1.0, 0.0] * 4}).to_csv(tmp_path / "one.csv", index=False)
    picked = kit("grade", "-s", str(tmp_path / "solution.csv"), "-f", str(tmp_path / "one.csv"),
                 "-m", "rmse", "--target", "a", "--json")
    assert picked.exit_code == 0 and json.loads(picked.output)["public_score"] == 0.0
    both = kit(*args, "-m", "mean_columnwise_roc_auc", "--target", "a,b", "--json")
    assert json.loads(both.output)["private_score"] == 1.0
