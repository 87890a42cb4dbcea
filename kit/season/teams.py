"""Teams: participants who submit, rank and win as one within a season.

A participant creates a team and gets an invite code; others join with it. Joining while
already in a team merges the two teams. The season sets the most members a team may have
and a merge deadline. A merge is allowed only while, on every open challenge of the
season, the merged team's scored submissions fit within what one team could have made so
far (Kaggle's rule: daily limit × days the challenge has been open, today included).

Submissions carry the team they count for (`Submission.team_id`): the daily limit counts
the team's, the boards rank the team's best. A merge moves the open challenges'
submissions to the merged team; closed challenges keep the teams they were ranked as.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, func, select, update
from sqlalchemy.orm import Session

from kit.challenge.lookup import challenge_status
from kit.clock import utcnow
from kit.errors import ConflictError, InvalidInputError, NotFoundError, TeamRuleError
from kit.names import looks_like_baseline, name_key
from kit.season.seasons import season_end
from kit.store.models import (
    PERSON_STANDINGS,
    TEAM_STANDINGS,
    Challenge,
    Participant,
    Season,
    Submission,
    SubmissionStatus,
    Team,
    TeamMember,
)

TEAM_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 _.\-]{1,38}[A-Za-z0-9_.]$")
MAX_TEAM_SIZE_LIMIT = 50


@dataclass(frozen=True)
class TeamInfo:
    """What a member sees of their team (the invite code only goes to members)."""

    name: str
    season: str
    invite_code: str
    members: tuple[str, ...]
    max_size: int
    merge_deadline: datetime  # joins and leaves are refused from this moment


def merge_deadline(season: Season) -> datetime:
    return season.team_merge_deadline or season_end(season)


def team_of(session: Session, season: Season, participant: Participant) -> Team | None:
    """The participant's team in this season, or None."""
    return session.scalar(select(Team).join(TeamMember, TeamMember.team_id == Team.id)
                          .where(TeamMember.season_id == season.id, TeamMember.participant_id == participant.id))


def team_id_for(session: Session, challenge: Challenge, participant: Participant) -> int | None:
    """The team a new submission to `challenge` counts for (None outside seasons and teams)."""
    if challenge.season_id is None:
        return None
    return session.scalar(select(TeamMember.team_id).where(TeamMember.season_id == challenge.season_id,
                                                           TeamMember.participant_id == participant.id))


def members_of(session: Session, team: Team) -> list[Participant]:
    return list(session.scalars(select(Participant).join(TeamMember, TeamMember.participant_id == Participant.id)
                                .where(TeamMember.team_id == team.id)
                                .order_by(TeamMember.joined_at, TeamMember.id)))


def team_info(session: Session, team: Team) -> TeamInfo:
    season = session.get_one(Season, team.season_id)
    return TeamInfo(team.name, season.slug, team.invite_code, tuple(p.name for p in members_of(session, team)),
                    season.max_team_size, merge_deadline(season))


def my_team(session: Session, season: Season, participant: Participant) -> TeamInfo:
    team = team_of(session, season, participant)
    if team is None:
        raise NotFoundError(f"You are not in a team in {season.name}. Create one with `kit team create NAME` "
                            "or join one with `kit team join CODE`.")
    return team_info(session, team)


def set_team_rules(session: Session, season: Season, *, max_size: int | None = None,
                   merge_deadline_at: datetime | None = None, standings_by: str | None = None) -> Season:
    """The organizer's team settings for a season; only the ones given change."""
    if max_size is not None:
        if not 1 <= max_size <= MAX_TEAM_SIZE_LIMIT:
            raise InvalidInputError(f"The team size must be 1 to {MAX_TEAM_SIZE_LIMIT}, not {max_size}.")
        largest = session.scalar(select(func.count()).select_from(TeamMember).where(TeamMember.season_id == season.id)
                                 .group_by(TeamMember.team_id).order_by(func.count().desc()).limit(1)) or 0
        if largest > max_size:
            raise ConflictError(f"A team in {season.name} already has {largest} members; the size cannot go below that.")
        season.max_team_size = max_size
    if merge_deadline_at is not None:
        if merge_deadline_at.tzinfo is None:
            raise InvalidInputError("The merge deadline needs a time zone (e.g. 2026-12-20T00:00:00Z).")
        season.team_merge_deadline = merge_deadline_at
    if standings_by is not None:
        if standings_by not in (TEAM_STANDINGS, PERSON_STANDINGS):
            raise InvalidInputError(f"Standings count {TEAM_STANDINGS!r} or {PERSON_STANDINGS!r}, not {standings_by!r}.")
        season.standings_by = standings_by
    session.flush()
    return season


def _clean_team_name(name: str) -> str:
    name = name.strip()
    if not TEAM_NAME.match(name):
        raise InvalidInputError(f"Team name {name[:60]!r} is not allowed: use 3–40 letters, digits, spaces, "
                              "'_', '-' or '.', starting with a letter or digit.")
    if looks_like_baseline(name):
        raise InvalidInputError(f"{name!r} looks like a baseline row: names that read as 'baseline' are reserved.")
    return name


def _lock(session: Session, *rows) -> None:
    """On PostgreSQL, serialise with submissions and other team changes of these rows (SQLite's write lock does).

    Always a participant before teams, as `submit` does.
    """
    if session.get_bind().dialect.name == "sqlite":
        return
    for row in rows:
        session.execute(select(type(row).id).where(type(row).id == row.id).with_for_update())


def _require_season_running(season: Season, now: datetime) -> None:
    if now >= season_end(season):
        raise TeamRuleError(f"{season.name} has ended; teams can no longer change.")


def _open_challenges(season: Season, now: datetime) -> list[Challenge]:
    return [c for c in season.challenges if challenge_status(c, now) == "open"]


def _move_submissions(session: Session, challenges: list[Challenge], *, from_team: int | None,
                      participant_id: int | None, to_team: int | None) -> None:
    """Re-attribute the open challenges' submissions: a solo participant's, or a whole team's."""
    if not challenges:
        return
    where: list[ColumnElement[bool]] = [Submission.challenge_id.in_([c.id for c in challenges])]
    where.append(Submission.team_id.is_(None) if from_team is None else Submission.team_id == from_team)
    if participant_id is not None:
        where.append(Submission.participant_id == participant_id)
    session.execute(update(Submission).where(*where).values(team_id=to_team))


def days_open(challenge: Challenge, now: datetime) -> int:
    """UTC days the challenge has accepted submissions, today included (the daily limit's days)."""
    return (now.date() - challenge.opens_at.date()).days + 1


def check_merge_fits(session: Session, challenges: list[Challenge], groups: list[tuple[int | None, int | None]],
                     now: datetime) -> None:
    """Kaggle's merge rule on each open challenge: the merged total ≤ daily limit × days so far.

    `groups` are (team id, participant id) pairs, as `_move_submissions` names them.
    """
    for challenge in challenges:
        total = 0
        for team_id, participant_id in groups:
            where = [Submission.challenge_id == challenge.id, Submission.status == SubmissionStatus.SCORED,
                     Submission.team_id.is_(None) if team_id is None else Submission.team_id == team_id]
            if participant_id is not None:
                where.append(Submission.participant_id == participant_id)
            total += session.scalars(select(func.count()).select_from(Submission).where(*where)).one()
        allowed = challenge.daily_limit * days_open(challenge, now)
        if total > allowed:
            raise TeamRuleError(
                f"The merged team would have {total} submissions on {challenge.slug!r}, more than one team could "
                f"have made so far ({challenge.daily_limit} a day × {days_open(challenge, now)} days = {allowed}). "
                "Merge later, when the count fits, or before either side submits more.")


def _require_person(participant: Participant) -> None:
    if participant.is_baseline:
        raise InvalidInputError("Baselines cannot be in teams.")


def create_team(session: Session, season: Season, participant: Participant, name: str,
                moment: datetime | None = None) -> Team:
    """A new team with `participant` as its first member; their open-challenge submissions come along."""
    now = moment or utcnow()
    _require_person(participant)
    name = _clean_team_name(name)
    _require_season_running(season, now)
    _lock(session, participant)
    current = team_of(session, season, participant)
    if current is not None:
        raise ConflictError(f"You are already in team {current.name!r}; leave it first (`kit team leave`).")
    key = name_key(name)
    if session.scalar(select(Team).where(Team.season_id == season.id, Team.name_key == key)) is not None:
        raise ConflictError(f"A team named {name!r}, or one that looks like it, already exists in {season.name}. "
                            "Pick another name.")
    # A team's name shows on boards where people's names do: it may not pass for someone else.
    namesake = session.scalar(select(Participant.id).where(Participant.name_key == key))
    if namesake is not None and namesake != participant.id:
        raise ConflictError(f"{name!r} is a participant's name; pick a team name no one else goes by.")
    team = Team(season_id=season.id, name=name, name_key=key, invite_code=f"team_{secrets.token_urlsafe(9)}",
                created_at=now)
    session.add(team)
    session.flush()
    session.add(TeamMember(team_id=team.id, season_id=season.id, participant_id=participant.id, joined_at=now))
    _move_submissions(session, _open_challenges(season, now), from_team=None, participant_id=participant.id,
                      to_team=team.id)
    session.flush()
    return team


def join_team(session: Session, participant: Participant, invite_code: str, moment: datetime | None = None) -> Team:
    """Join the team whose invite code this is; a participant already in a team brings their whole team (a merge)."""
    now = moment or utcnow()
    _require_person(participant)
    team = session.scalar(select(Team).where(Team.invite_code == invite_code.strip()))
    if team is None:
        raise NotFoundError("No team has that invite code. Ask a member for it (`kit team show`).")
    season = session.get_one(Season, team.season_id)
    _require_season_running(season, now)
    if now >= merge_deadline(season):
        raise TeamRuleError(f"The team merge deadline of {season.name} ({merge_deadline(season):%Y-%m-%d %H:%M} UTC) "
                          "has passed; teams can no longer grow.")
    _lock(session, participant)
    current = team_of(session, season, participant)
    if current is not None and current.id == team.id:
        raise ConflictError(f"You are already in team {team.name!r}.")
    # Teams are locked in id order, so two teams merging each way at once cannot deadlock.
    _lock(session, *sorted([team] if current is None else [team, current], key=lambda t: t.id))
    joining = members_of(session, current) if current is not None else [participant]
    size = len(members_of(session, team)) + len(joining)
    if size > season.max_team_size:
        raise TeamRuleError(f"Team {team.name!r} would have {size} members; {season.name} allows at most "
                          f"{season.max_team_size}.")
    open_ones = _open_challenges(season, now)
    incoming = (current.id, None) if current is not None else (None, participant.id)
    check_merge_fits(session, open_ones, [(team.id, None), incoming], now)
    _move_submissions(session, open_ones, from_team=incoming[0], participant_id=incoming[1], to_team=team.id)
    if current is not None:
        for member in session.scalars(select(TeamMember).where(TeamMember.team_id == current.id)):
            member.team_id, member.joined_at = team.id, now
    else:
        session.add(TeamMember(team_id=team.id, season_id=season.id, participant_id=participant.id, joined_at=now))
    session.flush()
    return team


def leave_team(session: Session, season: Season, participant: Participant, moment: datetime | None = None) -> Team:
    """Leave your team before the merge deadline; your own open-challenge submissions go with you.

    The team keeps its name and its closed challenges' results even when its last member leaves.
    """
    now = moment or utcnow()
    team = team_of(session, season, participant)
    if team is None:
        raise NotFoundError(f"You are not in a team in {season.name}.")
    if now >= merge_deadline(season):
        raise TeamRuleError(f"The team merge deadline of {season.name} ({merge_deadline(season):%Y-%m-%d %H:%M} UTC) "
                          "has passed; teams are final.")
    _lock(session, participant, team)
    _move_submissions(session, _open_challenges(season, now), from_team=team.id, participant_id=participant.id,
                      to_team=None)
    member = session.scalar(select(TeamMember).where(TeamMember.team_id == team.id,
                                                     TeamMember.participant_id == participant.id))
    session.delete(member)
    session.flush()
    return team


def teams_of_season(session: Session, season: Season) -> list[Team]:
    return list(session.scalars(select(Team).where(Team.season_id == season.id).order_by(Team.created_at, Team.id)))
