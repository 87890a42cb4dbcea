"""Challenges over HTTP: the list, one challenge, its bundle files and zip, its leaderboard (JSON and CSV)."""

from __future__ import annotations

import csv
import io
import zipfile


def test_the_list_and_one_challenge(served):
    with served.client() as http:
        listed = http.get("/challenges")
        assert listed.status_code == 200
        by_slug = {c["slug"]: c for c in listed.json()}
        assert {"iris", "iris-closed", "iris-later"} <= set(by_slug)
        assert by_slug["iris"]["status"] == "open" and by_slug["iris-closed"]["status"] == "closed"
        assert by_slug["iris-later"]["status"] == "upcoming"
        assert by_slug["iris"]["metric"] == "accuracy" and by_slug["iris"]["higher_is_better"] is True

        shown = http.get("/challenges/iris").json()
        assert shown["target"] and shown["id_column"] == "id" and shown["test_rows"] > 0
        assert [f["name"] for f in shown["files"]] == ["README.md", "train.csv", "test.csv", "sample_submission.csv"]
        assert all(f["url"] == f"/api/v1/challenges/iris/files/{f['name']}" for f in shown["files"])
        # The exact header, from the same source as the README and sample_submission.csv.
        sample_header = http.get("/challenges/iris/files/sample_submission.csv").text.splitlines()[0]
        assert shown["submission_header"] == sample_header.split(",") == ["id", shown["target"]]
        readme = http.get("/challenges/iris/files/README.md").text
        assert f"header is exactly `{sample_header}`" in readme

        missing = http.get("/challenges/nope")
        assert missing.status_code == 404
        assert missing.json()["error"] == "not_found" and "iris" in missing.json()["message"]


def test_bundle_files_and_zip_never_hold_the_solution(served):
    labels = served.hidden_labels("iris")
    with served.client() as http:
        shown = http.get("/challenges/iris").json()
        for entry in shown["files"]:
            response = http.get(entry["url"].removeprefix("/api/v1"))
            assert response.status_code == 200 and len(response.content) == entry["size"]
        test_rows = list(csv.DictReader(io.StringIO(http.get("/challenges/iris/files/test.csv").text)))
        assert shown["target"] not in test_rows[0] and "Usage" not in test_rows[0]
        for name in ("solution.csv", "train.csv.gz"):
            refused = http.get(f"/challenges/iris/files/{name}")
            assert refused.status_code == 404, name
            assert refused.json()["error"] == "not_found"
        traversal = http.get("/challenges/iris/files/..%2Fsolution.csv")  # refused by the path guard
        assert traversal.status_code in (400, 404) and "Usage" not in traversal.text
        archive = zipfile.ZipFile(io.BytesIO(http.get("/challenges/iris/files.zip").content))
        assert sorted(archive.namelist()) == sorted(f"iris/{f['name']}" for f in shown["files"])
        assert not any("solution" in name for name in archive.namelist())
        # The test file's ids with their labels would be the solution; the zip has no labelled test rows.
        zipped_test = archive.read("iris/test.csv").decode()
        assert shown["target"] not in zipped_test.splitlines()[0]
        assert len(labels) == len(test_rows)


def test_public_leaderboard_json_and_csv(served):
    with served.client() as http:
        board = http.get("/challenges/iris/leaderboard")
        assert board.status_code == 200
        body = board.json()
        assert body["board"] == "public" and body["higher_is_better"] is True
        ranked = [r for r in body["rows"] if r["rank"] is not None]
        assert [r["participant"] for r in ranked][:2] == ["alice", "bob"]
        for as_csv in (http.get("/challenges/iris/leaderboard", headers={"Accept": "text/csv"}),
                       http.get("/challenges/iris/leaderboard", params={"format": "csv"})):
            assert as_csv.status_code == 200 and as_csv.headers["content-type"].startswith("text/csv")
            rows = list(csv.DictReader(io.StringIO(as_csv.text)))
            assert [r["participant"] for r in rows if r["rank"]][:2] == ["alice", "bob"]


def test_private_board_only_after_close(served):
    with served.client() as http:
        hidden = http.get("/challenges/iris/leaderboard", params={"board": "private"})
        assert hidden.status_code == 403 and hidden.json()["error"] == "not_revealed"
        assert "revealed" in hidden.json()["message"]
        revealed = http.get("/challenges/iris-closed/leaderboard", params={"board": "private"})
        assert revealed.status_code == 200 and revealed.json()["board"] == "private"
        # bob was wrong on public rows only, alice on private ones: the private board turns them around.
        assert [r["participant"] for r in revealed.json()["rows"] if r["rank"]][:2] == ["bob", "alice"]
        bad = http.get("/challenges/iris/leaderboard", params={"board": "secret"})
        assert bad.status_code == 400 and bad.json()["error"] == "invalid"


def test_one_address_serves_the_app_the_api_its_schema_and_docs(served):
    import httpx

    schema = httpx.get(f"{served.api}/openapi.json").json()
    assert schema["servers"] == [{"url": "/api/v1"}]
    assert {"/challenges", "/challenges/{slug}/submissions", "/challenges/{slug}/leaderboard", "/participants",
            "/participants/{name}/token", "/seasons/{slug}/standings", "/challenges/{slug}/close"} <= set(schema["paths"])
    docs = httpx.get(f"{served.api}/docs")
    assert docs.status_code == 200 and "/api/v1/openapi.json" in docs.text
    app = httpx.get(f"{served.base}/")  # the Streamlit app on the same host and port
    assert app.status_code == 200 and "<noscript>" in app.text
    assert httpx.get(f"{served.base}/_stcore/health").text == "ok"
    unknown = httpx.get(f"{served.api}/nope")
    assert unknown.status_code == 404 and unknown.json()["error"] == "not_found"
