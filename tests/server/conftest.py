"""A real `kit serve` on a free loopback port, one per test module and backend, driven with httpx."""

from __future__ import annotations

import importlib.util
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest

SPEC = """
slug = "{slug}"
title = "Iris {slug}"
description = "Classify iris flowers from four measurements."
season = "test-season"
week = {week}
metric = "accuracy"
opens = {opens}
closes = 2099-01-01T00:00:00Z
daily_limit = {daily_limit}
max_file_size = {max_file_size}

[data]
source = "sklearn:iris"
seed = 7
"""


def spec_text(slug: str, *, week: int = 1, daily_limit: int = 5, max_file_size: int = 4096,
              opens: str = "2020-01-01T00:00:00Z") -> str:
    return SPEC.format(slug=slug, week=week, daily_limit=daily_limit, max_file_size=max_file_size, opens=opens)


_known = importlib.util.spec_from_file_location("known_submissions",
                                                Path(__file__).resolve().parents[1] / "known_submissions.py")
known_submissions = importlib.util.module_from_spec(_known)
_known.loader.exec_module(known_submissions)
solution_rows = known_submissions.solution_rows
submission_csv = known_submissions.submission_csv


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_serving(base: str, process: subprocess.Popen, timeout: float = 90) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"kit serve exited with {process.returncode}:\n{process.stdout.read().decode()}")
        try:
            if httpx.get(f"{base}/api/v1/challenges", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"kit serve did not answer at {base} within {timeout}s")


@dataclass
class Served:
    """A running server and what the tests know that its clients must not: the workspace and the labels."""

    base: str
    api: str
    folder: Path
    ws: object
    organizer_token: str
    database_url: str | None
    process: subprocess.Popen
    tokens: dict[str, str] = field(default_factory=dict)
    solutions: dict[str, list[dict]] = field(default_factory=dict)

    def client(self, token: str | None = None, **kwargs):
        import httpx

        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.api, headers=headers, timeout=60, **kwargs)

    def csv(self, slug: str, **wrong) -> bytes:
        return submission_csv(self.solutions[slug], **wrong)

    def hidden_labels(self, slug: str) -> list[str]:
        target = next(k for k in self.solutions[slug][0] if k not in ("id", "Usage"))
        return [row[target] for row in self.solutions[slug]]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def backend_url(request):
    """None for the workspace's SQLite file, else a fresh schema on the real PostgreSQL (module-wide)."""
    if request.param == "sqlite":
        yield None
        return
    base = os.environ.get("KIT_TEST_DATABASE_URL")
    if not base:
        pytest.skip("KIT_TEST_DATABASE_URL is not set (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test)")
    from sqlalchemy import create_engine, text

    schema = f"kit_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}"
    finally:
        from kit.store.db import dispose_engines

        dispose_engines()
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def start_server(folder: Path, database_url: str | None, port: int, *options: str) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k not in ("KIT_DATABASE_URL", "KIT_TOKEN", "KIT_ORGANIZER_TOKEN")}
    if database_url:
        env["KIT_DATABASE_URL"] = database_url
    return subprocess.Popen([sys.executable, "-m", "kit", "serve", "--workspace", str(folder), "--port", str(port),
                             "--address", "127.0.0.1", *options], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT,
                            start_new_session=True)


def stop_server(process: subprocess.Popen) -> str:
    for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 15)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            pass
        try:
            output, _ = process.communicate(timeout=wait)
            return output.decode(errors="replace")
        except subprocess.TimeoutExpired:
            continue
    return ""


@pytest.fixture(scope="module")
def served(tmp_path_factory, backend_url):
    """A season on day 4 with an open challenge `iris`, a closed `iris-closed`, one not open yet, and
    two participants (alice, bob) with a submission each; the server runs for the whole module."""
    from kit.challenge.spec import parse_spec
    from kit.clock import utcnow
    from kit.season.seasons import create_season
    from kit.services.challenges import add_challenge, close_challenge
    from kit.services.participants import register
    from kit.services.submissions import submit
    from kit.store.workspace import init_workspace

    folder = tmp_path_factory.mktemp("served") / "ws"
    init = init_workspace(folder, backend_url)
    ws = init.workspace
    with ws.session(write=True) as session:
        create_season(session, slug="test-season", name="27 Days of Testing",
                      starts_on=utcnow().date() - timedelta(days=3))
        for slug, week, opens in (("iris", 1, "2020-01-01T00:00:00Z"), ("iris-closed", 2, "2020-01-01T00:00:00Z"),
                                  ("iris-later", 3, "2098-01-01T00:00:00Z")):
            text = spec_text(slug, week=week, opens=opens)
            add_challenge(session, parse_spec(text), text, progress=False)
        tokens = {name: register(session, name)[1] for name in ("alice", "bob")}
    solutions = {slug: solution_rows(ws, slug) for slug in ("iris", "iris-closed")}
    for slug in ("iris", "iris-closed"):
        submit(ws, slug=slug, token=tokens["alice"], content=submission_csv(solutions[slug], wrong_private=9),
               filename="alice.csv", message="logreg")
        submit(ws, slug=slug, token=tokens["bob"], content=submission_csv(solutions[slug], wrong_public=3),
               filename="bob.csv")
    with ws.session(write=True) as session:
        close_challenge(session, "iris-closed")
    port = free_port()
    process = start_server(folder, backend_url, port)
    base = f"http://127.0.0.1:{port}"
    result = Served(base, f"{base}/api/v1", folder, ws, init.organizer_token, backend_url, process, tokens, solutions)
    try:
        wait_until_serving(base, process)
        yield result
    finally:
        log = stop_server(process)
        for secret in [init.organizer_token, *tokens.values()]:
            assert secret not in log, "a token reached the server's log"


@pytest.fixture(scope="module")
def pooled(tmp_path_factory, backend_url):
    """A server grading in two worker processes (`--submit-workers 2`): `iris` (5 a day), `race`
    (3 a day) and `later` (not open yet), and participants alice, bob and carol."""
    from kit.challenge.spec import parse_spec
    from kit.clock import utcnow
    from kit.season.seasons import create_season
    from kit.services.challenges import add_challenge
    from kit.services.participants import register
    from kit.store.workspace import init_workspace

    folder = tmp_path_factory.mktemp("pooled") / "ws"
    init = init_workspace(folder, backend_url)
    ws = init.workspace
    with ws.session(write=True) as session:
        create_season(session, slug="test-season", name="27 Days of Testing",
                      starts_on=utcnow().date() - timedelta(days=3))
        for slug, week, limit, opens in (("iris", 1, 5, "2020-01-01T00:00:00Z"), ("race", 2, 3, "2020-01-01T00:00:00Z"),
                                         ("later", 3, 5, "2098-01-01T00:00:00Z")):
            text = spec_text(slug, week=week, daily_limit=limit, opens=opens)
            add_challenge(session, parse_spec(text), text, progress=False)
        tokens = {name: register(session, name)[1] for name in ("alice", "bob", "carol")}
    solutions = {slug: solution_rows(ws, slug) for slug in ("iris", "race", "later")}
    port = free_port()
    process = start_server(folder, backend_url, port, "--submit-workers", "2")
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(base, process)
        yield Served(base, f"{base}/api/v1", folder, ws, init.organizer_token, backend_url, process, tokens, solutions)
    finally:
        stop_server(process)
