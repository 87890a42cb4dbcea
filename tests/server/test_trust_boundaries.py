"""Trust boundaries of a running server: private database files, throttled sign-ins, capped bodies.

The throttling tests run last in this module: once this client is throttled it stays so
for the window, which is the point.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys

import pytest


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_the_database_and_its_wal_files_are_private(served):
    if served.database_url:
        pytest.skip("PostgreSQL keeps its files itself")
    database = served.folder / "kit.sqlite3"
    with served.client() as http:  # the server has the database open: its -wal and -shm exist
        assert http.get("/challenges").status_code == 200
    files = [database] + [database.with_name(database.name + s) for s in ("-wal", "-shm")]
    present = [f for f in files if f.exists()]
    assert database in present and len(present) >= 2, present
    assert {f.name: mode(f) for f in present} == {f.name: 0o600 for f in present}


def test_a_backup_is_private(served, tmp_path):
    if served.database_url:
        pytest.skip("kit backup works on SQLite workspaces")
    os.umask(0o022)  # an ordinary umask: files would be 0644 unless the kit says otherwise
    target = tmp_path / "kit-backup.sqlite3"
    result = subprocess.run([sys.executable, "-m", "kit", "backup", str(target), "--workspace", str(served.folder),
                             "--organizer-token", served.organizer_token], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert mode(target) == 0o600


def test_an_existing_world_readable_database_is_made_private_when_opened(tmp_path, monkeypatch):
    from kit.store.db import dispose_engines
    from kit.store.workspace import init_workspace, open_workspace

    monkeypatch.delenv("KIT_DATABASE_URL", raising=False)
    init_workspace(tmp_path / "ws")
    dispose_engines()
    database = tmp_path / "ws" / "kit.sqlite3"
    os.chmod(database, 0o644)  # as kits before this one left it
    open_workspace(tmp_path / "ws")
    assert mode(database) == 0o600
    dispose_engines()


def test_failed_bearer_tokens_are_throttled_per_client(served):
    from kit.services.sign_in_throttle import MAX_FAILURES_PER_CLIENT

    with served.client("kit_guess") as http:
        statuses = [http.get("/me").status_code for _ in range(MAX_FAILURES_PER_CLIENT)]
        assert statuses == [401] * MAX_FAILURES_PER_CLIENT
        throttled = http.get("/me")
    assert throttled.status_code == 429 and throttled.json()["error"] == "too_many_sign_ins"
    assert 0 < int(throttled.headers["retry-after"]) <= 600
    with served.client(served.tokens["alice"]) as http:  # while throttled, even a right token waits
        assert http.get("/me").status_code == 429
    with served.client() as http:  # public routes stay open
        assert http.get("/challenges").status_code == 200
