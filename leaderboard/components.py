"""Pieces the pages share: who is signed in, the challenge picker, the leaderboard table.

Tokens live only in `st.session_state` (never in the URL, a cache or a log).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from kit.errors import KitError
from kit.ranking import BoardRow
from leaderboard import actions, data
from leaderboard.views import ChallengeView, fmt_shake_up, fmt_time, viewer_zone

PARTICIPANT_NAME = "participant_name"
PARTICIPANT_TOKEN = "participant_token"
ORGANIZER_TOKEN = "organizer_token"
CHALLENGE_PAGE = "app_pages/challenge.py"
SUBMIT_PAGE = "app_pages/submit.py"
JOIN_PAGE = "app_pages/join.py"
BASELINE_HINT = "kit baseline {slug} --model logreg --submit"


def zone():
    return viewer_zone(getattr(st.context, "timezone", None))


def signed_in() -> tuple[str, str] | None:
    name, token = st.session_state.get(PARTICIPANT_NAME), st.session_state.get(PARTICIPANT_TOKEN)
    return (name, token) if name and token else None


def sign_out() -> None:
    for key in (PARTICIPANT_NAME, PARTICIPANT_TOKEN):
        st.session_state.pop(key, None)


def participant_box(*, purpose: str) -> tuple[str, str] | None:
    """The signed-in participant, or a sign-in form (name and token) and None."""
    who = signed_in()
    if who:  # the sidebar shows who it is, with a sign-out button
        return who
    with st.form(f"sign_in_{purpose}", border=True):
        st.markdown(f"**Sign in** to {purpose}")
        name = st.text_input("Participant name", key=f"sign_in_name_{purpose}")
        token = st.text_input("Token", type="password", key=f"sign_in_token_{purpose}",
                              help="The secret token you got when you joined (starts with kit_).")
        if st.form_submit_button("Sign in", type="primary"):
            try:
                stored = actions.sign_in(data.workspace(), name, token)
            except KitError as error:
                st.error(str(error))
            else:
                st.session_state[PARTICIPANT_NAME] = stored
                st.session_state[PARTICIPANT_TOKEN] = token.strip()
                st.rerun()
    st.page_link(JOIN_PAGE, label="New here? Join the season and get a token", icon=":material/person_add:")
    return None


def pick_challenge(challenges: list[ChallengeView], *, key: str, label: str = "Challenge",
                   prefer_open: bool = True) -> ChallengeView | None:
    """A challenge chosen by `?challenge=slug` or a select box, kept in the URL (no secrets there)."""
    if not challenges:
        return None
    slugs = [c.slug for c in challenges]
    wanted = st.query_params.get("challenge")
    if wanted not in slugs:
        open_ones = [c.slug for c in challenges if c.status == "open"] if prefer_open else []
        wanted = (open_ones or slugs)[0]
    by_slug = {c.slug: c for c in challenges}
    if st.session_state.get(key) not in slugs:  # first render of this page: the URL decides
        st.session_state[key] = wanted
    chosen = st.selectbox(label, slugs, key=key,
                          format_func=lambda s: f"{by_slug[s].title}  ·  {by_slug[s].status}")
    if st.query_params.get("challenge") != chosen:
        st.query_params["challenge"] = chosen
    return by_slug[chosen]


def board_frame(rows: list[BoardRow], challenge: ChallengeView, *, private: bool, me: str | None) -> pd.DataFrame:
    tz = zone()
    return pd.DataFrame({
        "Rank": ["baseline" if r.is_baseline else str(r.rank) for r in rows],
        "Participant": [r.participant + ("  (you)" if me and r.participant == me else "") for r in rows],
        "Score": [r.score for r in rows],
        "Entries": [r.entries for r in rows],
        "Submitted": [fmt_time(r.submitted_at, tz) for r in rows],
        **({"Public rank": ["" if r.public_rank is None else str(r.public_rank) for r in rows],
            "Shake-up": [fmt_shake_up(r.shake_up) for r in rows]} if private else {}),
    })


def show_board(rows: list[BoardRow], challenge: ChallengeView, *, private: bool) -> None:
    me = (signed_in() or (None,))[0]
    frame = board_frame(rows, challenge, private=private, me=me)
    baseline = [r.is_baseline for r in rows]
    mine = [bool(me) and r.participant == me for r in rows]

    def shade(row):
        if baseline[row.name]:
            return ["background-color: rgba(138,143,152,0.14); font-style: italic"] * len(row)
        if mine[row.name]:
            return ["background-color: rgba(255,200,87,0.22); font-weight: 600"] * len(row)
        return [""] * len(row)

    styled = frame.style.apply(shade, axis=1) if any(baseline) or any(mine) else frame
    metric = challenge.metric
    st.dataframe(
        styled, hide_index=True, width="stretch", height=min(38 + 35 * len(rows), 600),
        column_config={
            "Rank": st.column_config.TextColumn("Rank", width="small",
                                                help="Baselines are shown for reference and never ranked."),
            "Score": st.column_config.NumberColumn(f"{'Private' if private else 'Public'} {metric.label}",
                                                   format=f"%.{metric.decimals}f", help=metric.explained),
            "Entries": st.column_config.NumberColumn("Entries", width="small"),
            **({"Shake-up": st.column_config.TextColumn("Shake-up", help="Public rank − private rank: ▲ climbed")}
               if private else {}),
        },
    )


def empty_board(slug: str) -> None:
    st.info("No submissions yet — download the data and run a baseline:", icon=":material/rocket_launch:")
    st.code(BASELINE_HINT.format(slug=slug), language="bash")
