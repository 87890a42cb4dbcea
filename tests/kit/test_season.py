"""A simulated 27-day season: check-ins, streaks (with gaps and time zones), standings, winners."""

import csv
import io
import json
import re
from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest
import time_machine

from kit.challenge.bundle import solution_bytes
from kit.challenge.lookup import get_challenge
from kit.season.streaks import streak

UTC = UTC
START = datetime(2026, 11, 2, tzinfo=UTC)  # day 1 of the season (UTC)


def at(day: int, hour: int = 12) -> datetime:
    return START + timedelta(days=day - 1, hours=hour)


def register(kit, name):
    return re.search(r"kit_[A-Za-z0-9_-]+", kit("register", name).output).group(0)


WEEK_SPEC = """slug = "{slug}"
title = "Week {week}"
metric = "accuracy"
season = "s-one"
week = {week}
daily_limit = 50
[data]
source = "sklearn:iris"
seed = {week}
"""


@pytest.fixture
def season(kit, kit_workspace, tmp_path):
    with time_machine.travel(START - timedelta(days=3), tick=False):
        assert kit("season", "create", "s-one", "--name", "Season One", "--starts", "2026-11-02").exit_code == 0
        for week in (1, 2):
            path = tmp_path / f"week{week}.toml"
            path.write_text(WEEK_SPEC.format(slug=f"week-{week}", week=week))
            assert kit("challenge", "add", str(path)).exit_code == 0, week
    truths = {}
    with kit_workspace.session() as session:
        for slug in ("week-1", "week-2"):
            truths[slug] = pd.read_csv(io.BytesIO(solution_bytes(session, get_challenge(session, slug))))
    return truths


def submission(tmp_path, truth, wrong: int, name: str):
    labels = truth["species"].copy()
    other = {"setosa": "versicolor", "versicolor": "virginica", "virginica": "setosa"}
    labels.iloc[:wrong] = labels.iloc[:wrong].map(other)
    path = tmp_path / name
    pd.DataFrame({"id": truth["id"], "species": labels}).to_csv(path, index=False)
    return path


def test_streak_rules():
    assert streak({1, 2, 3}, season_days=27, today=3).current == 3
    assert streak({1, 2, 3}, season_days=27, today=4).current == 3   # today not over yet
    assert streak({1, 2, 3}, season_days=27, today=5).current == 0   # day 4 missed
    gap = streak({1, 2, 4, 5, 6, 9}, season_days=27, today=9)
    assert (gap.current, gap.longest) == (1, 3)
    ended = streak(set(range(20, 28)), season_days=27, today=None)
    assert (ended.current, ended.longest) == (8, 8)
    assert streak({1, 3}, season_days=5, today=3).cells(3) == "■□■··"


def test_a_simulated_season(kit, kit_workspace, season, tmp_path):
    ada, bob, cy = register(kit, "ada"), register(kit, "bob"), register(kit, "cyd")
    week1 = season["week-1"]
    # Days 1–3: Ada logs every day; Bob submits on day 1 and 3; Cy logs on day 2 only.
    for day in (1, 2, 3):
        with time_machine.travel(at(day), tick=False):
            assert kit("log", f"day {day}: tensors", token=ada).exit_code == 0
            if day in (1, 3):
                path = submission(tmp_path, week1, wrong=day, name=f"bob{day}.csv")
                assert kit("submit", "week-1", "-f", str(path), token=bob).exit_code == 0
            if day == 2:
                assert kit("log", "broadcasting", "--url", "https://example.org/cy", token=cy).exit_code == 0
    with time_machine.travel(at(3, 20), tick=False):
        ada_streak = kit("streak", token=ada).output
        assert "current streak 3, longest 3" in ada_streak and "■■■" in ada_streak
        assert "current streak 1, longest 1" in kit("streak", token=bob).output
        # Cy missed today so far, but the streak from yesterday lives until the day ends.
        assert "current streak 1, longest 1" in kit("streak", token=cy).output
        # Ada and Cy submit to week 1 too: Ada perfect, Cy poor.
        kit("submit", "week-1", "-f", str(submission(tmp_path, week1, 0, "ada.csv")), token=ada)
        kit("submit", "week-1", "-f", str(submission(tmp_path, week1, 9, "cy.csv")), token=cy)
        standings = list(csv.DictReader(io.StringIO(kit("season", "standings", "--csv").output)))
        # No challenge is closed: only active days count (Ada 3; Bob 2 and Cy 2, who now has
        # submitted on day 3 too). Bob and Cy tie on points and days: Cy's longer streak (2) wins.
        assert [row["participant"] for row in standings] == ["ada", "cyd", "bob"]
        assert all(float(row["challenge_points"]) == 0 for row in standings)
        assert standings[0]["points"] == "30.0"

    # Week 1 closes at the end of day 7: points from the private ranks appear.
    with time_machine.travel(at(8, 1), tick=False):
        standings = list(csv.DictReader(io.StringIO(kit("season", "standings", "--csv").output)))
        points = {row["participant"]: float(row["challenge_points"]) for row in standings}
        assert points["ada"] > points["bob"] > points["cyd"] > 0
        winners = json.loads(kit("season", "winners", "--json").output)
        assert [(w["place"], w["participant"]) for w in winners] == [(1, "ada"), (2, "bob"), (3, "cyd")]
        assert kit("award", "week-1", "1", "GPU credits", organizer=False).exit_code == 1
        assert kit("award", "week-1", "1", "GPU credits").exit_code == 0
        assert json.loads(kit("season", "winners", "--json").output)[0]["award"] == "GPU credits"
        still_open = kit("award", "week-2", "1", "a mug")
        assert still_open.exit_code == 1 and "still open" in still_open.output

    # Day 27 and after the end.
    with time_machine.travel(at(27, 23), tick=False):
        assert kit("log", "last day!", token=ada).exit_code == 0
        assert "longest 3" in kit("streak", token=ada).output
    with time_machine.travel(at(28, 0), tick=False):
        late = kit("log", "one more", token=ada)
        assert late.exit_code == 1 and "has ended" in late.output
        table = kit("season", "standings").output
        assert "ada" in table and "■" in table


def test_checkins_before_the_season_are_refused(kit, season):
    ada = register(kit, "ada")
    with time_machine.travel(START - timedelta(hours=1), tick=False):
        result = kit("log", "eager", token=ada)
    assert result.exit_code == 1 and "has not started" in result.output


def test_urls_must_be_http_or_https(kit, season):
    ada = register(kit, "ada")
    with time_machine.travel(at(2), tick=False):
        for bad in ("javascript:alert(1)", "ftp://example.org/x", "https://", "<b>hi</b>"):
            result = kit("log", "x", "--url", bad, token=ada)
            assert result.exit_code == 1 and "http" in result.output, bad
        assert kit("log", "", token=ada).exit_code == 1


def test_days_follow_the_season_time_zone(kit, kit_workspace, tmp_path):
    # A season in Tokyo (UTC+9): 20:00 UTC on Nov 1 is already 05:00 on Nov 2 there — day 1.
    with time_machine.travel(datetime(2026, 10, 30, tzinfo=UTC), tick=False):
        assert kit("season", "create", "tokyo", "--name", "Tokyo season", "--starts", "2026-11-02",
                   "--timezone", "Asia/Tokyo").exit_code == 0
    ada = register(kit, "ada")
    with time_machine.travel(datetime(2026, 11, 1, 20, tzinfo=UTC), tick=False):
        result = kit("log", "early bird", "--season", "tokyo", token=ada)
        assert result.exit_code == 0 and "day 1 of 27" in result.output
    with time_machine.travel(datetime(2026, 11, 2, 14, 59, tzinfo=UTC), tick=False):  # 23:59 on day 1 in Tokyo
        assert "day 1 of 27" in kit("log", "late", "--season", "tokyo", token=ada).output
    with time_machine.travel(datetime(2026, 11, 2, 15, 1, tzinfo=UTC), tick=False):  # 00:01 on day 2 in Tokyo
        assert "day 2 of 27" in kit("log", "next", "--season", "tokyo", token=ada).output
        assert "current streak 2" in kit("streak", "--season", "tokyo", token=ada).output


def test_baselines_earn_no_points(kit, kit_workspace, season, tmp_path):
    from kit.services.submissions import submit_baseline

    with time_machine.travel(at(2), tick=False):
        path = submission(tmp_path, season["week-1"], 0, "base.csv")
        submit_baseline(kit_workspace.workspace, organizer_token=kit_workspace.organizer_token, slug="week-1",
                        model="logreg", content=path.read_bytes(), filename="b.csv")
    with time_machine.travel(at(9), tick=False):
        standings = kit("season", "standings", "--csv").output.splitlines()
        assert len(standings) == 1  # header only
        assert json.loads(kit("season", "winners", "--json").output) == []
