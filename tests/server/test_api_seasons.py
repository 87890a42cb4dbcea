"""Seasons over HTTP: the calendar, check-ins and streaks, standings and winners."""

from __future__ import annotations


def test_seasons_and_the_current_one(served):
    with served.client() as http:
        (season,) = http.get("/seasons").json()
        assert season["slug"] == "test-season" and season["day"] == 4 and season["days"] == 27
        assert http.get("/seasons/current").json() == season == http.get("/seasons/test-season").json()
        assert http.get("/seasons/nope").status_code == 404


def test_check_in_and_streak(served):
    with served.client() as http:
        assert http.post("/seasons/current/checkins", json={"note": "hi"}).status_code == 401
    with served.client(served.tokens["alice"]) as http:
        logged = http.post("/seasons/current/checkins", json={"note": "read chapter 5", "url": "https://example.org/x"})
        assert logged.status_code == 201 and logged.json()["day"] == 4
        assert http.post("/seasons/current/checkins", json={"note": "   "}).status_code == 400
        bad_url = http.post("/seasons/current/checkins", json={"note": "ok", "url": "javascript:alert(1)"})
        assert bad_url.status_code == 400 and bad_url.json()["error"] == "invalid"
        streak = http.get("/seasons/current/streak").json()
        assert streak["participant"] == "alice" and streak["current"] == 1 and streak["days"][3] is True
        assert streak["checkins"][0]["note"] == "read chapter 5"
    with served.client() as http:
        standings = http.get("/seasons/test-season/standings").json()
    alice = next(s for s in standings if s["participant"] == "alice")
    assert alice["active_days"] >= 1 and alice["points"] > 0


def test_winners_come_from_closed_challenges_with_awards(served):
    with served.client(served.organizer_token) as organizer:
        awarded = organizer.put("/challenges/iris-closed/awards/1", json={"note": "a GPU credit"})
        assert awarded.status_code == 200 and awarded.json()["participant"] == "bob"
        assert organizer.put("/challenges/iris/awards/1", json={"note": "x"}).status_code in (403, 409)
        assert organizer.put("/challenges/iris-closed/awards/7", json={"note": "x"}).status_code == 400
    with served.client() as http:
        winners = http.get("/seasons/current/winners").json()
    assert {w["challenge"] for w in winners} == {"iris-closed"}
    assert winners[0] == {"challenge": "iris-closed", "week": 2, "place": 1, "participant": "bob",
                          "score": winners[0]["score"], "award": "a GPU credit"}
