"""The lived-in demo in a real browser at a laptop's 1280×800: the standings, the private and
public boards and My submissions need no sideways scrolling, the charts draw, nothing is
fetched from the internet (the favicon ships with the app), and `kit demo` serves on
127.0.0.1 only. Screenshots are kept in test-artifacts/.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
VIEWPORT = {"width": 1280, "height": 800}
VISITOR = "Visitor Vee"

pytestmark = pytest.mark.browser

# Every data grid that is shown: its scrollable width against its visible width.
GRID_WIDTHS = """() => [...document.querySelectorAll("[data-testid='stDataFrame']")]
    .filter(frame => frame.offsetParent !== null)
    .map(frame => { const s = frame.querySelector('.dvn-scroller');
                    return {scroll: s.scrollWidth, client: s.clientWidth}; })"""
PAGE_WIDTH = """() => { const main = document.querySelector("[data-testid='stMain']");
    return {scroll: Math.max(main.scrollWidth, document.documentElement.scrollWidth),
            client: Math.max(main.clientWidth, document.documentElement.clientWidth)}; }"""


@pytest.fixture(scope="module")
def demo_served(tmp_path_factory):
    """The lived-in demo (no trained baselines: widths do not depend on them), a visitor with a
    rejected file among their submissions, served by `kit demo` with its default address
    (on a workspace that has the demo, `kit demo` serves it as it is)."""
    from kit.challenge.bundle import bundle_file
    from kit.challenge.lookup import get_challenge
    from kit.services.demo import build_demo, demo_specs
    from kit.services.participants import register
    from kit.services.submissions import submit
    from kit.store.db import dispose_engines
    from kit.store.workspace import init_workspace

    folder = tmp_path_factory.mktemp("demo-browser") / "ws"
    ws = init_workspace(folder).workspace
    # Fashion-MNIST left out: it costs the most to build and changes no page's layout.
    build_demo(ws, seed=27, progress=False, specs=[spec for spec in demo_specs() if "fashion" not in spec[0]])
    with ws.session(write=True) as session:
        _, token = register(session, VISITOR)
        sample = bundle_file(session, get_challenge(session, "breast-cancer"), "sample_submission.csv")
        digits = get_challenge(session, "digits")
        digits_sample, week_one = bundle_file(session, digits, "sample_submission.csv"), digits.opens_at
    # A file in week 1 too, so My submissions is seen with private scores (the week is closed).
    submit(ws, slug="digits", token=token, content=digits_sample, filename=long_name_for("digits"),
           message="the sample, to see the private columns", moment=week_one + timedelta(days=2))
    long_name = long_name_for("breast-cancer")
    note = "Standardised the inputs, then a logistic regression with C tuned by five-fold cross-validation " * 2
    submit(ws, slug="breast-cancer", token=token, content=sample, filename=long_name, message=note.strip())
    submit(ws, slug="breast-cancer", token=token, content=sample.rsplit(b"\n", 2)[0] + b"\n", filename=long_name,
           message="forgot the last row")
    dispose_engines()

    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIT_")}
    server = subprocess.Popen([sys.executable, "-m", "kit", "demo", "--workspace", str(folder), "--port", str(port)],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_for_port(port, server)
        yield f"http://127.0.0.1:{port}", port, token
    finally:
        stop(server, 15)
        try:
            output, _ = server.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            stop(server, 9)
            output, _ = server.communicate()
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / "kit-demo-serve.log").write_bytes(output)


def long_name_for(slug: str) -> str:
    return f"{slug}-my-very-long-experiment-name-with-many-words-v12-final-final-really.csv"


def wait_for_port(port: int, process: subprocess.Popen, timeout: float = 90) -> None:
    import socket
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"kit demo exited with {process.returncode}:\n{process.stdout.read().decode()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"kit demo did not listen on {port} within {timeout}s")


def stop(process: subprocess.Popen, signal_number: int) -> None:
    try:
        os.killpg(process.pid, signal_number)
    except ProcessLookupError:
        pass


def listening_addresses(port: int) -> set[str]:
    """The local addresses with a socket listening on `port` (from the kernel's own table)."""
    found = set()
    for table, width in (("/proc/net/tcp", 8), ("/proc/net/tcp6", 32)):
        if not Path(table).exists():
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, local_port = local.split(":")
            if state == "0A" and int(local_port, 16) == port:  # 0A: LISTEN
                found.add(address if len(address) == width else "?")
    return found


def test_kit_demo_serves_on_this_machine_only(demo_served):
    _, port, _ = demo_served
    # 0100007F is 127.0.0.1 as the kernel writes it; 00000000 would be every interface.
    assert listening_addresses(port) == {"0100007F"}


def test_the_demo_at_1280_pixels(demo_served):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium) — the browser test needs it")
    from playwright.sync_api import expect, sync_playwright

    base, _, token = demo_served
    ARTIFACTS.mkdir(exist_ok=True)
    expect.set_options(timeout=60_000)  # a loaded 2-core machine renders slowly
    outside: list[str] = []

    def fits(page, what: str) -> None:
        page.wait_for_timeout(800)  # let the grids lay out
        grids = page.evaluate(GRID_WIDTHS)
        assert grids, f"no table shown on {what}"
        for grid in grids:
            assert grid["scroll"] <= grid["client"] + 1, f"{what} scrolls sideways: {grids}"
        whole = page.evaluate(PAGE_WIDTH)
        assert whole["scroll"] <= whole["client"] + 1, f"the {what} page scrolls sideways: {whole}"

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        try:
            page = browser.new_page(viewport=VIEWPORT)
            page.set_default_timeout(60_000)
            page.on("request", lambda request: outside.append(request.url)
                    if not request.url.startswith((base, "data:", "blob:")) else None)

            page.goto(base)
            standings = page.locator("[data-testid='stDataFrame']").first
            expect(standings).to_be_visible()
            # The grid draws on a canvas; its text lives in an accessible table behind it.
            expect(standings.locator("td[role='gridcell']", has_text="Gradient Descenders")).to_have_count(1)
            fits(page, "Season")
            standings.screenshot(path=str(ARTIFACTS / "demo-1280-standings.png"))
            calendar = page.locator("[data-testid='stVegaLiteChart']").first
            calendar.scroll_into_view_if_needed()
            expect(calendar.locator("canvas, svg").first).to_be_visible()
            calendar.screenshot(path=str(ARTIFACTS / "demo-1280-calendar.png"))
            page.screenshot(path=str(ARTIFACTS / "demo-1280-season.png"))
            favicon = page.locator("link[rel*='icon']").first.get_attribute("href")
            assert favicon and not favicon.startswith(("http://", "https://")) or favicon.startswith(base)

            page.goto(f"{base}/challenge?challenge=digits")
            expect(page.get_by_role("tab", name="Private leaderboard")).to_be_visible()
            private = page.locator("[data-testid='stDataFrame']").first
            expect(private).to_be_visible()
            fits(page, "private board")
            private.screenshot(path=str(ARTIFACTS / "demo-1280-private-board.png"))
            page.get_by_role("tab", name="Public leaderboard").click()
            expect(page.locator("[data-testid='stDataFrame']").nth(1)).to_be_visible()
            fits(page, "public board after close")
            chart = page.locator("[data-testid='stVegaLiteChart']").first
            chart.scroll_into_view_if_needed()
            expect(chart.locator("canvas, svg").first).to_be_visible()
            chart.screenshot(path=str(ARTIFACTS / "demo-1280-score-chart.png"))

            page.goto(f"{base}/my-submissions?challenge=breast-cancer")
            page.get_by_role("textbox", name="Participant name").fill(VISITOR)
            page.get_by_role("textbox", name="Token").fill(token)
            page.get_by_role("button", name="Sign in").click()
            mine = page.locator("[data-testid='stDataFrame']").first
            expect(mine).to_be_visible()
            expect(page.get_by_text("must have", exact=False).first).to_be_visible()  # the rejection, written out
            fits(page, "My submissions")
            mine.screenshot(path=str(ARTIFACTS / "demo-1280-my-submissions.png"))
            page.screenshot(path=str(ARTIFACTS / "demo-1280-my-submissions-page.png"))

            page.goto(f"{base}/my-submissions?challenge=digits")  # closed: the private columns too
            closed = page.locator("[data-testid='stDataFrame']").first
            expect(closed).to_be_visible()
            expect(page.get_by_text("can no longer change", exact=False)).to_be_visible()
            fits(page, "My submissions after close")
            closed.screenshot(path=str(ARTIFACTS / "demo-1280-my-submissions-closed.png"))
            assert token not in page.url
        finally:
            browser.close()
    assert outside == []  # nothing from the internet: no fonts, no emoji, no favicon
