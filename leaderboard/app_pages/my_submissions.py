"""My submissions: history, a score chart, and the choice of final submissions."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from kit.errors import KitError
from leaderboard import actions, charts, data
from leaderboard.components import BASELINE_HINT, participant_box, pick_challenge, zone
from leaderboard.views import fmt_short_time, md_escape


def span(low: float | None, high: float | None, decimals: int) -> str:
    return "" if low is None or high is None else f"{low:.{decimals}f}–{high:.{decimals}f}"


SAVED = "finals_saved_message"

st.title("My submissions")
ws = data.workspace()
who = participant_box(purpose="see your submissions")
if who is None:
    st.stop()
name, token = who

started = [c for c in data.overview(data.database_key()).challenges if c.status != "upcoming"]
if not started:
    st.info("No challenge has opened yet. See the Season page for what comes next.")
    st.stop()
challenge = pick_challenge(started, key="mine_pick")
metric = challenge.metric
tz = zone()

try:
    history = actions.my_history(ws, slug=challenge.slug, token=token)  # per token: never cached
except KitError as error:
    st.error(md_escape(str(error)))
    st.stop()

rows = list(history.submissions)
if not rows:
    st.info("No submissions yet — download the data and run a baseline:", icon=":material/rocket_launch:")
    st.code(BASELINE_HINT.format(slug=challenge.slug), language="bash")
    st.stop()

scored = [r for r in rows if r.status == "scored"]
cols = st.columns(3)
decimals = history.decimals  # public scores are shown to the noise of the public rows
best = (max if metric.higher_is_better else min)((r.public_score for r in scored), default=None)
cols[0].metric(f"Best public {metric.label}", "–" if best is None else f"{best:.{decimals}f}", border=True)
cols[1].metric("Scored submissions", len(scored), border=True,
               help=f"{len(rows) - len(scored)} rejected file(s) are listed below too; they never count.")
cols[2].metric("Left today", max(0, challenge.daily_limit - history.scored_today), border=True,
               help="Resets at 00:00 UTC. Rejected files do not count.")

closed = history.closed
# While open: the public score and its interval; once closed: the private score and its interval
# beside the public score. Private columns are left out until then (the scores are hidden).
frame = pd.DataFrame({
    "Id": [r.id for r in rows],
    "Submitted": [fmt_short_time(r.submitted_at, tz) for r in rows],
    "File": [r.filename for r in rows],
    "Message": [r.message for r in rows],
    "Status": [r.status for r in rows],
    "Public": [r.public_score for r in rows],
    **({"Private": [r.private_score for r in rows],
        "Private 95 %": [span(r.private_low, r.private_high, metric.decimals) for r in rows]} if closed
       else {"Public 95 %": [span(r.public_low, r.public_high, decimals) for r in rows]}),
    "Final": [r.selected for r in rows],
}).iloc[::-1]
# Fixed widths keep every column in view at a laptop's width; a long file name or message is cut in
# its cell (hover shows it whole) and rejection reasons are written out in full under the table.
st.dataframe(frame, hide_index=True, width="stretch", key="my_submissions_table", column_config={
    "Id": st.column_config.NumberColumn("Id", format="%d", width=52),
    "Submitted": st.column_config.TextColumn("Submitted", width=96, help=f"In your time zone ({tz})"),
    "File": st.column_config.TextColumn("File", width=110 if closed else 130),
    "Message": st.column_config.TextColumn("Message", width=120 if closed else 150),
    "Status": st.column_config.TextColumn("Status", width=76, help="Rejected files are explained below the table"),
    "Public": st.column_config.NumberColumn(f"Public {metric.arrow}", format=f"%.{decimals}f", width=92,
                                            help=f"Public score: {metric.explained}"),
    "Public 95 %": st.column_config.TextColumn("Public 95 %", width=110,
                                               help="The public score's 95 % interval"),
    "Private": st.column_config.NumberColumn(f"Private {metric.arrow}", format=f"%.{metric.decimals}f", width=92,
                                             help=f"Private score: {metric.explained}"),
    "Private 95 %": st.column_config.TextColumn("Private 95 %", width=104,
                                                help="The private score's 95 % interval"),
    "Final": st.column_config.CheckboxColumn("Final", width=52),
})
if not closed:
    st.caption("Private scores are hidden until close.")
rejected = [r for r in reversed(rows) if r.status != "scored"]
if rejected:
    with st.expander(f"Why {len(rejected)} file(s) were rejected", expanded=True, icon=":material/block:"):
        for r in rejected:  # escaped: a rejection can quote what the file held
            st.markdown(md_escape(f"#{r.id} ({r.filename}): {r.error}"))

chart = charts.my_scores_chart([(r.id, r.submitted_at, r.public_score, r.selected) for r in scored], metric, tz)
if chart is not None:
    st.subheader("Public score per submission")
    st.altair_chart(chart, width="stretch")

if len(scored) >= 2:
    st.subheader("Is it really better than my best?")
    st.caption("A paired comparison on the same rows: the difference, its 95 % interval, and whether the rows "
               "can tell the two apart.")
    by_id = {r.id: r for r in scored}
    newest = scored[-1].id
    picked_id = st.selectbox("Submission", list(reversed(by_id)), key="compare_pick",
                             format_func=lambda i: f"#{i} · {by_id[i].public_score:.{decimals}f} · "
                                                   f"{by_id[i].message or by_id[i].filename}")
    try:
        found = actions.compare_with(ws, slug=challenge.slug, token=token, submission_id=picked_id or newest)
    except KitError as error:
        st.info(md_escape(str(error)))
    else:
        for comparison in found:
            icon = {"better": ":material/trending_up:", "worse": ":material/trending_down:"}.get(
                comparison.verdict, ":material/drag_handle:")
            st.markdown(f"{icon} {md_escape(comparison.message)}")

if history.closed and scored:
    shifts, season = actions.my_reveal(ws, slug=challenge.slug, token=token)
    st.subheader("Public → private")
    st.caption("How each submission did on the private rows, revealed at close. A shift inside both intervals is "
               "what two samples of rows give by chance; a larger one is overfitting the public rows (or luck).")
    st.dataframe(pd.DataFrame({
        "Id": [s.submission_id for s in shifts],
        "Public": [s.public_score for s in shifts],
        "Public 95 %": [span(s.public_low, s.public_high, metric.decimals) for s in shifts],
        "Private": [s.private_score for s in shifts],
        "Private 95 %": [span(s.private_low, s.private_high, metric.decimals) for s in shifts],
        "Shift": [s.gap for s in shifts],
        "Within noise": [s.within_noise for s in shifts],
    }), hide_index=True, width="stretch", key="reveal_table", column_config={
        "Public": st.column_config.NumberColumn(format=f"%.{metric.decimals}f"),
        "Private": st.column_config.NumberColumn(format=f"%.{metric.decimals}f"),
        "Shift": st.column_config.NumberColumn("Private − public", format=f"%+.{metric.decimals}f"),
    })
    if len(season) > 1:
        st.subheader("Your public–private gap, challenge by challenge")
        st.dataframe(pd.DataFrame({
            "Challenge": [s.challenge for s in season], "Metric": [s.metric for s in season],
            "Public": [s.public_score for s in season], "Private": [s.private_score for s in season],
            "Private − public": [s.gap for s in season], "Within noise": [s.within_noise for s in season],
        }), hide_index=True, width="stretch", key="season_gaps")

st.subheader("Final submissions")
if history.closed:
    chosen = [r.id for r in rows if r.selected]
    st.caption("The challenge is closed; final submissions can no longer change. "
               + (f"Yours: {', '.join(map(str, chosen))}." if chosen
                  else f"You chose none, so your best {challenge.final_selections} public submission(s) counted."))
elif not scored:
    st.caption("Only scored submissions can be final.")
else:
    st.caption(f"Choose up to {challenge.final_selections}; the best of them on the private rows counts when the "
               f"challenge closes. With none chosen, your best {challenge.final_selections} public "
               "submission(s) count.")
    labels = {r.id: f"#{r.id} · {r.public_score:.{decimals}f} · {r.message or r.filename}" for r in scored}
    with st.form("finals"):
        picked = st.multiselect("Final submissions", list(labels), default=[r.id for r in scored if r.selected],
                                format_func=labels.get, max_selections=challenge.final_selections)
        if st.form_submit_button("Save final submissions", type="primary"):
            try:
                saved = actions.save_finals(ws, slug=challenge.slug, token=token, submission_ids=picked)
            except KitError as error:
                st.error(md_escape(str(error)))
            else:
                st.session_state[SAVED] = f"Final submissions saved: {', '.join(f'#{i}' for i in saved)}."
                st.rerun()
    if st.session_state.get(SAVED):
        st.success(st.session_state.pop(SAVED), icon=":material/check_circle:")
