"""The honest leaderboard over HTTP: intervals and tie marks on the board (JSON and CSV), rounded to
the noise; own submissions with their intervals, the private ones only after close; the submit
answer with its interval and its paired note."""

from __future__ import annotations

import csv
import io


def test_the_board_carries_intervals_and_tie_marks(served):
    with served.client() as http:
        body = http.get("/challenges/iris/leaderboard").json()
        assert body["mode"] == "best" and body["decimals"] == 1  # 12 public rows: one decimal of noise
        ranked = body["rows"]
        assert {"score", "score_low", "score_high", "tied_with_above", "tie_group"} <= set(ranked[0])
        for row in ranked:
            assert row["score_low"] <= row["score"] <= row["score_high"]
            assert row["score"] == round(row["score"], 1)
        assert ranked[0]["tied_with_above"] is False
        rows = list(csv.DictReader(io.StringIO(http.get("/challenges/iris/leaderboard",
                                                        params={"format": "csv"}).text)))
        assert [r["participant"] for r in rows] == [r["participant"] for r in ranked]
        assert [r["tied_with_above"] for r in rows] == [str(int(r["tied_with_above"])) for r in ranked]
        assert [float(r["score_low"]) for r in rows] == [r["score_low"] for r in ranked]


def test_own_submissions_show_private_intervals_only_after_close(served):
    with served.client(served.tokens["alice"]) as http:
        (open_row,) = http.get("/challenges/iris/submissions").json()["submissions"]
        assert open_row["public_low"] <= open_row["public_score"] <= open_row["public_high"]
        assert open_row["private_score"] is None and open_row["private_low"] is None
        assert open_row["private_high"] is None
        (closed_row,) = http.get("/challenges/iris-closed/submissions").json()["submissions"]
        assert closed_row["private_low"] < closed_row["private_score"] < closed_row["private_high"]


def test_the_submit_answer_carries_the_interval_and_a_paired_note(served):
    content = served_submission(served)
    with served.client(served.tokens["bob"]) as http:
        answer = http.post("/challenges/iris/submissions", files={"file": ("again.csv", content, "text/csv")})
        assert answer.status_code == 201, answer.text
        body = answer.json()
        assert body["public_low"] <= body["public_score"] <= body["public_high"] and body["decimals"] == 1
        assert "your best" in body["comparison"] and "within noise" in body["comparison"]
        assert body["ladder"] is None  # a "best" board has no Ladder


def served_submission(served) -> bytes:
    """Bob's file again: the same predictions as his best, so the paired answer is 'within noise'."""
    rows = served.solutions["iris"]
    target = next(k for k in rows[0] if k not in ("id", "Usage"))
    classes = sorted({r[target] for r in rows})
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", target])
    public = 0
    for row in rows:
        label = row[target]
        if row["Usage"] == "Public":
            public += 1
            if public <= 3:
                label = next(c for c in classes if c != label)
        writer.writerow([row["id"], label])
    return out.getvalue().encode()


def test_a_paired_answer_to_is_this_better_than_my_best(served):
    content = served_submission(served)  # three public rows wrong, where alice's best has none
    with served.client(served.tokens["alice"]) as http:
        created = http.post("/challenges/iris/submissions", files={"file": ("again.csv", content, "text/csv")})
        assert created.status_code == 201, created.text
        new_id = created.json()["id"]
        answer = http.get(f"/challenges/iris/submissions/{new_id}/compare")
        assert answer.status_code == 200, answer.text
        (public,) = answer.json()["comparisons"]  # open: public rows only, never the private ones
        assert public["part"] == "public" and public["submission_id"] == new_id
        assert public["verdict"] in ("better", "worse", "within noise")
        assert f"#{new_id} vs #{public['against_id']} (your best)" in public["message"]
        assert public["low"] <= public["improvement"] <= public["high"]
        # Against a named submission, and the refusals.
        named = http.get(f"/challenges/iris/submissions/{new_id}/compare", params={"against": public["against_id"]})
        assert named.status_code == 200 and named.json()["comparisons"][0]["against_id"] == public["against_id"]
        assert http.get(f"/challenges/iris/submissions/{new_id}/compare",
                        params={"against": "worst"}).json()["error"] == "invalid"
        assert http.get(f"/challenges/iris/submissions/{new_id}/compare",
                        params={"against": new_id}).status_code == 400
        assert http.get("/challenges/iris/submissions/999999/compare").status_code == 404
    with served.client(served.tokens["bob"]) as http:  # someone else's submission is simply not found
        assert http.get(f"/challenges/iris/submissions/{new_id}/compare").status_code == 404


def test_the_reveal_and_the_overfitting_history_come_after_close_only(served):
    with served.client(served.tokens["alice"]) as http:
        refused = http.get("/challenges/iris/reveal")
        assert refused.status_code == 403 and refused.json()["error"] == "not_revealed"
        (shift,) = http.get("/challenges/iris-closed/reveal").json()["shifts"]
        assert shift["challenge"] == "iris-closed" and shift["private_score"] < shift["public_score"]
        assert shift["gap"] == shift["private_score"] - shift["public_score"]
        assert shift["private_low"] <= shift["private_score"] <= shift["private_high"]
        history = http.get("/me/overfitting").json()["shifts"]
        assert [s["challenge"] for s in history] == ["iris-closed"]  # the open challenge stays hidden
    with served.client() as http:
        assert http.get("/me/overfitting").status_code == 401
