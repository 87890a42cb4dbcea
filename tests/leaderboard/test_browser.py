"""End to end in a real browser: `kit serve`, join, upload a CSV, see the row on the leaderboard."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = pytest.mark.browser


@pytest.fixture
def served_workspace(tmp_path, lb):
    """A SQLite workspace with a season and one open challenge, and its bundle's test ids."""
    from kit.challenge.spec import parse_spec
    from kit.clock import utcnow
    from kit.season.seasons import create_season
    from kit.services.challenges import add_challenge
    from kit.store.workspace import init_workspace

    folder = tmp_path / "served"
    ws = init_workspace(folder).workspace
    with ws.session(write=True) as session:
        create_season(session, slug="test-season", name="27 Days of Testing",
                      starts_on=utcnow().date() - timedelta(days=3))
        text = lb.spec_text("iris")
        add_challenge(session, parse_spec(text), text, progress=False)
    good = lb.submission_csv(lb.solution_rows(ws, "iris"), wrong_public=1)
    return folder, good


def test_join_submit_and_see_the_row(served_workspace, tmp_path, lb):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium) — the browser test needs it")
    from playwright.sync_api import expect, sync_playwright

    folder, good = served_workspace
    upload = tmp_path / "my-submission.csv"
    upload.write_bytes(good)
    ARTIFACTS.mkdir(exist_ok=True)
    port = lb.free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("KIT_DATABASE_URL", "KIT_TOKEN")}
    server = subprocess.Popen(
        [sys.executable, "-m", "kit", "serve", "--workspace", str(folder), "--port", str(port),
         "--address", "127.0.0.1"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        lb.wait_for_port(port, server)
        base = f"http://127.0.0.1:{port}"
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=[
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            try:
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                page.set_default_timeout(30_000)

                page.goto(f"{base}/join")
                page.get_by_role("textbox", name="Participant name").fill("Grace Hopper")
                page.get_by_role("button", name="Join and get my token").click()
                expect(page.get_by_text("shown only this once", exact=False)).to_be_visible()
                token = page.locator("[data-testid='stCode'] code").first.inner_text().strip()
                assert token.startswith("kit_") and token not in page.url
                page.get_by_role("button", name="I have saved my token").click()

                page.get_by_role("link", name="Submit a prediction").click()
                expect(page.get_by_text("Signed in as", exact=False).first).to_be_visible()
                page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(str(upload))
                expect(page.get_by_text("my-submission.csv")).to_be_visible()
                page.get_by_role("textbox", name="Message (optional)").fill("browser test")
                page.get_by_role("button", name="Submit").click()
                outcome = page.locator("[data-testid='stAlertContentSuccess']")
                expect(outcome).to_contain_text("public accuracy ↑")
                expect(outcome).to_contain_text("#1")
                page.screenshot(path=str(ARTIFACTS / "leaderboard-submit.png"), full_page=True)
                assert token not in page.url

                page.get_by_role("link", name="See the leaderboard").click()
                board = page.locator("[data-testid='stDataFrame']").first
                expect(board).to_be_visible()
                expect(page.get_by_role("heading", name="Public leaderboard")).to_be_visible()
                page.wait_for_timeout(1500)  # let the grid and the chart paint
                page.screenshot(path=str(ARTIFACTS / "leaderboard-challenge.png"), full_page=True)
                # The data grid draws on a canvas; its text lives in an accessible table behind it.
                cell = board.locator("td[role='gridcell']", has_text="Grace Hopper")
                expect(cell).to_have_text("Grace Hopper  (you)")
                assert "?challenge=iris" in page.url and token not in page.url
            finally:
                browser.close()
    finally:
        lb.stop(server, 15)
        try:
            output, _ = server.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            lb.stop(server, 9)
            output, _ = server.communicate()
        text = output.decode(errors="replace")
        (ARTIFACTS / "kit-serve.log").write_text(text)
    assert f"http://127.0.0.1:{port}" in text
    assert token not in text  # tokens never reach the server's log
