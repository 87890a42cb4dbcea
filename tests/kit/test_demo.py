"""`kit demo` in a temporary workspace: the season, its challenges, bundles, baseline rows."""

import json


def test_demo_builds_the_season(tmp_path):
    from typer.testing import CliRunner
    from kit.cli import app

    runner = CliRunner()
    env = {"KIT_WORKSPACE": str(tmp_path / "demo"), "KIT_DATABASE_URL": "", "COLUMNS": "200"}
    result = runner.invoke(app, ["demo", "--no-serve", "--no-baselines"], env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "27 Days of Deep Learning" in result.output and "Next steps" in result.output

    season = json.loads(runner.invoke(app, ["season", "show", "--json"], env=env).output)
    assert season["name"] == "27 Days of Deep Learning" and season["day"] == 4
    challenges = {row["slug"]: row for row in season["challenges"]}
    assert {"digits", "breast-cancer", "diabetes", "wine"} <= set(challenges)
    assert all(row["status"] == "open" for row in challenges.values())

    listed = {row["slug"]: row for row in json.loads(runner.invoke(app, ["challenge", "list", "--json"], env=env).output)}
    assert listed["digits"]["metric"] == "accuracy"
    assert listed["breast-cancer"]["metric"] == "roc_auc"
    assert listed["diabetes"]["metric"] == "rmse" and listed["diabetes"]["direction"] == "lower"

    download = runner.invoke(app, ["download", "diabetes", "-p", str(tmp_path / "bundle")], env=env)
    assert download.exit_code == 0
    assert (tmp_path / "bundle" / "train.csv").stat().st_size > 0

    board = runner.invoke(app, ["leaderboard", "digits", "--csv"], env=env).output.splitlines()
    assert board[0].startswith("rank,participant,baseline")
    assert any(",baseline: sample,1," in line for line in board[1:])

    again = runner.invoke(app, ["demo", "--no-serve", "--no-baselines"], env=env)
    assert again.exit_code == 0 and "already in" in again.output and "--reset" in again.output
    reset = runner.invoke(app, ["demo", "--no-serve", "--no-baselines", "--reset"], env=env)
    assert reset.exit_code == 0, reset.output
