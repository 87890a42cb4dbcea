"""Webhooks against a real HTTP receiver (http.server on a free 127.0.0.1 port, in a thread):
each event in each format, retries after a 500, a slow or dead endpoint never holding up a
submission, and nothing private in anything sent (SQLite and PostgreSQL)."""

import io
import json
import re
import socket
import threading
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pandas as pd
import pytest
import time_machine
from sqlalchemy import select

from kit.challenge.bundle import solution_bytes
from kit.challenge.lookup import get_challenge
from kit.services.delivery import MAX_ATTEMPTS, WebhookWorker, run_tick
from kit.services.submissions import submit as submit_bytes
from kit.store.models import OutboxEvent, Participant, Submission, WebhookDelivery

START = datetime(2026, 11, 2, tzinfo=UTC)  # day 1 of the season (UTC)
EVENTS = {"challenge_opened", "new_leader", "challenge_closed", "weekly_winners", "streak_at_risk"}

SPEC = """slug = "week-1"
title = "Week 1: irises"
metric = "accuracy"
season = "hooks"
week = 1
daily_limit = 5
{window}
[data]
source = "sklearn:iris"
seed = 1
"""


class Receiver:
    """A real HTTP endpoint: records each POST; paths choose the answer."""

    def __init__(self):
        self.requests: list[tuple[str, dict]] = []
        self.flaky_failures = 2  # /flaky answers 500 this many times, then 200
        self.release = threading.Event()  # /slow holds its answer until this is set
        self.arrived = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                receiver.requests.append((self.path, body))
                code = 204
                if self.path.startswith("/flaky") and receiver.flaky_failures > 0:
                    receiver.flaky_failures -= 1
                    code = 500
                elif self.path.startswith("/gone"):
                    code = 404
                elif self.path.startswith("/slow"):
                    receiver.arrived.set()
                    receiver.release.wait(60)
                self.send_response(code)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def bodies(self, path: str) -> list[dict]:
        return [body for p, body in self.requests if p == path]


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.release.set()
    r.server.shutdown()
    r.server.server_close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def register(kit, name):
    return re.search(r"kit_[A-Za-z0-9_-]+", kit("register", name).output).group(0)


def at(day: int, hour: int = 12, minute: int = 0) -> datetime:
    return START + timedelta(days=day - 1, hours=hour, minutes=minute)


@pytest.fixture
def season(kit, kit_workspace, tmp_path):
    """Season 'hooks' from START with week 1 (its default window: days 1–7); returns the hidden labels."""
    with time_machine.travel(START - timedelta(days=3), tick=False):
        assert kit("season", "create", "hooks", "--name", "Hook Season", "--starts", "2026-11-02").exit_code == 0
        path = tmp_path / "week1.toml"
        path.write_text(SPEC.format(window=""))
        assert kit("challenge", "add", str(path)).exit_code == 0
    with kit_workspace.session() as session:
        return pd.read_csv(io.BytesIO(solution_bytes(session, get_challenge(session, "week-1"))))


def csv_bytes(truth, wrong: int) -> bytes:
    labels = truth["species"].copy()
    other = {"setosa": "versicolor", "versicolor": "virginica", "virginica": "setosa"}
    labels.iloc[:wrong] = labels.iloc[:wrong].map(other)
    return pd.DataFrame({"id": truth["id"], "species": labels}).to_csv(index=False).encode()


def send(kit, truth, token, wrong, tmp_path):
    path = tmp_path / f"s{wrong}.csv"
    path.write_bytes(csv_bytes(truth, wrong))
    result = kit("submit", "week-1", "-f", str(path), token=token)
    assert result.exit_code == 0, result.output
    return result


def deliver(kit):
    result = kit("webhook", "deliver")
    assert result.exit_code == 0, result.output
    return result.output


def test_each_event_reaches_each_format_and_nothing_private_is_sent(kit, kit_workspace, season, receiver, tmp_path):
    for fmt in ("discord", "slack", "json"):
        added = kit("webhook", "add", f"{receiver.url}/{fmt}/secret-path-123", "--format", fmt)
        assert added.exit_code == 0 and "secret-path-123" not in added.output
    assert kit("webhook", "add", receiver.url, "--format", "teams").exit_code == 1
    assert kit("webhook", "add", "ftp://example.org/x", "--format", "json").exit_code == 1
    assert kit("webhook", "add", receiver.url, "--events", "new_leader,gossip").exit_code == 1
    assert kit("webhook", "add", receiver.url, organizer=False).exit_code == 1
    assert len(json.loads(kit("webhook", "list", "--json").output)) == 3  # the refusals stored nothing
    listed = kit("webhook", "list").output
    assert "secret-path-123" not in listed and "127.0.0.1" in listed
    ada, bob, cyd = register(kit, "ada"), register(kit, "bob"), register(kit, "cyd")

    with time_machine.travel(at(1), tick=False):
        assert "3 delivered" in deliver(kit)  # the challenge opened
        assert "0 delivered" in deliver(kit)  # and only once
        invite = re.search(r"team_[A-Za-z0-9_-]+", kit("team", "create", "Petal Pushers", token=bob).output).group(0)
        send(kit, truth=season, token=ada, wrong=30, tmp_path=tmp_path)
        send(kit, truth=season, token=bob, wrong=0, tmp_path=tmp_path)  # bob's team takes the lead
        send(kit, truth=season, token=ada, wrong=10, tmp_path=tmp_path)  # better, but not the lead: no event
        send(kit, truth=season, token=cyd, wrong=38, tmp_path=tmp_path)
        assert "6 delivered" in deliver(kit)  # two new leaders × three formats
    with time_machine.travel(at(2, 17, 59), tick=False):
        assert "0 delivered" in deliver(kit)  # the digest waits for the evening
    with time_machine.travel(at(2, 18, 5), tick=False):
        assert kit("log", "read chapter 3", token=cyd).exit_code == 0  # cyd is safe today
        assert "3 delivered" in deliver(kit)
    sent_before_close = json.dumps(receiver.requests)
    with time_machine.travel(at(3), tick=False):
        assert kit("challenge", "close", "week-1").exit_code == 0
        assert "6 delivered" in deliver(kit)  # closed with its top three, and the week's winners

    kinds = [body["event"] for body in receiver.bodies("/json/secret-path-123")]
    assert kinds == ["challenge_opened", "new_leader", "new_leader", "streak_at_risk", "challenge_closed",
                     "weekly_winners"]
    assert set(kinds) == EVENTS
    by_kind = {body["event"]: body["data"] for body in receiver.bodies("/json/secret-path-123")}
    assert by_kind["streak_at_risk"]["at_risk"] == [{"name": "ada", "streak": 1}, {"name": "bob", "streak": 1}]
    assert [row["name"] for row in by_kind["challenge_closed"]["top"]] == ["Petal Pushers", "ada", "cyd"]
    discord = [body for body in receiver.bodies("/discord/secret-path-123")]
    slack = [body for body in receiver.bodies("/slack/secret-path-123")]
    assert len(discord) == len(slack) == 6
    assert all(body["allowed_mentions"] == {"parse": []} and body["content"] for body in discord)
    assert "is open" in discord[0]["content"] and "New leader" in discord[2]["content"]
    assert "**Petal Pushers** (overtaking ada)" in discord[2]["content"]
    assert "*Petal Pushers* (overtaking ada)" in slack[2]["text"]
    assert "ada (1 days)" in slack[3]["text"] and "cyd" not in slack[3]["text"]
    assert "Private leaderboard top three" in discord[4]["content"]

    # Nothing private: no label, token, token hash or invite code anywhere; no private score before close.
    sent = json.dumps(receiver.requests)
    with kit_workspace.session() as session:
        hashes = list(session.scalars(select(Participant.token_hash)))
        scores = session.execute(select(Submission.public_score, Submission.private_score)).all()
    for secret in [ada, bob, cyd, kit_workspace.organizer_token, invite, *hashes, "setosa", "versicolor", "virginica"]:
        assert secret not in sent
    private_only = {private for public, private in scores if private != public}
    assert private_only  # the check below can fail
    for private in private_only:
        for shown in (repr(private), f"{private:.5f}", f"{private:.4f}"):
            assert shown not in sent_before_close


def test_a_failed_delivery_is_retried_with_backoff(kit, kit_workspace, season, receiver):
    assert kit("webhook", "add", f"{receiver.url}/flaky", "--events", "challenge_opened").exit_code == 0
    assert kit("webhook", "add", f"{receiver.url}/gone", "--events", "challenge_opened").exit_code == 0
    dead = f"http://127.0.0.1:{free_port()}/nobody-home"
    assert kit("webhook", "add", dead, "--events", "challenge_opened").exit_code == 0
    t = at(1)
    report = run_tick(kit_workspace.workspace, t)
    assert (report.events, report.delivered, report.retrying, report.failed) == (1, 0, 2, 1)  # 404: no retry
    assert run_tick(kit_workspace.workspace, t + timedelta(seconds=20)).retrying == 0  # backoff: not due yet
    assert len(receiver.bodies("/flaky")) == 1
    second = run_tick(kit_workspace.workspace, t + timedelta(seconds=31))
    assert second.retrying == 2 and len(receiver.bodies("/flaky")) == 2
    third = run_tick(kit_workspace.workspace, t + timedelta(seconds=31 + 61))
    assert third.delivered == 1 and len(receiver.bodies("/flaky")) == 3
    log = {row["webhook_id"]: row for row in json.loads(kit("webhook", "log", "--json").output)}
    flaky, gone, nobody = log[1], log[2], log[3]
    assert (flaky["status"], flaky["attempts"], flaky["last_status_code"]) == ("delivered", 3, 204)
    assert (gone["status"], gone["attempts"], gone["last_error"]) == ("failed", 1, "HTTP 404 Not Found")
    assert nobody["status"] == "pending" and "could not connect" in nobody["last_error"]
    assert "nobody-home" not in kit("webhook", "log").output
    # The dead endpoint keeps backing off, then gives up after MAX_ATTEMPTS.
    moment = t + timedelta(seconds=31 + 61)
    for _ in range(MAX_ATTEMPTS):
        moment += timedelta(hours=1)
        run_tick(kit_workspace.workspace, moment)
    with kit_workspace.session() as session:
        statuses = {d.webhook_id: (d.status, d.attempts) for d in session.scalars(select(WebhookDelivery))}
    assert statuses[3] == ("failed", MAX_ATTEMPTS)
    # Removing a webhook keeps its log.
    assert kit("webhook", "remove", "1").exit_code == 0
    assert kit("webhook", "remove", "1").exit_code == 1
    assert "1" not in [line.split()[0] for line in kit("webhook", "list").output.splitlines()[3:] if line.strip()]
    assert len(json.loads(kit("webhook", "log", "--json").output)) == 3


@pytest.fixture
def open_season(kit, kit_workspace, tmp_path):
    """A season running now, with week 1 open now (the worker thread runs on the real clock)."""
    starts = (datetime.now(UTC) - timedelta(days=1)).date()
    assert kit("season", "create", "hooks", "--name", "Hook Season", "--starts", starts.isoformat()).exit_code == 0
    path = tmp_path / "week1.toml"
    path.write_text(SPEC.format(window="opens = 2020-01-01T00:00:00Z\ncloses = 2099-01-01T00:00:00Z"))
    assert kit("challenge", "add", str(path)).exit_code == 0
    assert starts < date(2099, 1, 1)
    with kit_workspace.session() as session:
        return pd.read_csv(io.BytesIO(solution_bytes(session, get_challenge(session, "week-1"))))


def test_a_slow_or_dead_endpoint_never_holds_up_a_submission(kit, kit_workspace, open_season, receiver):
    assert kit("webhook", "add", f"{receiver.url}/slow").exit_code == 0
    assert kit("webhook", "add", f"http://127.0.0.1:{free_port()}/dead").exit_code == 0
    ada, bob = register(kit, "ada"), register(kit, "bob")
    worker = WebhookWorker(kit_workspace.workspace, interval_s=0.05, timeout_s=120).start()
    try:
        # The worker is now inside its post to the slow endpoint, which has not answered.
        assert receiver.arrived.wait(60)
        outcome = submit_bytes(kit_workspace.workspace, slug="week-1", content=csv_bytes(open_season, 5),
                               filename="a.csv", token=ada)
        # The submission is stored and ranked while the endpoint still holds its answer.
        assert outcome.submission.status == "scored" and outcome.rank == 1
        assert not receiver.release.is_set()
        with kit_workspace.session() as session:
            assert session.scalar(select(OutboxEvent.kind).where(OutboxEvent.key.like("new_leader:%"))) == "new_leader"
        receiver.release.set()
        # Now the dead endpoint: once the worker has failed on it, a submission still goes straight through.
        for _ in range(600):
            with kit_workspace.session() as session:
                tried = session.scalar(select(WebhookDelivery).where(WebhookDelivery.webhook_id == 2,
                                                                     WebhookDelivery.attempts > 0))
            if tried is not None:
                break
            threading.Event().wait(0.1)
        assert tried is not None and tried.status == "pending" and "could not connect" in tried.last_error
        second = submit_bytes(kit_workspace.workspace, slug="week-1", content=csv_bytes(open_season, 0),
                              filename="b.csv", token=bob)
        assert second.submission.status == "scored" and second.rank == 1
    finally:
        receiver.release.set()
        worker.stop()
