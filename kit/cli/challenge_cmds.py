"""`kit challenge …`: add, list, show and close challenges."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from kit.cli.common import (
    JsonOption,
    OrganizerTokenOption,
    ServerOption,
    WholeSummaries,
    WorkspaceOption,
    arrow,
    connect,
    console,
    err_console,
    iso_utc,
    open_workspace,
    print_json,
    reports_errors,
    status_text,
    styled,
)

app = typer.Typer(cls=WholeSummaries, help="Challenges: add one from a TOML spec, list, show, close.", no_args_is_help=True,
                  rich_markup_mode=None)


def challenge_summary(challenge) -> dict:
    from kit.challenge.lookup import challenge_status
    from kit.challenge.metric_of import challenge_metric
    from kit.challenge.submission_format import submission_header

    metric = challenge_metric(challenge)
    return {
        "slug": challenge.slug, "title": challenge.title, "week": challenge.week,
        "status": challenge_status(challenge), "metric": metric.name, "direction": metric.direction,
        "task": challenge.task, "source": challenge.source, "target": challenge.target,
        "id_column": challenge.id_column, "classes": challenge.classes, "image_shape": challenge.image_shape,
        "submission_header": submission_header(challenge),
        "opens_at": challenge.opens_at.isoformat(), "closes_at": challenge.closes_at.isoformat(),
        "closed_at": challenge.closed_at.isoformat() if challenge.closed_at else None,
        "train_rows": challenge.train_rows, "test_rows": challenge.test_rows,
        "daily_limit": challenge.daily_limit, "final_selections": challenge.final_selections,
        "max_file_bytes": challenge.max_file_bytes,
    }


def summary_from_api(summary: dict) -> dict:
    """The API's challenge in the keys and order of `challenge_summary`, so both modes print alike."""
    row: dict[str, Any] = {key: summary.get(key) for key in (
        "slug", "title", "week", "status", "metric", "direction", "task", "source", "target", "id_column",
        "classes", "image_shape", "submission_header", "opens_at", "closes_at", "closed_at", "train_rows",
        "test_rows", "daily_limit", "final_selections", "max_file_bytes")}
    row["direction"] = "higher" if summary["higher_is_better"] else "lower"
    for key in ("opens_at", "closes_at", "closed_at"):
        row[key] = iso_utc(row[key]) if row[key] else row[key]
    return row


@app.command("add")
@reports_errors
def add(
    spec_file: Annotated[Path, typer.Argument(help="The challenge spec (TOML).", show_default=False)],
    replace: Annotated[bool, typer.Option("--replace", help="Rebuild an existing challenge with no submissions.")] = False,
    workspace: WorkspaceOption = None,
    organizer_token: OrganizerTokenOption = None,
) -> None:
    """Add a challenge from its TOML spec (organizers).

    Splits the data, stores the bundle and the hidden solution.

    Example: kit challenge add week1-digits.toml
    """
    import warnings

    from kit.challenge.data_checks import DataWarning
    from kit.challenge.datasets.registry import published_data_note
    from kit.challenge.spec import load_spec
    from kit.services.challenges import add_challenge_to, public_noise

    spec, text = load_spec(spec_file)
    ws = open_workspace(workspace)
    with err_console.status(status_text(f"Building {spec.slug} from {spec.data.source}…")), \
            warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", DataWarning)
        challenge = add_challenge_to(ws, spec, text, organizer_token=organizer_token,
                                     base_dir=spec_file.resolve().parent, cache_dir=ws.settings.cache_dir,
                                     replace=replace)
    for warning in caught:
        if issubclass(warning.category, DataWarning):
            err_console.print(styled(("Warning:", "bold yellow"), f" {warning.message}"))
    console.print(styled("Added challenge ", (challenge.slug, "bold"), f": {challenge.train_rows} train rows, "
                         f"{challenge.test_rows} test rows ({challenge.public_rows} public), metric {challenge.metric}."))
    with ws.session() as session:
        noise = public_noise(session, challenge)
    console.print(noise.summary)
    if (note := published_data_note(spec.data.source)) is not None:
        err_console.print(styled(("Note:", "bold yellow"), f" {note}"))
    if noise.warning:
        err_console.print(styled(("Warning:", "bold yellow"), f" {noise.warning}"))


@app.command("list")
@reports_errors
def list_(server: ServerOption = None, workspace: WorkspaceOption = None, as_json: JsonOption = False) -> None:
    """List every challenge with its status.

    Example: kit challenge list --json
    """
    if server:
        with connect(server) as client:
            rows = [summary_from_api(c) for c in client.challenges()]
    else:
        from kit.challenge.lookup import list_challenges

        ws = open_workspace(workspace)
        with ws.session() as session:
            rows = [challenge_summary(c) for c in list_challenges(session)]
    if as_json:
        print_json(rows)
        return
    if not rows:
        console.print("No challenges yet. Add one with `kit challenge add SPEC.toml`, or run `kit demo`.")
        return
    # Slugs, metrics and dates never wrap (people copy them); the title wraps to fit 80 columns.
    # (`kit challenge show SLUG` has the exact times.)
    table = Table(box=None, pad_edge=False, header_style="bold")
    table.add_column("challenge", no_wrap=True)
    table.add_column("status", no_wrap=True)
    table.add_column("metric", no_wrap=True)
    table.add_column("closes", no_wrap=True)
    table.add_column("title", ratio=1)
    for row in rows:
        table.add_row(row["slug"], row["status"], f"{row['metric']} {arrow(row['direction'])}",
                      row["closes_at"][:10], row["title"])
    console.print(table)


@app.command("show")
@reports_errors
def show(
    slug: Annotated[str, typer.Argument(help="The challenge's slug.")],
    server: ServerOption = None,
    workspace: WorkspaceOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show one challenge: its task, metric, dates and limits.

    Example: kit challenge show digits
    """
    if server:
        with connect(server) as client:
            detail = client.challenge(slug)
        row, description = summary_from_api(detail), (detail.get("description") or "").strip()
    else:
        from kit.challenge.lookup import get_challenge

        ws = open_workspace(workspace)
        with ws.session() as session:
            challenge = get_challenge(session, slug)
            row = challenge_summary(challenge)
            description = challenge.description.strip()
    if as_json:
        print_json(row)
        return
    console.print(styled((row["title"], "bold"), f" ({row['slug']}) — {row['status']}"))
    if description:
        console.print(description)
    for key in ("metric", "direction", "task", "source", "target", "id_column", "classes", "submission_header",
                "opens_at", "closes_at",
                "train_rows", "test_rows", "daily_limit", "final_selections", "max_file_bytes"):
        console.print(f"  {key:<17} {row[key]}")


@app.command("close")
@reports_errors
def close(
    slug: Annotated[str, typer.Argument(help="The challenge's slug.")],
    workspace: WorkspaceOption = None,
    organizer_token: OrganizerTokenOption = None,
) -> None:
    """Close a challenge now, revealing its private board (organizers).

    Example: kit challenge close digits
    """
    from kit.services.challenges import close_challenge
    from kit.store.organizer_token import require_organizer

    ws = open_workspace(workspace)
    with ws.session(write=True) as session:
        require_organizer(session, organizer_token)
        challenge = close_challenge(session, slug)
        console.print(f"Closed {challenge.slug}. See the private board: kit leaderboard {slug} --private")


def register_commands(root: typer.Typer) -> None:
    root.add_typer(app, name="challenge")
