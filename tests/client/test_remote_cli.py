"""The `kit` CLI as a client of a real `kit serve`: every participant command over HTTP, from a
folder with no workspace, printing and exiting as the local commands do; on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
import json
import re
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kit.cli import app


def token_of(output: str) -> str:
    return re.search(r"kit_[A-Za-z0-9_-]+", output).group(0)


def test_a_participant_works_remotely_from_a_folder_with_no_workspace(organizer, remote):
    """In a clean environment with only the base package (client + grader) installed."""
    registered = remote("register", "ada-remote")
    assert registered.returncode == 0, registered.stderr
    token = token_of(registered.stdout)

    listed = remote("challenge", "list")
    assert listed.returncode == 0 and "iris" in listed.stdout and "iris-closed" in listed.stdout

    downloaded = remote("download", "iris")
    assert downloaded.returncode == 0, downloaded.stderr
    bundle = remote.folder / "iris"
    assert sorted(p.name for p in bundle.iterdir()) == ["README.md", "sample_submission.csv", "test.csv", "train.csv"]

    (remote.folder / "good.csv").write_bytes(organizer.csv("iris", wrong_public=1))
    (remote.folder / "bad.csv").write_text("id,species\n1,setosa\n")
    for where in ([], ["--bundle", "iris"]):  # from the server, then offline
        assert remote("validate", "iris", "-f", "good.csv", *where).returncode == 0
        invalid = remote("validate", "iris", "-f", "bad.csv", *where)
        assert invalid.returncode == 1 and "Submission must have 38 rows" in invalid.stderr
    grader_words = invalid.stderr.split("Invalid:", 1)[1].split()

    scored = remote("submit", "iris", "-f", "good.csv", "-m", "from afar", token=token)
    assert scored.returncode == 0, scored.stderr
    assert "scored: public accuracy" in scored.stdout and "2 submission(s) left today" in scored.stdout
    submission_id = re.search(r"Submission (\d+) scored", scored.stdout).group(1)
    rejected = remote("submit", "iris", "-f", "bad.csv", token=token)
    assert rejected.returncode == 1 and "rejected:" in rejected.stderr
    as_json = remote("submit", "iris", "-f", "bad.csv", "--json", token=token)
    assert as_json.returncode == 1 and json.loads(as_json.stdout)["code"] == "row_count"
    assert grader_words == rejected.stderr.split("rejected:", 1)[1].split()[:len(grader_words)], \
        "validate and submit say the same"

    mine = remote("submissions", "iris", token=token)
    assert mine.returncode == 0 and "from afar" in mine.stdout and "hidden until close" in mine.stdout
    chosen = remote("select", "iris", submission_id, token=token)
    assert chosen.returncode == 0 and f"Final submissions for iris: {submission_id}." in chosen.stdout
    board = remote("leaderboard", "iris")
    assert board.returncode == 0 and "ada-remote" in board.stdout
    logged = remote("log", "read the httpx docs", token=token)
    assert logged.returncode == 0 and "Checked in for day 3 of 27. Current streak: 1 day(s)." in logged.stdout
    streak = remote("streak", token=token)
    assert streak.returncode == 0 and "ada-remote in 27 Days of Testing: current streak 1" in streak.stdout
    assert "  ■" + "·" * 24 in streak.stdout, "blank before joining, as locally"

    # The client never opened or made a database, and never imported what would open one.
    assert not list(remote.folder.rglob("*.sqlite3*")) and not (remote.folder / "kit-workspace").exists()
    imported = remote.imported()
    assert len(imported) == 15, "every command was recorded"
    for argv, heavy in imported:
        assert heavy <= ({"numpy", "pyarrow"} if argv[0] == "validate" else set()), (argv, heavy)


def test_refusals_exit_as_in_local_mode(organizer, remote):
    unknown = remote("challenge", "show", "nope")
    assert unknown.returncode == 1 and "Error: No challenge" in unknown.stderr
    wrong = remote("submissions", "iris", token="kit_not-a-real-token")
    assert wrong.returncode == 1 and "That token is not valid" in wrong.stderr
    missing = remote("submissions", "iris")
    assert missing.returncode == 1 and "A participant token is needed" in missing.stderr
    taken = remote("register", "alice")
    assert taken.returncode == 1 and "is taken" in taken.stderr
    # With everything installed (this venv), the client still imports none of the server's weight.
    everything = dataclasses.replace(remote, python=Path(sys.executable))
    for argv in (["challenge", "list"], ["leaderboard", "iris"], ["download", "iris", "-p", "again"]):
        assert everything(*argv).returncode == 0
    assert all(heavy == set() for _, heavy in everything.imported()[-3:])
    nobody_there = dataclasses.replace(remote, server="http://127.0.0.1:9")("leaderboard", "iris")
    assert nobody_there.returncode == 1
    assert "Cannot reach the server at http://127.0.0.1:9" in nobody_there.stderr
    assert "Traceback" not in nobody_there.stderr + wrong.stderr + unknown.stderr + taken.stderr


def test_the_daily_limit_is_refused_with_the_local_message(organizer, remote):
    token = token_of(remote("register", "limit-tester").stdout)
    (remote.folder / "s.csv").write_bytes(organizer.csv("iris"))
    for left in (2, 1, 0):
        done = remote("submit", "iris", "-f", "s.csv", token=token)
        assert f"{left} submission(s) left today" in done.stdout, done.stderr
    refused = remote("submit", "iris", "-f", "s.csv", token=token)
    assert refused.returncode == 1
    assert "You have used all 3 submissions for today on 'iris'. The count resets at 00:00 UTC." in refused.stderr


READS = [  # commands whose output must be identical in both modes (token: which participant, if any)
    (("challenge", "list"), None), (("challenge", "list", "--json"), None),
    (("challenge", "show", "iris"), None), (("challenge", "show", "iris-closed", "--json"), None),
    (("leaderboard", "iris-closed"), None), (("leaderboard", "iris-closed", "--private"), None),
    (("leaderboard", "iris-closed", "--csv"), None), (("leaderboard", "iris", "--private"), None),
    (("submissions", "iris-closed"), "alice"), (("submissions", "iris-closed", "--json"), "alice"),
    (("streak",), "alice"), (("submissions", "iris"), "nobody"), (("challenge", "show", "nope"), None),
]


@pytest.mark.parametrize("args,who", READS, ids=[" ".join(a) for a, _ in READS])
def test_remote_and_local_print_the_same(organizer, args, who):
    token = {"alice": organizer.tokens["alice"], "nobody": "kit_nobody", None: ""}[who]
    runner = CliRunner()
    base = {"COLUMNS": "200", "KIT_TOKEN": token, "KIT_ORGANIZER_TOKEN": ""}
    local = runner.invoke(app, list(args), env={**base, "KIT_WORKSPACE": str(organizer.folder),
                                                 "KIT_DATABASE_URL": organizer.database_url or "", "KIT_SERVER": ""})
    remote = runner.invoke(app, list(args), env={**base, "KIT_SERVER": organizer.base, "KIT_WORKSPACE": "/nonexistent"})
    assert (remote.exit_code, remote.output) == (local.exit_code, local.output)


def test_api_calls_skip_the_web_apps_middleware(organizer):
    """`ApiFirst` sends /api/v1 straight to the API, past Streamlit's page middleware (which would
    gzip this large JSON answer); the web app is still served behind it."""
    import httpx

    with httpx.Client(base_url=organizer.base, timeout=30) as http:
        api = http.get("/api/v1/openapi.json", headers={"Accept-Encoding": "gzip"})
        assert api.status_code == 200 and len(api.content) > 1000
        assert "gzip" not in api.headers.get("content-encoding", "")
        page = http.get("/", headers={"Accept-Encoding": "gzip"})
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
