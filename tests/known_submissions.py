"""Submissions of known scores, built by the tests from the hidden labels (never over HTTP or by the app).

Shared by the leaderboard, server and client test folders; their conftests load this file by path,
since the test folders are not packages.
"""

from __future__ import annotations

import csv
import io


def solution_rows(ws, slug: str) -> list[dict]:
    """The hidden labels of a stored challenge, read straight from the workspace."""
    from kit.challenge.bundle import solution_bytes
    from kit.challenge.lookup import get_challenge

    with ws.session() as session:
        text = solution_bytes(session, get_challenge(session, slug)).decode()
    return list(csv.DictReader(io.StringIO(text)))


def submission_csv(rows: list[dict], *, wrong_private: int = 0, wrong_public: int = 0) -> bytes:
    """A submission right on every row except the first `wrong_*` rows of each part."""
    target = next(k for k in rows[0] if k not in ("id", "Usage"))
    classes = sorted({r[target] for r in rows})
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", target])
    counts = {"Public": 0, "Private": 0}
    for row in rows:
        counts[row["Usage"]] += 1
        limit = wrong_public if row["Usage"] == "Public" else wrong_private
        label = row[target]
        if counts[row["Usage"]] <= limit:
            label = next(c for c in classes if c != label)
        writer.writerow([row["id"], label])
    return out.getvalue().encode()
