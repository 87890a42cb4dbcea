"""The foundation's commands through Typer's runner: exit codes and messages."""

import json
import subprocess
import sys

import pandas as pd
import pytest


def test_init_creates_and_then_reports_up_to_date(tmp_path):
    from typer.testing import CliRunner

    from kit.cli import app

    runner = CliRunner()
    first = runner.invoke(app, ["init", "--workspace", str(tmp_path / "w")])
    assert first.exit_code == 0, first.output
    assert "Created workspace" in first.output and "org_" in first.output
    second = runner.invoke(app, ["init", "-w", str(tmp_path / "w")])
    assert second.exit_code == 0 and "up to date" in second.output and "org_" not in second.output


def test_workspace_comes_from_the_environment(tmp_path):
    from typer.testing import CliRunner

    from kit.cli import app

    result = CliRunner().invoke(app, ["init"], env={"KIT_WORKSPACE": str(tmp_path / "env-ws"), "KIT_DATABASE_URL": ""})
    assert result.exit_code == 0
    assert (tmp_path / "env-ws" / "kit.sqlite3").exists()


def test_commands_on_a_missing_workspace_say_run_init(tmp_path):
    from typer.testing import CliRunner

    from kit.cli import app

    result = CliRunner().invoke(app, ["challenge", "list", "-w", str(tmp_path / "none")])
    assert result.exit_code == 1
    assert "kit init" in result.output


@pytest.mark.parametrize("where", ["a-file", "a-file/inside", "/proc/nope", "/proc"])
def test_init_where_no_workspace_can_be_made_says_where_and_why(tmp_path, where):
    # A file in the way, a path through a file, a folder the OS will not create, one where no
    # database file can be created (/proc: root ignores modes, so chmod 555 would prove nothing).
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    path = where if where.startswith("/") else str(tmp_path / where)
    result = subprocess.run([sys.executable, "-m", "kit", "init", "--workspace", path],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    message = " ".join(result.stderr.split())
    assert f"Cannot use {path} as a workspace" in message
    assert "file, not a folder" in message if where.startswith("a-file") else "No such file" in message


def test_challenge_add_list_show(kit, write_spec):
    spec = write_spec(slug="iris-one", source="sklearn:iris", metric="accuracy")
    added = kit("challenge", "add", str(spec))
    assert added.exit_code == 0, added.output
    assert "Added challenge iris-one" in added.output
    listed = kit("challenge", "list", "--json")
    rows = json.loads(listed.output)
    assert [r["slug"] for r in rows] == ["iris-one"]
    assert rows[0]["status"] == "open" and rows[0]["direction"] == "higher"
    assert rows[0]["classes"] == ["setosa", "versicolor", "virginica"]
    table = kit("challenge", "list")
    assert "iris-one" in table.output and "accuracy ↑" in table.output
    shown = kit("challenge", "show", "iris-one")
    assert shown.exit_code == 0 and "species" in shown.output


def test_challenge_add_needs_the_organizer_token(kit, write_spec):
    result = kit("challenge", "add", str(write_spec()), organizer=False)
    assert result.exit_code == 1
    assert "organizer token" in result.output
    assert json.loads(kit("challenge", "list", "--json").output) == []


def test_a_bad_spec_exits_1_with_the_field_named(kit, write_spec):
    spec = write_spec(metric="accurracy")
    result = kit("challenge", "add", str(spec))
    assert result.exit_code == 1
    assert "metric:" in result.output and "Traceback" not in result.output


def test_a_metric_that_does_not_fit_the_task_is_refused(kit, write_spec):
    result = kit("challenge", "add", str(write_spec(source="sklearn:diabetes", metric="accuracy")))
    assert result.exit_code == 1
    assert "regression" in result.output


def test_adding_an_existing_slug_needs_replace(kit, write_spec):
    spec = write_spec()
    assert kit("challenge", "add", str(spec)).exit_code == 0
    again = kit("challenge", "add", str(spec))
    assert again.exit_code == 1 and "--replace" in again.output
    assert kit("challenge", "add", str(spec), "--replace").exit_code == 0


def test_show_an_unknown_challenge(kit):
    result = kit("challenge", "show", "nope")
    assert result.exit_code == 1 and "No challenge 'nope'" in result.output


def test_download_writes_the_bundle(kit, write_spec, tmp_path):
    kit("challenge", "add", str(write_spec(slug="wine-one", source="sklearn:wine", metric="multiclass_log_loss")))
    result = kit("download", "wine-one", "-p", str(tmp_path / "bundle"))
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (tmp_path / "bundle").iterdir())
    assert names == ["README.md", "sample_submission.csv", "test.csv", "train.csv"]
    sample = pd.read_csv(tmp_path / "bundle" / "sample_submission.csv")
    assert list(sample.columns) == ["id", "0", "1", "2"]


def test_register_prints_a_token_once_and_names_are_unique(kit):
    first = kit("register", "Ada Lovelace")
    assert first.exit_code == 0 and "kit_" in first.output
    clash = kit("register", "ada lovelace")
    assert clash.exit_code == 1 and "taken" in clash.output
    bad = kit("register", "<script>")
    assert bad.exit_code == 1 and "not allowed" in bad.output
    reserved = kit("register", "baseline-bot")
    assert reserved.exit_code == 1 and "reserved" in reserved.output


def test_season_create_and_show(kit):
    created = kit("season", "create", "s-one", "--name", "27 Days of Keras", "--starts", "2026-11-20")
    assert created.exit_code == 0, created.output
    shown = json.loads(kit("season", "show", "s-one", "--json").output)
    assert shown["days"] == 27 and shown["name"] == "27 Days of Keras"
    bad = kit("season", "create", "s-two", "--name", "x y z", "--starts", "20/11/2026")
    assert bad.exit_code == 1 and "YYYY-MM-DD" in bad.output
    zone = kit("season", "create", "s-two", "--name", "Two", "--starts", "2026-11-20", "--timezone", "Mars/Base")
    assert zone.exit_code == 1 and "time zone" in zone.output


def test_a_challenge_takes_its_dates_from_its_season_week(kit, tmp_path):
    kit("season", "create", "s-one", "--name", "Season One", "--starts", "2026-11-02")
    spec = tmp_path / "w2.toml"
    spec.write_text('slug = "week-two"\ntitle = "Week two"\nmetric = "accuracy"\nseason = "s-one"\nweek = 2\n'
                    '[data]\nsource = "sklearn:iris"\n')
    assert kit("challenge", "add", str(spec)).exit_code == 0
    row = json.loads(kit("challenge", "show", "week-two", "--json").output)
    assert row["opens_at"].startswith("2026-11-09T00:00") and row["closes_at"].startswith("2026-11-16T00:00")


def test_python_dash_m_kit_works():
    result = subprocess.run([sys.executable, "-m", "kit", "--help"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "challenge" in result.stdout


def test_a_split_the_metric_cannot_score_is_refused(kit, tmp_path):
    # 30 rows, a public part of 1 row: ROC AUC is undefined on a single class.
    (tmp_path / "tiny.csv").write_text("x,y\n" + "".join(f"{i},{i % 2}\n" for i in range(30)))
    spec = tmp_path / "tiny.toml"
    spec.write_text('slug = "tiny"\ntitle = "Tiny"\nmetric = "roc_auc"\nopens = 2020-01-01T00:00:00Z\n'
                    'closes = 2099-01-01T00:00:00Z\n[data]\nsource = "csv:tiny.csv"\ntarget = "y"\n'
                    'test_fraction = 0.1\npublic_fraction = 0.34\n')
    result = kit("challenge", "add", str(spec))
    assert result.exit_code == 1 and "cannot score this split" in result.output
    assert json.loads(kit("challenge", "list", "--json").output) == []


def test_a_csv_with_its_own_id_column_must_say_so(kit, tmp_path):
    (tmp_path / "d.csv").write_text("id,x,y\n" + "".join(f"{i},{i},{i % 2}\n" for i in range(40)))
    spec = tmp_path / "d.toml"
    base = ('slug = "own-ids"\ntitle = "Own ids"\nmetric = "accuracy"\nopens = 2020-01-01T00:00:00Z\n'
            'closes = 2099-01-01T00:00:00Z\n[data]\nsource = "csv:d.csv"\ntarget = "y"\n')
    spec.write_text(base)
    result = kit("challenge", "add", str(spec))
    assert result.exit_code == 1 and 'id_column = "id"' in result.output
    spec.write_text(base + 'id_column = "id"\n')
    assert kit("challenge", "add", str(spec)).exit_code == 0
