"""My submissions: history, a score chart, and the choice of final submissions."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from kit.errors import KitError
from leaderboard import actions, charts, data
from leaderboard.components import BASELINE_HINT, participant_box, pick_challenge, zone
from leaderboard.views import fmt_time

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
    history = actions.my_submissions(ws, slug=challenge.slug, token=token)  # per token: never cached
except KitError as error:
    st.error(str(error))
    st.stop()

rows = list(history.submissions)
if not rows:
    st.info("No submissions yet — download the data and run a baseline:", icon=":material/rocket_launch:")
    st.code(BASELINE_HINT.format(slug=challenge.slug), language="bash")
    st.stop()

scored = [r for r in rows if r.status == "scored"]
cols = st.columns(3)
best = (max if metric.higher_is_better else min)((r.public_score for r in scored), default=None)
cols[0].metric(f"Best public {metric.label}", "–" if best is None else f"{best:.{metric.decimals}f}", border=True)
cols[1].metric("Scored submissions", len(scored), border=True,
               help=f"{len(rows) - len(scored)} rejected file(s) are listed below too; they never count.")
cols[2].metric("Left today", max(0, challenge.daily_limit - history.scored_today), border=True,
               help="Resets at 00:00 UTC. Rejected files do not count.")

frame = pd.DataFrame({
    "Id": [r.id for r in rows],
    "Submitted": [fmt_time(r.submitted_at, tz) for r in rows],
    "File": [r.filename for r in rows],
    "Message": [r.message for r in rows],
    "Status": ["scored" if r.status == "scored" else f"rejected: {r.error}" for r in rows],
    "Public": [r.public_score for r in rows],
    "Private": [r.private_score for r in rows] if history.closed else ["hidden until close"] * len(rows),
    "Final": [r.selected for r in rows],
}).iloc[::-1]
st.dataframe(frame, hide_index=True, width="stretch", column_config={
    "Id": st.column_config.NumberColumn("Id", format="%d", width="small"),
    "Public": st.column_config.NumberColumn(f"Public {metric.label}", format=f"%.{metric.decimals}f"),
    "Private": (st.column_config.NumberColumn(f"Private {metric.label}", format=f"%.{metric.decimals}f")
                if history.closed else st.column_config.TextColumn("Private")),
    "Final": st.column_config.CheckboxColumn("Final", width="small"),
})

chart = charts.my_scores_chart([(r.id, r.submitted_at, r.public_score, r.selected) for r in scored], metric, tz)
if chart is not None:
    st.subheader("Public score per submission")
    st.altair_chart(chart, width="stretch")

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
    labels = {r.id: f"#{r.id} · {r.public_score:.{metric.decimals}f} · {r.message or r.filename}" for r in scored}
    with st.form("finals"):
        picked = st.multiselect("Final submissions", list(labels), default=[r.id for r in scored if r.selected],
                                format_func=labels.get, max_selections=challenge.final_selections)
        if st.form_submit_button("Save final submissions", type="primary"):
            try:
                saved = actions.save_finals(ws, slug=challenge.slug, token=token, submission_ids=picked)
            except KitError as error:
                st.error(str(error))
            else:
                st.session_state[SAVED] = f"Final submissions saved: {', '.join(f'#{i}' for i in saved)}."
                st.rerun()
    if st.session_state.get(SAVED):
        st.success(st.session_state.pop(SAVED), icon=":material/check_circle:")
