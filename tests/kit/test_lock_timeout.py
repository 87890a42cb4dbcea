"""A row lock held too long is a clean, retryable refusal on PostgreSQL, not a wait without end.

The lock timeout is set once per connection (kit.store.db); here another transaction holds the
participant's row lock (as a concurrent submission of theirs would) and the submission waits the
timeout, then gets BusyError with nothing stored.
"""

from __future__ import annotations

import time

import pytest
from sqlalchemy import create_engine, func, select, text

from kit.challenge.spec import parse_spec
from kit.errors import BusyError
from kit.services.challenges import add_challenge
from kit.services.participants import register
from kit.services.submissions import submit
from kit.store import db
from kit.store.models import Submission

SPEC = """slug = "iris"
title = "Iris"
metric = "accuracy"
opens = 2020-01-01T00:00:00Z
closes = 2099-01-01T00:00:00Z
[data]
source = "sklearn:iris"
seed = 3
"""


def test_a_held_row_lock_ends_in_a_busy_refusal(kit_workspace, monkeypatch):
    if kit_workspace.database_url is None:
        pytest.skip("PostgreSQL's row locks; SQLite's write lock has its own test (test_migrations)")
    monkeypatch.setattr(db, "SQLITE_BUSY_TIMEOUT_MS", 700)
    db.dispose_engines()  # new connections take the shorter timeout
    ws = kit_workspace.workspace
    with ws.session(write=True) as session:
        add_challenge(session, parse_spec(SPEC), SPEC, progress=False)
        participant, token = register(session, "lockee")
    with ws.session() as session:
        assert session.execute(text("SHOW lock_timeout")).scalar() == "700ms"
    from tests.known_submissions import solution_rows, submission_csv

    content = submission_csv(solution_rows(ws, "iris"))
    holder = create_engine(kit_workspace.database_url)
    try:
        with holder.connect() as connection, connection.begin():
            connection.execute(text("SELECT id FROM participant WHERE id = :id FOR UPDATE"), {"id": participant.id})
            started = time.monotonic()
            with pytest.raises(BusyError):
                submit(ws, slug="iris", token=token, content=content, filename="s.csv")
            assert 0.5 < time.monotonic() - started < 20
    finally:
        holder.dispose()
        db.dispose_engines()
    with ws.session() as session:
        assert session.scalar(select(func.count()).select_from(Submission)) == 0
    assert submit(ws, slug="iris", token=token, content=content, filename="s.csv").submission.id  # lock gone: fine
