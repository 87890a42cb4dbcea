"""Schema migrations: empty to head, idempotent, newer databases refused."""

import sqlite3

import pytest
from sqlalchemy import inspect

from kit.errors import SchemaTooNewError, WorkspaceError
from kit.store.db import head_revision, make_engine, migrate, require_current_schema
from kit.store.workspace import init_workspace, open_workspace


def test_empty_to_head_creates_every_table(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'k.sqlite3'}")
    before, after = migrate(engine)
    assert before is None and after == head_revision()
    tables = set(inspect(engine).get_table_names())
    assert {"season", "challenge", "challenge_file", "participant", "submission", "kit_setting"} <= tables


def test_migrating_twice_changes_nothing(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'k.sqlite3'}")
    migrate(engine)
    assert migrate(engine) == (head_revision(), head_revision())


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path):
    result = init_workspace(tmp_path)
    with result.workspace.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


def test_a_newer_database_is_refused(tmp_path):
    init_workspace(tmp_path)
    with sqlite3.connect(tmp_path / "kit.sqlite3") as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    with pytest.raises(SchemaTooNewError, match="newer version"):
        init_workspace(tmp_path)
    with pytest.raises(SchemaTooNewError):
        open_workspace(tmp_path)


def test_an_older_database_is_upgraded_by_init(tmp_path):
    # An "older" database: one a previous kit left at the base revision (no tables yet).
    engine = make_engine(f"sqlite:///{tmp_path / 'kit.sqlite3'}")
    from alembic import command

    from kit.store.db import alembic_config

    config = alembic_config(str(engine.url))
    command.upgrade(config, head_revision())
    command.downgrade(config, "base")
    with pytest.raises(WorkspaceError, match="kit init"):
        require_current_schema(engine)
    result = init_workspace(tmp_path)
    assert result.revision_after == head_revision()
    open_workspace(tmp_path)


def test_commands_refuse_a_missing_workspace(tmp_path):
    with pytest.raises(WorkspaceError, match="kit init"):
        open_workspace(tmp_path / "nowhere")


def test_organizer_token_is_created_once_and_stored_hashed(tmp_path):
    first = init_workspace(tmp_path)
    second = init_workspace(tmp_path)
    assert first.organizer_token and first.organizer_token.startswith("org_")
    assert second.organizer_token is None
    with sqlite3.connect(tmp_path / "kit.sqlite3") as connection:
        stored = connection.execute("SELECT value FROM kit_setting").fetchall()
    assert first.organizer_token not in str(stored)


def test_an_older_database_keeps_its_data_when_upgraded(tmp_path):
    from alembic import command

    from kit.store.db import alembic_config

    engine = make_engine(f"sqlite:///{tmp_path / 'kit.sqlite3'}")
    command.upgrade(alembic_config(str(engine.url)), "0001_initial")
    with sqlite3.connect(tmp_path / "kit.sqlite3") as connection:
        connection.execute("INSERT INTO participant (name, name_key, token_hash, is_baseline, created_at) "
                           "VALUES ('ada', 'ada', 'x', 0, '2026-11-01 00:00:00')")
    result = init_workspace(tmp_path)
    assert (result.revision_before, result.revision_after) == ("0001_initial", head_revision())
    with sqlite3.connect(tmp_path / "kit.sqlite3") as connection:
        assert connection.execute("SELECT name FROM participant").fetchall() == [("ada",)]
        assert connection.execute("SELECT count(*) FROM checkin").fetchone() == (0,)
