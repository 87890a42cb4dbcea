"""Seasons: the calendar, standings and winners for everyone; check-ins and streaks for a participant.

`current` stands for the latest season wherever a season slug is asked for.
"""

from __future__ import annotations

from fastapi import APIRouter

from kit.api.deps import ParticipantToken, WorkspaceDep
from kit.api.models import (
    CheckInOut,
    CheckInRequest,
    SeasonSummary,
    StandingRow,
    StreakOut,
    WinnerRow,
    error_responses,
)
from kit.season.checkins import checkins_of, log_checkin
from kit.season.seasons import day_of_season, get_season, joined_day, list_seasons
from kit.season.standings import participant_streak, season_standings, weekly_winners
from kit.services.participants import authenticate
from kit.store.models import Season

router = APIRouter(tags=["seasons"])
ERRORS = error_responses(400, 401, 404, 409, 429)
CURRENT = "current"


def _season(session, slug: str) -> Season:
    return get_season(session, None if slug == CURRENT else slug)


def _summary(season: Season) -> SeasonSummary:
    return SeasonSummary(slug=season.slug, name=season.name, starts_on=season.starts_on.isoformat(), days=season.days,
                         timezone=season.timezone, hashtag=season.hashtag,
                         self_registration=bool(season.self_registration), day=day_of_season(season))


@router.get("/seasons", response_model=list[SeasonSummary])
def seasons(ws: WorkspaceDep) -> list[SeasonSummary]:
    with ws.session() as session:
        return [_summary(s) for s in list_seasons(session)]


@router.get("/seasons/{slug}", response_model=SeasonSummary, responses=ERRORS)
def season(slug: str, ws: WorkspaceDep) -> SeasonSummary:
    with ws.session() as session:
        return _summary(_season(session, slug))


@router.get("/seasons/{slug}/standings", response_model=list[StandingRow], responses=ERRORS)
def standings(slug: str, ws: WorkspaceDep) -> list[StandingRow]:
    """Points from closed challenges' private ranks plus check-in days."""
    with ws.session() as session:
        return [StandingRow(rank=s.rank, participant=s.participant, points=s.points,
                            challenge_points=s.challenge_points, active_days=s.active_days, bonus=s.bonus,
                            current_streak=s.streak.current, longest_streak=s.streak.longest)
                for s in season_standings(session, _season(session, slug))]


@router.get("/seasons/{slug}/winners", response_model=list[WinnerRow], responses=ERRORS)
def winners(slug: str, ws: WorkspaceDep) -> list[WinnerRow]:
    """The top three of every closed challenge, with the organizer's award notes."""
    with ws.session() as session:
        return [WinnerRow(challenge=w.challenge, week=w.week, place=w.place, participant=w.participant, score=w.score,
                          award=w.award) for w in weekly_winners(session, _season(session, slug))]


def _checkin(c) -> CheckInOut:
    return CheckInOut(day=c.day, created_at=c.created_at, note=c.note, url=c.url)


@router.post("/seasons/{slug}/checkins", status_code=201, response_model=CheckInOut, responses=ERRORS)
def check_in(slug: str, body: CheckInRequest, ws: WorkspaceDep, token: ParticipantToken) -> CheckInOut:
    """Log what you learned today (one of the season's days)."""
    with ws.session(write=True) as session:
        participant = authenticate(session, token)
        return _checkin(log_checkin(session, _season(session, slug), participant, body.note, body.url))


@router.get("/seasons/{slug}/streak", response_model=StreakOut, responses=ERRORS)
def streak(slug: str, ws: WorkspaceDep, token: ParticipantToken) -> StreakOut:
    """Your streak and your check-ins, newest first."""
    with ws.session() as session:
        participant = authenticate(session, token)
        found = _season(session, slug)
        mine = participant_streak(session, found, participant)
        return StreakOut(season=found.slug, participant=participant.name, current=mine.current, longest=mine.longest,
                         days=list(mine.days), joined_day=joined_day(found, participant.created_at),
                         checkins=[_checkin(c) for c in reversed(checkins_of(session, found, participant))])
