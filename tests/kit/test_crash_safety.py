"""A submitting process killed with SIGKILL at any moment leaves the whole submission or nothing.

Real processes submit in a loop (valid and rejected files, several at once so some are
killed while waiting for the write lock) and are killed at random moments; each kill lands
somewhere in grading, waiting, writing or committing. Afterwards the store is checked row
by row with no help from the kit's own code paths, and the database must open and take a
new submission (on SQLite that is the WAL recovery of a writer killed mid-transaction).
"""

from __future__ import annotations

import hashlib
import io
import sqlite3
import subprocess
import sys
import textwrap

import pandas as pd
import pytest
from sqlalchemy import text

from kit.challenge.bundle import solution_bytes
from kit.challenge.lookup import get_challenge
from kit.challenge.spec import parse_spec
from kit.services.challenges import add_challenge
from kit.services.participants import register
from kit.services.submissions import submit

ROUNDS = 4
PARALLEL = 4

# One process imports the kit once, then forks the submitters (real processes, each opening
# the workspace itself) and SIGKILLs each at a random moment: many kills, one import.
FORKER = textwrap.dedent("""
    import os, random, signal, sys, time
    workspace, url, good, bad, out_dir, rounds, parallel, seed = sys.argv[1:9]
    tokens = sys.argv[9:]
    from kit.services.submissions import submit
    from kit.store.workspace import open_workspace
    from kit.store.db import head_revision, _known_revisions
    head_revision(), _known_revisions()  # warm the migration scripts' imports once, before forking
    files = [open(good, "rb").read(), open(bad, "rb").read()]
    rng = random.Random(int(seed))

    def child(name, token):
        out = os.open(os.path.join(out_dir, name), os.O_WRONLY | os.O_CREAT | os.O_APPEND)
        ws = open_workspace(workspace, url or None)
        i = 0
        while True:
            content = files[i % 3 == 2] + (b"" if i % 3 == 2 else b"\\n" * (i % 50))  # distinct bytes, same meaning
            row = submit(ws, slug="crash", token=token, content=content, filename="s.csv", message=f"{name} {i}")
            os.write(out, f"{row.submission.id}\\n".encode())  # unbuffered: written means reported
            i += 1

    for round_ in range(int(rounds)):
        pids = []
        for n in range(int(parallel)):
            pid = os.fork()
            if pid == 0:
                try:
                    child(f"r{round_}w{n}", tokens[n])
                finally:
                    os._exit(3)  # an exception: the parent sees exit status 3, not a kill
            pids.append(pid)
        names = [os.path.join(out_dir, f"r{round_}w{n}") for n in range(int(parallel))]
        started = time.monotonic()
        while not all(os.path.exists(f) and os.path.getsize(f) for f in names) and time.monotonic() < started + 60:
            time.sleep(0.01)  # every child has finished one submission: the loop is running
        print(f"round {round_}: children running after {time.monotonic() - started:.2f} s", file=sys.stderr)
        for pid in rng.sample(pids, len(pids)):  # each killed at its own random moment
            time.sleep(rng.uniform(0.0, 0.3))
            os.kill(pid, signal.SIGKILL)
        for pid in pids:
            _, status = os.waitpid(pid, 0)
            assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, f"child ended with {status}"
    print("done", flush=True)
""")

SPEC = """
slug = "crash"
title = "Crash test"
metric = "accuracy"
opens = 2020-01-01T00:00:00Z
closes = 2099-01-01T00:00:00Z
daily_limit = 1000

[data]
source = "csv:crash.csv"
target = "label"
id_column = "id"
seed = 5
"""


@pytest.fixture
def crash_challenge(kit_workspace, tmp_path):
    frame = pd.DataFrame({"id": range(1, 401), "x": [i % 11 for i in range(400)], "label": [i % 2 for i in range(400)]})
    frame.to_csv(tmp_path / "crash.csv", index=False)
    with kit_workspace.session(write=True) as session:
        add_challenge(session, parse_spec(SPEC), SPEC, base_dir=tmp_path, progress=False)
    with kit_workspace.session() as session:
        truth = pd.read_csv(io.BytesIO(solution_bytes(session, get_challenge(session, "crash"))))
    good = tmp_path / "good.csv"
    good.write_bytes(truth[["id", "label"]].to_csv(index=False).encode())
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"id,label\n1,0\n")
    return good, bad


def check_invariants(kit_workspace) -> int:
    """Every stored row is whole: bytes match size and hash, status matches scores or error."""
    with kit_workspace.workspace.engine.connect() as connection:
        stored = connection.execute(text(
            "SELECT id, content, size, sha256, status, public_score, private_score, error_code, error FROM submission"
        )).all()
    for row in stored:
        assert row.content is not None and len(row.content) == row.size, row.id
        assert hashlib.sha256(bytes(row.content)).hexdigest() == row.sha256, row.id
        assert row.status in ("scored", "rejected"), row.id
        if row.status == "scored":
            assert row.public_score is not None and row.private_score is not None and row.error is None, row.id
        else:
            assert row.error and row.error_code and row.public_score is None and row.private_score is None, row.id
    return len(stored)


def test_a_killed_submitter_leaves_all_or_nothing(kit_workspace, crash_challenge, tmp_path):
    good, bad = crash_challenge
    with kit_workspace.session(write=True) as session:
        tokens = [register(session, f"victim-{n}")[1] for n in range(PARALLEL)]
    out_dir = tmp_path / "reported"
    out_dir.mkdir()
    forker = subprocess.run([sys.executable, "-c", FORKER, str(kit_workspace.path), kit_workspace.database_url or "",
                             str(good), str(bad), str(out_dir), str(ROUNDS), str(PARALLEL), "20261123", *tokens],
                            capture_output=True, timeout=240)
    assert forker.returncode == 0 and forker.stdout == b"done\n", forker.stderr.decode()[-3000:]
    assert b"Traceback" not in forker.stderr, forker.stderr.decode()[-3000:]
    reported = [int(line) for file in out_dir.iterdir() for line in file.read_text().split()]
    stored = check_invariants(kit_workspace)
    kills = ROUNDS * PARALLEL
    # Nothing a submitter was told is stored went missing; at most one commit per kill went unreported.
    assert len(reported) <= stored <= len(reported) + kills
    assert len(set(reported)) == len(reported) > kills, "too few submissions finished: the test proved little"

    if kit_workspace.database_url is None:
        with sqlite3.connect(kit_workspace.path / "kit.sqlite3") as connection:
            assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    from kit.store.db import dispose_engines
    from kit.store.workspace import open_workspace

    dispose_engines()  # open the database afresh, as the next command would
    workspace = open_workspace(kit_workspace.path, kit_workspace.database_url)
    outcome = submit(workspace, slug="crash", token=tokens[0], content=good.read_bytes(), filename="s.csv",
                     message="after the crash")
    assert outcome.submission.status == "scored" and outcome.submission.public_score == 1.0
    assert check_invariants(kit_workspace) == stored + 1
