"""Pieces the pages share: who is signed in, the challenge picker, the leaderboard table.

Tokens live only in `st.session_state` (never in the URL, a cache or a log).
"""

from __future__ import annotations

from collections import Counter
from html import escape
from urllib.parse import urlsplit

import pandas as pd
import streamlit as st

from kit.challenge.ranking import BoardRow
from kit.services.boards import shown, tie_groups
from kit.store.web_sessions import COOKIE_NAME, ORGANIZER_COOKIE_NAME
from leaderboard import actions, data
from leaderboard.views import ChallengeView, fmt_shake_up, fmt_short_time, md_escape, viewer_zone

PARTICIPANT_NAME = "participant_name"
PARTICIPANT_TOKEN = "participant_token"
ORGANIZER_TOKEN = "organizer_token"
CHALLENGE_PAGE = "app_pages/challenge.py"
SUBMIT_PAGE = "app_pages/submit.py"
JOIN_PAGE = "app_pages/join.py"
BASELINE_HINT = "kit baseline {slug} --model logreg --submit"


SIGN_IN_STYLE = """<style>.kit-sign-in{display:flex;flex-direction:column;gap:.5rem;max-width:28rem;padding:1rem;border:1px solid #d0d5e0;
border-radius:.5rem} .kit-sign-in label{display:flex;flex-direction:column;font-size:.9rem}
.kit-sign-in input{padding:.4rem;border:1px solid #c0c6d4;border-radius:.3rem}
.kit-sign-in button{align-self:flex-start;padding:.4rem 1rem;border-radius:.4rem;border:0;background:#3b5bdb;color:#fff}
</style>"""


def zone():
    return viewer_zone(getattr(st.context, "timezone", None))


def signed_in() -> tuple[str, str] | None:
    """(name, credential): the token of this browser tab's session, or the lasting sign-in's cookie."""
    name, token = st.session_state.get(PARTICIPANT_NAME), st.session_state.get(PARTICIPANT_TOKEN)
    if name and token:
        return name, token
    cookie = st.context.cookies.get(COOKIE_NAME)  # checked on every run: a signed-out cookie stops at once
    name = actions.web_session_name(data.workspace(), cookie)
    return (name, cookie) if name else None


def organizer_signed_in() -> str | None:
    """The organizer's credential: this tab's session's token, or the organizer sign-in's cookie; checked on every run."""
    credential = st.session_state.get(ORGANIZER_TOKEN) or st.context.cookies.get(ORGANIZER_COOKIE_NAME)
    return credential if actions.is_organizer_credential(data.workspace(), credential) else None


def sign_out() -> None:
    for key in (PARTICIPANT_NAME, PARTICIPANT_TOKEN):
        st.session_state.pop(key, None)


def here() -> str:
    """This page's path and query, for the sign-in forms to come back to."""
    url = urlsplit(getattr(st.context, "url", None) or "/")
    return url.path + (f"?{url.query}" if url.query else "")


def sign_in_form(*, purpose: str, name: str = "", token: str = "", button: str = "Sign in") -> None:
    """A plain HTML form posted to /auth/sign-in, which sets the HttpOnly cookie (Streamlit cannot).

    Field names avoid the form's own properties (`name`, `action`): st.html's sanitiser strips those.
    """
    visible = not token
    fields = (f'<label>Participant name<input name="participant" autocomplete="username" required value="{escape(name)}"'
              f'{"" if visible else " type=hidden"}></label>'
              + ('<label>Token<input name="token" type="password" autocomplete="current-password" required '
                 'placeholder="kit_…"></label>' if visible else f'<input type="hidden" name="token" value="{escape(token)}">'))
    st.html(f"""<form method="post" action="/auth/sign-in" class="kit-sign-in">
  {f"<strong>Sign in</strong> to {escape(purpose)}" if visible else ""}
  {fields}
  <input type="hidden" name="next" value="{escape(here())}">
  <button type="submit">{escape(button)}</button>
</form>
{SIGN_IN_STYLE}""")


def organizer_sign_in_form() -> None:
    """A plain HTML form posted to /auth/organizer/sign-in, which sets the organizer's HttpOnly cookie."""
    st.html(f"""<form method="post" action="/auth/organizer/sign-in" class="kit-sign-in kit-organizer-sign-in">
  <label>Organizer token<input name="token" type="password" autocomplete="current-password" required
    placeholder="org_…"></label>
  <input type="hidden" name="next" value="{escape(here())}">
  <button type="submit">Sign in</button>
</form>
{SIGN_IN_STYLE}""")


def sign_out_form(action: str = "/auth/sign-out") -> None:
    """Signing out ends the lasting sign-in on the server; the reload that follows clears this tab's session."""
    st.html(f"""<form method="post" action="{escape(action)}"><input type="hidden" name="next" value="{escape(here())}">
<button type="submit" style="padding:.3rem .9rem;border-radius:.4rem;border:1px solid #c0c6d4;background:#fff">Sign out</button>
</form>""")


def participant_box(*, purpose: str) -> tuple[str, str] | None:
    """The signed-in participant, or a sign-in form (name and token) and None."""
    who = signed_in()
    if who:  # the sidebar shows who it is, with a sign-out button
        return who
    sign_in_form(purpose=purpose)
    st.page_link(JOIN_PAGE, label="New here? Join the season and get a token", icon=":material/person_add:")
    return None


def pick_challenge(challenges: list[ChallengeView], *, key: str, label: str = "Challenge",
                   prefer_open: bool = True) -> ChallengeView | None:
    """A challenge chosen by `?challenge=slug` or a select box, kept in the URL (no secrets there).

    An unknown slug in the URL is said to be unknown, never silently swapped for another challenge.
    """
    if not challenges:
        return None
    slugs = [c.slug for c in challenges]
    by_slug = {c.slug: c for c in challenges}
    wanted = st.query_params.get("challenge")
    if wanted is not None and wanted not in slugs:
        st.error(f"There is no challenge “{md_escape(wanted[:80])}” here. Pick one of the {len(slugs)} below.",
                 icon=":material/search_off:")
        chosen = st.selectbox(label, slugs, index=None, placeholder="Choose a challenge", key=f"{key}_unknown",
                              format_func=lambda s: f"{by_slug[s].title}  ·  {by_slug[s].status}")
        if chosen is None:
            st.stop()
        st.session_state[key] = chosen
        st.query_params["challenge"] = chosen
        st.rerun()
    if wanted is None:
        open_ones = [c.slug for c in challenges if c.status == "open"] if prefer_open else []
        wanted = (open_ones or slugs)[0]
    if st.session_state.get(key) not in slugs:  # first render of this page: the URL decides
        st.session_state[key] = wanted
    chosen = st.selectbox(label, slugs, key=key,
                          format_func=lambda s: f"{by_slug[s].title}  ·  {by_slug[s].status}")
    if st.query_params.get("challenge") != chosen:
        st.query_params["challenge"] = chosen
    return by_slug[chosen]


TIED = "tied"  # the Tie column's mark: not significantly different from the row above
TIE_SHADES = ("rgba(99,140,255,0.13)", "rgba(72,190,160,0.15)")  # alternate between neighbouring tie groups


def board_frame(rows: list[BoardRow], challenge: ChallengeView, *, private: bool, me: str | None,
                decimals: int | None = None) -> pd.DataFrame:
    """The board's columns; the private board trades the submission time for Public rank and Shake-up.

    Scores (and their intervals) leave rounded to ``decimals`` when given: the public board's
    noise, so the page never carries more digits than the rows can support."""
    tz = zone()
    return pd.DataFrame({
        "Rank": ["baseline" if r.is_baseline else str(r.rank) for r in rows],
        "Tie": [TIED if r.tied_with_above else "" for r in rows],
        "Participant": [r.participant + ("  (you)" if r.belongs_to(me) else "") for r in rows],
        "Score": [shown(r.score, decimals) for r in rows],
        "Interval": [_interval(r, challenge.metric.decimals if decimals is None else decimals) for r in rows],
        "Entries": [r.entries for r in rows],
        **({"Public rank": ["" if r.public_rank is None else str(r.public_rank) for r in rows],
            "Shake-up": [fmt_shake_up(r.shake_up) for r in rows]} if private
           else {"Submitted": [fmt_short_time(r.submitted_at, tz) for r in rows]}),
    })


def _interval(row: BoardRow, decimals: int) -> str:
    if row.score_low is None or row.score_high is None:
        return ""
    return f"{row.score_low:.{decimals}f}–{row.score_high:.{decimals}f}"


def tie_shades(rows: list[BoardRow]) -> list[str | None]:
    """A background per row: rows of one tie group (two or more) share a shade; others have none."""
    groups = tie_groups(rows)
    sizes = Counter(groups)
    shaded = sorted({g for g in groups if sizes[g] > 1})
    return [TIE_SHADES[shaded.index(g) % 2] if sizes[g] > 1 else None for g in groups]


def show_board(rows: list[BoardRow], challenge: ChallengeView, *, private: bool, key: str | None = None,
               decimals: int | None = None) -> None:
    me = (signed_in() or (None,))[0]
    frame = board_frame(rows, challenge, private=private, me=me, decimals=decimals)
    baseline = [r.is_baseline for r in rows]
    mine = [r.belongs_to(me) for r in rows]
    ties = tie_shades(rows)

    def shade(row):
        if baseline[row.name]:
            return ["background-color: rgba(138,143,152,0.14); font-style: italic"] * len(row)
        style = f"background-color: {ties[row.name]}" if ties[row.name] else ""
        if mine[row.name]:
            return [(style or "background-color: rgba(255,200,87,0.22)") + "; font-weight: 600"] * len(row)
        return [style] * len(row)

    styled = frame.style.apply(shade, axis=1) if any(baseline) or any(mine) or any(ties) else frame
    metric = challenge.metric
    shown_decimals = metric.decimals if decimals is None else decimals
    # Fixed, short columns so the whole board fits a laptop's width without sideways scrolling.
    st.dataframe(
        styled, hide_index=True, width="stretch", height=min(38 + 35 * len(rows), 600), key=key,
        column_config={
            "Rank": st.column_config.TextColumn("Rank", width=60,
                                                help="Baselines are shown for reference and never ranked."),
            "Tie": st.column_config.TextColumn("Tie", width=44,
                                               help="tied: not significantly different from the row above "
                                                    "(a paired test on the same rows, 95 %). Tied rows share a "
                                                    "shade; their order is noise."),
            "Participant": st.column_config.TextColumn("Participant", width=176),
            "Score": st.column_config.NumberColumn(f"{'Private' if private else 'Public'} {metric.arrow}",
                                                   format=f"%.{shown_decimals}f", width=92,
                                                   help=f"{'Private' if private else 'Public'} score: "
                                                        f"{metric.explained}"),
            "Interval": st.column_config.TextColumn("95 % interval", width=110,
                                                    help="Where the score would likely land on other rows "
                                                         "like these: a 95 % interval."),
            "Entries": st.column_config.NumberColumn("Entries", width=60, help="Scored submissions"),
            "Submitted": st.column_config.TextColumn("Submitted", width=104, help=f"In your time zone ({tz_name()})"),
            **({"Public rank": st.column_config.TextColumn("Public", width=60, help="Rank on the public board"),
                "Shake-up": st.column_config.TextColumn("Shake-up", width=76,
                                                        help="Public rank − private rank: ▲ climbed")}
               if private else {}),
        },
    )


def tz_name() -> str:
    return str(zone())


def card(column, label: str, value: str, *, help: str | None = None) -> None:
    """A bordered card whose value wraps rather than being cut off (st.metric truncates long values)."""
    with column.container(border=True):
        st.caption(label, help=help)
        st.markdown(f"**{md_escape(value)}**")


def empty_board(slug: str) -> None:
    st.info("No submissions yet — download the data and run a baseline:", icon=":material/rocket_launch:")
    st.code(BASELINE_HINT.format(slug=slug), language="bash")
