"""The season on the web: standings with streaks, calendars, check-ins, weekly winners and awards.

A season that started on 2 November 2026 (UTC), with two weekly challenges and three
participants who submitted and logged on chosen days; time-machine sets the day for the
kit's services, the CLI and the app alike.
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from leaderboard.views import md_escape

START = datetime(2026, 11, 2, tzinfo=UTC)  # day 1

WEEK_SPEC = """slug = "{slug}"
title = "Iris {slug}"
metric = "accuracy"
season = "s-one"
week = {week}
daily_limit = 50
[data]
source = "sklearn:iris"
seed = {week}
"""


def at(day: int, hour: int = 12) -> datetime:
    return START + timedelta(days=day - 1, hours=hour)


class World:
    def __init__(self, ws, organizer_token, lb):
        self.ws, self.organizer_token, self.lb = ws, organizer_token, lb
        self.tokens: dict[str, str] = {}

    def page(self, day: int, page: str = "season", *, who: str | None = None, organizer: bool = False,
             query: dict | None = None):
        """The page as it renders at noon on `day` (fresh caches: the clock moved)."""
        import streamlit as st

        st.cache_data.clear()
        state = {}
        if who:
            state = {"participant_name": who, "participant_token": self.tokens[who]}
        if organizer:
            state["organizer_token"] = self.organizer_token
        with time_machine.travel(at(day), tick=False):
            at_ = self.lb.open_page(page, state=state, query=query)
        self.lb.assert_clean(at_)
        return at_

    def run(self, at_, day: int):
        import streamlit as st

        st.cache_data.clear()
        with time_machine.travel(at(day), tick=False):
            at_.run()
        self.lb.assert_clean(at_)
        return at_


@pytest.fixture
def world(app_workspace, lb) -> World:
    """Days 1–6 of the season; week-1 closes at the start of day 8.

    ada: logs on days 1, 2, 3 (and submits on 3), logs on 5   → active 1, 2, 3, 5
    bob: submits on days 1 and 6, logs on day 3               → active 1, 3, 6
    cyd: logs on day 2 and submits on day 2                   → active 2
    eve: registered, nothing yet
    Private accuracy on week-1: bob best, then ada, then cyd.
    """
    from kit.challenge.spec import parse_spec
    from kit.season.checkins import log_checkin
    from kit.season.seasons import create_season, get_season
    from kit.services.challenges import add_challenge
    from kit.services.participants import authenticate, register
    from kit.services.submissions import submit

    ws = app_workspace.workspace
    result = World(ws, app_workspace.organizer_token, lb)
    with time_machine.travel(START - timedelta(days=3), tick=False), ws.session(write=True) as session:
        create_season(session, slug="s-one", name="Season One", starts_on=date(2026, 11, 2), hashtag="#SeasonOne")
        for week in (1, 2):
            text = WEEK_SPEC.format(slug=f"week-{week}", week=week)
            add_challenge(session, parse_spec(text), text, progress=False)
        for name in ("ada", "bob", "cyd", "eve"):
            _, result.tokens[name] = register(session, name)
    rows = lb.solution_rows(ws, "week-1")

    def log(name, day, note, url=None):
        with time_machine.travel(at(day), tick=False), ws.session(write=True) as session:
            log_checkin(session, get_season(session), authenticate(session, result.tokens[name]), note, url)

    def send(name, day, **wrong):
        with time_machine.travel(at(day), tick=False):
            outcome = submit(ws, slug="week-1", token=result.tokens[name], content=lb.submission_csv(rows, **wrong),
                             filename=f"{name}.csv")
        assert outcome.submission.status == "scored", outcome.submission.error

    log("ada", 1, "logistic regression is the hello world", "https://example.org/day1")
    send("bob", 1, wrong_private=1)
    log("ada", 2, "scaling features helps lbfgs converge")
    log("cyd", 2, "what a validation split is for")
    send("cyd", 2, wrong_private=8)
    log("ada", 3, "dropout")
    send("ada", 3, wrong_private=4)
    log("bob", 3, "read about early stopping")
    log("ada", 5, "batch norm")
    send("bob", 6, wrong_private=2)
    return result


# ---- helpers ----------------------------------------------------------------------------------


def frame_with(at_, column: str):
    return next(f.value for f in at_.dataframe if column in f.value.columns)


def frames_with(at_, column: str):
    return [f.value for f in at_.dataframe if column in f.value.columns]


def charts(at_) -> list[dict]:
    """Each Altair chart's spec, with its datasets as lists of records."""
    import pyarrow as pa

    found = []
    for element in at_.get("vega_lite_chart"):
        spec = json.loads(element.proto.spec)
        data = {}
        for named in element.proto.datasets:
            table = pa.ipc.open_stream(named.data.data).read_all()
            data[named.name] = table.to_pylist()
        found.append({"spec": spec, "data": data})
    return found


def cli(kit, day: int, *args: str, **kwargs):
    with time_machine.travel(at(day), tick=False):
        result = kit(*args, **kwargs)
    assert result.exit_code == 0, result.output
    return result.output



def text_of(at_) -> str:
    return "\n".join(str(e.value) for kind in ("title", "markdown", "caption", "subheader", "success", "error",
                                                "info", "warning")
                     for e in getattr(at_, kind))


def notes(at_) -> list[str]:
    """The signed-in participant's recent check-in notes, newest first (st.text: no markdown, no HTML)."""
    return [t.value for t in at_.text]


def button(at_, label):
    return next(b for b in at_.button if b.label == label)


def check_in(world, at_, day: int, note: str, url: str = ""):
    next(t for t in at_.text_area if t.label == "What I learned today").set_value(note)
    next(t for t in at_.text_input if t.label == "Link (optional)").set_value(url)
    button(at_, "Check in").click()
    return world.run(at_, day)


# ---- standings, streaks, calendars, winners: the page and the CLI agree -----------------------


def test_standings_and_streaks_match_the_cli(world, kit):
    at_ = world.page(10)
    assert "### Day 10 of 27" in text_of(at_)
    page = frame_with(at_, "Longest streak")
    table = list(csv.DictReader(io.StringIO(cli(kit, 10, "season", "standings", "--csv"))))
    assert [r["participant"] for r in table] == ["bob", "ada", "cyd"]  # bob won week 1
    assert list(page["Participant"]) == [r["participant"] for r in table]
    assert list(page["Rank"]) == [int(r["rank"]) for r in table]
    assert [f"{p:.1f}" for p in page["Points"]] == [r["points"] for r in table]
    assert [f"{p:.1f}" for p in page["Challenge points"]] == [r["challenge_points"] for r in table]
    assert list(page["Active days"]) == [int(r["active_days"]) for r in table] == [3, 4, 1]
    assert list(page["Streak"]) == [int(r["current_streak"]) for r in table]
    assert list(page["Longest streak"]) == [int(r["longest_streak"]) for r in table] == [1, 3, 1]
    formula = next(c.value for c in at_.caption if c.value.startswith("**How points work.**"))
    assert "1000 × rank^(−0.75) × log10(1 + log10(1 + field))" in formula
    assert "Every active day (a submission or a check-in) adds 10." in formula


def test_streak_while_the_season_runs(world, kit):
    """On day 6, bob is active today (submitted) and ada's run ended on day 5: current streaks 1 and 1."""
    at_ = world.page(6, who="ada")
    page = frame_with(at_, "Longest streak").set_index("Participant")
    table = {r["participant"]: r for r in csv.DictReader(io.StringIO(cli(kit, 6, "season", "standings", "--csv")))}
    for name in ("ada", "bob", "cyd"):
        shown = page.loc[name + ("  (you)" if name == "ada" else "")]
        assert (shown["Streak"], shown["Longest streak"]) == (int(table[name]["current_streak"]),
                                                             int(table[name]["longest_streak"]))
    assert int(table["ada"]["current_streak"]) == 1 and int(table["bob"]["current_streak"]) == 1
    out = cli(kit, 6, "streak", token=world.tokens["ada"])
    current, longest = map(int, re.search(r"current streak (\d+), longest (\d+)", out).groups())
    metrics = {m.label: m.value for m in at_.metric}
    assert metrics["Streak"] == f"{current} d" and metrics["Longest"] == f"{longest} d"
    assert metrics["Active days"] == "4/27"


def test_calendars_are_27_cells_active_missed_and_to_come(world, kit):
    at_ = world.page(6, who="ada")
    found = charts(at_)
    assert len(found) == 2
    mine = next(c for c in found if "weekday" in json.dumps(c["spec"]))
    cells = next(rows for rows in mine["data"].values() if rows and "state" in rows[0])
    assert len(cells) == 27
    states = {c["day"]: c["state"] for c in cells}
    # ada: active 1, 2, 3, 5; day 4 missed; day 6 (today, not active yet) and later still to come.
    assert [d for d, s in states.items() if s == "active"] == [1, 2, 3, 5]
    assert [d for d, s in states.items() if s == "missed"] == [4]
    assert [d for d, s in states.items() if s == "to come"] == list(range(6, 28))
    # The same days as `kit streak` prints: ■ active, □ missed, · to come (there today counts as gone by).
    row = cli(kit, 6, "streak", token=world.tokens["ada"]).strip().splitlines()[-1]
    assert [d for d, ch in enumerate(row, start=1) if ch == "■"] == [1, 2, 3, 5]
    leaders = next(c for c in found if c is not mine)
    grid = next(rows for rows in leaders["data"].values() if rows and "participant" in rows[0])
    assert len(grid) == 3 * 27
    assert {r["participant"] for r in grid} == {"ada", "bob", "cyd"}
    assert sorted(r["day"] for r in grid if r["participant"] == "bob" and r["state"] == "active") == [1, 3, 6]
    assert leaders["spec"]["encoding"]["y"]["sort"] == list(frame_with(at_, "Longest streak")["Participant"]
                                                            .str.replace("  (you)", ""))


def test_winners_appear_when_the_week_closes_and_match_the_cli(world, kit):
    at_ = world.page(6)
    assert not frames_with(at_, "Award") and "No winners yet" in text_of(at_)

    cli(kit, 10, "award", "week-1", "1", "A t-shirt and GPU credits")
    at_ = world.page(10)
    shown = frame_with(at_, "Award")
    listed = json.loads(cli(kit, 10, "season", "winners", "--json"))
    assert [w["participant"] for w in listed] == list(shown["Participant"]) == ["bob", "ada", "cyd"]
    assert list(shown["Place"]) == [w["place"] for w in listed] == [1, 2, 3]
    assert list(shown["Private score"]) == pytest.approx([w["score"] for w in listed])
    assert list(shown["Award"]) == [w["award"] or "" for w in listed]
    assert shown["Award"][0] == "A t-shirt and GPU credits"
    # The score column shows the metric's decimals (accuracy: 5).
    element = next(f for f in at_.dataframe if "Award" in f.value.columns)
    from grader import get_metric

    assert f'"format": "%.{get_metric("accuracy").decimals}f"' in element.proto.columns.replace('":"', '": "')


# ---- check-ins ------------------------------------------------------------------------------


def test_check_in_needs_a_sign_in_and_refuses_a_wrong_token(world):
    from kit.errors import AuthError
    from leaderboard import actions

    at_ = world.page(6)
    assert not any(b.label == "Check in" for b in at_.button)
    assert any('action="/auth/sign-in"' in h.proto.body for h in at_.get("html"))  # the sign-in form
    assert "participant_token" not in at_.session_state
    with pytest.raises(AuthError):
        actions.check_in(world.ws, token="kit_not-a-real-token", season_slug="s-one", note="hi")
    with pytest.raises(AuthError):
        actions.my_season(world.ws, token="", season_slug="s-one")


def test_a_valid_check_in_counts_today(world, kit):
    at_ = world.page(4, who="eve")
    assert "No check-ins yet — log what you learned today." in text_of(at_)
    assert "eve" not in list(frame_with(at_, "Longest streak")["Participant"].str.replace("  (you)", ""))
    at_ = check_in(world, at_, 4, "  learning rate warm-up  ", "https://example.org/warmup")
    assert "Checked in for day 4 of 27." in [s.value for s in at_.success]
    assert notes(at_) == ["learning rate warm-up"]
    assert [b.proto.url for b in at_.get("link_button")] == ["https://example.org/warmup"]
    assert "Day 4 · 2026-11-05 12:00 UTC" in [c.value for c in at_.caption]
    assert {m.label: m.value for m in at_.metric}["Streak"] == "1 d"
    standings = frame_with(at_, "Longest streak").set_index("Participant")
    assert standings.loc["eve  (you)", "Active days"] == 1  # the standings were read afresh
    table = {r["participant"]: r for r in csv.DictReader(io.StringIO(cli(kit, 4, "season", "standings", "--csv")))}
    assert table["eve"]["active_days"] == "1" and table["eve"]["current_streak"] == "1"
    at_ = check_in(world, at_, 4, "a second note the same day")
    assert notes(at_) == ["a second note the same day", "learning rate warm-up"]
    assert len(at_.get("link_button")) == 1
    assert frame_with(at_, "Longest streak").set_index("Participant").loc["eve  (you)", "Active days"] == 1


@pytest.mark.parametrize(("note", "url", "message"), [
    ("read about CNNs", "javascript:alert(1)", "must start with http:// or https://"),
    ("read about CNNs", "ftp://example.org/x", "must start with http:// or https://"),
    ("   ", "", "the note is empty"),
])
def test_bad_check_ins_are_refused_with_the_kits_message(world, note, url, message):
    at_ = world.page(4, who="cyd")
    at_ = check_in(world, at_, 4, note, url)
    assert at_.error and md_escape(message) in at_.error[0].value  # shown as text: markdown escaped
    assert not at_.success
    assert notes(at_) == ["what a validation split is for"]  # nothing stored


def test_check_ins_outside_the_season_are_refused(world):
    at_ = world.page(28, who="ada")
    assert "### Ended 2026-11-28" in text_of(at_)  # the heading: the season's last day
    at_ = check_in(world, at_, 28, "one more thing")
    assert at_.error and "Season One has ended" in at_.error[0].value
    import streamlit as st

    st.cache_data.clear()
    with time_machine.travel(START - timedelta(days=1), tick=False):
        at_ = world.lb.open_page("season", state={"participant_name": "ada", "participant_token": world.tokens["ada"]})
    at_ = check_in(world, at_, 0, "too early")
    assert at_.error and "has not started yet" in at_.error[0].value


def test_a_note_is_shown_as_text_never_as_html_or_markdown(world):
    note = '<script>alert("x")</script> see [my post](https://evil.example/p) ![img](https://evil.example/i.png)'
    at_ = world.page(4, who="cyd")
    at_ = check_in(world, at_, 4, note, "https://example.org/ok")
    assert not at_.error
    assert notes(at_)[0] == note  # shown verbatim, as plain text
    rendered = text_of(at_)
    assert "evil.example" not in rendered and "<script>" not in rendered
    assert not any(m.proto.allow_html for m in at_.markdown)


# ---- awards -----------------------------------------------------------------------------------


def test_award_form_needs_the_organizer_token(world):
    import streamlit as st

    from kit.errors import AuthError
    from leaderboard import actions

    st.cache_data.clear()
    with time_machine.travel(at(10), tick=False):
        at_ = world.lb.open_page("organizer")
    assert not at_.tabs and not any(b.label == "Record award" for b in at_.button)
    # A participant's token in the organizer's place: no form shows, and the action is refused.
    with time_machine.travel(at(10), tick=False):
        at_ = world.lb.open_page("organizer", state={"organizer_token": world.tokens["bob"]})
    assert not at_.tabs and not any(b.label == "Record award" for b in at_.button)
    with pytest.raises(AuthError):
        actions.award(world.ws, organizer_token=world.tokens["bob"], slug="week-1", place=1, note="free GPU")
    assert list(frame_with(world.page(10), "Award")["Award"]) == ["", "", ""]


def test_award_form_records_a_note_shown_with_the_winners(world):
    at_ = world.page(10, "organizer", organizer=True)
    assert "Awards" in [t.label for t in at_.tabs]
    place = next(s for s in at_.selectbox if s.label == "Place")
    assert place.options == ["1 · bob (0.96154)", "2 · ada (0.84615)", "3 · cyd (0.69231)"]
    place.set_value(2)
    next(t for t in at_.text_input if t.label == "Award note").set_value("Runner-up: [swag](https://x.example)")
    button(at_, "Record award").click()
    at_ = world.run(at_, 10)
    assert at_.success and "ada" in at_.success[0].value
    assert "](https://" not in at_.success[0].value  # the note is escaped, not a link
    winners = frame_with(world.page(10), "Award")
    assert list(winners["Award"]) == ["", "Runner-up: [swag](https://x.example)", ""]
    # Still open: refused with the kit's message.
    with time_machine.travel(at(10), tick=False):
        from kit.errors import KitError
        from leaderboard import actions

        with pytest.raises(KitError, match="still open"):
            actions.award(world.ws, organizer_token=world.organizer_token, slug="week-2", place=1, note="x")


# ---- the Challenge page ---------------------------------------------------------------------


def test_challenge_page_shows_the_day_and_formats_scores_with_the_metrics_decimals(world):
    from grader import get_metric

    at_ = world.page(6, "challenge", query={"challenge": "week-1"})
    assert "Day 6 of 27" in text_of(at_)
    decimals = get_metric("accuracy").decimals
    chart = charts(at_)[0]["spec"]
    assert f'"format": ".{decimals}f"' in json.dumps(chart["layer"][0]["encoding"]["y"]["axis"]) or \
        chart["layer"][0]["encoding"]["y"]["axis"]["format"] == f".{decimals}f"
