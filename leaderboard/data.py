"""Every read the pages make, through kit services.

Only public data is cached (`st.cache_data`, a few seconds): the challenge list, the
public board (the private one only once the challenge is closed), the score history,
the bundle listing and a season's standings and weekly winners. Nothing that depends on a token is ever cached.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import streamlit as st

from kit.challenge.bundle import BundleEntry, bundle_file, bundle_manifest
from kit.challenge.lookup import get_challenge, list_challenges
from kit.challenge.noise import board_decimals
from kit.challenge.ranking import BoardRow, public_board
from kit.challenge.score_history import HistoryPoint, best_public_history
from kit.clock import utcnow
from kit.errors import NotFoundError
from kit.season.seasons import day_of_season, get_season, list_seasons
from kit.season.standings import season_standings, weekly_winners
from kit.services.boards import revealed_board
from kit.settings import resolve_settings
from kit.store.workspace import Workspace, open_workspace
from leaderboard.views import (
    ChallengeView,
    SeasonView,
    StandingView,
    WinnerView,
    challenge_view,
    season_view,
    standing_view,
    winner_view,
)

PUBLIC_TTL_S = 5


@st.cache_resource(show_spinner=False)
def _open(workspace: str, database_url: str) -> Workspace:
    return open_workspace(workspace, database_url)


def workspace() -> Workspace:
    """The workspace named by KIT_WORKSPACE / KIT_DATABASE_URL; one engine per process."""
    settings = resolve_settings()
    return _open(str(settings.workspace), settings.database_url)


def database_key() -> str:
    """What the caches are keyed on, so two workspaces never share an entry."""
    return workspace().settings.database_url


# ---- public, cached ------------------------------------------------------------------------


@dataclass(frozen=True)
class Overview:
    seasons: tuple[SeasonView, ...]
    challenges: tuple[ChallengeView, ...]


@st.cache_data(ttl=PUBLIC_TTL_S, show_spinner=False)
def overview(database_url: str) -> Overview:
    with workspace().session() as session:
        seasons = tuple(season_view(s) for s in list_seasons(session))
        challenges = tuple(sorted((challenge_view(c) for c in list_challenges(session)),
                                  key=lambda c: (c.week or 99, c.opens_at, c.slug)))
    return Overview(seasons, challenges)


def find_challenge(slug: str | None) -> ChallengeView | None:
    return next((c for c in overview(database_key()).challenges if c.slug == slug), None)


@dataclass(frozen=True)
class Board:
    private: bool
    rows: tuple[BoardRow, ...]
    history: tuple[HistoryPoint, ...]
    public_rows: tuple[BoardRow, ...] = ()  # the public board, still shown after close
    public_decimals: int = 5  # public scores are shown to their noise (kit.challenge.noise)


@st.cache_data(ttl=PUBLIC_TTL_S, show_spinner=False)
def board(database_url: str, slug: str, top: int = 10) -> Board:
    """The public board while open; the private board (with shake-up) once closed, with the public one beside it."""
    with workspace().session() as session:
        closed, rows = revealed_board(session, slug)  # decided by the service, never by the caller
        challenge = get_challenge(session, slug)
        public = rows if not closed else public_board(session, challenge)
        decimals = board_decimals(challenge)
        # The chart carries public scores as the board shows them: to their noise, never more.
        history = [replace(point, best_score=round(point.best_score, decimals))
                   for point in best_public_history(session, challenge, public, top=top)]
    return Board(closed, tuple(rows), tuple(history), tuple(public), decimals)


@st.cache_data(ttl=60, show_spinner=False)
def bundle_listing(database_url: str, slug: str) -> tuple[BundleEntry, ...]:
    with workspace().session() as session:
        return tuple(bundle_manifest(session, get_challenge(session, slug)))


@dataclass(frozen=True)
class SeasonBoard:
    today: int | None  # the season day when it was read
    standings: tuple[StandingView, ...]
    winners: tuple[WinnerView, ...]  # closed challenges only: private boards are public then


def season_board(database_url: str, slug: str) -> SeasonBoard:
    """A season's standings (with streaks) and weekly winners: public, cached a few seconds.

    Keyed by the database, the season and the current UTC hour, so a new day never reads
    yesterday's streaks from the cache.
    """
    return _season_board(database_url, slug, utcnow().strftime("%Y-%m-%dT%H"))


@st.cache_data(ttl=PUBLIC_TTL_S, show_spinner=False, max_entries=64)
def _season_board(database_url: str, slug: str, hour: str) -> SeasonBoard:
    with workspace().session() as session:
        season = get_season(session, slug)
        standings = tuple(standing_view(s) for s in season_standings(session, season))
        winners = tuple(winner_view(w) for w in weekly_winners(session, season))
        today = day_of_season(season)
    return SeasonBoard(today, standings, winners)


def bundle_bytes_from(ws: Workspace, slug: str, name: str) -> bytes:
    """One public bundle file (kit.challenge.bundle.bundle_file refuses any other name).

    Called when a download button is clicked, on a thread outside the page script.
    """
    with ws.session() as session:
        return bundle_file(session, get_challenge(session, slug), name)


def clear_public_caches() -> None:
    """After a write (submission, close, new challenge, check-in, award) the next render reads afresh."""
    overview.clear()
    _season_board.clear()
    board.clear()
    bundle_listing.clear()


def require_challenge(slug: str) -> ChallengeView:
    found = find_challenge(slug)
    if found is None:
        raise NotFoundError(f"No challenge {slug!r}.")
    return found
