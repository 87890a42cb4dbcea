"""Grading and storing a submission, in this process or in a pool of worker processes.

One server process runs every request under one GIL: a submission costs several
milliseconds of Python (grading, the ORM, the rank), so one process tops out near one
core. In that process submissions run one at a time (`InProcessSubmitter`): several
threads taking turns on the GIL and the write lock cost each submission up to 1.7× the
CPU (8 at once: 118 → 77 submissions/s). `kit serve --submit-workers N` hands the
submission itself to N worker processes (`SubmitPool`), each with its own connection to
the same database (SQLite's write lock and PostgreSQL's row locks keep the daily limits
exact across processes, as they do across CLI processes); the server process keeps only
HTTP, the sign-in check and the body cap.

What crosses the process boundary is plain values: the request's fields one way, a
`SubmitReply` (or the service's `KitError`, which pickles with its message) the other.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from starlette.concurrency import run_in_threadpool

from kit.errors import BusyError
from kit.services.submissions import submit
from kit.store.models import SubmissionStatus
from kit.store.workspace import Workspace, open_workspace


@dataclass(frozen=True)
class SubmitReply:
    """What the API answers about a stored submission; public numbers already rounded to the noise."""

    id: int
    filename: str
    scored: bool
    error: str | None
    error_code: str | None
    public_score: float | None
    public_low: float | None
    public_high: float | None
    decimals: int
    rank: int | None
    left_today: int
    submitted_at: datetime
    ladder: str | None
    ladder_moved: bool | None
    comparison: str | None


def submit_reply(ws: Workspace, *, slug: str, token: str, content: bytes, filename: str, message: str) -> SubmitReply:
    """`kit.services.submissions.submit`, answered in plain values."""
    outcome = submit(ws, slug=slug, token=token, content=content, filename=filename, message=message)
    row = outcome.submission
    return SubmitReply(
        id=row.id, filename=row.filename, scored=row.status == SubmissionStatus.SCORED and row.public_score is not None,
        error=row.error, error_code=row.error_code, public_score=outcome.shown(row.public_score),
        public_low=outcome.shown(row.public_low), public_high=outcome.shown(row.public_high),
        decimals=outcome.decimals, rank=outcome.rank, left_today=outcome.left_today, submitted_at=row.created_at,
        ladder=outcome.ladder.message if outcome.ladder else None,
        ladder_moved=outcome.ladder.moved if outcome.ladder else None,
        comparison=outcome.comparison.message if outcome.comparison else None)


# ---- inside a worker process ----------------------------------------------------------------

_worker_workspace: Workspace | None = None


def _open_in_worker(workspace: str, database_url: str, server_pid: int) -> None:
    global _worker_workspace
    _worker_workspace = open_workspace(workspace, database_url)
    threading.Thread(target=_end_with_the_server, args=(server_pid,), name="server-watch", daemon=True).start()


def _end_with_the_server(server_pid: int) -> None:
    """Exit once the server is gone: a server killed with SIGKILL cannot shut its pool down, and
    a worker's queue never reports the end (the worker holds both ends of its pipe)."""
    while os.getppid() == server_pid:
        time.sleep(1)
    os._exit(0)


def _ready() -> bool:
    return _worker_workspace is not None


def _submit_in_worker(fields: dict) -> SubmitReply:
    assert _worker_workspace is not None, "the pool's initializer opens the workspace"
    return submit_reply(_worker_workspace, **fields)


# ---- in the server process ------------------------------------------------------------------


class SubmitPool:
    """N worker processes that grade and store submissions; started at once, so the first
    participants do not wait for a worker's imports."""

    def __init__(self, ws: Workspace, processes: int):
        self._ws, self._processes = ws, processes
        self._executor = self._start()

    def _start(self) -> ProcessPoolExecutor:
        # spawn: the server already runs threads (uvicorn, Streamlit, the webhook worker),
        # and forking a threaded process can copy a lock in its held state.
        executor = ProcessPoolExecutor(
            self._processes, mp_context=multiprocessing.get_context("spawn"), initializer=_open_in_worker,
            initargs=(str(self._ws.settings.workspace), self._ws.settings.database_url, os.getpid()))
        for _ in range(self._processes):
            executor.submit(_ready)  # each submit may start one more process, up to the pool's size
        return executor

    async def submit(self, **fields) -> SubmitReply:
        executor = self._executor
        try:
            return await asyncio.get_running_loop().run_in_executor(executor, _submit_in_worker, fields)
        except BrokenProcessPool:
            # A worker died (killed, out of memory): whether this submission was stored is unknown
            # to this process, so the participant is told to look and retry; new workers take over
            # (once, however many requests saw the same pool break).
            if self._executor is executor:
                executor.shutdown(wait=False, cancel_futures=True)
                self._executor = self._start()
            raise BusyError("The server lost a grading process while handling your submission. Check "
                            "`kit submissions` to see whether it was stored, and submit again if not.") from None

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)


class InProcessSubmitter:
    """Submissions graded and stored in a thread of this process, one at a time."""

    def __init__(self, ws: Workspace):
        self._ws, self._turn = ws, asyncio.Semaphore(1)

    async def submit(self, **fields) -> SubmitReply:
        async with self._turn:
            return await run_in_threadpool(partial(submit_reply, self._ws, **fields))

