"""`kit log`, `kit streak` and `kit award`: the season's daily rhythm and weekly prizes."""

from __future__ import annotations

from typing import Annotated

import typer

from kit.cli.common import (
    OrganizerTokenOption,
    TokenOption,
    WorkspaceOption,
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
    workspace: WorkspaceOption = None,
) -> None:
    """Check in: log what you learned today (your day counts towards your streak).

    Example: kit log "batch norm makes my CNN train faster" --url https://example.org/my-post
    """
    from kit.checkins import log_checkin
    from kit.participants import authenticate
    from kit.seasons import get_season
    from kit.standings import participant_streak

    ws = open_workspace(workspace)
    with ws.session(write=True) as session:
        participant = authenticate(session, token)
        chosen = get_season(session, season)
        checkin = log_checkin(session, chosen, participant, note, url)
        current = participant_streak(session, chosen, participant)
    console.print(f"Checked in for day {checkin.day} of {chosen.days}. Current streak: {current.current} day(s).")


@reports_errors
def streak(
    season: SeasonOption = None,
    token: TokenOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Your streak and your 27 days: ■ active, □ missed, · to come.

    Example: kit streak
    """
    from kit.participants import authenticate
    from kit.seasons import day_of_season, get_season
    from kit.standings import participant_streak

    ws = open_workspace(workspace)
    with ws.session() as session:
        participant = authenticate(session, token)
        chosen = get_season(session, season)
        result = participant_streak(session, chosen, participant)
        today = day_of_season(chosen)
    console.print(f"{participant.name} in {chosen.name}: current streak {result.current}, longest {result.longest}")
    console.print(result.cells(today))


@reports_errors
def award(
    slug: Annotated[str, typer.Argument(help="The closed challenge.")],
    place: Annotated[int, typer.Argument(help="1, 2 or 3 on the private board.")],
    note: Annotated[str, typer.Argument(help="The prize, e.g. 'GPU credits'.")],
    workspace: WorkspaceOption = None,
    organizer_token: OrganizerTokenOption = None,
) -> None:
    """Record an award note for one of a closed challenge's top three (organizers).

    Example: kit award digits 1 "A t-shirt and $50 of GPU credits"
    """
    from kit.awards import record_award
    from kit.organizer import require_organizer

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
