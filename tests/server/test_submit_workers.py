"""`kit serve --submit-workers 2`: API submissions graded and stored in worker processes.

The same answers as in the server's own threads (scored, rejected, refused), daily limits
exact when the processes race, and a worker killed mid-season replaced without losing the
server. SQLite and PostgreSQL.
"""

from __future__ import annotations

import os
import signal
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import func, select

WORKERS = 2  # the `pooled` server's (tests/server/conftest.py)
RACERS = 8


def _post(pooled, name: str, slug: str, content: bytes, message: str = ""):
    import httpx

    token = pooled.tokens[name]
    return httpx.post(f"{pooled.api}/challenges/{slug}/submissions", headers={"Authorization": f"Bearer {token}"},
                      files={"file": ("s.csv", content, "text/csv")}, data={"message": message}, timeout=120)


def _workers(server_pid: int) -> list[int]:
    """The server's worker processes: children started by multiprocessing's spawn."""
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":\t", 1) for line in status.read_text().splitlines() if ":\t" in line)
            command = (status.parent / "cmdline").read_bytes()
        except (OSError, ValueError):
            continue
        if int(fields.get("PPid", "0").strip()) == server_pid and b"spawn_main" in command:
            found.append(int(status.parent.name))
    return found


def _is_worker(pid: int) -> bool:
    try:
        return b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:  # gone
        return False


def test_a_worker_grades_and_answers_as_the_server_would(pooled):
    scored = _post(pooled, "alice", "iris", pooled.csv("iris", wrong_public=2),
                   message="from a worker")
    assert scored.status_code == 201, scored.text
    body = scored.json()
    assert body["status"] == "scored" and body["challenge"] == "iris" and body["rank"] == 1
    assert 0 < body["public_score"] < 1 and body["left_today"] == 4 and body["filename"] == "s.csv"
    assert scored.headers["location"].endswith(f"/submissions/{body['id']}")
    # The worker's answer matches what the server stored.
    with pooled.client(pooled.tokens["alice"]) as http:
        mine = http.get("/challenges/iris/submissions").json()["submissions"]
    assert [(s["id"], s["status"], s["public_score"]) for s in mine] == [(body["id"], "scored", body["public_score"])]

    rejected = _post(pooled, "alice", "iris", b"id,species\n1,setosa\n")
    assert rejected.status_code == 400 and rejected.json()["error"] == "rejected"
    assert rejected.json()["reason"] and "rows" in rejected.json()["message"]

    refused = _post(pooled, "alice", "later", pooled.csv("later"))
    assert refused.status_code == 409 and refused.json()["error"] == "not_open", refused.text  # a KitError crossed


def test_daily_limit_is_exact_when_workers_race(pooled):
    content = pooled.csv("race")
    with ThreadPoolExecutor(RACERS) as racers:
        answers = list(racers.map(lambda _: _post(pooled, "bob", "race", content),
                                  range(RACERS)))
    codes = sorted(answer.status_code for answer in answers)
    assert codes == [201] * 3 + [429] * (RACERS - 3), [a.text for a in answers]
    assert all(int(a.headers["retry-after"]) > 0 for a in answers if a.status_code == 429)
    from kit.store.models import Participant, Submission

    with pooled.ws.session() as session:
        stored = session.scalar(select(func.count()).select_from(Submission).join(Participant)
                                .where(Participant.name == "bob"))
    assert stored == 3


def test_a_killed_worker_is_replaced_and_the_server_goes_on(pooled):
    server = pooled.process
    workers = _workers(server.pid)
    assert len(workers) == WORKERS, workers
    os.kill(workers[0], signal.SIGKILL)
    content = pooled.csv("iris", wrong_public=1)
    answers = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        answers.append(_post(pooled, "carol", "iris", content))
        if answers[-1].status_code == 201:
            break
    # At most the requests the broken pool held are refused, as a retryable 503 that says what to do.
    assert answers[-1].status_code == 201, [a.text for a in answers]
    assert all(a.json()["error"] == "busy" and "kit submissions" in a.json()["message"] for a in answers[:-1])
    assert server.poll() is None
    assert len(_workers(server.pid)) == WORKERS and workers[0] not in _workers(server.pid)


def test_workers_end_with_a_killed_server(pooled):
    """Last in this module: it kills the module's server. A server killed with SIGKILL cannot shut
    its pool down; its workers notice and exit instead of living on, holding the database."""
    workers = _workers(pooled.process.pid)
    assert workers
    pooled.process.kill()
    pooled.process.wait(timeout=30)
    deadline = time.monotonic() + 30
    while any(_is_worker(pid) for pid in workers):
        assert time.monotonic() < deadline, "a worker outlived its server"
        time.sleep(0.2)
