"""Fixtures for the web leaderboard: a populated workspace, and AppTest runs of its pages."""

from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest

APP = str(Path(__file__).resolve().parents[2] / "leaderboard" / "app.py")

SPEC = """
slug = "{slug}"
title = "{title}"
description = "Classify iris flowers from four measurements."
season = "test-season"
week = {week}
metric = "accuracy"
opens = 2020-01-01T00:00:00Z
closes = 2099-01-01T00:00:00Z
daily_limit = {daily_limit}
max_file_size = {max_file_size}

[data]
source = "sklearn:iris"
seed = 7
"""


def spec_text(slug: str, *, title: str | None = None, week: int = 1, daily_limit: int = 5,
              max_file_size: int = 1024 * 1024) -> str:
    return SPEC.format(slug=slug, title=title or f"Iris {slug}", week=week, daily_limit=daily_limit,
                       max_file_size=max_file_size)


_known = importlib.util.spec_from_file_location("known_submissions",
                                                Path(__file__).resolve().parents[1] / "known_submissions.py")
known_submissions = importlib.util.module_from_spec(_known)
_known.loader.exec_module(known_submissions)
solution_rows = known_submissions.solution_rows
submission_csv = known_submissions.submission_csv


@dataclass
class Populated:
    path: Path
    ws: object
    organizer_token: str
    tokens: dict[str, str] = field(default_factory=dict)
    scores: dict[str, tuple[float, float]] = field(default_factory=dict)  # name → (public, private)
    good_csv: bytes = b""


@pytest.fixture
def app_workspace(kit_workspace, monkeypatch):
    """An empty initialised workspace that the app reads through KIT_WORKSPACE."""
    import streamlit as st

    monkeypatch.setenv("KIT_WORKSPACE", str(kit_workspace.path))
    if kit_workspace.database_url:  # the PostgreSQL run of the suite
        monkeypatch.setenv("KIT_DATABASE_URL", kit_workspace.database_url)
    else:
        monkeypatch.delenv("KIT_DATABASE_URL", raising=False)
    st.cache_data.clear()
    return kit_workspace


@pytest.fixture
def populated(app_workspace) -> Populated:
    """A season on day 4 with an open challenge `iris` (two participants, a baseline) and a closed one."""
    from kit.challenge.spec import parse_spec
    from kit.clock import utcnow
    from kit.season.seasons import create_season
    from kit.services.challenges import add_challenge, close_challenge
    from kit.services.participants import register
    from kit.services.submissions import submit, submit_baseline

    ws = app_workspace.workspace
    with ws.session(write=True) as session:
        create_season(session, slug="test-season", name="27 Days of Testing",
                      starts_on=utcnow().date() - timedelta(days=3), hashtag="#27DaysOfTests")
        for slug, week in (("iris", 1), ("iris-closed", 2)):
            text = spec_text(slug, week=week)
            add_challenge(session, parse_spec(text), text, progress=False)
    result = Populated(app_workspace.path, ws, app_workspace.organizer_token)
    with ws.session(write=True) as session:
        for name in ("alice", "bob"):
            _, result.tokens[name] = register(session, name)
    for slug in ("iris", "iris-closed"):
        rows = solution_rows(ws, slug)
        # alice: right on the public rows, wrong on 9 private ones: public and private scores differ.
        alice = submit(ws, slug=slug, token=result.tokens["alice"], content=submission_csv(rows, wrong_private=9),
                       filename="alice.csv", message="logreg")
        bob = submit(ws, slug=slug, token=result.tokens["bob"], content=submission_csv(rows, wrong_public=3),
                     filename="bob.csv", message="first try")
        submit_baseline(ws, organizer_token=result.organizer_token, slug=slug, model="sample",
                        content=submission_csv(rows, wrong_public=5, wrong_private=5), filename="sample_submission.csv")
        if slug == "iris":
            result.scores = {"alice": (alice.submission.public_score, alice.submission.private_score),
                             "bob": (bob.submission.public_score, bob.submission.private_score)}
            result.good_csv = submission_csv(rows, wrong_private=2)
    with ws.session(write=True) as session:
        close_challenge(session, "iris-closed")
    return result


def open_page(page: str | None = None, *, state: dict | None = None, query: dict | None = None):
    """Run the app (and switch to `page`) with AppTest; returns the AppTest after the page ran."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in (state or {}).items():
        at.session_state[key] = value
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    if page:
        at.switch_page(f"app_pages/{page}.py")
        at.run()
    return at


def page_text(at) -> str:
    """Every piece of text the page shows, tables included, for leak checks."""
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "code", "text", "info", "success",
                 "warning", "error", "exception"):
        parts += [str(getattr(e, "value", "")) for e in getattr(at, kind)]
    for metric in at.metric:
        parts += [str(metric.label), str(metric.value)]
    for frame in at.dataframe:
        parts.append(frame.value.to_csv(index=False))
    parts += [b.label for b in at.button] + [b.label for b in at.get("download_button")]
    parts += [h.proto.body for h in at.get("html")]  # the sign-in forms are plain HTML
    return "\n".join(parts)


def assert_clean(at) -> None:
    assert not at.exception, [e.value for e in at.exception]


@pytest.fixture
def participant_state(populated):
    def state(name: str = "alice") -> dict:
        return {"participant_name": name, "participant_token": populated.tokens[name]}

    return state


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read().decode(errors="replace") if process.stdout else ""
            raise AssertionError(f"kit serve exited with {process.returncode}:\n{output}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"kit serve did not listen on {port} within {timeout}s")


def stop(process: subprocess.Popen, signal_number: int) -> None:
    """Signal the server's own process group (kit serve and its Streamlit child), if still there."""
    try:
        os.killpg(process.pid, signal_number)
    except ProcessLookupError:
        pass


class Helpers:
    """The helpers above, as a fixture (test files cannot import conftest under importlib mode)."""

    open_page = staticmethod(open_page)
    page_text = staticmethod(page_text)
    assert_clean = staticmethod(assert_clean)
    spec_text = staticmethod(spec_text)
    solution_rows = staticmethod(solution_rows)
    submission_csv = staticmethod(submission_csv)
    free_port = staticmethod(free_port)
    wait_for_port = staticmethod(wait_for_port)
    stop = staticmethod(stop)


@pytest.fixture
def lb() -> Helpers:
    return Helpers()
