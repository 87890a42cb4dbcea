"""Scale-out: two `kit serve` processes on one database see each other's submissions.

On PostgreSQL (KIT_TEST_DATABASE_URL) this is the production set-up: several app processes
behind a proxy, one database. Each submission goes through one app in a real browser and
appears on the other app's leaderboard.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = pytest.mark.browser


def start_app(folder: Path, database_url: str | None, port: int) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k not in ("KIT_DATABASE_URL", "KIT_TOKEN")}
    if database_url:
        env["KIT_DATABASE_URL"] = database_url
    return subprocess.Popen([sys.executable, "-m", "kit", "serve", "--workspace", str(folder), "--port", str(port),
                             "--address", "127.0.0.1"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)


def submit_in_browser(page, base: str, name: str, token: str, upload: Path, expect) -> None:
    page.goto(f"{base}/submit")
    page.get_by_role("textbox", name="Participant name").fill(name)
    page.get_by_role("textbox", name="Token").fill(token)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Signed in as", exact=False).first).to_be_visible(timeout=30_000)
    page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(str(upload))
    expect(page.get_by_text(upload.name)).to_be_visible()
    page.get_by_role("button", name="Submit").click()
    expect(page.locator("[data-testid='stAlertContentSuccess']")).to_contain_text("public accuracy ↑",
                                                                                   timeout=30_000)


def board_shows(page, base: str, name: str, expect) -> None:
    page.goto(f"{base}/challenge?challenge=iris")
    board = page.locator("[data-testid='stDataFrame']").first
    expect(board).to_be_visible(timeout=30_000)
    expect(board.locator("td[role='gridcell']", has_text=name).first).to_be_attached(timeout=30_000)


def test_two_apps_on_one_database_see_each_other(kit_workspace, lb, tmp_path):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium) — the browser test needs it")
    from datetime import timedelta

    from playwright.sync_api import expect, sync_playwright

    from kit.challenge.spec import parse_spec
    from kit.clock import utcnow
    from kit.season.seasons import create_season
    from kit.services.challenges import add_challenge
    from kit.services.participants import register

    ws = kit_workspace.workspace
    with ws.session(write=True) as session:
        create_season(session, slug="test-season", name="27 Days of Testing",
                      starts_on=utcnow().date() - timedelta(days=3))
        text = lb.spec_text("iris")
        add_challenge(session, parse_spec(text), text, progress=False)
        _, ada = register(session, "Ada Lovelace")
        _, bob = register(session, "Bob Bemer")
    rows = lb.solution_rows(ws, "iris")
    ada_file, bob_file = tmp_path / "ada.csv", tmp_path / "bob.csv"
    ada_file.write_bytes(lb.submission_csv(rows, wrong_public=1))
    bob_file.write_bytes(lb.submission_csv(rows, wrong_public=2))

    ports = [lb.free_port(), lb.free_port()]
    apps = [start_app(kit_workspace.path, kit_workspace.database_url, port) for port in ports]
    try:
        for app, port in zip(apps, ports, strict=True):
            lb.wait_for_port(port, app)
        first, second = (f"http://127.0.0.1:{port}" for port in ports)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=[
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            try:
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                page.set_default_timeout(30_000)
                submit_in_browser(page, first, "Ada Lovelace", ada, ada_file, expect)
                board_shows(page, second, "Ada Lovelace", expect)
                other = browser.new_page(viewport={"width": 1400, "height": 1000})
                other.set_default_timeout(30_000)
                submit_in_browser(other, second, "Bob Bemer", bob, bob_file, expect)
                board_shows(other, first, "Bob Bemer", expect)
                ARTIFACTS.mkdir(exist_ok=True)
                other.screenshot(path=str(ARTIFACTS / "two-apps-board.png"), full_page=True)
            finally:
                browser.close()
    finally:
        for app in apps:
            lb.stop(app, 15)
            try:
                app.communicate(timeout=15)
            except subprocess.TimeoutExpired:
                lb.stop(app, 9)
                app.communicate()
