"""The store says what it holds: models and migrated schema agree (compare_metadata), statuses are
checked by the database, and the files' bytes load only when read."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from kit.store.models import Base


def schema_differences(engine) -> list:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, Base.metadata)


def test_models_match_the_migrated_schema(kit_workspace):
    """Run on SQLite and PostgreSQL: a column, type, index, unique or foreign key out of step fails here."""
    assert schema_differences(kit_workspace.workspace.engine) == []


def test_the_comparison_sees_an_index_that_only_a_migration_has(kit_workspace):
    """The check can fail: an index the models do not declare is reported."""
    engine = kit_workspace.workspace.engine
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE INDEX ix_drift_probe ON submission (filename)")
    assert "ix_drift_probe" in {index["name"] for index in inspect(engine).get_indexes("submission")}
    assert [diff[0] for diff in schema_differences(engine)] == ["remove_index"]


def test_the_database_refuses_an_unknown_submission_status(kit_workspace, kit, write_spec, tmp_path):
    import pytest
    from sqlalchemy import select, update
    from sqlalchemy.exc import IntegrityError

    from kit.store.models import Submission, SubmissionStatus

    assert kit("challenge", "add", str(write_spec(slug="iris"))).exit_code == 0
    assert kit("baseline", "iris", "--model", "logreg", "-o", str(tmp_path / "s.csv"), "--submit").exit_code == 0
    with pytest.raises(IntegrityError, match="ck_submission_status|CHECK constraint"):
        with kit_workspace.session(write=True) as session:
            session.execute(update(Submission).values(status="pending"))
    with kit_workspace.session() as session:
        assert session.scalars(select(Submission.status)).all() == [SubmissionStatus.SCORED]


def test_a_history_does_not_load_the_files_bytes(kit_workspace, kit, write_spec, tmp_path):
    from sqlalchemy import inspect as inspect_row

    from kit.challenge.lookup import get_challenge
    from kit.services.own_submissions import own_submissions
    from kit.services.participants import baseline_participant

    assert kit("challenge", "add", str(write_spec(slug="iris"))).exit_code == 0
    assert kit("baseline", "iris", "--model", "logreg", "-o", str(tmp_path / "s.csv"), "--submit").exit_code == 0
    with kit_workspace.session() as session:
        [row] = own_submissions(session, get_challenge(session, "iris"), baseline_participant(session, "logreg"))
        assert "content" in inspect_row(row).unloaded  # deferred: not read with the row
        assert row.content == (tmp_path / "s.csv").read_bytes()  # and loaded when asked for
