"""The web sign-in routes over HTTP: the cookie's flags, what it holds, sign-out and resets ending it,
refusals, redirects that stay on this site, and throttling per client and name; the organizer's
sign-in the same way, its cookie and a participant's never passing for each other."""

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


def organizer_sign_in(served, token: str, **headers):
    return httpx.post(f"{served.base}/auth/organizer/sign-in", data={"token": token, "next": "/organizer"},
                      headers=headers, follow_redirects=False, timeout=30)


def organizer_access(served, cookie: str) -> int:
    """Whether a cookie signs the organizer in: an organizer-only route, with the cookie as the credential."""
    with served.client(cookie) as http:
        return http.get("/challenges/iris/exports/leaderboard.csv").status_code


def test_organizer_sign_in_sets_an_httponly_cookie_that_only_the_organizer_has(served):
    token = served.organizer_token
    response = organizer_sign_in(served, token, origin=served.base)
    assert response.status_code == 303 and response.headers["location"] == "/organizer"
    header = response.headers["set-cookie"]
    assert header.startswith("kit_organizer=") and "HttpOnly" in header and "SameSite=lax" in header
    assert "Max-Age=2592000" in header and "Path=/" in header  # the participants' lifetime setting
    cookie = response.cookies["kit_organizer"]
    assert token not in cookie and token[4:] not in cookie
    with served.ws.session() as session:  # the store keeps a hash of the key, and the token's hash elsewhere
        from sqlalchemy import select

        from kit.store.models import KitSetting, WebSession

        hashes = [*session.scalars(select(WebSession.key_hash)).all(), *session.scalars(select(KitSetting.value)).all()]
    assert not any(h in cookie for h in hashes)
    assert organizer_access(served, cookie) == 200

    forged = cookie[:-3] + ("aaa" if not cookie.endswith("aaa") else "bbb")
    assert organizer_access(served, forged) == 401
    participant = sign_in(served, "alice", served.tokens["alice"]).cookies["kit_session"]
    assert organizer_access(served, participant) == 403  # a participant, not the organizer
    assert organizer_access(served, "wo." + participant[3:]) == 401  # relabelled, it is nobody's
    assert me_with(served, cookie) == 401 and me_with(served, "ws." + cookie[3:]) == 401  # nor is the organizer's


def test_organizer_sign_out_ends_the_session_on_the_server(served):
    cookie = organizer_sign_in(served, served.organizer_token).cookies["kit_organizer"]
    participant = sign_in(served, "bob", served.tokens["bob"]).cookies["kit_session"]
    both = {"kit_organizer": cookie, "kit_session": participant}
    elsewhere = httpx.post(f"{served.base}/auth/organizer/sign-out", cookies=both,
                           headers={"Origin": "https://evil.example"})
    assert elsewhere.status_code == 403 and organizer_access(served, cookie) == 200
    out = httpx.post(f"{served.base}/auth/organizer/sign-out", data={"next": "/organizer"}, cookies=both,
                     follow_redirects=False)
    assert out.status_code == 303 and out.headers["location"] == "/organizer"
    assert 'kit_organizer=""' in out.headers["set-cookie"] and "Max-Age=0" in out.headers["set-cookie"]
    assert organizer_access(served, cookie) == 401  # a copy of the cookie kept elsewhere is dead too
    assert me_with(served, participant) == 200  # the participant signed in beside it stays signed in


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


def test_wrong_organizer_tokens_are_refused_and_throttled(served):
    """Runs last here: afterwards this client's organizer sign-in is throttled for the window."""
    from kit.services.sign_in_throttle import MAX_FAILURES_PER_NAME

    as_participant = organizer_sign_in(served, served.tokens["alice"])
    assert as_participant.status_code == 401 and "not the organizer token" in as_participant.text
    assert "set-cookie" not in as_participant.headers and served.tokens["alice"] not in as_participant.text
    for _ in range(MAX_FAILURES_PER_NAME - 1):
        assert organizer_sign_in(served, "org_guess").status_code == 401
    throttled = organizer_sign_in(served, "org_guess")
    assert throttled.status_code == 429 and int(throttled.headers["retry-after"]) > 0
    assert organizer_sign_in(served, served.organizer_token).status_code == 429  # checked before the token
    assert sign_in(served, "bob", served.tokens["bob"]).status_code == 303  # participants are not held up
