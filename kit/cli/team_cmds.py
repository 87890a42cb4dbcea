"""`kit team …`: create, join, show and leave a team; the organizer sets a season's team rules."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer
from rich.table import Table

from kit.cli.common import (
    JsonOption,
    OrganizerTokenOption,
    ServerOption,
    TokenOption,
    WholeSummaries,
    WorkspaceOption,
    connect,
    console,
    open_workspace,
    print_json,
    reports_errors,
    styled,
)
from kit.errors import InvalidInputError

app = typer.Typer(cls=WholeSummaries, help="Teams: participants who submit, rank and win as one.", no_args_is_help=True)

SeasonOption = Annotated[str | None, typer.Option("--season", help="The season's slug [default: the latest].",
                                                  show_default=False)]


def _local(info) -> dict:
    """A kit.season.teams.TeamInfo as the API returns a team, so both modes print one way."""
    return {"name": info.name, "season": info.season, "invite_code": info.invite_code, "members": list(info.members),
            "max_size": info.max_size, "merge_deadline": info.merge_deadline.isoformat()}


def _print_team(team: dict) -> None:
    members = team["members"]
    console.print(styled("Team ", (team["name"], "bold"), f" in {team['season']}: {', '.join(members)} "
                         f"({len(members)} of at most {team['max_size']})."))
    console.print(styled("Invite code: ", (team["invite_code"], "bold"),
                         f"  (others join with `kit team join {team['invite_code']}`)"))
    deadline = datetime.fromisoformat(team["merge_deadline"])
    console.print(f"Joining and leaving close at {deadline:%Y-%m-%d %H:%M} UTC.")


@app.command("create")
@reports_errors
def create(
    name: Annotated[str, typer.Argument(help="The team's name (unique in the season, case-insensitive).")],
    season: SeasonOption = None,
    token: TokenOption = None,
    server: ServerOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Create a team and get its invite code.

    Your submissions to open challenges count for it.

    Example: kit team create "Gradient Descenders"
    """
    if server:
        with connect(server, token) as client:
            team = client.create_team(name, season)
    else:
        from kit.season.seasons import get_season
        from kit.season.teams import create_team, team_info
        from kit.services.participants import authenticate

        ws = open_workspace(workspace)
        with ws.session(write=True) as session:
            participant = authenticate(session, token)
            team = _local(team_info(session, create_team(session, get_season(session, season), participant, name)))
    _print_team(team)


@app.command("join")
@reports_errors
def join(
    code: Annotated[str, typer.Argument(help="The invite code a member gave you.")],
    token: TokenOption = None,
    server: ServerOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Join a team with its invite code.

    If you are in a team already, the two teams merge.

    Example: kit team join team_Xy12ab34cd56
    """
    if server:
        with connect(server, token) as client:
            team = client.join_team(code)
    else:
        from kit.season.teams import join_team, team_info
        from kit.services.participants import authenticate

        ws = open_workspace(workspace)
        with ws.session(write=True) as session:
            participant = authenticate(session, token)
            team = _local(team_info(session, join_team(session, participant, code)))
    _print_team(team)


@app.command("show")
@reports_errors
def show(
    season: SeasonOption = None,
    token: TokenOption = None,
    server: ServerOption = None,
    workspace: WorkspaceOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show your team: members, invite code and the merge deadline.

    Example: kit team show
    """
    if server:
        with connect(server, token) as client:
            team = client.my_team(season)
    else:
        from kit.season.seasons import get_season
        from kit.season.teams import my_team
        from kit.services.participants import authenticate

        ws = open_workspace(workspace)
        with ws.session() as session:
            participant = authenticate(session, token)
            team = _local(my_team(session, get_season(session, season), participant))
    if as_json:
        print_json({**team, "merge_deadline": datetime.fromisoformat(team["merge_deadline"]).isoformat()})
        return
    _print_team(team)


@app.command("leave")
@reports_errors
def leave(
    season: SeasonOption = None,
    token: TokenOption = None,
    server: ServerOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Leave your team (before the merge deadline).

    Your submissions to open challenges go with you.

    Example: kit team leave
    """
    if server:
        with connect(server, token) as client:
            name = client.leave_team(season)["left"]
    else:
        from kit.season.seasons import get_season
        from kit.season.teams import leave_team
        from kit.services.participants import authenticate

        ws = open_workspace(workspace)
        with ws.session(write=True) as session:
            participant = authenticate(session, token)
            name = leave_team(session, get_season(session, season), participant).name
    console.print(styled("You left team ", (name, "bold"), "."))


@app.command("list")
@reports_errors
def list_(
    season: SeasonOption = None,
    server: ServerOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """List a season's teams and their members.

    Invite codes stay with the members.

    Example: kit team list
    """
    if server:
        with connect(server) as client:
            title = f"{client.season(season)['name']} — teams"
            rows = [(t["name"], t["members"]) for t in client.teams(season)]
    else:
        from kit.season.seasons import get_season
        from kit.season.teams import members_of, teams_of_season

        ws = open_workspace(workspace)
        with ws.session() as session:
            found = get_season(session, season)
            rows = [(t.name, [p.name for p in members_of(session, t)]) for t in teams_of_season(session, found)]
            title = f"{found.name} — teams"
    if not rows:
        console.print("No teams yet. Create one with `kit team create NAME`.")
        return
    table = Table("team", "members", title=title)
    for name, members in rows:
        table.add_row(name, ", ".join(members) or "(nobody now)")
    console.print(table)


@app.command("rules")
@reports_errors
def rules(
    season: SeasonOption = None,
    max_size: Annotated[int | None, typer.Option("--max-size", help="The most members a team may have.",
                                                 show_default=False)] = None,
    merge_deadline: Annotated[str | None, typer.Option(
        "--merge-deadline", help="When joining and leaving stop, e.g. 2026-12-20T00:00:00Z [default: season end].",
        show_default=False)] = None,
    standings_by: Annotated[str | None, typer.Option(
        "--standings-by", help="Season standings rank 'team' rows or 'participant' rows.", show_default=False)] = None,
    workspace: WorkspaceOption = None,
    organizer_token: OrganizerTokenOption = None,
) -> None:
    """Set a season's team rules (organizers); with no option, show them.

    Example: kit team rules --max-size 3 --merge-deadline 2026-12-20T00:00:00Z --standings-by team
    """
    from kit.season.seasons import get_season
    from kit.season.teams import merge_deadline as deadline_of
    from kit.season.teams import set_team_rules
    from kit.store.organizer_token import require_organizer

    deadline = None
    if merge_deadline is not None:
        try:
            deadline = datetime.fromisoformat(merge_deadline.replace("Z", "+00:00"))
        except ValueError:
            raise InvalidInputError(f"--merge-deadline must be a date and time such as 2026-12-20T00:00:00Z, "
                                  f"not {merge_deadline!r}.") from None
    ws = open_workspace(workspace)
    changing = any(value is not None for value in (max_size, deadline, standings_by))
    with ws.session(write=changing) as session:
        found = get_season(session, season)
        if changing:
            require_organizer(session, organizer_token)
            set_team_rules(session, found, max_size=max_size, merge_deadline_at=deadline, standings_by=standings_by)
        console.print(f"{found.name}: teams of at most {found.max_team_size}; joining and leaving close at "
                      f"{deadline_of(found):%Y-%m-%d %H:%M} UTC; standings count each {found.standings_by}.")


def register_commands(root: typer.Typer) -> None:
    root.add_typer(app, name="team")
