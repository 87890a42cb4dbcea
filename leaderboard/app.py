"""The web leaderboard, served by `kit serve` (beside the API and the sign-in routes it posts to).

The workspace comes from KIT_WORKSPACE / KIT_DATABASE_URL (kit.settings.resolve_settings).
Pages hold widgets and layout only; reads go through leaderboard.data, writes through
leaderboard.actions, both thin layers over kit services.
"""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

# `streamlit run` puts this folder, not the project, on sys.path; the kit must import either way.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kit.errors import KitError
from leaderboard import data
from leaderboard.components import sign_out_form, signed_in

# The favicon ships with the app: an emoji or a Material icon would be fetched from the internet.
FAVICON = Path(__file__).resolve().parent / "favicon.png"
st.set_page_config(page_title="Challenge kit leaderboard", page_icon=str(FAVICON), layout="wide")

pages = {
    "Compete": [
        st.Page("app_pages/season.py", title="Season", icon=":material/calendar_month:", url_path="season",
                default=True),
        st.Page("app_pages/challenge.py", title="Challenge", icon=":material/leaderboard:", url_path="challenge"),
    ],
    "Take part": [
        st.Page("app_pages/join.py", title="Join", icon=":material/person_add:", url_path="join"),
        st.Page("app_pages/submit.py", title="Submit", icon=":material/upload_file:", url_path="submit"),
        st.Page("app_pages/my_submissions.py", title="My submissions", icon=":material/history:",
                url_path="my-submissions"),
        st.Page("app_pages/team.py", title="Team", icon=":material/groups:", url_path="team"),
    ],
    "Organize": [
        st.Page("app_pages/organizer.py", title="Organizer", icon=":material/admin_panel_settings:",
                url_path="organizer"),
    ],
}
page = st.navigation(pages)

try:
    data.workspace()
except KitError as error:
    st.title("Challenge kit leaderboard")
    st.error(str(error))
    st.caption("Start the app with `kit serve --workspace DIR` on a workspace made by `kit init` or `kit demo`.")
    st.stop()

with st.sidebar:
    who = signed_in()
    if who:
        st.markdown(f":material/person: Signed in as **{who[0]}**")
        sign_out_form()
    st.caption("Scores are shown with the metric's direction: ↑ higher is better, ↓ lower is better.")

page.run()
