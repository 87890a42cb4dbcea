"""Organizer routes over HTTP: add and close a challenge, baselines, exports."""

from __future__ import annotations

import csv
import io
import zipfile

SPEC = """
slug = "iris-api"
title = "Iris from the API"
metric = "accuracy"
opens = 2020-01-01T00:00:00Z
closes = 2099-01-01T00:00:00Z

[data]
source = "sklearn:iris"
seed = 3
"""


def test_add_a_challenge_then_close_it(served):
    with served.client(served.organizer_token) as organizer:
        added = organizer.post("/challenges", files={"spec": ("iris-api.toml", SPEC.encode(), "application/toml")})
        assert added.status_code == 201, added.text
        assert added.json()["slug"] == "iris-api" and added.json()["status"] == "open"
        again = organizer.post("/challenges", files={"spec": ("iris-api.toml", SPEC.encode())})
        assert again.status_code == 409 and again.json()["error"] == "conflict"
        bad = organizer.post("/challenges", files={"spec": ("bad.toml", b'slug = "x"\nmetric = "acuracy"\n')})
        assert bad.status_code == 400 and bad.json()["error"] == "invalid_spec"
        no_spec = organizer.post("/challenges", files={"other": ("a", b"b")})
        assert no_spec.status_code == 400
        closed = organizer.post("/challenges/iris-api/close")
        assert closed.status_code == 200 and closed.json()["status"] == "closed"
        assert organizer.post("/challenges/iris-api/close").status_code == 409
        assert organizer.post("/challenges/nope/close").status_code == 404
    with served.client() as http:
        assert http.get("/challenges/iris-api").json()["status"] == "closed"


def test_a_baseline_is_an_organizer_action_shown_unranked(served):
    with served.client(served.organizer_token) as organizer:
        added = organizer.post("/challenges/iris/baselines", data={"model": "logreg"},
                               files={"file": ("predictions.csv", served.csv("iris", wrong_public=4))})
        assert added.status_code == 201 and added.json()["rank"] is None
        rejected = organizer.post("/challenges/iris/baselines", data={"model": "logreg"},
                                  files={"file": ("p.csv", b"id,species\n1,setosa\n")})
        assert rejected.status_code == 400 and rejected.json()["error"] == "rejected"
    with served.client(served.tokens["alice"]) as http:
        refused = http.post("/challenges/iris/baselines", data={"model": "fake"},
                            files={"file": ("p.csv", served.csv("iris"))})
        assert refused.status_code == 403
        rows = http.get("/challenges/iris/leaderboard").json()["rows"]
    baselines = [r for r in rows if r["baseline"]]
    assert [r["participant"] for r in baselines] == ["baseline: logreg"] and baselines[0]["rank"] is None


def test_exports(served):
    with served.client(served.organizer_token) as organizer:
        board = organizer.get("/challenges/iris-closed/exports/leaderboard.csv", params={"board": "private"})
        assert board.status_code == 200
        header = next(csv.reader(io.StringIO(board.text)))
        assert header[-2:] == ["public_rank", "shake_up"]
        early = organizer.get("/challenges/iris/exports/leaderboard.csv", params={"board": "private"})
        assert early.status_code == 403 and early.json()["error"] == "not_revealed"
        archive = zipfile.ZipFile(io.BytesIO(organizer.get("/challenges/iris/exports/submissions.zip").content))
        assert "index.csv" in archive.namelist() and len(archive.namelist()) > 2
