"""Submitting over HTTP: 201 with the public score, the grader's rejection as 400, and every refusal's status."""

from __future__ import annotations

import socket
from datetime import UTC, datetime, timedelta


def post_csv(http, slug: str, content: bytes, message: str | None = None, filename: str = "submission.csv"):
    data = {"message": message} if message is not None else None
    return http.post(f"/challenges/{slug}/submissions", files={"file": (filename, content, "text/csv")}, data=data)


def register(served, name: str) -> str:
    with served.client() as http:
        response = http.post("/participants", json={"name": name})
    assert response.status_code == 201, response.text
    served.tokens[name] = response.json()["token"]
    return served.tokens[name]


def grader_message(served, content: bytes) -> str:
    """What the grader itself says about `content` (run here, in the test, on the server's workspace)."""
    import grader
    from kit.challenge.grading import grade_bytes
    from kit.challenge.lookup import get_challenge

    with served.ws.session() as session:
        try:
            grade_bytes(session, get_challenge(session, "iris"), content, "submission.csv")
        except grader.SubmissionError as error:
            return error.message
    raise AssertionError("the grader accepted the file")


def test_a_scored_submission_is_201_with_its_public_score_only(served):
    token = register(served, "dora")
    with served.client(token) as http:
        created = post_csv(http, "iris", served.csv("iris", wrong_private=4), message="first try")
        assert created.status_code == 201, created.text
        body = created.json()
        assert body["status"] == "scored" and body["public_score"] == 1.0 and body["rank"] == 2  # alice got 1.0 first
        assert body["left_today"] == 4 and "private_score" not in body
        mine = http.get("/challenges/iris/submissions").json()
        assert mine["participant"] == "dora" and mine["closed"] is False and mine["scored_today"] == 1
        (row,) = mine["submissions"]
        assert row["id"] == body["id"] and row["message"] == "first try" and row["private_score"] is None
        located = http.get(created.headers["location"].removeprefix("/api/v1"))
        assert located.status_code == 200 and located.json() == row
    with served.client(served.tokens["alice"]) as http:  # someone else's submission is not found
        assert http.get(f"/challenges/iris/submissions/{body['id']}").status_code == 404


def test_the_graders_rejection_is_400_with_its_exact_message(served):
    token = register(served, "erin")
    rows = served.csv("iris").decode().splitlines()
    with served.client(token) as http:
        short_csv = ("\n".join(rows[:-1]) + "\n").encode()
        short = post_csv(http, "iris", short_csv)
        assert short.status_code == 400
        body = short.json()
        assert body["error"] == "rejected" and body["message"] == grader_message(served, short_csv)
        assert f"Submission must have {len(rows) - 1} rows" in body["message"]
        no_id_csv = ("\n".join(["idx," + rows[0].split(",")[1], *rows[1:]]) + "\n").encode()
        no_id = post_csv(http, "iris", no_id_csv)
        assert no_id.status_code == 400 and no_id.json()["message"] == grader_message(served, no_id_csv)
        assert "Required column 'id' could not be found" in no_id.json()["message"]
        stored = http.get("/challenges/iris/submissions").json()["submissions"]
        assert [s["status"] for s in stored] == ["rejected", "rejected"]
        assert stored[0]["error"] == body["message"]
    for label in set(served.hidden_labels("iris")):  # no hidden label in any message
        assert f"'{label}'" not in body["message"]


def test_without_or_with_a_bad_token_is_401(served):
    with served.client() as http:
        missing = post_csv(http, "iris", served.csv("iris"))
        assert missing.status_code == 401 and missing.json()["error"] == "unauthorized"
        assert missing.headers["www-authenticate"] == "Bearer"
        assert http.get("/challenges/iris/submissions").status_code == 401
    with served.client("kit_not-a-real-token") as http:
        wrong = post_csv(http, "iris", served.csv("iris"))
        assert wrong.status_code == 401 and "not valid" in wrong.json()["message"]
        assert http.put("/challenges/iris/finals", json={"submission_ids": [1]}).status_code == 401


def test_unknown_challenge_404_closed_and_upcoming_409(served):
    with served.client(served.tokens["alice"]) as http:
        assert post_csv(http, "nope", served.csv("iris")).status_code == 404
        closed = post_csv(http, "iris-closed", served.csv("iris-closed"))
        assert closed.status_code == 409 and "closed" in closed.json()["message"]
        later = post_csv(http, "iris-later", served.csv("iris"))
        assert later.status_code == 409 and "opens at" in later.json()["message"]
        not_multipart = http.post("/challenges/iris/submissions", content=b"id,x\n", headers={"Content-Type": "text/csv"})
        assert not_multipart.status_code == 400 and "multipart" in not_multipart.json()["message"]
        no_file = http.post("/challenges/iris/submissions", data={"message": "hi"}, files={"other": ("a", b"b")})
        assert no_file.status_code == 400 and "`file`" in no_file.json()["message"]


def test_a_body_over_the_limit_is_413_before_it_is_read(served):
    """iris accepts 4,096-byte files: a declared length over the cap is refused with no body sent at all."""
    host, port = served.base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as raw:
        raw.sendall(f"POST /api/v1/challenges/iris/submissions HTTP/1.1\r\nHost: {host}\r\n"
                    f"Authorization: Bearer {served.tokens['alice']}\r\n"
                    "Content-Type: multipart/form-data; boundary=x\r\nContent-Length: 50000000\r\n\r\n".encode())
        reply = b""  # answered although not one byte of the body was sent
        while b"}" not in reply:  # headers and body may come in separate packets
            chunk = raw.recv(4096)
            if not chunk:
                break
            reply += chunk
        reply = reply.decode()
    assert reply.startswith("HTTP/1.1 413") and '"error":"too_large"' in reply
    with served.client(served.tokens["alice"]) as http:
        big = post_csv(http, "iris", b"id,species\n" + b"1,setosa\n" * 20_000)
        assert big.status_code == 413 and big.json()["error"] == "too_large"

        def chunks():  # no Content-Length: counted as it streams and cut at the cap
            yield b"--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\n"
            for _ in range(200):
                yield b"1,setosa\n" * 1000

        streamed = http.post("/challenges/iris/submissions", content=chunks(),
                             headers={"Content-Type": "multipart/form-data; boundary=x"})
        assert streamed.status_code == 413
        within_body_cap = post_csv(http, "iris", b"id,species\n" + b"1,setosa\n" * 600)  # 5 KB: the file limit
        assert within_body_cap.status_code == 413 and "4,096" in within_body_cap.json()["message"]
        assert http.get("/challenges/iris/submissions").json()["attempts_today"] == 1  # nothing stored


def test_the_daily_limit_is_429_with_retry_after_until_utc_midnight(served):
    token = register(served, "frank")
    with served.client(token) as http:
        for _ in range(5):
            assert post_csv(http, "iris", served.csv("iris", wrong_public=2)).status_code == 201
        refused = post_csv(http, "iris", served.csv("iris"))
    assert refused.status_code == 429 and refused.json()["error"] == "daily_limit"
    now = datetime.now(UTC)
    midnight = datetime.combine(now.date() + timedelta(days=1), datetime.min.time(), tzinfo=UTC)
    assert abs(int(refused.headers["retry-after"]) - (midnight - now).total_seconds()) < 120


def test_finals(served):
    token = register(served, "gail")
    with served.client(token) as http:
        first = post_csv(http, "iris", served.csv("iris", wrong_public=1)).json()["id"]
        second = post_csv(http, "iris", served.csv("iris", wrong_public=2)).json()["id"]
        chosen = http.put("/challenges/iris/finals", json={"submission_ids": [second, first]})
        assert chosen.status_code == 200 and chosen.json() == {"challenge": "iris", "selected": [second, first]}
        assert {s["id"] for s in http.get("/challenges/iris/submissions").json()["submissions"] if s["selected"]} \
            == {first, second}
        too_many = http.put("/challenges/iris/finals", json={"submission_ids": [first, second, 999]})
        assert too_many.status_code == 400
        not_mine = http.put("/challenges/iris/finals", json={"submission_ids": [1]})
        assert not_mine.status_code == 404
        huge = http.put("/challenges/iris/finals", json={"submission_ids": [first] * 50_000})  # > 64 KB of JSON
        assert huge.status_code == 413 and huge.json()["error"] == "too_large"
        empty = http.put("/challenges/iris/finals", json={"submission_ids": []})
        assert empty.status_code == 400 and empty.json()["error"] == "invalid"
        closed = http.put("/challenges/iris-closed/finals", json={"submission_ids": [first]})
        assert closed.status_code == 409


def test_own_submissions_show_private_scores_only_after_close(served):
    with served.client(served.tokens["alice"]) as http:
        open_rows = http.get("/challenges/iris/submissions").json()["submissions"]
        closed = http.get("/challenges/iris-closed/submissions").json()
    assert all(r["private_score"] is None for r in open_rows)
    assert closed["closed"] is True and closed["submissions"][0]["private_score"] is not None
