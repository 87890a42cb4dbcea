"""Submit: upload a CSV and see its score and rank, or the exact rejection, at once."""

from __future__ import annotations

import math

import streamlit as st

from kit.errors import KitError
from kit.submission_file import check_file_size
from leaderboard import actions, data
from leaderboard.components import CHALLENGE_PAGE, participant_box, pick_challenge
from leaderboard.views import fmt_bytes, fmt_score, md_escape

LAST_OUTCOME = "submit_last_outcome"

st.title("Submit")
ws = data.workspace()
who = participant_box(purpose="submit")
if who is None:
    st.stop()
name, token = who

open_challenges = [c for c in data.overview(data.database_key()).challenges if c.status == "open"]
if not open_challenges:
    st.info("No challenge is open for submissions right now. See the Season page for what comes next.")
    st.stop()
challenge = pick_challenge(open_challenges, key="submit_pick")
metric = challenge.metric


def show_outcome(outcome: actions.Outcome) -> None:
    if outcome.status == "scored":
        rank = f" You are **#{outcome.rank}** on the public leaderboard." if outcome.rank else ""
        st.success(f"Submission {outcome.submission_id} ({md_escape(outcome.filename)}) scored "
                   f"**{fmt_score(outcome.public_score, metric.decimals)}** public {metric.label}.{rank} "
                   f"{outcome.left_today} submission(s) left today.",
                   icon=":material/check_circle:")
        st.page_link(CHALLENGE_PAGE, label="See the leaderboard", icon=":material/leaderboard:",
                     query_params={"challenge": outcome.slug})
    else:
        st.error(f"Submission {outcome.submission_id} ({md_escape(outcome.filename)}) was rejected: "
                 f"{md_escape(outcome.error)}",
                 icon=":material/error:")
        st.caption("A rejected file does not use up one of today's submissions.")


try:
    history = actions.my_history(ws, slug=challenge.slug, token=token)  # per token: never cached
except KitError as error:
    st.error(md_escape(str(error)))
    st.stop()
left_today = max(0, challenge.daily_limit - history.scored_today)
st.markdown(f"**{md_escape(challenge.title)}** · {metric.explained} · **{left_today} of {challenge.daily_limit}** "
            f"submissions left today (resets 00:00 UTC) · files up to {fmt_bytes(challenge.max_file_bytes)}")

with st.form("submit", clear_on_submit=True):
    upload = st.file_uploader("Submission CSV", type=["csv", "gz"],
                              max_upload_size=max(1, math.ceil(challenge.max_file_bytes / 1024**2)),
                              help=f"Header `{','.join(challenge.submission_header)}`, one row per id "
                                   "of test.csv — like sample_submission.csv.")
    message = st.text_input("Message (optional)", max_chars=500, placeholder="e.g. logreg, C=0.5")
    sent = st.form_submit_button("Submit", type="primary", icon=":material/send:")

if sent:
    if upload is None:
        st.warning("Choose a CSV file first.")
    else:
        try:
            check_file_size(upload.size, challenge.max_file_bytes)  # before reading the bytes
            with st.spinner("Grading…"):
                outcome = actions.submit_file(ws, slug=challenge.slug, token=token, content=upload.getvalue(),
                                              filename=upload.name, message=message)
        except KitError as error:
            st.session_state.pop(LAST_OUTCOME, None)
            st.error(md_escape(str(error)), icon=":material/block:")
        else:
            data.clear_public_caches()
            st.session_state[LAST_OUTCOME] = outcome
            st.rerun()

last = st.session_state.get(LAST_OUTCOME)
if isinstance(last, actions.Outcome) and last.slug == challenge.slug:
    show_outcome(last)
