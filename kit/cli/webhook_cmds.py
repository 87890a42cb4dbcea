"""`kit webhook …`: the organizer's notifications to a chat server (Discord, Slack) or any JSON endpoint."""

from __future__ import annotations

from typing import Annotated

import typer
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
)

app = typer.Typer(cls=WholeSummaries, help="Webhooks: the season's moments in your chat (organizers).",
                  no_args_is_help=True)

SeasonOption = Annotated[str | None, typer.Option("--season", help="The season's slug [default: the latest].",
                                                  show_default=False)]
EVENTS_HELP = ("Comma-separated events: challenge_opened, new_leader, challenge_closed, weekly_winners, "
               "streak_at_risk [default: all].")


@app.command("add")
@reports_errors
def add(
    url: Annotated[str, typer.Argument(help="The endpoint, e.g. a Discord channel's webhook URL.")],
    fmt: Annotated[str, typer.Option("--format", help="discord, slack or json.")] = "json",
    events: Annotated[list[str] | None, typer.Option("--events", help=EVENTS_HELP, show_default=False)] = None,
    season: SeasonOption = None,
    workspace: WorkspaceOption = None,
    organizer_token: OrganizerTokenOption = None,
) -> None:
    """Add a webhook for a season's moments.

    Example: kit webhook add https://discord.com/api/webhooks/… --format discord --events new_leader,challenge_closed
    """
    from kit.season.seasons import get_season
    from kit.services.webhooks import add_webhook
    from kit.store.organizer_token import require_organizer

    ws = open_workspace(workspace)
    with ws.session(write=True) as session:
        require_organizer(session, organizer_token)
        hook = add_webhook(session, get_season(session, season), url, fmt, events)
    console.print(f"Added webhook {hook.id} ({hook.format}) to {hook.url} for: {', '.join(hook.events)}.")
    console.print("`kit serve` delivers in the background; `kit webhook deliver` sends what is due now.")


@app.command("list")
@reports_errors
def list_(
    season: SeasonOption = None,
    workspace: WorkspaceOption = None,
    organizer_token: OrganizerTokenOption = None,
    as_json: JsonOption = False,
) -> None:
    """List a season's webhooks (URLs shown masked: they hold a secret).

    Example: kit webhook list
    """
    from kit.season.seasons import get_season
    from kit.services.webhooks import list_webhooks
    from kit.store.organizer_token import require_organizer

    ws = open_workspace(workspace)
    with ws.session() as session:
        require_organizer(session, organizer_token)
        hooks = list_webhooks(session, get_season(session, season))
    if as_json:
        print_json([{"id": h.id, "url": h.url, "format": h.format, "events": list(h.events),
                     "created_at": h.created_at.isoformat()} for h in hooks])
        return
    if not hooks:
        console.print("No webhooks yet. Add one with `kit webhook add URL --format discord`.")
        return
    table = Table("id", "url", "format", "events")
    for h in hooks:
        table.add_row(str(h.id), h.url, h.format, ", ".join(h.events))
    console.print(table)


@app.command("remove")
@reports_errors
def remove(
    webhook_id: Annotated[int, typer.Argument(help="The webhook's id (see `kit webhook list`).")],
    season: SeasonOption = None,
    workspace: WorkspaceOption = None,
    organizer_token: OrganizerTokenOption = None,
) -> None:
    """Remove a webhook.

    Its pending deliveries are cancelled and its log is kept.

    Example: kit webhook remove 2
    """
    from kit.season.seasons import get_season
    from kit.services.webhooks import remove_webhook
    from kit.store.organizer_token import require_organizer

    ws = open_workspace(workspace)
    with ws.session(write=True) as session:
        require_organizer(session, organizer_token)
        hook = remove_webhook(session, get_season(session, season), webhook_id)
    console.print(f"Removed webhook {hook.id} ({hook.url}).")


@app.command("log")
@reports_errors
def log(
    season: SeasonOption = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=1000, help="How many deliveries to show.")] = 30,
    workspace: WorkspaceOption = None,
    organizer_token: OrganizerTokenOption = None,
    as_json: JsonOption = False,
) -> None:
    """The delivery log: what was sent where, and the answers.

    Each event sent to each webhook, its attempts and the endpoint's answer.

    Example: kit webhook log --limit 10
    """
    from kit.season.seasons import get_season
    from kit.services.webhooks import delivery_log
    from kit.store.organizer_token import require_organizer

    ws = open_workspace(workspace)
    with ws.session() as session:
        require_organizer(session, organizer_token)
        rows = delivery_log(session, get_season(session, season), limit)
    if as_json:
        print_json([row.__dict__ for row in rows])
        return
    if not rows:
        console.print("No deliveries yet.")
        return
    table = Table("id", "webhook", "event", "status", "tries", "answer", "when (UTC)")
    for row in rows:
        answer = row.last_error or (str(row.last_status_code) if row.last_status_code else "")
        when = row.delivered_at or row.next_attempt_at or row.created_at
        table.add_row(str(row.id), str(row.webhook_id), row.event, row.status, str(row.attempts), answer,
                      f"{when:%Y-%m-%d %H:%M:%S}")
    console.print(table)


@app.command("deliver")
@reports_errors
def deliver(
    workspace: WorkspaceOption = None,
    organizer_token: OrganizerTokenOption = None,
) -> None:
    """Run the webhook worker once.

    Stores the moments that have come and sends what is due.

    Example: kit webhook deliver
    """
    from kit.services.delivery import run_tick
    from kit.store.organizer_token import require_organizer

    ws = open_workspace(workspace)
    with ws.session() as session:
        require_organizer(session, organizer_token)
    report = run_tick(ws)
    console.print(f"{report.events} new event(s); {report.delivered} delivered, {report.retrying} to retry, "
                  f"{report.failed} failed.")


def register_commands(root: typer.Typer) -> None:
    root.add_typer(app, name="webhook")
