"""`kit backup` and `kit restore`: snapshots taken while serving, restores that are all or nothing."""

from __future__ import annotations

import hashlib
import io
import json
import re
import sqlite3
import subprocess
import sys
import textwrap
import time

import pandas as pd
import pytest
from sqlalchemy import select

from kit.challenge.bundle import solution_bytes
from kit.challenge.lookup import get_challenge
from kit.services.participants import register
from kit.services.submissions import submit
from kit.store.models import Submission


@pytest.fixture
def database_url():
    """Backups are a SQLite feature: this module's workspaces are SQLite files."""
    return None


@pytest.fixture
def iris(kit, kit_workspace, write_spec):
    assert kit("challenge", "add", str(write_spec(daily_limit=1000))).exit_code == 0
    with kit_workspace.session() as session:
        truth = pd.read_csv(io.BytesIO(solution_bytes(session, get_challenge(session, "iris"))))
    return pd.DataFrame({"id": truth["id"], "species": truth["species"]}).to_csv(index=False).encode()


def rows(kit_workspace):
    with kit_workspace.session() as session:
        return [(s.id, s.participant.name, s.message, s.sha256) for s in session.scalars(select(Submission))]


def submit_as(kit_workspace, name, content, message):
    with kit_workspace.session(write=True) as session:
        _, token = register(session, name)
    return submit(kit_workspace.workspace, slug="iris", token=token, content=content, filename="s.csv",
                  message=message)


def test_backup_change_restore_gives_the_data_as_at_backup_time(kit, kit_workspace, iris, tmp_path):
    submit_as(kit_workspace, "ada", iris, "before the backup")
    before = rows(kit_workspace)
    backup = tmp_path / "backups" / "monday.sqlite3"
    backup.parent.mkdir()
    result = kit("backup", str(backup))
    assert result.exit_code == 0, result.output
    assert "1 challenge(s), 2 participant(s)" not in result.output  # baselines are not made here
    assert "1 challenge(s), 1 participant(s), 1 submission(s)" in result.output
    assert not [p for p in backup.parent.iterdir() if p != backup]  # no temp or -wal file left beside it

    submit_as(kit_workspace, "grace", iris, "after the backup")
    assert kit("challenge", "close", "iris").exit_code == 0
    assert len(rows(kit_workspace)) == 2

    result = kit("restore", str(backup))
    assert result.exit_code == 0, result.output
    assert rows(kit_workspace) == before
    listed = json.loads(kit("challenge", "list", "--json").output)
    assert listed[0]["status"] == "open"  # the close came after the backup
    assert "grace" not in kit("leaderboard", "iris").output
    # The restored workspace takes new work, and the name taken after the backup is free again.
    assert submit_as(kit_workspace, "grace", iris, "again").submission.status == "scored"


def test_a_backup_taken_while_another_process_submits_is_consistent(kit, kit_workspace, iris, tmp_path):
    with kit_workspace.session(write=True) as session:
        _, token = register(session, "busy")
    source = tmp_path / "s.csv"
    source.write_bytes(iris)
    script = textwrap.dedent("""
        import sys
        from kit.services.submissions import submit
        from kit.store.workspace import open_workspace
        ws = open_workspace(sys.argv[1])
        content = open(sys.argv[3], "rb").read()
        for i in range(int(sys.argv[4])):
            submit(ws, slug="iris", token=sys.argv[2], content=content, filename="s.csv", message=f"loop {i}")
            print(i, flush=True)
    """)
    writer = subprocess.Popen([sys.executable, "-c", script, str(kit_workspace.path), token, str(source), "150"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    writer.stdout.readline()  # the writer is submitting
    counts = []
    try:
        for n in range(4):
            backup = tmp_path / f"live-{n}.sqlite3"
            result = kit("backup", str(backup))
            assert result.exit_code == 0, result.output
            with sqlite3.connect(backup) as copy:
                assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
                stored = copy.execute("SELECT content, size, sha256, status, public_score FROM submission").fetchall()
            for content, size, sha256, status, score in stored:
                assert len(content) == size and hashlib.sha256(content).hexdigest() == sha256
                assert status == "scored" and score == 1.0
            counts.append(len(stored))
            time.sleep(0.05)
    finally:
        out, err = writer.communicate(timeout=120)
    assert writer.returncode == 0, err[-2000:]
    assert counts == sorted(counts) and counts[0] >= 1
    assert len(rows(kit_workspace)) == 150
    assert counts[0] < 150, "the writer finished before the first backup: the test proved nothing"


def test_backup_and_restore_need_the_organizer_token(kit, kit_workspace, iris, tmp_path):
    backup = tmp_path / "b.sqlite3"
    wrong = "org_" + "x" * len(kit_workspace.organizer_token.removeprefix("org_"))
    for organizer_env in ("", wrong):
        kit.organizer_token = organizer_env or None
        result = kit("backup", str(backup))
        assert result.exit_code == 1 and "organizer action" in result.output
        assert not backup.exists()
        result = kit("backup", str(backup), "--organizer-token", wrong)
        assert result.exit_code == 1 and not backup.exists()
    kit.organizer_token = kit_workspace.organizer_token
    assert kit("backup", str(backup)).exit_code == 0
    submit_as(kit_workspace, "ada", iris, "kept")
    kit.organizer_token = None
    for args in ([], ["--organizer-token", wrong]):
        result = kit("restore", str(backup), *args)
        assert result.exit_code == 1 and "organizer action" in result.output
    assert len(rows(kit_workspace)) == 1


def test_restore_refuses_what_is_not_a_kit_database_and_changes_nothing(kit, kit_workspace, iris, tmp_path):
    submit_as(kit_workspace, "ada", iris, "kept")
    before = rows(kit_workspace)
    good = tmp_path / "good.sqlite3"
    assert kit("backup", str(good)).exit_code == 0

    text = tmp_path / "notes.sqlite3"
    text.write_text("id,label\n1,0\n")
    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE t (x)")
    newer = tmp_path / "newer.sqlite3"
    newer.write_bytes(good.read_bytes())
    with sqlite3.connect(newer) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    truncated = tmp_path / "truncated.sqlite3"
    truncated.write_bytes(good.read_bytes()[: len(good.read_bytes()) // 2])

    cases = {text: "not a SQLite database", other: "not a kit database", newer: "newer version",
             tmp_path / "missing.sqlite3": "No file at", tmp_path: "folder", truncated: "cannot"}
    for path, phrase in cases.items():
        result = kit("restore", str(path))
        assert result.exit_code == 1, (path, result.output)
        assert phrase in result.output, (path, result.output)
        assert "Traceback" not in result.output
        assert rows(kit_workspace) == before
    assert [p.name for p in kit_workspace.path.iterdir() if p.name.endswith(".part")] == []


def _planted(good, folder, name: str, *statements: str):
    path = folder / f"{name}.sqlite3"
    path.write_bytes(good.read_bytes())
    with sqlite3.connect(path) as connection:
        for statement in statements:
            connection.execute(statement)
    connection.close()
    return path


def test_restore_refuses_a_backup_that_differs_from_the_migrated_schema(kit, kit_workspace, iris, tmp_path):
    submit_as(kit_workspace, "ada", iris, "kept")
    before = rows(kit_workspace)
    database = kit_workspace.path / "kit.sqlite3"
    schema_before = sqlite3.connect(database).execute("SELECT type, name, sql FROM sqlite_master").fetchall()
    good = tmp_path / "good.sqlite3"
    assert kit("backup", str(good)).exit_code == 0
    revision = sqlite3.connect(good).execute("SELECT version_num FROM alembic_version").fetchone()[0]

    # The attack: a trigger copying the hidden solution into each new submission's message.
    trigger = _planted(good, tmp_path, "trigger",
                       "CREATE TRIGGER leak AFTER INSERT ON submission BEGIN UPDATE submission SET message = "
                       "(SELECT hex(gzip_content) FROM challenge_file WHERE hidden = 1 LIMIT 1) "
                       "WHERE id = NEW.id; END")
    hollow = tmp_path / "hollow.sqlite3"
    with sqlite3.connect(hollow) as connection:
        for table in ("alembic_version", "challenge", "participant", "submission", "kit_setting"):
            connection.execute(f"CREATE TABLE {table} (version_num TEXT, key TEXT, value TEXT)")
        connection.execute("INSERT INTO alembic_version (version_num) VALUES (?)", (revision,))
    connection.close()
    cases = {
        trigger: "holds a trigger 'leak'",
        hollow: "lacks the",
        _planted(good, tmp_path, "view", "CREATE VIEW answers AS SELECT * FROM challenge_file"): "holds a view 'answers'",
        _planted(good, tmp_path, "index", "CREATE INDEX extra ON submission (message)"): "holds a index 'extra'",
        _planted(good, tmp_path, "table", "CREATE TABLE stash (x)"): "holds a table 'stash'",
        _planted(good, tmp_path, "column", "ALTER TABLE submission ADD COLUMN note TEXT"): "the table 'submission' differs",
        _planted(good, tmp_path, "two_versions", "INSERT INTO alembic_version VALUES ('0001_initial')"): "2 kit schema",
        _planted(good, tmp_path, "dropped_index", "DROP INDEX ix_submission_daily"): "lacks the index",
    }
    for path, phrase in cases.items():
        result = kit("restore", str(path))
        assert result.exit_code == 1, (path.name, result.output)
        assert phrase in result.output and "Traceback" not in result.output, (path.name, result.output)
        assert rows(kit_workspace) == before
        assert sqlite3.connect(database).execute("SELECT type, name, sql FROM sqlite_master").fetchall() == schema_before
    assert [p.name for p in kit_workspace.path.iterdir() if p.name.endswith(".part")] == []
    assert kit("restore", str(good)).exit_code == 0  # the untouched backup still restores


def test_restore_into_a_new_workspace_needs_the_backups_organizer_token(kit, kit_workspace, iris, tmp_path):
    submit_as(kit_workspace, "ada", iris, "kept")
    backup = tmp_path / "b.sqlite3"
    assert kit("backup", str(backup)).exit_code == 0
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    from typer.testing import CliRunner

    from kit.cli import app

    def run(*args, token=""):
        env = {"KIT_WORKSPACE": str(fresh), "KIT_DATABASE_URL": "", "KIT_ORGANIZER_TOKEN": token}
        return CliRunner().invoke(app, list(args), env=env, catch_exceptions=False)

    assert run("restore", str(backup), token="org_wrong").exit_code == 1
    assert not (fresh / "kit.sqlite3").exists()
    result = run("restore", str(backup), token=kit_workspace.organizer_token)
    assert result.exit_code == 0, result.output
    assert "iris" in run("challenge", "list").output
    assert "ada" in run("leaderboard", "iris").output


def test_postgresql_workspaces_are_pointed_at_pg_dump(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from kit.cli import app

    env = {"KIT_WORKSPACE": str(tmp_path), "KIT_DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/none",
           "KIT_ORGANIZER_TOKEN": "org_anything"}
    for command, tool in (("backup", "pg_dump"), ("restore", "pg_restore")):
        result = CliRunner().invoke(app, [command, str(tmp_path / "x.sqlite3")], env=env, catch_exceptions=False)
        assert result.exit_code == 1 and tool in result.output, result.output
        assert re.search(r"SQLite", result.output)


def test_kit_init_does_not_call_a_hollow_or_altered_database_up_to_date(kit, kit_workspace, iris):
    database = kit_workspace.path / "kit.sqlite3"
    assert "up to date" in kit("init").output
    with sqlite3.connect(database) as connection:
        connection.execute("CREATE TRIGGER leak AFTER INSERT ON submission BEGIN SELECT 1; END")
    connection.close()
    from kit.store.db import dispose_engines

    dispose_engines()
    result = kit("init")
    assert result.exit_code == 1 and "holds a trigger 'leak'" in result.output, result.output
    assert "up to date" not in result.output
