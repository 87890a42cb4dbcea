"""Team: create a team or join one with an invite code; see your team and its code; leave it."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from kit.errors import KitError
from leaderboard import actions, data
from leaderboard.components import participant_box, zone
from leaderboard.views import fmt_time, md_escape

st.title("Team")
ws = data.workspace()
seasons = data.overview(data.database_key()).seasons
if not seasons:
    st.info("There is no season yet: teams belong to a season.")
    st.stop()
season = seasons[-1]  # the latest season, as the CLI's `kit team` uses
st.caption(f"Teams of **{md_escape(season.name)}** submit, rank and win as one: the daily limit counts the team's "
           "submissions and each board shows the team's best.")

who = participant_box(purpose="see or form your team")
if who:
    name, token = who
    try:
        mine = actions.my_team(ws, token=token, season_slug=season.slug)
    except KitError as error:
        st.error(md_escape(str(error)))
        st.stop()
    if mine is not None:
        with st.container(border=True):
            st.subheader(mine.name)
            st.markdown(f"Members ({len(mine.members)} of at most {mine.max_size}): " + ", ".join(map(md_escape, mine.members)))
            st.markdown("Invite code (share it only with people you want in the team):")
            st.code(mine.invite_code, language=None)
            st.caption(f"Joining and leaving close {fmt_time(mine.merge_deadline, zone())}.")
            confirm = st.checkbox(f"Yes, I leave {mine.name}", key="team_leave_confirm")
            if st.button("Leave team", disabled=not confirm, key="team_leave"):
                try:
                    left = actions.leave_my_team(ws, token=token, season_slug=season.slug)
                except KitError as error:
                    st.error(md_escape(str(error)))
                else:
                    data.clear_public_caches()
                    st.success(f"You left {md_escape(left)}. Your submissions to open challenges are yours alone again.")
    else:
        create_column, join_column = st.columns(2)
        with create_column.form("team_create", clear_on_submit=True):
            st.markdown("**Create a team** and get its invite code")
            team_name = st.text_input("Team name", max_chars=40)
            if st.form_submit_button("Create team", type="primary"):
                try:
                    made = actions.create_my_team(ws, token=token, season_slug=season.slug, name=team_name)
                except KitError as error:
                    st.error(md_escape(str(error)))
                else:
                    data.clear_public_caches()
                    st.success(f"Created **{md_escape(made.name)}**. Share its invite code: {md_escape(made.invite_code)}")
        with join_column.form("team_join", clear_on_submit=True):
            st.markdown("**Join a team** with the code a member gave you")
            code = st.text_input("Invite code", max_chars=100)
            if st.form_submit_button("Join team", type="primary"):
                try:
                    joined = actions.join_a_team(ws, token=token, invite_code=code)
                except KitError as error:
                    st.error(md_escape(str(error)))
                else:
                    data.clear_public_caches()
                    st.success(f"You joined **{md_escape(joined.name)}**: " + ", ".join(map(md_escape, joined.members)))
        st.caption("Joining while you already have submissions is a merge: it is allowed while the merged team's "
                   "submissions fit within what one team could have made so far (daily limit × days open).")

st.subheader("Teams")
teams = actions.season_teams(ws, season.slug)
if not teams:
    st.info("No teams yet.")
else:
    st.dataframe(pd.DataFrame({"Team": [t for t, _ in teams],
                               "Members": [", ".join(m) or "(nobody now)" for _, m in teams]}),
                 hide_index=True, width="stretch")
