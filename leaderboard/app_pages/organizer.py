"""Organizer: add and close challenges, export, register people, award winners, webhooks. Behind the organizer token."""

from __future__ import annotations

import functools

import pandas as pd
import streamlit as st

from kit.errors import KitError
from kit.services.challenge_uploads import MAX_DATA_BYTES, MAX_SPEC_BYTES, add_challenge_from_upload
from kit.services.outbox import EVENT_KINDS as webhook_events
from kit.services.webhooks import FORMATS as webhook_formats
from leaderboard import actions, data
from leaderboard.components import organizer_sign_in_form, organizer_signed_in, sign_out_form, zone
from leaderboard.views import fmt_score, fmt_time, md_escape

st.title("Organizer")
ws = data.workspace()
# The sign-in form posts the organizer token to the server, which answers with an HttpOnly cookie naming
# a server-side session (kit.store.web_sessions): the credential; every action checks it again.
credential = organizer_signed_in()

if not credential:
    st.markdown("Organizer actions need the organizer token printed by `kit init` (or `kit demo`).")
    organizer_sign_in_form()
    st.stop()

top_left, top_right = st.columns([5, 1], vertical_alignment="center")
top_left.caption("Signed in as the organizer. Every action checks the sign-in again.")
with top_right:
    sign_out_form("/auth/organizer/sign-out")

challenges = list(data.overview(data.database_key()).challenges)
by_slug = {c.slug: c for c in challenges}
add_tab, close_tab, export_tab, people_tab, awards_tab, hooks_tab = st.tabs(
    ["Add a challenge", "Close a challenge", "Export", "Register a participant", "Awards", "Webhooks"])

with add_tab:
    st.markdown("Upload a challenge spec (TOML). If its data source is `csv:PATH`, upload that CSV too.")
    with st.form("add_challenge", clear_on_submit=True):
        spec_file = st.file_uploader("Challenge spec", type=["toml"])
        data_file = st.file_uploader("Data CSV (for csv: sources)", type=["csv"])
        if st.form_submit_button("Add challenge", type="primary"):
            if spec_file is None:
                st.warning("Choose a spec file first.")
            elif spec_file.size > MAX_SPEC_BYTES or (data_file and data_file.size > MAX_DATA_BYTES):
                st.error(f"Too large: a spec is at most {MAX_SPEC_BYTES:,} bytes and a data file at most "
                         f"{MAX_DATA_BYTES:,} bytes.")
            else:
                try:
                    with st.spinner("Building the bundle and the solution…"):
                        slug = add_challenge_from_upload(
                            ws, organizer_token=credential, spec_bytes=spec_file.getvalue(),
                            data_bytes=data_file.getvalue() if data_file else None)
                except KitError as error:
                    st.error(md_escape(str(error)))
                except (ValueError, TypeError, KeyError) as error:  # the organizer's own data, not a secret
                    st.error(f"The challenge could not be built from this spec and data: {md_escape(str(error))}")
                else:
                    data.clear_public_caches()
                    st.success(f"Added challenge **{slug}**.")
                    noise = actions.public_noise_of(ws, slug)
                    st.caption(noise.summary)
                    if noise.warning:
                        st.warning(noise.warning, icon=":material/warning:")

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
                actions.close(ws, organizer_token=credential, slug=slug)
            except KitError as error:
                st.error(md_escape(str(error)))
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
                           data=functools.partial(actions.board_export, ws, organizer_token=credential, slug=slug,
                                                  private=False),
                           file_name=f"{slug}-public-leaderboard.csv", mime="text/csv", icon=":material/download:")
        st.download_button("Private leaderboard (CSV)", key="export_private", on_click="ignore", disabled=not closed,
                           data=functools.partial(actions.board_export, ws, organizer_token=credential, slug=slug,
                                                  private=True) if closed else b"",
                           file_name=f"{slug}-private-leaderboard.csv", mime="text/csv", icon=":material/download:",
                           help=None if closed else "Revealed when the challenge closes.")
        st.download_button("All submissions (zip: raw files + index.csv)", key="export_zip", on_click="ignore",
                           data=functools.partial(actions.submissions_export, ws, organizer_token=credential, slug=slug),
                           file_name=f"{slug}-submissions.zip", mime="application/zip",
                           icon=":material/folder_zip:")


def token_form(key: str, prompt: str, button: str, issue, success: str) -> None:
    """A form that gives a participant a token (registering them, or a new one): shown once, here."""
    with st.form(key, clear_on_submit=True):
        name = st.text_input(prompt, max_chars=40)
        if st.form_submit_button(button):
            try:
                stored, new_token = issue(ws, organizer_token=credential, name=name)
            except KitError as error:
                st.error(md_escape(str(error)))
            else:
                st.success(success.format(name=stored))
                st.code(new_token, language=None)


with people_tab:
    st.markdown("Register someone yourself (for seasons with self-registration turned off). "
                "Give them the token privately; it is shown only once.")
    token_form("register_for", "Participant name", "Register", actions.register_for,
               "Registered **{name}**. Their token (shown only this once):")
    st.markdown("Someone lost their token, or fears it leaked? Give them a new one: the old token stops "
                "working at once and their web sign-ins end.")
    token_form("reset_token", "Participant whose token to reset", "Reset token", actions.reset_token_for,
               "New token for **{name}** (shown only this once; give it to them privately):")

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
                        winner = actions.award(ws, organizer_token=credential, slug=slug, place=place, note=note)
                    except KitError as error:
                        st.error(md_escape(str(error)))
                    else:
                        data.clear_public_caches()
                        st.success(f"Award for place {place} on {slug} ({md_escape(winner)}): {md_escape(note)}")

with hooks_tab:
    seasons = data.overview(data.database_key()).seasons
    if not seasons:
        st.info("Webhooks belong to a season; create one first (`kit season create`).")
    else:
        season = seasons[-1]
        st.markdown(f"Post **{md_escape(season.name)}**'s moments to your chat server: a challenge opens, a new "
                    "leader on a public board, a challenge closes (with its private top three), the week's "
                    "winners, and the evening's \"streak at risk\" digest. `kit serve` delivers them in the "
                    "background, retrying with backoff; nothing sent holds a label, a token or a private score "
                    "before close.")
        with st.form("webhook_add", clear_on_submit=True):
            url = st.text_input("Webhook URL", max_chars=500, placeholder="https://discord.com/api/webhooks/…")
            fmt = st.selectbox("Format", list(webhook_formats), key="webhook_format")
            events = st.multiselect("Events", list(webhook_events), default=list(webhook_events),
                                    key="webhook_events")
            if st.form_submit_button("Add webhook", type="primary", icon=":material/webhook:"):
                try:
                    added = actions.add_webhook_for(ws, organizer_token=credential, season_slug=season.slug, url=url,
                                                    fmt=fmt, events=events)
                except KitError as error:
                    st.error(md_escape(str(error)))
                else:
                    st.success(f"Added webhook {added.id} ({added.format}) to {md_escape(added.url)}.")
        try:
            hooks, deliveries = actions.webhooks(ws, organizer_token=credential, season_slug=season.slug)
        except KitError as error:
            st.error(md_escape(str(error)))
        else:
            if not hooks:
                st.info("No webhooks yet.")
            for hook in hooks:
                left, right = st.columns([5, 1], vertical_alignment="center")
                left.markdown(f"**{hook.id}** · {hook.format} · `{hook.url}` · {', '.join(hook.events)}")
                if right.button("Remove", key=f"webhook_remove_{hook.id}"):
                    try:
                        actions.remove_webhook_for(ws, organizer_token=credential, season_slug=season.slug,
                                                   webhook_id=hook.id)
                    except KitError as error:
                        st.error(md_escape(str(error)))
                    else:
                        st.rerun()
            st.markdown("**Delivery log** (newest first)")
            if not deliveries:
                st.caption("Nothing sent yet.")
            else:
                st.dataframe(pd.DataFrame({
                    "Webhook": [d.webhook_id for d in deliveries],
                    "Event": [d.event for d in deliveries],
                    "Status": [d.status for d in deliveries],
                    "Tries": [d.attempts for d in deliveries],
                    "Answer": [d.last_error or (str(d.last_status_code) if d.last_status_code else "")
                               for d in deliveries],
                    "When": [fmt_time(d.delivered_at or d.next_attempt_at or d.created_at, zone())
                             for d in deliveries],
                }), hide_index=True, width="stretch")
