"""Teams over HTTP against a real `kit serve`: create, join, see, leave, the rules, and the board
ranking the team as one; invite codes only ever reach the team's members."""

from __future__ import annotations


def test_teams_over_http(served):
    alice, bob = served.tokens["alice"], served.tokens["bob"]
    with served.client(alice) as as_alice, served.client(bob) as as_bob, served.client() as anonymous:
        assert anonymous.post("/seasons/current/teams", json={"name": "Petals"}).status_code == 401
        bad = as_alice.post("/seasons/current/teams", json={"name": "<b>x</b>"})
        assert bad.status_code == 400 and bad.json()["error"] == "invalid"
        created = as_alice.post("/seasons/current/teams", json={"name": "Petals"})
        assert created.status_code == 201, created.text
        code = created.json()["invite_code"]
        assert created.json()["members"] == ["alice"]
        assert as_bob.get("/seasons/current/team").status_code == 404
        wrong = as_bob.post("/teams/join", json={"invite_code": "team_nope"})
        assert wrong.status_code == 404 and wrong.json()["error"] == "not_found"

        # The organizer caps teams at one member: bob's join is refused by the rule, nothing changes.
        with served.client(served.organizer_token) as organizer:
            assert as_bob.put("/seasons/current/team-rules", json={"max_size": 1}).status_code == 403
            capped = organizer.put("/seasons/current/team-rules", json={"max_size": 1})
            assert capped.status_code == 200 and capped.json()["max_size"] == 1
            full = as_bob.post("/teams/join", json={"invite_code": code})
            assert full.status_code == 409 and full.json()["error"] == "team_rule"
            assert organizer.put("/seasons/current/team-rules", json={"max_size": 2}).status_code == 200

        joined = as_bob.post("/teams/join", json={"invite_code": code})
        assert joined.status_code == 200 and joined.json()["members"] == ["alice", "bob"]
        assert as_bob.get("/seasons/current/team").json()["invite_code"] == code
        listing = anonymous.get("/seasons/current/teams")
        assert listing.json() == [{"name": "Petals", "members": ["alice", "bob"]}]
        assert code not in listing.text

        # The open challenge's board ranks the team once; the closed one keeps its people.
        board = anonymous.get("/challenges/iris/leaderboard").json()
        names = [row.get("participant") for row in board["rows"] if row["rank"] is not None]
        assert names == ["Petals"]
        closed = anonymous.get("/challenges/iris-closed/leaderboard").json()
        assert {row.get("participant") for row in closed["rows"]} >= {"alice", "bob"}

        left = as_bob.delete("/seasons/current/team")
        assert left.status_code == 200 and left.json() == {"left": "Petals"}
        assert as_bob.delete("/seasons/current/team").status_code == 404
        names = {row.get("participant") for row in anonymous.get("/challenges/iris/leaderboard").json()["rows"]}
        assert {"Petals", "bob"} <= names
