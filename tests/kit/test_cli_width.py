"""The CLI at 80 columns, as a terminal shows it: help without `<bool>` beside plain flags,
tables that never cut a slug, and `kit leaderboard` marking your row and the season's day.

Run as real processes, so the terminal width reaches Typer and Rich as it would in a shell.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta

WIDTH = 80


def kit80(*args: str, workspace=None, token: str | None = None) -> str:
    """`kit ARGS` in an 80-column terminal; `workspace` is a KitWorkspace (SQLite or PostgreSQL)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIT_")}
    env.update(COLUMNS=str(WIDTH), LINES="50", TERM="dumb")
    if workspace is not None:
        env["KIT_WORKSPACE"] = str(workspace.path)
        if workspace.database_url:
            env["KIT_DATABASE_URL"] = workspace.database_url
    if token:
        env["KIT_TOKEN"] = token
    result = subprocess.run([sys.executable, "-m", "kit", *args], env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout


def labels(ws, slug: str) -> list[dict]:
    """The hidden solution's rows, read by the test to make submissions of known scores."""
    import csv
    import io

    from kit.challenge.bundle import solution_bytes
    from kit.challenge.lookup import get_challenge

    with ws.session() as session:
        text = solution_bytes(session, get_challenge(session, slug)).decode()
    return list(csv.DictReader(io.StringIO(text)))


def predictions(truth: list[dict], wrong: int = 0) -> bytes:
    """Right on every row but the first `wrong` public ones."""
    target = next(k for k in truth[0] if k not in ("id", "Usage"))
    classes = sorted({row[target] for row in truth})
    public = [row["id"] for row in truth if row["Usage"] == "Public"][:wrong]
    lines = [f"{row['id']},{next(c for c in classes if c != row[target]) if row['id'] in public else row[target]}\n"
             for row in truth]
    return (f"id,{target}\n" + "".join(lines)).encode()


def assert_fits(output: str) -> None:
    too_wide = [line for line in output.splitlines() if len(line.rstrip()) > WIDTH]
    assert not too_wide, too_wide


def test_help_reads_cleanly_at_80_columns():
    for args in ([], ["demo"], ["challenge"], ["challenge", "list"], ["leaderboard"], ["serve"]):
        shown = kit80(*args, "--help")
        assert_fits(shown)
        assert "<bool>" not in shown and "folder ." not in shown
    demo = kit80("demo", "--help")
    assert "--empty" in demo and "--seed <int>" in demo and "[default: 127.0.0.1]" in demo
    assert "The workspace folder (./kit-workspace when not given)." in " ".join(demo.split())
    top = kit80("--help")
    commands = top.split("Commands:")[1]
    assert "..." not in commands.replace("'27 days of …'", "")  # every summary whole


def test_challenge_list_keeps_every_slug_whole(kit_workspace, write_spec):
    from kit.challenge.spec import load_spec
    from kit.services.challenges import add_challenge

    slugs = ["a-rather-long-challenge-slug", "iris"]
    for slug in slugs:
        spec, text = load_spec(write_spec(slug=slug, title="A title long enough to need wrapping at eighty columns",
                                          metric="multiclass_log_loss"))
        with kit_workspace.session(write=True) as session:
            add_challenge(session, spec, text, progress=False)
    shown = kit80("challenge", "list", workspace=kit_workspace)
    assert_fits(shown)
    lines = shown.splitlines()
    for slug in slugs:
        assert any(line.split()[0] == slug for line in lines if line.strip()), shown
    assert "multiclass_log_loss ↓" in shown


def test_leaderboard_marks_your_row_and_the_season_day(kit_workspace, write_spec):
    from kit.challenge.spec import load_spec
    from kit.clock import utcnow
    from kit.season.seasons import create_season
    from kit.services.challenges import add_challenge
    from kit.services.participants import register
    from kit.services.submissions import record_baseline, submit

    ws = kit_workspace.workspace
    path = write_spec()
    path.write_text('season = "s-one"\n' + path.read_text())
    with ws.session(write=True) as session:
        create_season(session, slug="s-one", name="27 Days of Width", starts_on=utcnow().date() - timedelta(days=4))
        spec, text = load_spec(path)
        add_challenge(session, spec, text, progress=False)
        _, ada = register(session, "Ada Lovelace")
        _, bob = register(session, "Bob")
    truth = labels(ws, "iris")
    submit(ws, slug="iris", token=ada, content=predictions(truth, wrong=2), filename="a.csv")
    submit(ws, slug="iris", token=bob, content=predictions(truth), filename="b.csv")
    record_baseline(ws, slug="iris", model="sample", content=predictions(truth, wrong=9), filename="s.csv")

    mine = kit80("leaderboard", "iris", workspace=kit_workspace, token=ada)
    assert_fits(mine)
    assert "27 Days of Width, day 5 of 27" in mine
    marked = [line for line in mine.splitlines() if "▶" in line]
    assert len(marked) == 1 and "Ada Lovelace (you)" in marked[0] and marked[0].split()[1] == "2"
    anonymous = kit80("leaderboard", "iris", workspace=kit_workspace)
    assert "▶" not in anonymous and "(you)" not in anonymous and "day 5 of 27" in anonymous
