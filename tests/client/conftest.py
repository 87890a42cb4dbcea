"""A real `kit serve` for the remote CLI, and a participant's folder with no workspace in it.

The server runs from the organizer's workspace (SQLite file or a PostgreSQL schema); the
participant's `kit` runs as its own process from another folder, with only KIT_SERVER and
KIT_TOKEN, through a runner that records which modules the process imported.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest

_spec = importlib.util.spec_from_file_location("server_conftest",
                                               Path(__file__).resolve().parents[1] / "server" / "conftest.py")
server_helpers = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = server_helpers  # dataclasses look their module up there
_spec.loader.exec_module(server_helpers)

# What a client must never import; numpy and pyarrow (the grader) only where a file is validated.
# pydantic: the client sends and reads plain JSON, and Typer coerces plain values without it
# (kit.cli.coercion); importing it cost every command ≈ 80 ms.
HEAVY = ("sqlalchemy", "pandas", "torch", "streamlit", "sklearn", "kit.store", "kit.services", "kit.challenge",
         "numpy", "pyarrow", "pydantic")
RUNNER = f"""
import atexit, json, os, sys
atexit.register(lambda: open(os.environ["KIT_TEST_MODULES"], "a").write(
    json.dumps([sys.argv[1:], [m for m in {HEAVY!r} if m in sys.modules]]) + "\\n"))
sys.argv[0] = "kit"
from kit.cli import main
main()
"""


@dataclass
class Remote:
    """The participant's side: a folder, a server address, and the `kit` command run as a process."""

    folder: Path
    server: str
    modules_log: Path
    python: Path = Path(sys.executable)

    def __call__(self, *args: str, token: str | None = None) -> subprocess.CompletedProcess:
        env = {k: v for k, v in os.environ.items() if not k.startswith("KIT_")}
        env.update(KIT_SERVER=self.server, KIT_TOKEN=token or "", KIT_TEST_MODULES=str(self.modules_log),
                   HOME=str(self.folder), COLUMNS="200", PYTHONPATH=str(Path(__file__).resolve().parents[2]))
        return subprocess.run([str(self.python), "-c", RUNNER, *args], cwd=self.folder, env=env, capture_output=True,
                              text=True, timeout=120)

    def imported(self) -> list[tuple[list[str], set[str]]]:
        """(command line, heavy modules it imported) for every command run so far."""
        return [(argv, set(heavy)) for argv, heavy in map(json.loads, self.modules_log.read_text().splitlines())]


@dataclass
class Organizer:
    """The server's side: the workspace it serves and what only the organizer knows (the labels)."""

    folder: Path
    ws: object
    database_url: str | None
    organizer_token: str
    base: str
    solutions: dict
    tokens: dict

    def csv(self, slug: str, **wrong) -> bytes:
        return server_helpers.submission_csv(self.solutions[slug], **wrong)


backend_url = server_helpers.backend_url

_install_spec = importlib.util.spec_from_file_location("base_install", Path(__file__).with_name("base_install.py"))
base_install = importlib.util.module_from_spec(_install_spec)
_install_spec.loader.exec_module(base_install)


@pytest.fixture(scope="session")
def base_env(tmp_path_factory) -> Path:
    """The python of a virtualenv holding the project and the base package's dependencies only."""
    return base_install.make_base_env(tmp_path_factory.mktemp("base-env"))


@pytest.fixture(scope="module")
def organizer(tmp_path_factory, backend_url):
    """A season on day 3, an open `iris` (3 a day), a closed `iris-closed` with two ranked entries."""
    from kit.challenge.spec import parse_spec
    from kit.clock import utcnow
    from kit.season.seasons import create_season
    from kit.services.challenges import add_challenge, close_challenge
    from kit.services.participants import register
    from kit.services.submissions import submit
    from kit.store.workspace import init_workspace

    folder = tmp_path_factory.mktemp("organizer") / "ws"
    init = init_workspace(folder, backend_url)
    ws = init.workspace
    with ws.session(write=True) as session:
        create_season(session, slug="test-season", name="27 Days of Testing",
                      starts_on=utcnow().date() - timedelta(days=2))
        for slug, week in (("iris", 1), ("iris-closed", 2)):
            text = server_helpers.spec_text(slug, week=week, daily_limit=3)
            add_challenge(session, parse_spec(text), text, progress=False)
        tokens = {name: register(session, name)[1] for name in ("alice", "bob")}
    solutions = {slug: server_helpers.solution_rows(ws, slug) for slug in ("iris", "iris-closed")}
    for name, wrong in (("alice", {"wrong_private": 5}), ("bob", {"wrong_public": 2})):
        submit(ws, slug="iris-closed", token=tokens[name], filename=f"{name}.csv",
               content=server_helpers.submission_csv(solutions["iris-closed"], **wrong))
    with ws.session(write=True) as session:
        close_challenge(session, "iris-closed")
    port = server_helpers.free_port()
    process = server_helpers.start_server(folder, backend_url, port)
    base = f"http://127.0.0.1:{port}"
    try:
        server_helpers.wait_until_serving(base, process)
        yield Organizer(folder, ws, backend_url, init.organizer_token, base, solutions, tokens)
    finally:
        server_helpers.stop_server(process)


@pytest.fixture
def remote(organizer, tmp_path, base_env) -> Remote:
    """The participant: `kit` from a clean environment with only the base package installed."""
    folder = tmp_path / "participant"
    folder.mkdir()
    return Remote(folder, organizer.base, tmp_path / "modules.jsonl", base_env)
