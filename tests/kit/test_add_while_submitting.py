"""`kit challenge add` of a large file while 8 processes submit: nobody waits behind it, nothing is lost.

`challenge add` used to build inside its write transaction: a 1M-row CSV held SQLite's
write lock for 76 s and submitters died with `database is locked` after grading. Now all
slow work happens before one short write transaction. Real processes on a real SQLite
file and a real PostgreSQL: one runs `kit challenge add` (a CLI process), eight forked
submitters loop until it is done; then the same with the add killed by SIGKILL mid-build.
"""

from __future__ import annotations

import ctypes
import json
import os
import select as io_select
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import select

from kit.challenge.spec import parse_spec
from kit.services.challenges import add_challenge
from kit.services.participants import register
from kit.store.models import Challenge, Submission

REPO = Path(__file__).resolve().parents[2]
WORKERS = 8
BIG_ROWS = 200_000

SUBMITTERS = textwrap.dedent("""
    import json, os, sys, time, traceback
    workspace, url, jobs_file, out_dir = sys.argv[1:5]
    jobs = json.load(open(jobs_file))
    from kit.errors import KitError
    from kit.services.submissions import submit
    from kit.store.db import _known_revisions, head_revision
    from kit.store.workspace import open_workspace
    head_revision(), _known_revisions()

    def child(job):
        out = os.open(os.path.join(out_dir, job["name"]), os.O_WRONLY | os.O_CREAT | os.O_APPEND)
        report = lambda data: os.write(out, (json.dumps(data) + "\\n").encode())
        try:
            ws = open_workspace(workspace, url or None)
            content = open(job["file"], "rb").read()
            open(os.path.join(out_dir, job["name"] + ".ready"), "w").close()
            i = 0
            while not os.path.exists(os.path.join(out_dir, "stop")):
                try:
                    row = submit(ws, slug="small", token=job["token"], content=content, filename="s.csv",
                                 message=f"{job['name']} #{i}").submission
                    report({"ok": row.id, "status": row.status, "at": time.time()})
                except KitError as error:  # a clean refusal (busy, limits): reported, never a crash
                    report({"refused": type(error).__name__, "message": str(error), "at": time.time()})
                i += 1
                time.sleep(0.1)  # a steady trickle: the add is not starved of the shared CPUs
        except BaseException:
            report({"crash": traceback.format_exc()})
            os._exit(1)
        os._exit(0)

    pids = []
    for job in jobs:
        pid = os.fork()
        if pid == 0:
            child(job)
        pids.append(pid)
    sys.exit(1 if any(os.waitpid(pid, 0)[1] for pid in pids) else 0)
""")

SMALL = """slug = "small"
title = "Small"
metric = "accuracy"
opens = 2020-01-01T00:00:00Z
closes = 2099-01-01T00:00:00Z
daily_limit = 1000

[data]
source = "sklearn:iris"
seed = 7
"""

BIG = """slug = "big"
title = "Big data"
metric = "accuracy"
opens = 2020-01-01T00:00:00Z
closes = 2099-01-01T00:00:00Z

[data]
source = "csv:big.csv"
target = "label"
id_column = "id"
"""


@pytest.fixture
def scene(kit_workspace, tmp_path):
    """A small open challenge, 8 participants with a valid file each, and a large CSV with its spec."""
    with kit_workspace.session(write=True) as session:
        add_challenge(session, parse_spec(SMALL), SMALL, progress=False)
        tokens = [register(session, f"submitter-{w}")[1] for w in range(WORKERS)]
    from kit.challenge.bundle import bundle_files
    from kit.challenge.lookup import get_challenge

    with kit_workspace.session() as session:
        sample = bundle_files(session, get_challenge(session, "small"))["sample_submission.csv"]
    (tmp_path / "sample.csv").write_bytes(sample)
    rng = np.random.default_rng(0)
    a = rng.random(BIG_ROWS)
    lines = "\n".join(f"{i},{x:.6f},{i % 97},{int(x > 0.5)}" for i, x in enumerate(a, start=1))
    (tmp_path / "big.csv").write_text("id,a,b,label\n" + lines + "\n")
    (tmp_path / "big.toml").write_text(BIG)
    jobs = [{"name": f"w{w}", "token": token, "file": str(tmp_path / "sample.csv")} for w, token in enumerate(tokens)]
    (tmp_path / "jobs.json").write_text(json.dumps(jobs))
    return tmp_path


def _env(kit_workspace) -> dict:
    return {**os.environ, "PYTHONPATH": str(REPO), "KIT_WORKSPACE": str(kit_workspace.path),
            "KIT_DATABASE_URL": kit_workspace.database_url or "", "KIT_ORGANIZER_TOKEN": kit_workspace.organizer_token}


IN_CLOSE_NOWRITE = 0x10  # <sys/inotify.h>: a file opened for reading was closed


def _watch_reads(data: Path) -> int:
    """An inotify descriptor that turns readable once some process has read `data` and closed it."""
    libc = ctypes.CDLL(None, use_errno=True)
    watch = libc.inotify_init1(os.O_CLOEXEC)
    assert watch >= 0 and libc.inotify_add_watch(watch, str(data).encode(), IN_CLOSE_NOWRITE) >= 0
    return watch


def _kill_once_read(add: subprocess.Popen, watch: int) -> None:
    """SIGKILL the add once it has read its data file: the build is under way and nothing is committed.
    inotify queues the event, so a busy machine that wakes the test late still kills inside the build
    (seconds long); a fixed delay raced a fast machine, where the add committed first."""
    deadline = time.time() + 120
    while not io_select.select([watch], [], [], 0.05)[0]:
        assert add.poll() is None and time.time() < deadline, "the add ended before reading its data"
    add.send_signal(signal.SIGKILL)


def _run_beside_submitters(kit_workspace, folder: Path, *, kill_midway: bool = False):
    """Start the submitters, then the add; returns (add's return code, add start, add end, results)."""
    out = folder / "results"
    out.mkdir()
    # Submitters wait at most 3 s for the write lock: an add that held it while building (as it
    # used to) would turn their submissions into refusals.
    submitters = subprocess.Popen([sys.executable, "-c", SUBMITTERS, str(kit_workspace.path),
                                   kit_workspace.database_url or "", str(folder / "jobs.json"), str(out)],
                                  env={**_env(kit_workspace), "KIT_LOCK_TIMEOUT_S": "3"}, stderr=subprocess.PIPE)
    try:
        deadline = time.time() + 120
        while not all((out / f"w{w}.ready").exists() for w in range(WORKERS)):
            assert time.time() < deadline and submitters.poll() is None, submitters.stderr.read()[-2000:]
            time.sleep(0.05)
        watch = _watch_reads(folder / "big.csv") if kill_midway else None
        started = time.time()
        add = subprocess.Popen([sys.executable, "-m", "kit", "challenge", "add", str(folder / "big.toml")],
                               env=_env(kit_workspace), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if watch is not None:
            _kill_once_read(add, watch)
            os.close(watch)
        add_out, add_err = add.communicate(timeout=300)
        ended = time.time()
        time.sleep(0.5)  # a few submissions after the add, too
    finally:
        (out / "stop").touch()
        submitters.wait(timeout=120)
    results = [json.loads(line) for w in range(WORKERS) for line in (out / f"w{w}").read_text().splitlines()]
    crashes = [r["crash"] for r in results if "crash" in r]
    assert submitters.returncode == 0 and not crashes, (crashes[:1], submitters.stderr.read().decode()[-2000:])
    return add.returncode, (add_out + add_err).decode(), started, ended, results


def _check_nothing_lost(kit_workspace, results) -> None:
    reported = {r["ok"] for r in results if "ok" in r}
    assert all(r["status"] == "scored" for r in results if "ok" in r)
    with kit_workspace.session() as session:
        stored = {row.id: row for row in session.scalars(select(Submission))}
    assert set(stored) == reported  # every graded submission its submitter was told about is stored
    assert all(row.status == "scored" and row.public_score is not None for row in stored.values())


@pytest.mark.slow
def test_submissions_go_on_while_a_large_challenge_is_added(kit_workspace, scene):
    code, output, started, ended, results = _run_beside_submitters(kit_workspace, scene)
    assert code == 0 and "Added challenge big" in output, output
    assert "Traceback" not in output
    _check_nothing_lost(kit_workspace, results)
    # The add took seconds (load, split, build, grade the sample); submitters were stored all along,
    # not only after it committed: its write transaction is the short one at the very end.
    during = [r for r in results if "ok" in r and started + 0.5 < r["at"] < ended - 0.5]
    assert ended - started > 1.5 and len(during) >= WORKERS, (ended - started, len(during))
    assert not [r for r in results if "refused" in r], [r for r in results if "refused" in r][:2]
    with kit_workspace.session() as session:
        big = session.scalar(select(Challenge).where(Challenge.slug == "big"))
        assert big.test_rows + big.train_rows == BIG_ROWS and len(big.files) == 5


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="watches the add's data file with inotify")
def test_killing_the_add_midway_loses_nothing_and_leaves_nothing_half_written(kit_workspace, scene):
    code, _, _, _, results = _run_beside_submitters(kit_workspace, scene, kill_midway=True)
    assert code == -signal.SIGKILL
    _check_nothing_lost(kit_workspace, results)
    with kit_workspace.session() as session:
        assert session.scalar(select(Challenge).where(Challenge.slug == "big")) is None
    again = subprocess.run([sys.executable, "-m", "kit", "challenge", "add", str(scene / "big.toml")],
                           env=_env(kit_workspace), capture_output=True, timeout=300)
    assert again.returncode == 0, again.stderr.decode()[-2000:]
