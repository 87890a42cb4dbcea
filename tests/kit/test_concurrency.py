"""Many processes submitting at once: nothing lost, nothing doubled, limits hold exactly.

Real OS processes (forked from one helper process that imported the kit, each opening the
workspace itself and calling kit.services.submissions.submit in a loop) against one workspace, on
SQLite and on PostgreSQL. They wait for a shared "go" file so that all write at once.
"""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import select
from sqlalchemy.orm import undefer

from kit.challenge.bundle import solution_bytes
from kit.challenge.lookup import get_challenge
from kit.challenge.spec import parse_spec
from kit.services.challenges import add_challenge
from kit.services.participants import register
from kit.store.models import Submission

WORKERS = 8
PER_WORKER = 50

# One process imports the kit once, then forks one submitter per job (real OS processes, each
# opening the workspace itself); they start writing together once all are ready.
FORKER = textwrap.dedent("""
    import json, os, sys, time, traceback
    workspace, url, jobs_file, out_dir = sys.argv[1:5]
    jobs = json.load(open(jobs_file))
    from kit.store.db import _known_revisions, head_revision
    from kit.errors import KitError
    from kit.services.submissions import submit
    from kit.store.workspace import open_workspace
    head_revision(), _known_revisions()  # warm the migration scripts' imports once, before forking

    def child(job, go):
        out = os.open(os.path.join(out_dir, job["name"]), os.O_WRONLY | os.O_CREAT | os.O_APPEND)
        report = lambda data: os.write(out, (json.dumps(data) + "\\n").encode())
        try:
            ws = open_workspace(workspace, url or None)
            contents = [open(path, "rb").read() for path in job["files"]]
            open(os.path.join(out_dir, job["name"] + ".ready"), "w").close()
            while not os.path.exists(go):
                time.sleep(0.002)
            for i, content in enumerate(contents):
                try:
                    row = submit(ws, slug="race", token=job["token"], content=content, filename="s.csv",
                                 message=f"{job['name']} #{i}").submission
                    report({"ok": row.id, "status": row.status})
                except KitError as error:  # a refusal a person would see: reported, not a crash
                    report({"refused": type(error).__name__, "message": str(error)})
        except BaseException:
            report({"crash": traceback.format_exc()})
            os._exit(1)
        os._exit(0)

    go = os.path.join(out_dir, "go")
    pids = []
    for job in jobs:
        pid = os.fork()
        if pid == 0:
            child(job, go)
        pids.append(pid)
    while not all(os.path.exists(os.path.join(out_dir, job["name"] + ".ready")) for job in jobs):
        time.sleep(0.005)
    open(go, "w").close()
    failed = [pid for pid in pids if os.waitpid(pid, 0)[1] != 0]
    sys.exit(1 if failed else 0)
""")

SPEC = """
slug = "race"
title = "Race test"
metric = "accuracy"
opens = 2020-01-01T00:00:00Z
closes = 2099-01-01T00:00:00Z
daily_limit = {daily_limit}

[data]
source = "csv:race.csv"
target = "label"
id_column = "id"
test_fraction = 0.25
seed = 3
"""


def make_challenge(kit_workspace, tmp_path: Path, daily_limit: int) -> pd.DataFrame:
    """A 200-row binary challenge from a CSV (50 test rows); returns its solution."""
    rows = 200
    frame = pd.DataFrame({"id": range(1000, 1000 + rows), "x": [i % 7 for i in range(rows)],
                          "label": [(i * 7 + i // 3) % 2 for i in range(rows)]})
    frame.to_csv(tmp_path / "race.csv", index=False)
    spec_text = SPEC.format(daily_limit=daily_limit)
    with kit_workspace.session(write=True) as session:
        add_challenge(session, parse_spec(spec_text), spec_text, base_dir=tmp_path, progress=False)
    with kit_workspace.session() as session:
        return pd.read_csv(io.BytesIO(solution_bytes(session, get_challenge(session, "race"))))


def variant(solution: pd.DataFrame, k: int) -> tuple[bytes, float]:
    """Submission number k: the true labels with the rows of k's set bits flipped, and its public accuracy."""
    labels = solution["label"].to_numpy().copy()
    flipped = [bit for bit in range(len(labels)) if k >> bit & 1]
    labels[flipped] = 1 - labels[flipped]
    public = (solution["Usage"] == "Public").to_numpy()
    expected = float((labels[public] == solution["label"].to_numpy()[public]).mean())
    buffer = io.StringIO()
    pd.DataFrame({"id": solution["id"], "label": labels}).to_csv(buffer, index=False)
    return buffer.getvalue().encode(), expected


def run_workers(kit_workspace, tmp_path: Path, jobs: list[tuple[str, str, list[bytes]]]) -> list[list[dict]]:
    """One process per (name, token, contents), all released together; each one's results in order."""
    content_dir, out_dir = tmp_path / "contents", tmp_path / "results"
    content_dir.mkdir(exist_ok=True)
    out_dir.mkdir(exist_ok=True)
    specs = []
    for name, token, contents in jobs:
        files = []
        for i, content in enumerate(contents):
            files.append(str(content_dir / f"{name}-{i}.csv"))
            Path(files[-1]).write_bytes(content)
        specs.append({"name": name, "token": token, "files": files})
    (tmp_path / "jobs.json").write_text(json.dumps(specs))
    forker = subprocess.run([sys.executable, "-c", FORKER, str(kit_workspace.path), kit_workspace.database_url or "",
                             str(tmp_path / "jobs.json"), str(out_dir)], capture_output=True, timeout=240)
    results = [[json.loads(line) for line in (out_dir / name).read_text().splitlines()] for name, _, _ in jobs]
    crashes = [line["crash"] for lines in results for line in lines if "crash" in line]
    assert forker.returncode == 0 and not crashes, (crashes[:1], forker.stderr.decode()[-2000:])
    err = forker.stderr.decode()
    assert "locked" not in err.lower() and "Traceback" not in err, err[-2000:]
    return results


def test_eight_processes_fifty_submissions_each_all_stored_and_scored(kit_workspace, tmp_path):
    solution = make_challenge(kit_workspace, tmp_path, daily_limit=1000)
    jobs, expected = [], {}
    with kit_workspace.session(write=True) as session:
        participants = [register(session, f"racer-{w}") for w in range(WORKERS)]
    for w, (participant, token) in enumerate(participants):
        contents = []
        for i in range(PER_WORKER):
            content, accuracy = variant(solution, w * PER_WORKER + i)
            contents.append(content)
            expected[hashlib.sha256(content).hexdigest()] = (participant.id, f"racer-{w} #{i}", accuracy, content)
        jobs.append((f"racer-{w}", token, contents))

    results = run_workers(kit_workspace, tmp_path, jobs)

    for lines in results:  # every call returned a stored, scored row to its user
        assert len(lines) == PER_WORKER
        assert all(line.get("status") == "scored" for line in lines), [line for line in lines if "status" not in line][:3]
    ids = [line["ok"] for lines in results for line in lines]
    assert len(set(ids)) == WORKERS * PER_WORKER
    with kit_workspace.session() as session:
        rows = session.scalars(select(Submission).options(undefer(Submission.content))).all()  # read below
    assert len(rows) == WORKERS * PER_WORKER == len(expected)  # none lost, none doubled
    assert {row.id for row in rows} == set(ids)
    assert len({row.sha256 for row in rows}) == len({row.message for row in rows}) == len(rows)
    for row in rows:
        participant_id, message, accuracy, content = expected[row.sha256]
        assert row.status == "scored" and row.error is None
        assert (row.participant_id, row.message, row.content, row.size) == (participant_id, message, content,
                                                                             len(content))
        assert row.public_score == pytest.approx(accuracy) and row.private_score is not None


def test_the_daily_limit_holds_exactly_under_a_race(kit_workspace, tmp_path):
    solution = make_challenge(kit_workspace, tmp_path, daily_limit=5)
    with kit_workspace.session(write=True) as session:
        _, token = register(session, "greedy")
        _, other_token = register(session, "bystander")
    racers, tries = 4, 4
    jobs = [(f"greedy-{p}", token, [variant(solution, p * tries + i)[0] for i in range(tries)]) for p in range(racers)]
    jobs.append(("bystander", other_token, [variant(solution, 100 + i)[0] for i in range(3)]))

    results = run_workers(kit_workspace, tmp_path, jobs)

    greedy = [line for lines in results[:racers] for line in lines]
    assert sum(line.get("status") == "scored" for line in greedy) == 5
    refusals = [line for line in greedy if "refused" in line]
    assert len(refusals) == racers * tries - 5
    assert all(line["refused"] == "DailyLimitError" and "used all 5 submissions for today" in line["message"]
               for line in refusals)
    assert all(line.get("status") == "scored" for line in results[-1])  # another participant is unaffected
    with kit_workspace.session() as session:
        messages = session.scalars(select(Submission.message)).all()
    assert sum(m.startswith("greedy") for m in messages) == 5 and len(messages) == 8
