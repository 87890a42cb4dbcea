"""Join: pick a participant name and get a token, shown once."""

from __future__ import annotations

import streamlit as st

from kit.errors import KitError
from leaderboard import actions, data
from leaderboard.components import (
    PARTICIPANT_NAME,
    PARTICIPANT_TOKEN,
    SUBMIT_PAGE,
    sign_in_form,
    signed_in,
)
from leaderboard.views import md_escape

NEW_TOKEN = "join_new_token"

st.title("Join")
ws = data.workspace()

fresh = st.session_state.get(NEW_TOKEN)
if fresh:
    st.success(f"Welcome, **{md_escape(fresh[0])}**! You are signed in.", icon=":material/celebration:")
    st.warning("This is your secret token. It is shown **only this once** and cannot be recovered: "
               "copy it somewhere safe now. You need it to sign in and to submit from the command line.",
               icon=":material/key:")
    st.code(fresh[1], language=None)
    st.caption("From a terminal: `export KIT_TOKEN=<token>` then `kit submit SLUG -f submission.csv`.")
    st.markdown("You are signed in for this visit. To stay signed in on this browser after a reload:")
    sign_in_form(purpose="stay signed in", name=fresh[0], token=fresh[1], button="Stay signed in on this browser")
    if st.button("I have saved my token", type="primary"):
        st.session_state.pop(NEW_TOKEN, None)
        st.rerun()
    st.stop()

allowed, season = actions.self_registration_open(ws)
who = signed_in()
if who:
    st.info(f"You are signed in as **{md_escape(who[0])}**.", icon=":material/person:")
    st.page_link(SUBMIT_PAGE, label="Submit a prediction", icon=":material/upload_file:")
elif not allowed:
    st.info(f"Self-registration is turned off for **{md_escape(season)}**. Ask the organizer to register you; "
            "they will give you your token.", icon=":material/lock:")
else:
    st.markdown("Pick a participant or team name. It appears on the leaderboards, so choose one you are "
                "happy to share. Names are unique regardless of case.")
    with st.form("join"):
        name = st.text_input("Participant name", max_chars=40, placeholder="e.g. ada-lovelace",
                             help="3–40 letters, digits, spaces, '_', '-' or '.'")
        if st.form_submit_button("Join and get my token", type="primary"):
            try:
                stored, token = actions.join(ws, name)
            except KitError as error:
                st.error(md_escape(str(error)))
            else:
                st.session_state[PARTICIPANT_NAME] = stored
                st.session_state[PARTICIPANT_TOKEN] = token
                st.session_state[NEW_TOKEN] = (stored, token)
                st.rerun()
    st.caption("Already have a token? Sign in on the Submit page.")
