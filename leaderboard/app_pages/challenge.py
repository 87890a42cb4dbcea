"""Challenge: description, metric, dates and limits, the bundle, the leaderboard and its chart."""

from __future__ import annotations

import functools

import streamlit as st

from kit.clock import utcnow
from leaderboard import charts, data
from leaderboard.components import (
    SUBMIT_PAGE,
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
cols[0].metric("Metric", metric.label, help=metric.explained, border=True)
cols[1].metric("Participants", len(ranked), border=True)
leader = ranked[0] if ranked else None
cols[2].metric("Leader" if not board.private else "Winner", leader.participant if leader else "–", border=True,
               help=None if not leader else f"{metric.name}: {leader.score:.{metric.decimals}f}")
cols[3].metric("Closes" if challenge.status != "closed" else "Closed", fmt_time(challenge.ends_at, tz).split(" ")[0],
               border=True, help=fmt_time(challenge.ends_at, tz))

main, side = st.columns([7, 3], gap="large")
with main:
    title = "Private leaderboard" if board.private else "Public leaderboard"
    st.subheader(title)
    if board.private:
        st.caption(f"Final standings on the private rows, from each participant's final submissions. "
                   f"Shake-up compares with the public rank. {metric.explained}.")
    else:
        share = f"{challenge.public_rows / challenge.test_rows:.0%}" if challenge.test_rows else "part"
        st.caption(f"Scored on {share} of the test rows; the private leaderboard, on the rest, is revealed "
                   f"when the challenge closes. {metric.explained}.")
    if board.rows:
        show_board(list(board.rows), challenge, private=board.private)
    else:
        empty_board(challenge.slug)
    if challenge.status == "open":
        st.page_link(SUBMIT_PAGE, label="Submit a prediction", icon=":material/upload_file:",
                     query_params={"challenge": challenge.slug})

    st.subheader("Best public score over time")
    chart = charts.leaders_chart(list(board.history), [r for r in board.rows if r.is_baseline and not board.private],
                                 metric, tz)
    if chart is None:
        st.caption("The chart appears with the first participant's scored submission.")
    else:
        st.altair_chart(chart, width="stretch")

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
        f"- **Metric:** {metric.explained}, shown to {metric.decimals} decimals\n"
        f"- **Opens:** {fmt_time(challenge.opens_at, tz)}\n"
        f"- **Closes:** {fmt_time(challenge.ends_at, tz)}\n"
        f"- **Rows:** {challenge.train_rows:,} train, {challenge.test_rows:,} test\n"
        f"- **Limits:** {challenge.daily_limit} submissions a day (UTC), {challenge.final_selections} final "
        f"selection(s), files up to {fmt_bytes(challenge.max_file_bytes)}\n"
        f"- **Submission:** `{challenge.id_column}` and `{challenge.target}` columns, one row per test id"
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
