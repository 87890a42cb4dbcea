"""`kit validate`: the grader's own verdict on a file, from public facts only, before any submission.

Offline from a downloaded bundle folder, and through the organizer's workspace; each case is
checked against what `kit submit` then says about the same file.
"""

import io

import pandas as pd
import pytest

from kit.challenge.bundle import solution_bytes
from kit.challenge.lookup import get_challenge

CASES = [  # (source, metric, how to spoil a right submission, the words the grader uses)
    ("sklearn:iris", "accuracy", lambda f: f.assign(species="rose"), "is not one of the 3 classes"),
    ("sklearn:iris", "accuracy", lambda f: f.iloc[1:], "Submission must have"),
    ("sklearn:breast_cancer", "roc_auc", lambda f: f.assign(**{f.columns[1]: "n/a"}), "is not a number"),
    ("sklearn:wine", "multiclass_log_loss", lambda f: f.drop(columns=f.columns[-1]), "Required column"),
    ("sklearn:diabetes", "rmse", lambda f: f.assign(**{f.columns[1]: "high"}), "is not a number"),
]


def _bundle(kit, write_spec, tmp_path, source, metric):
    slug = metric.replace("_", "-")
    assert kit("challenge", "add", str(write_spec(slug=slug, source=source, metric=metric))).exit_code == 0
    folder = tmp_path / "bundle"
    assert kit("download", slug, "-p", str(folder)).exit_code == 0
    return slug, folder


@pytest.mark.parametrize("source,metric,spoil,words", CASES)
def test_validate_gives_the_graders_verdict_offline_and_locally(kit, kit_workspace, write_spec, tmp_path,
                                                                source, metric, spoil, words):
    slug, folder = _bundle(kit, write_spec, tmp_path, source, metric)
    sample = pd.read_csv(folder / "sample_submission.csv")
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    sample.to_csv(good, index=False)
    spoil(sample).to_csv(bad, index=False)

    for where in (["--bundle", str(folder)], []):
        ok = kit("validate", slug, "-f", str(good), *where)
        assert ok.exit_code == 0, ok.output
        assert f"valid submission for {slug}: {len(sample)} rows" in ok.output
        refused = kit("validate", slug, "-f", str(bad), *where)
        assert refused.exit_code == 1 and words in refused.output, refused.output

    token = kit("register", "ada").output.split("\n")[1].strip()
    submitted = kit("submit", slug, "-f", str(bad), token=token)
    assert submitted.exit_code == 1
    message = refused.output.split("Invalid:", 1)[1].strip()
    assert " ".join(message.split()) in " ".join(submitted.output.split()), "the same words as a real submission"


def test_validate_never_needs_or_shows_a_label(kit, kit_workspace, write_spec, tmp_path):
    slug, folder = _bundle(kit, write_spec, tmp_path, "sklearn:iris", "accuracy")
    with kit_workspace.session() as session:
        truth = pd.read_csv(io.BytesIO(solution_bytes(session, get_challenge(session, slug))))
    # The right answer except one unknown id: the message names the id, never a label.
    right = truth[["id", "species"]].copy()
    right.loc[0, "id"] = 99999
    right.to_csv(tmp_path / "s.csv", index=False)
    result = kit("validate", slug, "-f", str(tmp_path / "s.csv"), "--bundle", str(folder), "--json")
    assert result.exit_code == 1 and '"code": "unknown_ids"' in result.output
    assert "99999" in result.output
    assert "solution" not in "".join(p.name for p in folder.iterdir())


def test_validate_explains_a_folder_that_is_not_a_bundle(kit, tmp_path):
    (tmp_path / "s.csv").write_text("id,species\n1,setosa\n")
    result = kit("validate", "iris", "-f", str(tmp_path / "s.csv"), "--bundle", str(tmp_path))
    assert result.exit_code == 1
    assert "is not a downloaded bundle: README.md, test.csv, sample_submission.csv missing" in result.output
