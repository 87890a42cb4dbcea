"""Teams through the real CLI: create, join, leave, the size limit, Kaggle's merge rule at its
boundary, and a team ranking and earning season points as one (SQLite and PostgreSQL)."""

import csv
import io
import json
import re
from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest
import time_machine
from sqlalchemy import select

from kit.challenge.bundle import solution_bytes
from kit.challenge.lookup import get_challenge
from kit.store.models import Submission, TeamMember

START = datetime(2026, 11, 2, tzinfo=UTC)  # day 1 of the season (UTC)

WEEK_SPEC = """slug = "week-{week}"
title = "Week {week}"
metric = "accuracy"
season = "teams-season"
week = {week}
daily_limit = 2
[data]
source = "sklearn:iris"
seed = {week}
"""


def at(day: int, hour: int = 12) -> datetime:
    return START + timedelta(days=day - 1, hours=hour)


def register(kit, name):
    return re.search(r"kit_[A-Za-z0-9_-]+", kit("register", name).output).group(0)


def invite_code(output: str) -> str:
    return re.search(r"Invite code: (team_[A-Za-z0-9_-]+)", output).group(1)


@pytest.fixture
def truth(kit, kit_workspace, tmp_path):
    """A season with week 1 (daily limit 2); returns week 1's hidden labels (read by the test only)."""
    with time_machine.travel(START - timedelta(days=3), tick=False):
        assert kit("season", "create", "teams-season", "--name", "Teams Season", "--starts", "2026-11-02").exit_code == 0
        path = tmp_path / "week1.toml"
        path.write_text(WEEK_SPEC.format(week=1))
        assert kit("challenge", "add", str(path)).exit_code == 0
    with kit_workspace.session() as session:
        return pd.read_csv(io.BytesIO(solution_bytes(session, get_challenge(session, "week-1"))))


def submit(kit, tmp_path, truth, token, wrong: int):
    """Submit week 1 with the first `wrong` rows mislabelled (so a smaller `wrong` scores higher)."""
    labels = truth["species"].copy()
    other = {"setosa": "versicolor", "versicolor": "virginica", "virginica": "setosa"}
    labels.iloc[:wrong] = labels.iloc[:wrong].map(other)
    path = tmp_path / f"sub-{wrong}.csv"
    pd.DataFrame({"id": truth["id"], "species": labels}).to_csv(path, index=False)
    return kit("submit", "week-1", "-f", str(path), token=token)


def members(kit_workspace) -> set[tuple[int, int]]:
    with kit_workspace.session() as session:
        return set(session.execute(select(TeamMember.team_id, TeamMember.participant_id)).all())


def test_create_join_show_leave(kit, kit_workspace, truth):
    ada, bob, cyd = register(kit, "ada"), register(kit, "bob"), register(kit, "cyd")
    with time_machine.travel(at(1), tick=False):
        created = kit("team", "create", "Tensor Twins", token=ada)
        assert created.exit_code == 0, created.output
        code = invite_code(created.output)
        assert kit("team", "create", "tensor twins", token=bob).exit_code == 1  # names are case-insensitive
        impostor = kit("team", "create", "Ada", token=bob)  # a team may not pass for a participant
        assert impostor.exit_code == 1 and "participant's name" in impostor.output
        assert "team's name" in kit("register", "TENSOR TWINS").output
        joined = kit("team", "join", code, token=bob)
        assert joined.exit_code == 0 and "ada, bob" in joined.output
        shown = json.loads(kit("team", "show", "--json", token=bob).output)
        assert shown["name"] == "Tensor Twins" and shown["members"] == ["ada", "bob"]
        assert shown["invite_code"] == code
        # The public list names teams and members, never the invite code.
        listed = kit("team", "list").output
        assert "Tensor Twins" in listed and "bob" in listed and code not in listed
        wrong = kit("team", "join", "team_nope", token=cyd)
        assert wrong.exit_code == 1 and "No team has that invite code" in wrong.output
        again = kit("team", "join", code, token=bob)
        assert again.exit_code == 1 and "already in team" in again.output
        assert kit("team", "create", "Another", token=bob).exit_code == 1  # one team per season
        assert kit("team", "join", code).exit_code == 1  # no token
        left = kit("team", "leave", token=bob)
        assert left.exit_code == 0 and "You left team" in left.output
        alone = kit("team", "show", token=bob)
        assert alone.exit_code == 1 and "not in a team" in alone.output
        assert kit("team", "leave", token=bob).exit_code == 1


def test_the_size_limit_and_the_merge_deadline(kit, kit_workspace, truth):
    ada, bob, cyd = register(kit, "ada"), register(kit, "bob"), register(kit, "cyd")
    refused = kit("team", "rules", "--max-size", "2", organizer=False)
    assert refused.exit_code == 1 and "organizer" in refused.output
    assert kit("team", "rules", "--max-size", "0").exit_code == 1
    assert kit("team", "rules", "--standings-by", "everyone").exit_code == 1
    assert "at most 4" in kit("team", "rules").output and "each team" in kit("team", "rules").output  # unchanged
    rules = kit("team", "rules", "--max-size", "2", "--merge-deadline", "2026-11-10T00:00:00Z")
    assert rules.exit_code == 0 and "at most 2" in rules.output and "2026-11-10 00:00" in rules.output
    with time_machine.travel(at(1), tick=False):
        code = invite_code(kit("team", "create", "Pair", token=ada).output)
        assert kit("team", "join", code, token=bob).exit_code == 0
        before = members(kit_workspace)
        full = kit("team", "join", code, token=cyd)
        assert full.exit_code == 1 and "would have 3 members" in full.output and "at most 2" in full.output
        assert members(kit_workspace) == before
        shrink = kit("team", "rules", "--max-size", "1")
        assert shrink.exit_code == 1 and "already has 2 members" in shrink.output
    with time_machine.travel(datetime(2026, 11, 10, tzinfo=UTC), tick=False):  # the deadline itself
        late = kit("team", "join", code, token=cyd)
        assert late.exit_code == 1 and "merge deadline" in late.output
        assert kit("team", "leave", token=bob).exit_code == 1
    assert members(kit_workspace) == before


def test_the_merge_rule_at_its_boundary(kit, kit_workspace, truth, tmp_path):
    ada, bob = register(kit, "ada"), register(kit, "bob")
    with time_machine.travel(at(1), tick=False):
        code = invite_code(kit("team", "create", "Mergers", token=ada).output)
        assert submit(kit, tmp_path, truth, ada, 5).exit_code == 0
        assert submit(kit, tmp_path, truth, ada, 4).exit_code == 0
        assert submit(kit, tmp_path, truth, bob, 3).exit_code == 0
        # Day 1: one team could have made 2 × 1 = 2; the merged team would have 3.
        refused = kit("team", "join", code, token=bob)
        assert refused.exit_code == 1 and "3 submissions" in refused.output and "= 2" in refused.output
        with kit_workspace.session() as session:
            assert session.scalar(select(Submission.team_id).where(Submission.participant_id == 2)) is None
    with time_machine.travel(at(2), tick=False):
        assert submit(kit, tmp_path, truth, bob, 2).exit_code == 0
        # Day 2: 2 × 2 = 4 allowed, and the merged team has exactly 4: the merge goes through.
        accepted = kit("team", "join", code, token=bob)
        assert accepted.exit_code == 0, accepted.output
        with kit_workspace.session() as session:
            assert set(session.scalars(select(Submission.team_id))) == {1}  # bob's submissions moved
        # The daily limit now counts the team's: bob made 1 today, ada may make the second.
        assert submit(kit, tmp_path, truth, ada, 1).exit_code == 0
        over = submit(kit, tmp_path, truth, bob, 1)
        assert over.exit_code == 1 and "all 2 submissions for today" in over.output


def test_two_teams_merge_only_when_their_total_fits(kit, kit_workspace, truth, tmp_path):
    ada, bob, cyd = register(kit, "ada"), register(kit, "bob"), register(kit, "cyd")
    with time_machine.travel(at(1), tick=False):
        first = invite_code(kit("team", "create", "First", token=ada).output)
        second = invite_code(kit("team", "create", "Second", token=bob).output)
        assert kit("team", "join", second, token=cyd).exit_code == 0
        assert submit(kit, tmp_path, truth, ada, 3).exit_code == 0
        assert submit(kit, tmp_path, truth, bob, 2).exit_code == 0
        assert submit(kit, tmp_path, truth, cyd, 1).exit_code == 0
        # Bob brings Second (2 members, 2 submissions) to First (1 submission): 3 > 2 × 1.
        assert kit("team", "join", first, token=bob).exit_code == 1
    with time_machine.travel(at(2), tick=False):
        merged = kit("team", "join", first, token=bob)
        assert merged.exit_code == 0 and "ada, bob, cyd" in merged.output  # the whole team came along
        board = kit("leaderboard", "week-1", "--csv").output
        rows = list(csv.DictReader(io.StringIO(board)))
        assert [(r["participant"], r["entries"]) for r in rows] == [("First", "3")]


def test_a_team_ranks_and_earns_points_as_one(kit, kit_workspace, truth, tmp_path):
    ada, bob, cyd = register(kit, "ada"), register(kit, "bob"), register(kit, "cyd")
    with time_machine.travel(at(1), tick=False):
        code = invite_code(kit("team", "create", "Duo", token=ada).output)
        assert kit("team", "join", code, token=bob).exit_code == 0
        assert submit(kit, tmp_path, truth, ada, 6).exit_code == 0
        ranked = submit(kit, tmp_path, truth, bob, 0)  # the team's best
        assert ranked.exit_code == 0 and "#1 on the public leaderboard. 0 submission(s) left" in ranked.output
        assert submit(kit, tmp_path, truth, cyd, 3).exit_code == 0
        rows = list(csv.DictReader(io.StringIO(kit("leaderboard", "week-1", "--csv").output)))
        assert [(r["rank"], r["participant"], r["entries"]) for r in rows] == [("1", "Duo", "2"), ("2", "cyd", "1")]
    with time_machine.travel(at(8, 1), tick=False):  # week 1 closed
        private = list(csv.DictReader(io.StringIO(kit("leaderboard", "week-1", "--private", "--csv").output)))
        assert [r["participant"] for r in private] == ["Duo", "cyd"]
        winners = json.loads(kit("season", "winners", "--json").output)
        assert [(w["place"], w["participant"]) for w in winners] == [(1, "Duo"), (2, "cyd")]
        assert kit("award", "week-1", "1", "Two mugs").exit_code == 0
        standings = list(csv.DictReader(io.StringIO(kit("season", "standings", "--csv").output)))
        assert [r["participant"] for r in standings] == ["Duo", "cyd"]
        team_points = float(standings[0]["challenge_points"])
        assert standings[0]["active_days"] == "1"  # ada and bob were active on the same day: pooled
        # Counting people instead: each member earns the team's points.
        assert kit("team", "rules", "--standings-by", "participant").exit_code == 0
        people = {r["participant"]: float(r["challenge_points"])
                  for r in csv.DictReader(io.StringIO(kit("season", "standings", "--csv").output))}
        assert people["ada"] == people["bob"] == team_points > people["cyd"] > 0
        # A closed challenge keeps the team it was won by, and its points stay with who was in it.
        assert kit("team", "leave", token=bob).exit_code == 0
        private = list(csv.DictReader(io.StringIO(kit("leaderboard", "week-1", "--private", "--csv").output)))
        assert [r["participant"] for r in private] == ["Duo", "cyd"]
        code = json.loads(kit("team", "show", "--json", token=ada).output)["invite_code"]
        assert kit("team", "join", code, token=cyd).exit_code == 0  # joins after the close
        people = {r["participant"]: float(r["challenge_points"])
                  for r in csv.DictReader(io.StringIO(kit("season", "standings", "--csv").output))}
        assert people["ada"] == people["bob"] == team_points > people["cyd"] > 0


def test_a_team_selects_its_finals_together(kit, kit_workspace, truth, tmp_path):
    ada, bob = register(kit, "ada"), register(kit, "bob")
    with time_machine.travel(at(1), tick=False):
        code = invite_code(kit("team", "create", "Finalists", token=ada).output)
        assert kit("team", "join", code, token=bob).exit_code == 0
        assert submit(kit, tmp_path, truth, ada, 0).exit_code == 0  # submission 1: perfect
        assert submit(kit, tmp_path, truth, bob, 9).exit_code == 0  # submission 2: poor
        # Ada picks bob's poorer submission as the team's final: it is the team's to pick.
        assert kit("select", "week-1", "2", token=ada).exit_code == 0
    with time_machine.travel(at(8, 1), tick=False):
        rows = list(csv.DictReader(io.StringIO(kit("leaderboard", "week-1", "--private", "--csv").output)))
        assert len(rows) == 1 and rows[0]["participant"] == "Finalists"
        with kit_workspace.session() as session:
            poor = session.get(Submission, 2).private_score
        assert float(rows[0]["score"]) == pytest.approx(poor)
