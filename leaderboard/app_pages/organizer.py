"""Organizer: add and close challenges, export, register people, award winners. Behind the organizer token."""

from __future__ import annotations

import functools

import streamlit as st

from kit.errors import KitError
from leaderboard import actions, data
from leaderboard.components import ORGANIZER_TOKEN
from leaderboard.views import fmt_score, md_escape

st.title("Organizer")
ws = data.workspace()
token = st.session_state.get(ORGANIZER_TOKEN)

if not token:
    st.markdown("Organizer actions need the organizer token printed by `kit init` (or `kit demo`).")
    with st.form("organizer_sign_in"):
        given = st.text_input("Organizer token", type="password")
        if st.form_submit_button("Sign in", type="primary"):
            try:
                actions.organizer_sign_in(ws, given)
            except KitError as error:
                st.error(str(error))
            else:
                st.session_state[ORGANIZER_TOKEN] = given.strip()
                st.rerun()
    st.stop()

top_left, top_right = st.columns([5, 1], vertical_alignment="center")
top_left.caption("Signed in as the organizer. Every action checks the token again.")
if top_right.button("Sign out", key="organizer_sign_out", width="stretch"):
    st.session_state.pop(ORGANIZER_TOKEN, None)
    st.rerun()

challenges = list(data.overview(data.database_key()).challenges)
by_slug = {c.slug: c for c in challenges}
add_tab, close_tab, export_tab, people_tab, awards_tab = st.tabs(["Add a challenge", "Close a challenge", "Export",
                                                                  "Register a participant", "Awards"])

with add_tab:
    st.markdown("Upload a challenge spec (TOML). If its data source is `csv:PATH`, upload that CSV too.")
    with st.form("add_challenge", clear_on_submit=True):
        spec_file = st.file_uploader("Challenge spec", type=["toml"])
        data_file = st.file_uploader("Data CSV (for csv: sources)", type=["csv"])
        if st.form_submit_button("Add challenge", type="primary"):
            if spec_file is None:
                st.warning("Choose a spec file first.")
            elif spec_file.size > actions.MAX_SPEC_BYTES or (data_file and data_file.size > actions.MAX_DATA_BYTES):
                st.error(f"Too large: a spec is at most {actions.MAX_SPEC_BYTES:,} bytes and a data file at most "
                         f"{actions.MAX_DATA_BYTES:,} bytes.")
            else:
                try:
                    with st.spinner("Building the bundle and the solution…"):
                        slug = actions.add_challenge_from_upload(
                            ws, organizer_token=token, spec_bytes=spec_file.getvalue(),
                            data_name=data_file.name if data_file else None,
                            data_bytes=data_file.getvalue() if data_file else None)
                except KitError as error:
                    st.error(str(error))
                except (ValueError, TypeError, KeyError) as error:  # the organizer's own data, not a secret
                    st.error(f"The challenge could not be built from this spec and data: {error}")
                else:
                    data.clear_public_caches()
                    st.success(f"Added challenge **{slug}**.")

with close_tab:
    open_ones = [c.slug for c in challenges if c.status == "open"]
    if not open_ones:
        st.info("No challenge is open.")
    else:
        slug = st.selectbox("Challenge to close", open_ones, format_func=lambda s: by_slug[s].title, key="close_pick")
        st.warning("Closing stops submissions and reveals the private leaderboard. It cannot be undone.")
        confirm = st.checkbox(f"Yes, close {slug} now", key="close_confirm")
        if st.button("Close challenge", type="primary", disabled=not confirm):
            try:
                actions.close(ws, organizer_token=token, slug=slug)
            except KitError as error:
                st.error(str(error))
            else:
                data.clear_public_caches()
                st.success(f"Closed **{slug}**; its private leaderboard is now shown.")

with export_tab:
    if not challenges:
        st.info("No challenges yet.")
    else:
        slug = st.selectbox("Challenge", list(by_slug), format_func=lambda s: by_slug[s].title, key="export_pick")
        closed = by_slug[slug].is_closed
        st.download_button("Public leaderboard (CSV)", key="export_public", on_click="ignore",
                           data=functools.partial(actions.board_export, ws, organizer_token=token, slug=slug,
                                                  private=False),
                           file_name=f"{slug}-public-leaderboard.csv", mime="text/csv", icon=":material/download:")
        st.download_button("Private leaderboard (CSV)", key="export_private", on_click="ignore", disabled=not closed,
                           data=functools.partial(actions.board_export, ws, organizer_token=token, slug=slug,
                                                  private=True) if closed else b"",
                           file_name=f"{slug}-private-leaderboard.csv", mime="text/csv", icon=":material/download:",
                           help=None if closed else "Revealed when the challenge closes.")
        st.download_button("All submissions (zip: raw files + index.csv)", key="export_zip", on_click="ignore",
                           data=functools.partial(actions.submissions_export, ws, organizer_token=token, slug=slug),
                           file_name=f"{slug}-submissions.zip", mime="application/zip",
                           icon=":material/folder_zip:")

with people_tab:
    st.markdown("Register someone yourself (for seasons with self-registration turned off). "
                "Give them the token privately; it is shown only once.")
    with st.form("register_for", clear_on_submit=True):
        name = st.text_input("Participant name", max_chars=40)
        if st.form_submit_button("Register"):
            try:
                stored, new_token = actions.register_for(ws, organizer_token=token, name=name)
            except KitError as error:
                st.error(str(error))
            else:
                st.success(f"Registered **{stored}**. Their token (shown only this once):")
                st.code(new_token, language=None)

with awards_tab:
    st.markdown("Name a closed challenge's winners: a note (swag, GPU credits) for place 1, 2 or 3 on its private "
                "leaderboard. It shows on the Season page's weekly winners; recording a place again replaces it.")
    closed_ones = [c.slug for c in challenges if c.is_closed]
    if not closed_ones:
        st.info("No challenge is closed yet: winners are known when a challenge closes.")
    else:
        slug = st.selectbox("Closed challenge", closed_ones, format_func=lambda s: by_slug[s].heading,
                            key="award_pick")
        metric = by_slug[slug].metric
        ranked = [r for r in data.board(data.database_key(), slug).rows if r.rank is not None][:3]
        if not ranked:
            st.info("Nobody is ranked on this challenge's private leaderboard.")
        else:
            who = {r.rank: f"{r.rank} · {r.participant} ({fmt_score(r.score, metric.decimals)})" for r in ranked}
            with st.form("award", clear_on_submit=True):
                place = st.selectbox("Place", list(who), format_func=who.get, key="award_place")
                note = st.text_input("Award note", max_chars=500, placeholder="e.g. A t-shirt and $50 of GPU credits")
                if st.form_submit_button("Record award", type="primary", icon=":material/emoji_events:"):
                    try:
                        winner = actions.award(ws, organizer_token=token, slug=slug, place=place, note=note)
                    except KitError as error:
                        st.error(str(error))
                    else:
                        data.clear_public_caches()
                        st.success(f"Award for place {place} on {slug} ({md_escape(winner)}): {md_escape(note)}")
