"""Many processes submitting at once: nothing lost, nothing doubled, limits hold exactly.

Real OS processes (subprocess running a small script that calls kit.submissions.submit in a
loop) against one workspace, on SQLite and on PostgreSQL. Every worker imports the kit,
then waits for a shared "go" file so that all of them write at the same moment.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import select

from kit.challenge_files import solution_bytes
from kit.challenges import add_challenge, get_challenge
from kit.models import Submission
from kit.participants import register
from kit.spec import parse_spec

WORKERS = 8
PER_WORKER = 50

WORKER = textwrap.dedent("""
    import json, os, sys, time, traceback
    workspace, url, slug, token, count, name, go, content_dir = sys.argv[1:9]
    count = int(count)
    try:
        from kit.errors import KitError
        from kit.submissions import submit
        from kit.workspace import open_workspace
        ws = open_workspace(workspace, url or None)
        contents = [open(os.path.join(content_dir, f"{name}-{i}.csv"), "rb").read() for i in range(count)]
        while not os.path.exists(go):
            time.sleep(0.005)
        for i, content in enumerate(contents):
            try:
                out = submit(ws, slug=slug, token=token, content=content, filename="s.csv", message=f"{name} #{i}")
                print(json.dumps({"ok": out.submission.id, "status": out.submission.status}), flush=True)
            except KitError as error:  # a refusal a person would see: reported, not a crash
                print(json.dumps({"refused": type(error).__name__, "message": str(error)}), flush=True)
    except BaseException:
        print(json.dumps({"crash": traceback.format_exc()}), flush=True)
        sys.exit(1)
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
    """Start one process per (name, token, contents), release them together, return each one's results."""
    content_dir = tmp_path / "contents"
    content_dir.mkdir(exist_ok=True)
    for name, _token, contents in jobs:
        for i, content in enumerate(contents):
            (content_dir / f"{name}-{i}.csv").write_bytes(content)
    go = tmp_path / "go"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    processes = [
        subprocess.Popen([sys.executable, "-c", WORKER, str(kit_workspace.path), kit_workspace.database_url or "",
                          "race", token, str(len(contents)), name, str(go), str(content_dir)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        for name, token, contents in jobs
    ]
    time.sleep(0.5)  # most of the import time; the workers poll for the go file anyway
    go.touch()
    results = []
    for process in processes:
        out, err = process.communicate(timeout=240)
        lines = [json.loads(line) for line in out.decode().splitlines() if line.strip()]
        assert process.returncode == 0, f"worker failed: {lines[-1:]} {err.decode()[-2000:]}"
        assert "locked" not in err.decode().lower() and "Traceback" not in err.decode(), err.decode()[-2000:]
        results.append(lines)
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
        assert all(line.get("status") == "scored" for line in lines), [l for l in lines if "status" not in l][:3]
    ids = [line["ok"] for lines in results for line in lines]
    assert len(set(ids)) == WORKERS * PER_WORKER
    with kit_workspace.session() as session:
        rows = session.scalars(select(Submission)).all()
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
    assert all(line["refused"] == "SubmissionRefused" and "used all 5 submissions for today" in line["message"]
               for line in refusals)
    assert all(line.get("status") == "scored" for line in results[-1])  # another participant is unaffected
    with kit_workspace.session() as session:
        messages = session.scalars(select(Submission.message)).all()
    assert sum(m.startswith("greedy") for m in messages) == 5 and len(messages) == 8
