"""Challenge: description, metric, dates and limits, the bundle, the leaderboard and its chart."""

from __future__ import annotations

import functools

import streamlit as st

from kit.clock import utcnow
from leaderboard import charts, data
from leaderboard.components import (
    SUBMIT_PAGE,
    card,
    empty_board,
    pick_challenge,
    show_board,
    zone,
)
from leaderboard.views import STATUS_BADGES, fmt_bytes, fmt_time, md_escape, status_text

overview = data.overview(data.database_key())
challenge = pick_challenge(list(overview.challenges), key="challenge_pick")
if challenge is None:
    st.title("Challenges")
    st.info("No challenges yet: an organizer adds one with `kit challenge add SPEC.toml` or on the Organizer page.")
    st.stop()

tz = zone()
metric = challenge.metric
st.title(challenge.heading)
season = next((s for s in overview.seasons if s.slug == challenge.season_slug), None)
st.markdown(f"{STATUS_BADGES[challenge.status]} {status_text(challenge, utcnow())} · "
            f"`{challenge.slug}` · metric **{metric.label}**")
if season is not None:
    today = utcnow().astimezone(tz).date()
    st.caption(f":material/calendar_month: {md_escape(season.name)} · "
               f"**{season.progress_text(today).capitalize()}**"
               + (f" · week {challenge.week}" if challenge.week else ""))

board = data.board(data.database_key(), challenge.slug)
ranked = [r for r in board.rows if r.rank is not None]
cols = st.columns(4)
leader = ranked[0] if ranked else None
# Cards wrap long values (a metric's name, a team's name) instead of cutting them off.
card(cols[0], "Metric", metric.label, help=metric.explained)
card(cols[1], "Participants", str(len(ranked)))
card(cols[2], "Leader" if not board.private else "Winner", leader.participant if leader else "–",
     help=None if not leader else
     f"{metric.name}: {leader.score:.{metric.decimals if board.private else board.public_decimals}f}")
card(cols[3], "Closes" if challenge.status != "closed" else "Closed", fmt_time(challenge.ends_at, tz).split(" ")[0],
     help=fmt_time(challenge.ends_at, tz))

# The board spans the page so every column (intervals, ties, shake-up) shows without sideways
# scrolling at a laptop's width; the chart and the challenge's details share the row below.
share = f"{challenge.public_rows / challenge.test_rows:.0%}" if challenge.test_rows else "part"
if board.private:
    # After close the private board leads; the public one stays a click away.
    private_tab, public_tab = st.tabs(["Private leaderboard", "Public leaderboard"])
    with private_tab:
        st.caption(f"Final standings on the private rows, from each participant's final submissions. "
                   f"Shake-up compares with the public rank. {metric.explained}.")
        show_board(list(board.rows), challenge, private=True, key="private_board")
    with public_tab:
        st.caption(f"The board as it stood at close, on {share} of the test rows. {metric.explained}.")
        show_board(list(board.public_rows), challenge, private=False, key="public_board",
                   decimals=board.public_decimals)
else:
    st.subheader("Public leaderboard")
    st.caption(f"Scored on {share} of the test rows; the private leaderboard, on the rest, is revealed "
               f"when the challenge closes. {metric.explained}. Each score comes with its 95 % interval; "
               f"rows marked *tied* (and shaded together) are not significantly different from the row "
               f"above, so their order is noise. Scores are shown to {board.public_decimals} decimals, "
               "the noise of the public rows."
               + (" **Ladder:** a displayed score changes only when a submission beats it by more than "
                  "the noise." if challenge.public_board == "ladder" else ""))
    if board.rows:
        show_board(list(board.rows), challenge, private=False, key="public_board",
                   decimals=board.public_decimals)
    else:
        empty_board(challenge.slug)
if challenge.status == "open":
    st.page_link(SUBMIT_PAGE, label="Submit a prediction", icon=":material/upload_file:",
                 query_params={"challenge": challenge.slug})


main, side = st.columns([7, 3], gap="large")
with main:
    st.subheader("Best public score over time")
    baselines = [r for r in board.public_rows if r.is_baseline]
    chart = charts.leaders_chart(list(board.history), baselines, metric, tz)
    if chart is None:
        st.caption("The chart appears with the first participant's scored submission.")
    else:
        st.altair_chart(chart, width="stretch", key="leaders_chart")
        st.caption("Dashed lines: the kit's baselines near the participants' scores. Baselines are never ranked.")

with side:
    st.subheader("About")
    if challenge.description.strip():
        st.markdown(challenge.description)
    task = f"{challenge.task}, target `{challenge.target}`"
    if challenge.classes:
        shown = ", ".join(str(c) for c in challenge.classes[:12]) + (" …" if len(challenge.classes) > 12 else "")
        task += f" ({len(challenge.classes)} classes: {shown})"
    st.markdown(
        f"- **Task:** {task}\n"
        f"- **Metric:** {metric.explained}, public scores shown to {board.public_decimals} decimals (their noise)\n"
        f"- **Opens:** {fmt_time(challenge.opens_at, tz)}\n"
        f"- **Closes:** {fmt_time(challenge.ends_at, tz)}\n"
        f"- **Rows:** {challenge.train_rows:,} train, {challenge.test_rows:,} test\n"
        f"- **Limits:** {challenge.daily_limit} submissions a day (UTC), {challenge.final_selections} final "
        f"selection(s), files up to {fmt_bytes(challenge.max_file_bytes)}\n"
        f"- **Submission:** header `{','.join(challenge.submission_header)}`, one row per test id"
    )
    st.subheader("Data")
    ws = data.workspace()
    for entry in data.bundle_listing(data.database_key(), challenge.slug):
        st.download_button(
            f"{entry.name} · {fmt_bytes(entry.size)}", key=f"download_{challenge.slug}_{entry.name}",
            data=functools.partial(data.bundle_bytes_from, ws, challenge.slug, entry.name),
            file_name=entry.name, mime="text/markdown" if entry.name.endswith(".md") else "text/csv",
            icon=":material/download:", on_click="ignore", width="stretch",
        )
    st.caption(f"Or from a terminal: `kit download {challenge.slug}`")
