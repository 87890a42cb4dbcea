"""Teams: create, join with an invite code, see and leave your team; the organizer sets the rules.

`current` stands for the latest season wherever a season slug is asked for.
"""

from __future__ import annotations

from typing import cast

from fastapi import APIRouter

from kit.api.deps import OrganizerToken, ParticipantToken, WorkspaceDep
from kit.api.models import (
    StandingsBy,
    TeamCreateRequest,
    TeamJoinRequest,
    TeamLeft,
    TeamListing,
    TeamOut,
    TeamRules,
    TeamRulesRequest,
    error_responses,
)
from kit.season.seasons import get_season
from kit.season.teams import (
    create_team,
    join_team,
    leave_team,
    members_of,
    merge_deadline,
    my_team,
    set_team_rules,
    team_info,
    teams_of_season,
)
from kit.services.participants import authenticate
from kit.store.models import Season

router = APIRouter(tags=["teams"])
ERRORS = error_responses(400, 401, 403, 404, 409, 429)
CURRENT = "current"


def _season(session, slug: str) -> Season:
    return get_season(session, None if slug == CURRENT else slug)


def _out(info) -> TeamOut:
    return TeamOut(name=info.name, season=info.season, invite_code=info.invite_code, members=list(info.members),
                   max_size=info.max_size, merge_deadline=info.merge_deadline)


@router.get("/seasons/{slug}/teams", response_model=list[TeamListing], responses=ERRORS)
def teams(slug: str, ws: WorkspaceDep) -> list[TeamListing]:
    """The season's teams and their members."""
    with ws.session() as session:
        return [TeamListing(name=t.name, members=[p.name for p in members_of(session, t)])
                for t in teams_of_season(session, _season(session, slug))]


@router.post("/seasons/{slug}/teams", status_code=201, response_model=TeamOut, responses=ERRORS)
def create(slug: str, body: TeamCreateRequest, ws: WorkspaceDep, token: ParticipantToken) -> TeamOut:
    """Create a team; you are its first member and get its invite code."""
    with ws.session(write=True) as session:
        participant = authenticate(session, token)
        return _out(team_info(session, create_team(session, _season(session, slug), participant, body.name)))


@router.post("/teams/join", response_model=TeamOut, responses=ERRORS)
def join(body: TeamJoinRequest, ws: WorkspaceDep, token: ParticipantToken) -> TeamOut:
    """Join the team of this invite code; if you are in a team, the two teams merge (Kaggle's rule applies)."""
    with ws.session(write=True) as session:
        participant = authenticate(session, token)
        return _out(team_info(session, join_team(session, participant, body.invite_code)))


@router.get("/seasons/{slug}/team", response_model=TeamOut, responses=ERRORS)
def mine(slug: str, ws: WorkspaceDep, token: ParticipantToken) -> TeamOut:
    """Your team in this season, with its invite code."""
    with ws.session() as session:
        participant = authenticate(session, token)
        return _out(my_team(session, _season(session, slug), participant))


@router.delete("/seasons/{slug}/team", response_model=TeamLeft, responses=ERRORS)
def leave(slug: str, ws: WorkspaceDep, token: ParticipantToken) -> TeamLeft:
    """Leave your team (before the merge deadline)."""
    with ws.session(write=True) as session:
        participant = authenticate(session, token)
        return TeamLeft(left=leave_team(session, _season(session, slug), participant).name)


@router.put("/seasons/{slug}/team-rules", response_model=TeamRules, responses=ERRORS)
def rules(slug: str, body: TeamRulesRequest, ws: WorkspaceDep, token: OrganizerToken) -> TeamRules:
    """Set the season's team size, merge deadline and how standings count (organizer)."""
    with ws.session(write=True) as session:
        season = set_team_rules(session, _season(session, slug), max_size=body.max_size,
                                merge_deadline_at=body.merge_deadline, standings_by=body.standings_by)
        return TeamRules(season=season.slug, max_size=season.max_team_size, merge_deadline=merge_deadline(season),
                         standings_by=cast(StandingsBy, season.standings_by))
