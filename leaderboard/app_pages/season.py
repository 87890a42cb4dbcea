"""Season: its name, the day of 27, and its weekly challenges with status and links."""

from __future__ import annotations

import streamlit as st

from kit.clock import utcnow
from leaderboard import data
from leaderboard.components import CHALLENGE_PAGE, zone
from leaderboard.views import STATUS_BADGES, ChallengeView, fmt_time, status_text

overview = data.overview(data.database_key())
now = utcnow()
tz = zone()


def challenge_card(challenge: ChallengeView) -> None:
    with st.container(border=True):
        left, middle, right = st.columns([5, 3, 2], vertical_alignment="center")
        left.markdown(f"**{challenge.heading}**  \n{STATUS_BADGES[challenge.status]} {status_text(challenge, now)}")
        when = (f"closes {fmt_time(challenge.ends_at, tz)}" if challenge.status != "upcoming"
                else f"opens {fmt_time(challenge.opens_at, tz)}")
        middle.markdown(f"{challenge.metric.explained}  \n:gray[{when}]")
        with right:
            st.page_link(CHALLENGE_PAGE, label="Leaderboard", icon=":material/arrow_forward:",
                         query_params={"challenge": challenge.slug})


if not overview.seasons:
    st.title("Challenge kit")
    st.info("There is no season yet. An organizer creates one with `kit season create`, or try `kit demo`.",
            icon=":material/calendar_month:")
else:
    seasons = {s.slug: s for s in overview.seasons}
    slugs = list(seasons)[::-1]  # the latest first
    chosen = slugs[0]
    if len(slugs) > 1:
        chosen = st.selectbox("Season", slugs, format_func=lambda s: seasons[s].name, key="season_pick")
    season = seasons[chosen]
    st.title(season.name)
    today = now.astimezone(zone()).date()
    tag = f" · {season.hashtag}" if season.hashtag else ""
    st.markdown(f"### {season.progress_text(today).capitalize()}")
    st.progress((season.day or (season.days if today > season.ends_on else 0)) / season.days)
    st.caption(f"Day 1 was {season.starts_on:%A %d %B %Y}; the last day is {season.ends_on:%A %d %B %Y} "
               f"({season.timezone}){tag}")
    mine = [c for c in overview.challenges if c.season_slug == season.slug]
    st.subheader("Weekly challenges")
    if not mine:
        st.info("No challenges in this season yet; the organizer adds one each week.")
    for challenge in sorted(mine, key=lambda c: (c.week or 99, c.opens_at)):
        challenge_card(challenge)

others = [c for c in overview.challenges if c.season_slug is None]
if others:
    st.subheader("Other challenges" if overview.seasons else "Challenges")
    for challenge in others:
        challenge_card(challenge)
elif not overview.challenges:
    st.caption("No challenges yet: add one with `kit challenge add SPEC.toml` or on the Organizer page.")
