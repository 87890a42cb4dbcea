"""`kit season …`: create and show seasons."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import typer
from rich import box
from rich.table import Table

from kit.cli.common import (
    JsonOption,
    OrganizerTokenOption,
    WholeSummaries,
    WorkspaceOption,
    console,
    open_workspace,
    print_json,
    reports_errors,
    styled,
)
from kit.errors import InvalidInputError

app = typer.Typer(cls=WholeSummaries, help="Seasons: 27 days, a challenge each week.", no_args_is_help=True, rich_markup_mode=None)


@app.command("create")
@reports_errors
def create(
    slug: Annotated[str, typer.Argument(help="Short name used in URLs and specs, e.g. 27-days-of-keras.")],
    name: Annotated[str, typer.Option("--name", help="The season's title.")],
    starts: Annotated[str, typer.Option("--starts", help="Day 1, as YYYY-MM-DD.")],
    timezone: Annotated[str, typer.Option("--timezone", help="IANA time zone of the season's days.")] = "UTC",
    hashtag: Annotated[str | None, typer.Option("--hashtag", help="Hashtag for check-in posts.")] = None,
    self_registration: Annotated[bool, typer.Option("--self-registration/--no-self-registration",
                                                    help="Let people register themselves in the app.")] = True,
    workspace: WorkspaceOption = None,
    organizer_token: OrganizerTokenOption = None,
) -> None:
    """Create a season (organizers).

    Example: kit season create 27-days-of-keras --name "27 Days of Keras" --starts 2026-12-01
    """
    from kit.season.seasons import create_season
    from kit.store.organizer_token import require_organizer

    try:
        starts_on = date.fromisoformat(starts)
    except ValueError:
        raise InvalidInputError(f"--starts must be a date as YYYY-MM-DD, not {starts!r}.") from None
    ws = open_workspace(workspace)
    with ws.session(write=True) as session:
        require_organizer(session, organizer_token)
        season = create_season(session, slug=slug, name=name, starts_on=starts_on, timezone=timezone,
                               hashtag=hashtag, self_registration=self_registration)
        console.print(styled("Created season ", (season.name, "bold"), f" ({season.slug}), day 1 = {season.starts_on}."))


@app.command("show")
@reports_errors
def show(
    slug: Annotated[str | None, typer.Argument(help="The season; the latest one when left out.")] = None,
    workspace: WorkspaceOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show a season: its day, dates and weekly challenges.

    Example: kit season show 27-days-of-deep-learning
    """
    from kit.challenge.lookup import challenge_status
    from kit.season.seasons import day_of_season, get_season, local_date

    ws = open_workspace(workspace)
    with ws.session() as session:
        season = get_season(session, slug)
        day = day_of_season(season)
        rows: list[dict[str, Any]] = [{"week": c.week, "slug": c.slug, "title": c.title, "status": challenge_status(c),
                 "opens_at": c.opens_at.isoformat(), "closes_at": c.closes_at.isoformat()} for c in season.challenges]
        if as_json:
            print_json({"slug": season.slug, "name": season.name, "starts_on": season.starts_on.isoformat(),
                        "days": season.days, "timezone": season.timezone, "day": day, "challenges": rows})
            return
        when = f"day {day} of {season.days}" if day else ("not started" if season.starts_on > local_date(season) else "ended")
        console.print(styled((season.name, "bold"),
                             f" ({season.slug}) — {when}; day 1 was {season.starts_on} ({season.timezone})"))
        table = Table("week", "challenge", "title", "status", "closes (UTC)")
        for row in rows:
            table.add_row(str(row["week"] or "–"), row["slug"], row["title"], row["status"], row["closes_at"][:16])
        console.print(table)


@app.command("standings")
@reports_errors
def standings(
    slug: Annotated[str | None, typer.Argument(help="The season; the latest one when left out.")] = None,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print CSV.")] = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Season standings: challenge points plus check-in days.

    Challenge points come from closed challenges' private ranks.

    Example: kit season standings --csv > standings.csv
    """
    import csv
    import sys

    from kit.season.seasons import day_of_season, get_season
    from kit.season.standings import season_standings
    from kit.services.exports import neutralise

    ws = open_workspace(workspace)
    with ws.session() as session:
        season = get_season(session, slug)
        rows = season_standings(session, season)
        today = day_of_season(season)
    if as_csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(["rank", "participant", "points", "challenge_points", "active_days", "bonus",
                         "current_streak", "longest_streak"])
        for s in rows:
            writer.writerow([s.rank, neutralise(s.participant), f"{s.points:.1f}", f"{s.challenge_points:.1f}",
                             s.active_days, f"{s.bonus:.1f}", s.streak.current, s.streak.longest])
        return
    if not rows:
        console.print(f"No standings yet for {season.name}: submit or `kit log` to check in.")
        return
    # Fits 80 columns: names wrap, the calendar never does (challenge points are in --csv).
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, title=f"{season.name} — standings")
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("participant", ratio=1, overflow="fold")
    for header in ("points", "days", "streak", "best"):
        table.add_column(header, justify="right", no_wrap=True)
    table.add_column("calendar", no_wrap=True, min_width=season.days)
    for s in rows:
        table.add_row(str(s.rank), s.participant, f"{s.points:.1f}", str(s.active_days),
                      str(s.streak.current), str(s.streak.longest), s.streak.cells(today, s.joined_day))
    console.print(table)


@app.command("winners")
@reports_errors
def winners(
    slug: Annotated[str | None, typer.Argument(help="The season; the latest one when left out.")] = None,
    workspace: WorkspaceOption = None,
    as_json: JsonOption = False,
) -> None:
    """Each closed week's top three, with the award notes.

    Example: kit season winners
    """
    from kit.season.seasons import get_season
    from kit.season.standings import weekly_winners

    ws = open_workspace(workspace)
    with ws.session() as session:
        rows = weekly_winners(session, get_season(session, slug))
    if as_json:
        print_json([row.__dict__ for row in rows])
        return
    if not rows:
        console.print("No winners yet: winners are the top three of each closed challenge.")
        return
    table = Table("week", "challenge", "place", "participant", "private score", "award")
    for row in rows:
        table.add_row(str(row.week or "–"), row.challenge, str(row.place), row.participant, f"{row.score:.5f}",
                      row.award or "")
    console.print(table)


def register_commands(root: typer.Typer) -> None:
    root.add_typer(app, name="season")
