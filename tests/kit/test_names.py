"""Names that impersonate are one name; a race for a name ends in a clean "taken".

Names are unique under NFKC, case folding and Unicode's confusables skeleton ("aIice" is
"alice"), ignoring separators ("alice." is "alice"); names that read as "baseline" are
reserved. Eight processes registering one name at once on PostgreSQL used to give
IntegrityError tracebacks; now exactly one wins and the others are told the name is taken.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from kit.names import looks_like_baseline, name_key

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(("first", "second"), [
    ("alice", "aIice"), ("alice", "ALICE"), ("alice", "alice."), ("alice", "al-ice"), ("alice", "\u0430lice"),
    ("alice", "\uff41\uff4c\uff49\uff43\uff45"), ("bob", "b0b"), ("ada lovelace", "Ada_Lovelace"), ("mallory", "maIIory"),
])
def test_look_alike_names_share_a_key(first, second):
    assert name_key(first) == name_key(second)


@pytest.mark.parametrize(("first", "second"), [("alice", "alicia"), ("racer-1", "racer-7"), ("marty", "marry"),
                                               ("eve", "ewe"), ("bob", "rob")])
def test_different_names_keep_different_keys(first, second):
    assert name_key(first) != name_key(second)


def test_names_that_read_as_baseline_are_reserved():
    for name in ("baseline", "baseIine logreg", "Base-line xgboost", "BASELINE", "base1ine"):
        assert looks_like_baseline(name), name
    for name in ("basil", "base camp", "line base"):
        assert not looks_like_baseline(name), name


def test_registering_a_look_alike_is_refused_on_every_front(kit):
    assert kit("register", "alice").exit_code == 0
    for impostor in ("aIice", "ALICE", "alice.", "al-ice", "al ice"):
        result = kit("register", impostor)
        assert result.exit_code == 1 and "is taken" in result.output and "looks like 'alice'" in result.output, (
            impostor, result.output)
    result = kit("register", "baseIine logreg")
    assert result.exit_code == 1 and "looks like a baseline row" in result.output, result.output
    assert kit("register", "alicia").exit_code == 0


RACE = textwrap.dedent("""
    import json, os, sys, time
    workspace, url, out, go = sys.argv[1:5]
    from kit.errors import KitError
    from kit.services.participants import register
    from kit.store.workspace import open_workspace
    pids = []
    for n in range(8):
        pid = os.fork()
        if pid == 0:
            ws = open_workspace(workspace, url or None)
            while not os.path.exists(go):
                time.sleep(0.001)
            try:
                with ws.session(write=True) as session:
                    register(session, ["carol", "CaroI", "carol.", "c4rol"][n % 4] if n % 4 != 3 else "carol")
                line = {"ok": n}
            except KitError as error:
                line = {"refused": type(error).__name__, "message": str(error)}
            except BaseException as error:
                line = {"crash": repr(error)}
            with open(os.path.join(out, str(n)), "w") as f:
                json.dump(line, f)
            os._exit(0)
        pids.append(pid)
    time.sleep(1.0)
    open(go, "w").close()
    for pid in pids:
        os.waitpid(pid, 0)
""")


def test_eight_processes_registering_one_name_one_wins_the_rest_are_told_it_is_taken(kit_workspace, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", RACE, str(kit_workspace.path), kit_workspace.database_url or "",
                           str(out), str(tmp_path / "go")], env=env, capture_output=True, timeout=180)
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    lines = [json.loads(path.read_text()) for path in out.iterdir()]
    assert len(lines) == 8 and not [line for line in lines if "crash" in line], lines
    assert sum("ok" in line for line in lines) == 1, lines
    assert all(line["refused"] == "ConflictError" and "taken" in line["message"] for line in lines if "ok" not in line)


def test_the_migration_gives_existing_look_alikes_distinct_keys(tmp_path):
    # A workspace from before the look-alike keys, holding "alice" and "aIice" (then distinct).
    import sqlite3

    from alembic import command

    from kit.store.db import alembic_config

    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    command.upgrade(alembic_config(url), "0009_intervals")
    with sqlite3.connect(tmp_path / "old.sqlite3") as connection:
        for n, name in enumerate(["alice", "aIice", "bob"], start=1):
            connection.execute("INSERT INTO participant (id, name, name_key, token_hash, is_baseline, created_at) "
                               "VALUES (?, ?, ?, ?, 0, '2026-01-01')", (n, name, name.lower(), f"hash{n}"))
    connection.close()
    command.upgrade(alembic_config(url), "0010_look_alike_name_keys")
    with sqlite3.connect(tmp_path / "old.sqlite3") as connection:
        keys = dict(connection.execute("SELECT name, name_key FROM participant"))
    connection.close()
    assert keys == {"alice": name_key("alice"), "aIice": f"{name_key('alice')}#2", "bob": name_key("bob")}
