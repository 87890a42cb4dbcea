"""In a real headless Chromium: sign in, reload, still signed in; restart the browser with its cookies,
still signed in; sign out, and the same cookie no longer signs anyone in. The organizer's sign-in on
the Organizer page lasts the same way."""

from __future__ import annotations

from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = pytest.mark.browser


def test_sign_in_lasts_across_reloads_and_restarts_until_sign_out(served, chromium):
    from playwright.sync_api import expect

    ARTIFACTS.mkdir(exist_ok=True)
    token = served.tokens["bob"]
    context = chromium.new_context(viewport={"width": 1300, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(f"{served.base}/my-submissions")
    form = page.locator("form.kit-sign-in")
    form.get_by_label("Participant name").fill("Bob")  # names are case-insensitive
    form.get_by_label("Token").fill(token)
    form.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Signed in as", exact=False).first).to_be_visible()
    assert "my-submissions" in page.url and token not in page.url

    (cookie,) = [c for c in context.cookies() if c["name"] == "kit_session"]
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax" and token not in cookie["value"]
    assert cookie["expires"] > 0  # a lasting cookie, not one for this browser session only

    page.reload()
    expect(page.get_by_text("Signed in as", exact=False).first).to_be_visible()
    expect(page.locator("td[role=gridcell]", has_text="bob.csv").first).to_be_attached()  # the grid is a canvas
    page.screenshot(path=str(ARTIFACTS / "sign-in-after-reload.png"), full_page=True)
    saved = context.storage_state()
    context.close()

    # A browser restart: a new context from the saved cookies.
    context = chromium.new_context(storage_state=saved, viewport={"width": 1300, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(f"{served.base}/")  # the Season page, the default
    expect(page.get_by_text("Signed in as", exact=False).first).to_be_visible()
    page.wait_for_timeout(1000)
    page.screenshot(path=str(ARTIFACTS / "sign-in-after-restart.png"), full_page=True)
    page.get_by_role("button", name="Sign out").click()
    expect(page.locator("form.kit-sign-in").or_(page.get_by_text("Signed in as")).first).to_be_attached()
    page.goto(f"{served.base}/my-submissions")
    expect(page.locator("form.kit-sign-in")).to_be_visible()
    expect(page.get_by_text("Signed in as", exact=False)).to_have_count(0)
    assert not [c for c in context.cookies() if c["name"] == "kit_session"]
    context.close()

    # The old cookie, replayed after sign-out, signs no one in.
    context = chromium.new_context(storage_state=saved)
    page = context.new_page()
    page.goto(f"{served.base}/my-submissions")
    expect(page.locator("form.kit-sign-in")).to_be_visible()
    expect(page.get_by_text("Signed in as", exact=False)).to_have_count(0)
    context.close()


def test_joining_then_staying_signed_in(served, chromium):
    from playwright.sync_api import expect

    page = chromium.new_page(viewport={"width": 1300, "height": 900})
    page.set_default_timeout(30_000)
    page.goto(f"{served.base}/join")
    page.get_by_role("textbox", name="Participant name").fill("Zoe")
    page.get_by_role("button", name="Join and get my token").click()
    token = page.locator("[data-testid='stCode'] code").first.inner_text().strip()
    served.tokens["Zoe"] = token
    page.get_by_role("button", name="Stay signed in on this browser").click()
    page.wait_for_url("**/join")
    page.reload()
    expect(page.get_by_text("You are signed in as", exact=False)).to_be_visible()
    assert token not in page.url
    assert not page.get_by_text(token).count()  # after the reload the token is not shown again


def test_organizer_sign_in_lasts_across_a_reload_until_sign_out(served, chromium):
    from playwright.sync_api import expect

    token = served.organizer_token
    context = chromium.new_context(viewport={"width": 1300, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(f"{served.base}/organizer")
    form = page.locator("form.kit-organizer-sign-in")
    form.get_by_label("Organizer token").fill(token)
    form.get_by_role("button", name="Sign in").click()
    signed_in = page.get_by_text("Signed in as the organizer", exact=False)
    expect(signed_in).to_be_visible()
    assert page.url.endswith("/organizer") and token not in page.url

    (cookie,) = [c for c in context.cookies() if c["name"] == "kit_organizer"]
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax" and token not in cookie["value"]
    assert cookie["expires"] > 0  # a lasting cookie, not one for this browser session only

    page.reload()
    expect(signed_in).to_be_visible()
    expect(page.get_by_role("tab", name="Close a challenge")).to_be_visible()
    assert token not in page.content()
    page.screenshot(path=str(ARTIFACTS / "organizer-sign-in-after-reload.png"), full_page=True)

    page.get_by_role("button", name="Sign out").click()
    expect(form).to_be_visible()
    page.reload()
    expect(form).to_be_visible()
    expect(signed_in).to_have_count(0)
    assert not [c for c in context.cookies() if c["name"] == "kit_organizer"]
