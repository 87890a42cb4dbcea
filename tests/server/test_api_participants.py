"""Participants over HTTP: registration (the token once), resets and rotations, who may use which route."""

from __future__ import annotations


def test_registration_returns_the_token_once(served):
    with served.client() as http:
        created = http.post("/participants", json={"name": "Hedy Lamarr"})
        assert created.status_code == 201 and created.json()["name"] == "Hedy Lamarr"
        token = created.json()["token"]
        served.tokens["Hedy Lamarr"] = token
        assert token.startswith("kit_")
        taken = http.post("/participants", json={"name": "hedy lamarr"})
        assert taken.status_code == 409 and taken.json()["error"] == "conflict"
        bad = http.post("/participants", json={"name": "<script>"})
        assert bad.status_code == 400 and bad.json()["error"] == "invalid"
        missing = http.post("/participants", json={})
        assert missing.status_code == 400 and missing.json()["error"] == "invalid"
        reserved = http.post("/participants", json={"name": "baseline: logreg"})
        assert reserved.status_code == 400
        everything = "".join(http.get(path).text for path in (
            "/challenges", "/challenges/iris", "/challenges/iris/leaderboard", "/seasons/current/standings",
            "/challenges/iris-closed/leaderboard?board=private"))
    assert token not in everything
    with served.client(token) as http:
        assert http.get("/me").json() == {"name": "Hedy Lamarr"}


def test_the_organizer_resets_a_token_and_the_old_one_dies_at_once(served):
    with served.client() as http:
        old = http.post("/participants", json={"name": "ivan"}).json()["token"]
    with served.client(served.organizer_token) as organizer:
        reset = organizer.post("/participants/IVAN/token")
        assert reset.status_code == 200 and reset.json()["name"] == "ivan"
        new = reset.json()["token"]
        assert new != old and new.startswith("kit_")
        assert organizer.post("/participants/nobody/token").status_code == 404
    served.tokens["ivan"] = new
    with served.client(old) as http:
        dead = http.get("/me")
        assert dead.status_code == 401
    with served.client(new) as http:
        assert http.get("/me").json()["name"] == "ivan"


def test_a_participant_rotates_only_their_own_token(served):
    with served.client() as http:
        old = http.post("/participants", json={"name": "judy"}).json()["token"]
    with served.client(old) as http:
        others = http.post("/participants/alice/token")
        assert others.status_code == 401 and "another participant" in others.json()["message"]
        rotated = http.post("/participants/judy/token")
        assert rotated.status_code == 200
        assert http.get("/me").status_code == 401  # this client still sends the old token
    served.tokens["judy"] = rotated.json()["token"]
    with served.client(served.tokens["judy"]) as http:
        assert http.get("/me").json()["name"] == "judy"
    with served.client() as http:
        assert http.post("/participants/judy/token").status_code == 401


def test_organizer_routes_401_without_a_token_403_for_a_participant(served):
    routes = [("POST", "/challenges/iris/close"), ("GET", "/challenges/iris/exports/submissions.zip"),
              ("GET", "/challenges/iris/exports/leaderboard.csv"), ("PUT", "/challenges/iris-closed/awards/1"),
              ("POST", "/challenges/iris/baselines"), ("POST", "/challenges")]
    for method, path in routes:
        with served.client() as http:
            anonymous = http.request(method, path, json={"note": "x"})
            assert anonymous.status_code == 401, (method, path)
        with served.client(served.tokens["bob"]) as http:
            participant = http.request(method, path, json={"note": "x"})
            assert participant.status_code == 403 and participant.json()["error"] == "forbidden", (method, path)
        with served.client("org_not-the-token") as http:
            assert http.request(method, path, json={"note": "x"}).status_code == 401, (method, path)
    with served.client() as http:
        assert http.get("/challenges/iris").json()["status"] == "open"  # nothing was closed


def test_self_registration_off_refuses_the_api_but_not_the_organizer(served):
    from kit.season.seasons import get_season

    with served.ws.session(write=True) as session:
        get_season(session, "test-season").self_registration = False
    try:
        with served.client() as http:
            refused = http.post("/participants", json={"name": "mallory"})
            assert refused.status_code == 403 and refused.json()["error"] == "registration_closed"
        with served.client(served.tokens["bob"]) as http:
            assert http.post("/participants", json={"name": "mallory"}).status_code in (401, 403)
        with served.client(served.organizer_token) as organizer:
            registered = organizer.post("/participants", json={"name": "mallory"})
            assert registered.status_code == 201
            served.tokens["mallory"] = registered.json()["token"]
    finally:
        with served.ws.session(write=True) as session:
            get_season(session, "test-season").self_registration = True


def test_kit_participant_reset_token_locally_and_through_the_server(served):
    import os
    import subprocess
    import sys

    def kit(*args, **env):
        environment = {k: v for k, v in os.environ.items() if not k.startswith("KIT_")}
        if served.database_url:
            environment["KIT_DATABASE_URL"] = served.database_url
        return subprocess.run([sys.executable, "-m", "kit", "participant", "reset-token", *args],
                              env={**environment, **env}, capture_output=True, text=True, timeout=120)

    with served.client() as http:
        old = http.post("/participants", json={"name": "nora"}).json()["token"]
    refused = kit("nora", "--workspace", str(served.folder))
    assert refused.returncode == 1 and "organizer" in refused.stderr and "Traceback" not in refused.stderr
    local = kit("nora", "--workspace", str(served.folder), KIT_ORGANIZER_TOKEN=served.organizer_token)
    assert local.returncode == 0, local.stderr
    new = next(word for word in local.stdout.split() if word.startswith("kit_"))
    remote = kit("nora", "--server", served.base, KIT_ORGANIZER_TOKEN=served.organizer_token)
    assert remote.returncode == 0, remote.stderr
    newest = next(word for word in remote.stdout.split() if word.startswith("kit_"))
    served.tokens["nora"] = newest
    with served.client(old) as http:
        assert http.get("/me").status_code == 401
    with served.client(new) as http:
        assert http.get("/me").status_code == 401
    with served.client(newest) as http:
        assert http.get("/me").json()["name"] == "nora"
    as_participant = kit("nora", "--server", served.base, KIT_ORGANIZER_TOKEN=served.tokens["bob"])
    assert as_participant.returncode == 1
