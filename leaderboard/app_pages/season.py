"""Season: day N of 27, weekly challenges, standings with streaks, weekly winners, and check-ins."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from kit.clock import utcnow
from kit.errors import KitError
from kit.season.checkins import MAX_NOTE_CHARS, MAX_URL_CHARS
from leaderboard import actions, charts, data
from leaderboard.components import CHALLENGE_PAGE, participant_box, zone
from leaderboard.views import (
    STATUS_BADGES,
    ChallengeView,
    SeasonView,
    days_over,
    fmt_time,
    md_escape,
    status_text,
)

CHECKED_IN = "season_checked_in"
TOP_CALENDAR = 10
FORMULA = ("**How points work.** Each closed challenge gives points by private rank: "
           "1000 × rank^(−0.75) × log10(1 + log10(1 + field)), where the field is the number of ranked "
           "participants. Every active day (a submission or a check-in) adds 10. Ties go to more challenge "
           "points, then more active days, then the longer longest streak, then who registered first. "
           "Baselines never score.")

overview = data.overview(data.database_key())
now = utcnow()
tz = zone()


def challenge_card(challenge: ChallengeView) -> None:
    with st.container(border=True):
        left, middle, right = st.columns([5, 3, 2], vertical_alignment="center")
        left.markdown(f"**{challenge.heading}**  \n{STATUS_BADGES[challenge.status]} {status_text(challenge, now)}")
        when = (f"closes {fmt_time(challenge.ends_at, tz)}" if challenge.status != "upcoming"
                else f"opens {fmt_time(challenge.opens_at, tz)}")
        middle.markdown(f"{challenge.metric.explained}  \n:gray[{when}]")
        with right:
            st.page_link(CHALLENGE_PAGE, label="Leaderboard", icon=":material/arrow_forward:",
                         query_params={"challenge": challenge.slug})


def standings_section(season: SeasonView, board: data.SeasonBoard) -> None:
    """The standings table, as wide as the page so every column shows."""
    st.subheader("Standings")
    if not board.standings:
        st.info("No standings yet — submit to a challenge or check in to get on the board.",
                icon=":material/leaderboard:")
    else:
        me = st.session_state.get("participant_name")
        rows = board.standings
        # Short headers and fixed widths: the whole table fits a laptop's width without sideways scrolling.
        st.dataframe(
            pd.DataFrame({
                "Rank": [s.rank for s in rows],
                "Participant": [s.participant + ("  (you)" if me and s.participant == me else "") for s in rows],
                "Points": [s.points for s in rows],
                "Challenge points": [s.challenge_points for s in rows],
                "Active days": [s.active_days for s in rows],
                "Streak": [s.current_streak for s in rows],
                "Longest streak": [s.longest_streak for s in rows],
            }),
            hide_index=True, width="stretch", height=min(38 + 35 * len(rows), 460), key="standings_table",
            column_config={
                "Rank": st.column_config.NumberColumn("Rank", format="%d", width=56),
                "Participant": st.column_config.TextColumn("Participant", width=200,
                                                           help="A person, or a team ranked as one"),
                "Points": st.column_config.NumberColumn("Points", format="%.1f", width=72,
                                                        help="Challenge points + 10 per active day"),
                "Challenge points": st.column_config.NumberColumn("Challenges", format="%.1f", width=92,
                                                                  help="Points from closed challenges' private "
                                                                       "ranks"),
                "Active days": st.column_config.NumberColumn("Days", format="%d", width=60,
                                                             help=f"Days of {season.days} with a submission "
                                                                  "or a check-in"),
                "Streak": st.column_config.NumberColumn("Streak", format="%d", width=64,
                                                        help="Current run of active days"),
                "Longest streak": st.column_config.NumberColumn("Longest", format="%d", width=72,
                                                                help="Longest run of active days"),
            },
        )
    st.caption(FORMULA)


def leaders_calendar(season: SeasonView, board: data.SeasonBoard, over: int) -> None:
    top = [(s.participant, s.days, s.joined_day) for s in board.standings[:TOP_CALENDAR]]
    chart = charts.standings_calendar(top, over)
    if chart is not None:
        st.subheader(f"The leaders' {season.days} days")
        st.caption("Blank days came before someone joined; only the days since count as missed.")
        st.altair_chart(chart, width="stretch", key="standings_calendar")


def check_in_section(season: SeasonView, over: int, season_day: int | None) -> None:
    st.subheader("Check in")
    st.caption("Log what you learned today: every active day adds 10 points and keeps your streak going.")
    who = participant_box(purpose="check in")
    if who is None:
        return
    _, token = who
    ws = data.workspace()
    try:
        mine = actions.my_season(ws, token=token, season_slug=season.slug)  # per token: never cached
    except KitError as error:
        st.error(md_escape(str(error)))
        return
    cols = st.columns(3)
    cols[0].metric("Streak", f"{mine.streak.current} d", border=True, help="Your current run of active days")
    cols[1].metric("Longest", f"{mine.streak.longest} d", border=True, help="Your longest run of active days")
    cols[2].metric("Active days", f"{sum(mine.streak.days)}/{season.days}", border=True)
    st.altair_chart(charts.streak_calendar(mine.streak.days, over, season_day, mine.joined_day), width="stretch",
                    key="my_calendar")

    if not season_day:
        st.caption(f"Check-ins count only on the season's {season.days} days.")
    with st.form("check_in", clear_on_submit=True):
        note = st.text_area("What I learned today", max_chars=MAX_NOTE_CHARS, height=90,
                            placeholder="e.g. batch norm made my CNN converge in half the epochs")
        url = st.text_input("Link (optional)", max_chars=MAX_URL_CHARS, placeholder="https://…",
                            help="A blog or social post about it: http:// or https:// only.")
        sent = st.form_submit_button("Check in", type="primary", icon=":material/task_alt:")
    if sent:
        try:
            done = actions.check_in(ws, token=token, season_slug=season.slug, note=note, url=url)
        except KitError as error:
            st.error(md_escape(str(error)), icon=":material/block:")
        else:
            data.clear_public_caches()
            st.session_state[CHECKED_IN] = f"Checked in for day {done.day} of {season.days}."
            st.rerun()
    if st.session_state.get(CHECKED_IN):
        st.success(st.session_state.pop(CHECKED_IN), icon=":material/check_circle:")

    st.markdown("**Your recent check-ins**")
    if not mine.checkins:
        st.caption("No check-ins yet — log what you learned today.")
    else:
        for entry in mine.checkins[:7]:  # a note is plain text (st.text), a link a button: never markdown or HTML
            with st.container(border=True):
                st.caption(f"Day {entry.day} · {fmt_time(entry.logged_at, tz)}")
                st.text(entry.note)
                if entry.url:
                    st.link_button("Open the link", entry.url, icon=":material/open_in_new:", help=entry.url)


def winners_section(season_challenges: list[ChallengeView], board: data.SeasonBoard) -> None:
    st.subheader("Weekly winners")
    if not board.winners:
        st.info("No winners yet — each week's top three appear here when its challenge closes.",
                icon=":material/emoji_events:")
        return
    by_slug = {c.slug: c for c in season_challenges}
    slugs = list(dict.fromkeys(w.challenge for w in board.winners))
    # The row of columns repeats as often as needed; the last repeat may have spare columns.
    for column, slug in zip(st.columns(min(len(slugs), 3)) * ((len(slugs) + 2) // 3), slugs, strict=False):
        rows = [w for w in board.winners if w.challenge == slug]
        challenge = by_slug.get(slug)
        heading = challenge.heading if challenge else slug
        with column.container(border=True):
            st.markdown(f"**{heading}**")
            decimals = challenge.metric.decimals if challenge else 5
            label = challenge.metric.label if challenge else "score"
            st.dataframe(
                pd.DataFrame({
                    "Place": [w.place for w in rows],
                    "Participant": [w.participant for w in rows],
                    "Private score": [w.score for w in rows],
                    "Award": [w.award or "" for w in rows],
                }),
                hide_index=True, width="stretch", key=f"winners_{slug}",
                column_config={
                    "Place": st.column_config.NumberColumn("Place", format="%d", width="small"),
                    "Private score": st.column_config.NumberColumn(f"Private {label}", format=f"%.{decimals}f"),
                    "Award": st.column_config.TextColumn("Award", help="The organizer's note (swag, GPU credits)"),
                },
            )


if not overview.seasons:
    st.title("Challenge kit")
    st.info("There is no season yet. An organizer creates one with `kit season create`, or try `kit demo`.",
            icon=":material/calendar_month:")
else:
    seasons = {s.slug: s for s in overview.seasons}
    slugs = list(seasons)[::-1]  # the latest first
    chosen = slugs[0]
    if len(slugs) > 1:
        chosen = st.selectbox("Season", slugs, format_func=lambda s: seasons[s].name, key="season_pick")
    season = seasons[chosen]
    st.title(season.name)
    today = now.astimezone(tz).date()
    tag = f" · {season.hashtag}" if season.hashtag else ""
    st.markdown(f"### {season.progress_text(today).capitalize()}")
    st.progress((season.day or (season.days if today > season.ends_on else 0)) / season.days)
    st.caption(f"Day 1 was {season.starts_on:%A %d %B %Y}; the last day is {season.ends_on:%A %d %B %Y} "
               f"({season.timezone}){tag}")
    mine = [c for c in overview.challenges if c.season_slug == season.slug]
    st.subheader("Weekly challenges")
    if not mine:
        st.info("No challenges in this season yet; the organizer adds one each week.")
    for challenge in sorted(mine, key=lambda c: (c.week or 99, c.opens_at)):
        challenge_card(challenge)

    board = data.season_board(data.database_key(), season.slug)
    over = board.today - 1 if board.today else days_over(season, today)
    standings_section(season, board)
    left, right = st.columns([3, 2], gap="large")
    with left:
        leaders_calendar(season, board, over)
    with right:
        check_in_section(season, over, board.today)
    winners_section(mine, board)

others = [c for c in overview.challenges if c.season_slug is None]
if others:
    st.subheader("Other challenges" if overview.seasons else "Challenges")
    for challenge in others:
        challenge_card(challenge)
elif not overview.challenges:
    st.caption("No challenges yet: add one with `kit challenge add SPEC.toml` or on the Organizer page.")
