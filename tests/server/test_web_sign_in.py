"""The web sign-in routes over HTTP: the cookie's flags, what it holds, sign-out and resets ending it,
refusals, redirects that stay on this site, and throttling per client and name."""

from __future__ import annotations

import httpx


def sign_in(served, name: str, token: str, next_path: str = "/submit", **headers):
    return httpx.post(f"{served.base}/auth/sign-in", data={"participant": name, "token": token, "next": next_path},
                      headers=headers, follow_redirects=False, timeout=30)


def me_with(served, cookie: str) -> int:
    """Whether a cookie's session still signs someone in (the API accepts it as a credential)."""
    with served.client(cookie) as http:
        return http.get("/me").status_code


def test_sign_in_sets_a_lasting_httponly_cookie_without_the_token(served):
    token = served.tokens["alice"]
    response = sign_in(served, "Alice", token, origin=served.base)
    assert response.status_code == 303 and response.headers["location"] == "/submit"
    header = response.headers["set-cookie"]
    assert header.startswith("kit_session=") and "HttpOnly" in header and "SameSite=lax" in header
    assert "Max-Age=2592000" in header and "Path=/" in header  # 30 days, the default
    cookie = response.cookies["kit_session"]
    assert token not in cookie and token[4:] not in cookie
    with served.ws.session() as session:  # the store keeps a hash, not the key
        from sqlalchemy import select

        from kit.store.models import WebSession

        hashes = session.scalars(select(WebSession.key_hash)).all()
    assert hashes and not any(h in cookie for h in hashes)
    assert me_with(served, cookie) == 200


def test_sign_out_ends_the_session_and_clears_the_cookie(served):
    cookie = sign_in(served, "bob", served.tokens["bob"]).cookies["kit_session"]
    assert me_with(served, cookie) == 200
    elsewhere = httpx.post(f"{served.base}/auth/sign-out", cookies={"kit_session": cookie},
                           headers={"Origin": "https://evil.example"})
    assert elsewhere.status_code == 403 and me_with(served, cookie) == 200
    out = httpx.post(f"{served.base}/auth/sign-out", data={"next": "/season"}, cookies={"kit_session": cookie},
                     follow_redirects=False)
    assert out.status_code == 303 and out.headers["location"] == "/season"
    assert 'kit_session=""' in out.headers["set-cookie"] and "Max-Age=0" in out.headers["set-cookie"]
    assert me_with(served, cookie) == 401  # a copy of the cookie kept elsewhere is dead too
    forged = cookie[:-3] + ("aaa" if not cookie.endswith("aaa") else "bbb")
    assert me_with(served, forged) == 401


def test_a_token_reset_ends_web_sessions(served):
    with served.client() as http:
        token = http.post("/participants", json={"name": "kim"}).json()["token"]
    cookie = sign_in(served, "kim", token).cookies["kit_session"]
    with served.client(served.organizer_token) as organizer:
        served.tokens["kim"] = organizer.post("/participants/kim/token").json()["token"]
    assert me_with(served, cookie) == 401


def test_refusals_and_redirects_that_stay_here(served):
    wrong = sign_in(served, "alice", "kit_wrong")
    assert wrong.status_code == 401 and "not valid" in wrong.text and "set-cookie" not in wrong.headers
    mismatch = sign_in(served, "bob", served.tokens["alice"])
    assert mismatch.status_code == 401 and "do not belong together" in mismatch.text
    assert served.tokens["alice"] not in mismatch.text
    for target in ("//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"):
        assert sign_in(served, "alice", served.tokens["alice"], target).headers["location"] == "/"
    forged = sign_in(served, "alice", served.tokens["alice"], origin="https://evil.example")
    assert forged.status_code == 403 and "set-cookie" not in forged.headers
    huge = httpx.post(f"{served.base}/auth/sign-in", content=b"x" * 20_000,
                      headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert huge.status_code == 400 and "set-cookie" not in huge.headers


def test_failed_sign_ins_are_throttled_per_client_and_name(served):
    """Runs last here: afterwards this client is throttled for the window."""
    with served.client() as http:
        token = http.post("/participants", json={"name": "lena"}).json()["token"]
    served.tokens["lena"] = token
    from kit.services.sign_in_throttle import MAX_FAILURES_PER_NAME

    for _ in range(MAX_FAILURES_PER_NAME):
        assert sign_in(served, "Lena", "kit_guess").status_code == 401
    throttled = sign_in(served, "lena", "kit_guess")
    assert throttled.status_code == 429 and int(throttled.headers["retry-after"]) > 0
    # The right token for that name waits too: the throttle answers before the token is checked.
    assert sign_in(served, "lena", token).status_code == 429
    assert sign_in(served, "bob", served.tokens["bob"]).status_code == 303  # another name is not held up
