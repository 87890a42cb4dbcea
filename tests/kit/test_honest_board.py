"""The honest leaderboard end to end: intervals on the board, real ties, the Ladder, kit compare,
the add-time noise warning, rounding to the noise, and the JSON and CSV fields."""

from __future__ import annotations

import csv
import io
import json
import re

import pandas as pd

from kit.challenge.bundle import solution_bytes
from kit.challenge.lookup import get_challenge

# Digits with half the rows in the test split and half of those public: about 450 public rows,
# enough that one submission can be clearly better than another.
DIGITS = """
slug = "{slug}"
title = "Digits"
metric = "accuracy"
opens = 2020-01-01T00:00:00Z
closes = 2099-01-01T00:00:00Z
daily_limit = 50
{extra}

[data]
source = "sklearn:digits"
test_fraction = 0.5
public_fraction = 0.5
seed = 7
"""


def add(kit, tmp_path, slug="digits", extra=""):
    path = tmp_path / f"{slug}.toml"
    path.write_text(DIGITS.format(slug=slug, extra=extra))
    result = kit("challenge", "add", str(path))
    assert result.exit_code == 0, result.output
    return result


def truth(kit_workspace, slug="digits") -> pd.DataFrame:
    with kit_workspace.session() as session:
        return pd.read_csv(io.BytesIO(solution_bytes(session, get_challenge(session, slug))))


def register(kit, name):
    return re.search(r"kit_[A-Za-z0-9_-]+", kit("register", name).output).group(0)


def write(path, solution: pd.DataFrame, *, wrong_public=0, wrong_private=0, offset=0):
    """A submission right everywhere except on `wrong_*` rows of each part (starting at `offset`)."""
    target = next(c for c in solution.columns if c not in ("id", "Usage"))
    labels = solution[target].copy()
    for usage, wrong in (("Public", wrong_public), ("Private", wrong_private)):
        rows = solution.index[solution["Usage"] == usage][offset:offset + wrong]
        labels[rows] = (labels[rows] + 1) % 10
    pd.DataFrame({"id": solution["id"], target: labels}).to_csv(path, index=False)
    return path


def submit(kit, token, path, *args):
    result = kit("submit", "digits", "-f", str(path), "--json", *args, token=token)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def board_json(kit, *args):
    result = kit("leaderboard", "digits", "--json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_identical_submissions_tie_and_a_clearly_better_one_does_not(kit, kit_workspace, tmp_path):
    add(kit, tmp_path)
    solution = truth(kit_workspace)
    ada, bob, cy = register(kit, "ada"), register(kit, "bob"), register(kit, "cyd")
    submit(kit, ada, write(tmp_path / "a.csv", solution, wrong_public=20))  # the clearly better one
    submit(kit, bob, write(tmp_path / "b.csv", solution, wrong_public=90))
    submit(kit, cy, write(tmp_path / "c.csv", solution, wrong_public=90))  # the same file as bob's
    board = board_json(kit)
    assert [row["participant"] for row in board["rows"]] == ["ada", "bob", "cyd"]
    first, second, third = board["rows"]
    assert first["tied_with_above"] is False and second["tied_with_above"] is False
    assert third["tied_with_above"] is True and third["tie_group"] == second["tie_group"] != first["tie_group"]
    for row in board["rows"]:
        assert row["score_low"] < row["score"] < row["score_high"]
    # The CLI table marks the tie with `=` and shows the interval.
    table = kit("leaderboard", "digits").output
    cy_line = next(line for line in table.splitlines() if " cyd " in line)
    assert "=" in cy_line and "–" in cy_line
    ada_line = next(line for line in table.splitlines() if " ada " in line)
    assert "=" not in ada_line


def test_leaderboard_json_and_csv_carry_the_interval_and_the_tie_mark(kit, kit_workspace, tmp_path):
    add(kit, tmp_path)
    solution = truth(kit_workspace)
    ada, bob = register(kit, "ada"), register(kit, "bob")
    submit(kit, ada, write(tmp_path / "a.csv", solution, wrong_public=30))
    submit(kit, bob, write(tmp_path / "b.csv", solution, wrong_public=33, offset=100))
    board = board_json(kit)
    assert board["board"] == "public" and board["mode"] == "best" and board["decimals"] == 2
    assert {"score", "score_low", "score_high", "tied_with_above"} <= set(board["rows"][0])
    assert board["rows"][1]["tied_with_above"] is True  # 3 rows apart of ~450: noise
    rows = list(csv.DictReader(io.StringIO(kit("leaderboard", "digits", "--csv").output)))
    assert list(rows[0])[:7] == ["rank", "participant", "baseline", "score", "score_low", "score_high",
                                 "tied_with_above"]
    assert [r["tied_with_above"] for r in rows] == ["0", "1"]
    for row, record in zip(rows, board["rows"], strict=True):
        # Public numbers leave rounded to the noise, in every format.
        assert float(row["score"]) == record["score"] == round(record["score"], 2)
        assert float(row["score_low"]) == record["score_low"] and float(row["score_high"]) == record["score_high"]


def test_scores_are_rounded_to_the_noise_but_ranked_at_full_precision(kit, kit_workspace, tmp_path):
    add(kit, tmp_path)
    solution = truth(kit_workspace)
    ada, bob = register(kit, "ada"), register(kit, "bob")
    submit(kit, ada, write(tmp_path / "a.csv", solution, wrong_public=31))
    submit(kit, bob, write(tmp_path / "b.csv", solution, wrong_public=30, offset=200))  # one row better
    board = board_json(kit)
    # Both show the same rounded score; bob ranks first all the same, and the tie says why.
    assert [r["participant"] for r in board["rows"]] == ["bob", "ada"]
    assert board["rows"][0]["score"] == board["rows"][1]["score"]
    assert board["rows"][1]["tied_with_above"] is True
    from kit.challenge.ranking import public_board

    with kit_workspace.session() as session:
        full = public_board(session, get_challenge(session, "digits"))
    assert full[0].score > full[1].score and full[0].score != round(full[0].score, 2)


def test_kit_compare_gives_a_paired_answer(kit, kit_workspace, tmp_path):
    add(kit, tmp_path)
    solution = truth(kit_workspace)
    ada = register(kit, "ada")
    first = submit(kit, ada, write(tmp_path / "1.csv", solution, wrong_public=90))
    second = submit(kit, ada, write(tmp_path / "2.csv", solution, wrong_public=20))
    third = submit(kit, ada, write(tmp_path / "3.csv", solution, wrong_public=21))
    assert "better, beyond the noise" in second["comparison"]
    assert "within noise" in third["comparison"]
    answer = json.loads(kit("compare", "digits", str(third["id"]), "--json", token=ada).output)
    assert answer[0]["against_id"] == second["id"] and answer[0]["verdict"] == "within noise"
    assert answer[0]["low"] < 0 <= answer[0]["high"]
    # Public numbers leave at the board's precision (two decimals here): no finer than the board shows.
    for key in ("score", "against_score", "improvement", "standard_error", "low", "high"):
        assert answer[0][key] == round(answer[0][key], 2), key
    versus = json.loads(kit("compare", "digits", str(second["id"]), "--against", str(first["id"]), "--json",
                            token=ada).output)
    assert versus[0]["verdict"] == "better" and versus[0]["low"] > 0
    assert len(versus) == 1  # public rows only while the challenge is open
    text = kit("compare", "digits", str(third["id"]), token=ada).output
    assert "within noise" in text and "95 % interval" in text
    # Someone else's submission, a bad --against, and a lone submission are refused clearly.
    bob = register(kit, "bob")
    refused = kit("compare", "digits", str(first["id"]), token=bob)
    assert refused.exit_code == 1 and "You have no submission" in refused.output
    assert kit("compare", "digits", str(first["id"]), "--against", "worst", token=ada).exit_code == 1
    lone = submit(kit, bob, write(tmp_path / "b.csv", solution, wrong_public=5))
    alone = kit("compare", "digits", str(lone["id"]), token=bob)
    assert alone.exit_code == 1 and "only scored one" in alone.output


def test_the_ladder_moves_only_beyond_the_noise_and_leaves_the_private_board_alone(kit, kit_workspace, tmp_path):
    add(kit, tmp_path, extra='public_board = "ladder"')
    solution = truth(kit_workspace)
    ada = register(kit, "ada")
    first = submit(kit, ada, write(tmp_path / "1.csv", solution, wrong_public=60, wrong_private=60))
    assert first["ladder_moved"] is True
    shown = board_json(kit)["rows"][0]["score"]
    # Four public rows fixed and three others broken (one row better, net), perfect on the
    # private part: within the noise of the paired differences.
    small = submit(kit, ada, write(tmp_path / "2.csv", solution, wrong_public=59, offset=4, wrong_private=0))
    assert small["ladder_moved"] is False
    # In words, to the board's precision (two decimals here): never finer than the board shows.
    assert re.fullmatch(r"\+0\.\d{2} is within noise; a change needs more than 0\.\d{2}\. "
                        r"Your displayed public score stays 0\.\d{2}\.", small["ladder"]), small["ladder"]
    board = board_json(kit)
    assert board["mode"] == "ladder" and board["rows"][0]["score"] == shown and board["rows"][0]["entries"] == 2
    text = kit("submit", "digits", "-f", str(tmp_path / "2.csv"), token=ada).output
    assert "is within noise; a change needs more than" in text
    # A real improvement moves it.
    big = submit(kit, ada, write(tmp_path / "3.csv", solution, wrong_public=10, wrong_private=60))
    assert big["ladder_moved"] is True and "beats your displayed" in big["ladder"]
    assert board_json(kit)["rows"][0]["score"] == big["public_score"] > shown
    # A worse one says so and changes nothing.
    worse = submit(kit, ada, write(tmp_path / "4.csv", solution, wrong_public=40))
    assert worse["ladder_moved"] is False and "no improvement" in worse["ladder"]
    # The private board ignores the Ladder: with no finals chosen, the best public ones count,
    # and the within-noise submission (perfect on the private rows) is among them.
    assert kit("challenge", "close", "digits").exit_code == 0
    private = board_json(kit, "--private")
    assert private["board"] == "private" and private["rows"][0]["score"] == 1.0


def test_challenge_add_reports_the_noise_and_warns_when_too_wide(kit, tmp_path, write_spec):
    roomy = add(kit, tmp_path)
    assert "Public part: 450 rows" in roomy.output and "shown to 2 decimals" in roomy.output
    assert "too small to rank anyone" not in roomy.output
    tiny = kit("challenge", "add", str(write_spec(slug="iris")))  # 38 test rows, 12 public
    assert tiny.exit_code == 0, tiny.output
    assert "Warning: The public part is too small to rank anyone" in tiny.output
    assert "raise data.public_fraction (now 0.3) or data.test_fraction (now 0.25)" in tiny.output
    needed = int(re.search(r"needs about ([\d,]+) public rows", tiny.output).group(1).replace(",", ""))
    assert needed > 100


def test_noise_decimals():
    from kit.challenge.noise import noise_decimals

    assert noise_decimals(0.07, 5) == 2
    assert noise_decimals(0.004, 5) == 3
    assert noise_decimals(0.00004, 5) == 5  # never more than the metric's own
    assert noise_decimals(2.5, 5) == 0
    assert noise_decimals(None, 5) == noise_decimals(0.0, 5) == noise_decimals(float("nan"), 5) == 5


def test_private_intervals_stay_hidden_until_close(kit, kit_workspace, tmp_path):
    add(kit, tmp_path)
    solution = truth(kit_workspace)
    ada = register(kit, "ada")
    submit(kit, ada, write(tmp_path / "a.csv", solution, wrong_public=10, wrong_private=30))
    mine = json.loads(kit("submissions", "digits", "--json", token=ada).output)[0]
    assert mine["public_low"] < mine["public_score"] < mine["public_high"]
    assert mine["private_score"] is None and mine["private_low"] is None and mine["private_high"] is None
    assert kit("challenge", "close", "digits").exit_code == 0
    mine = json.loads(kit("submissions", "digits", "--json", token=ada).output)[0]
    assert mine["private_low"] < mine["private_score"] < mine["private_high"]
