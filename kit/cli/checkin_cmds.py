"""`kit log`, `kit streak` and `kit award`: the season's daily rhythm and weekly prizes."""

from __future__ import annotations

from typing import Annotated

import typer

from kit.cli.common import (
    OrganizerTokenOption,
    ServerOption,
    TokenOption,
    WorkspaceOption,
    connect,
    console,
    open_workspace,
    reports_errors,
)

SeasonOption = Annotated[str | None, typer.Option("--season", help="The season; the latest one when left out.")]


@reports_errors
def log(
    note: Annotated[str, typer.Argument(help="What you learned today.")],
    url: Annotated[str | None, typer.Option("--url", help="A blog or social post about it (http or https).")] = None,
    season: SeasonOption = None,
    token: TokenOption = None,
    server: ServerOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Check in: log what you learned today.

    Your day counts towards your streak.

    Example: kit log "batch norm makes my CNN train faster" --url https://example.org/my-post
    """
    if server:
        with connect(server, token) as client:
            day = client.check_in(note, url, season)["day"]
            days, current = client.season(season)["days"], client.streak(season)["current"]
    else:
        from kit.season.checkins import log_checkin
        from kit.season.seasons import get_season
        from kit.season.standings import participant_streak
        from kit.services.participants import authenticate

        ws = open_workspace(workspace)
        with ws.session(write=True) as session:
            participant = authenticate(session, token)
            chosen = get_season(session, season)
            checkin = log_checkin(session, chosen, participant, note, url)
            day, days, current = checkin.day, chosen.days, participant_streak(session, chosen, participant).current
    console.print(f"Checked in for day {day} of {days}. Current streak: {current} day(s).")


@reports_errors
def streak(
    season: SeasonOption = None,
    token: TokenOption = None,
    server: ServerOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Your streak and your 27 days: ■ active, □ missed, · to come.

    Example: kit streak
    """
    if server:
        from kit.client.api import streak_cells

        with connect(server, token) as client:
            mine, about = client.streak(season), client.season(season)
        name, season_name, current, longest = mine["participant"], about["name"], mine["current"], mine["longest"]
        cells = streak_cells(mine["days"], about["day"], mine["joined_day"])
    else:
        from kit.season.seasons import day_of_season, get_season, joined_day
        from kit.season.standings import participant_streak
        from kit.services.participants import authenticate

        ws = open_workspace(workspace)
        with ws.session() as session:
            participant = authenticate(session, token)
            chosen = get_season(session, season)
            result = participant_streak(session, chosen, participant)
            name, season_name, current, longest = participant.name, chosen.name, result.current, result.longest
            cells = result.cells(day_of_season(chosen), joined_day(chosen, participant.created_at))
    console.print(f"{name} in {season_name}: current streak {current}, longest {longest}")
    console.print(cells)


@reports_errors
def award(
    slug: Annotated[str, typer.Argument(help="The closed challenge.")],
    place: Annotated[int, typer.Argument(help="1, 2 or 3 on the private board.")],
    note: Annotated[str, typer.Argument(help="The prize, e.g. 'GPU credits'.")],
    workspace: WorkspaceOption = None,
    organizer_token: OrganizerTokenOption = None,
) -> None:
    """Award one of a closed challenge's top three (organizers).

    Example: kit award digits 1 "A t-shirt and $50 of GPU credits"
    """
    from kit.season.awards import record_award
    from kit.store.organizer_token import require_organizer

    ws = open_workspace(workspace)
    with ws.session(write=True) as session:
        require_organizer(session, organizer_token)
        recorded = record_award(session, slug, place, note)
        name = recorded.participant.name
    console.print(f"Award for place {place} on {slug} ({name}): {note}")


def register_commands(app: typer.Typer) -> None:
    app.command()(log)
    app.command()(streak)
    app.command()(award)
