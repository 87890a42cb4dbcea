"""In a real browser: the public board shows each score's interval and a tie group, shaded together."""

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

DIGITS = """
slug = "digits"
title = "Digits, honestly"
season = "test-season"
week = 1
metric = "accuracy"
opens = 2020-01-01T00:00:00Z
closes = 2099-01-01T00:00:00Z
daily_limit = 10

[data]
source = "sklearn:digits"
test_fraction = 0.5
public_fraction = 0.5
seed = 7
"""


@pytest.fixture
def tied_workspace(tmp_path, lb):
    """Three participants on ~450 public rows: one clearly ahead, two with the same file (a tie)."""
    from kit.challenge.spec import parse_spec
    from kit.clock import utcnow
    from kit.season.seasons import create_season
    from kit.services.challenges import add_challenge
    from kit.services.participants import register
    from kit.services.submissions import submit
    from kit.store.workspace import init_workspace

    folder = tmp_path / "served"
    ws = init_workspace(folder).workspace
    with ws.session(write=True) as session:
        create_season(session, slug="test-season", name="27 Days of Testing",
                      starts_on=utcnow().date() - timedelta(days=3))
        add_challenge(session, parse_spec(DIGITS), DIGITS, progress=False)
        tokens = {name: register(session, name)[1] for name in ("Ada Lovelace", "Bob Noise", "Cy Noise")}
    rows = lb.solution_rows(ws, "digits")
    for name, wrong in (("Ada Lovelace", 10), ("Bob Noise", 90), ("Cy Noise", 90)):
        submit(ws, slug="digits", token=tokens[name], content=lb.submission_csv(rows, wrong_public=wrong),
               filename="s.csv")
    return folder


def test_the_board_shows_intervals_and_a_tie_group(tied_workspace, lb):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium) — the browser test needs it")
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    port = lb.free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("KIT_DATABASE_URL", "KIT_TOKEN")}
    server = subprocess.Popen(
        [sys.executable, "-m", "kit", "serve", "--workspace", str(tied_workspace), "--port", str(port),
         "--address", "127.0.0.1"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        lb.wait_for_port(port, server)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=[
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            try:
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                page.set_default_timeout(30_000)
                page.goto(f"http://127.0.0.1:{port}/challenge?challenge=digits")
                expect(page.get_by_role("heading", name="Public leaderboard")).to_be_visible()
                expect(page.get_by_text("not significantly different from the row above", exact=False)
                       ).to_be_visible()
                board = page.locator("[data-testid='stDataFrame']").first
                expect(board).to_be_visible()
                page.wait_for_timeout(1500)  # let the grid paint
                page.screenshot(path=str(ARTIFACTS / "leaderboard-tie-group.png"), full_page=True)
                # The grid draws on a canvas; its text lives in an accessible table behind it.
                rows = board.locator("tr[role='row']")
                ada = rows.filter(has_text="Ada Lovelace")
                bob = rows.filter(has_text="Bob Noise")
                cy = rows.filter(has_text="Cy Noise")
                expect(ada).to_have_count(1)
                expect(ada.locator("td[role='gridcell']", has_text="tied")).to_have_count(0)
                # Bob and Cy sent the same file: whichever is second is tied with the one above.
                tied = board.locator("td[role='gridcell']", has_text="tied")
                expect(tied).to_have_count(1)
                assert bob.locator("td", has_text="tied").count() + cy.locator("td", has_text="tied").count() == 1
                # Each row shows its 95 % interval, to the noise's two decimals.
                expect(ada.locator("td[role='gridcell']", has_text="–")).to_have_count(1)
                interval = ada.locator("td[role='gridcell']", has_text="–").inner_text()
                low, high = (float(x) for x in interval.split("–"))
                assert 0.9 < low < high <= 1.0 and len(interval.split("–")[0].split(".")[1]) == 2
            finally:
                browser.close()
    finally:
        lb.stop(server, 15)
        try:
            output, _ = server.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            lb.stop(server, 9)
            output, _ = server.communicate()
        (ARTIFACTS / "kit-serve-ties.log").write_text(output.decode(errors="replace"))
