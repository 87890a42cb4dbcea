"""`kit challenge …`: add, list, show and close challenges."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from kit.cli.common import (JsonOption, OrganizerTokenOption, WorkspaceOption, arrow, console, err_console,
                            open_workspace, print_json, reports_errors)

app = typer.Typer(help="Challenges: add one from a TOML spec, list, show, close.", no_args_is_help=True)


def challenge_summary(challenge) -> dict:
    from grader import get_metric

    from kit.challenges import challenge_status

    metric = get_metric(challenge.metric)
    return {
        "slug": challenge.slug, "title": challenge.title, "week": challenge.week,
        "status": challenge_status(challenge), "metric": metric.name, "direction": metric.direction,
        "task": challenge.task, "source": challenge.source, "target": challenge.target,
        "id_column": challenge.id_column, "classes": challenge.classes, "image_shape": challenge.image_shape,
        "opens_at": challenge.opens_at.isoformat(), "closes_at": challenge.closes_at.isoformat(),
        "closed_at": challenge.closed_at.isoformat() if challenge.closed_at else None,
        "train_rows": challenge.train_rows, "test_rows": challenge.test_rows,
        "daily_limit": challenge.daily_limit, "final_selections": challenge.final_selections,
        "max_file_bytes": challenge.max_file_bytes,
    }


@app.command("add")
@reports_errors
def add(
    spec_file: Annotated[Path, typer.Argument(help="The challenge spec (TOML).", show_default=False)],
    replace: Annotated[bool, typer.Option("--replace", help="Rebuild an existing challenge with no submissions.")] = False,
    workspace: WorkspaceOption = None,
    organizer_token: OrganizerTokenOption = None,
) -> None:
    """Add a challenge from its spec: split the data, store the bundle and the hidden solution.

    Example: kit challenge add week1-digits.toml
    """
    from kit.challenges import add_challenge
    from kit.organizer import require_organizer
    from kit.spec import load_spec

    spec, text = load_spec(spec_file)
    ws = open_workspace(workspace)
    with ws.session(write=True) as session:
        require_organizer(session, organizer_token)
        with err_console.status(f"Building {spec.slug} from {spec.data.source}…"):
            challenge = add_challenge(session, spec, text, base_dir=spec_file.resolve().parent,
                                      cache_dir=ws.settings.cache_dir, replace=replace)
        console.print(f"Added challenge [bold]{challenge.slug}[/]: {challenge.train_rows} train rows, "
                      f"{challenge.test_rows} test rows ({challenge.public_rows} public), metric {challenge.metric}.")


@app.command("list")
@reports_errors
def list_(workspace: WorkspaceOption = None, as_json: JsonOption = False) -> None:
    """List every challenge with its status.

    Example: kit challenge list --json
    """
    from kit.challenges import list_challenges

    ws = open_workspace(workspace)
    with ws.session() as session:
        rows = [challenge_summary(c) for c in list_challenges(session)]
    if as_json:
        print_json(rows)
        return
    if not rows:
        console.print("No challenges yet. Add one with `kit challenge add SPEC.toml`, or run `kit demo`.")
        return
    table = Table("challenge", "title", "status", "metric", "rows (train/test)", "closes (UTC)")
    for row in rows:
        table.add_row(row["slug"], row["title"], row["status"], f"{row['metric']} {arrow(row['direction'])}",
                      f"{row['train_rows']}/{row['test_rows']}", row["closes_at"][:16].replace("T", " "))
    console.print(table)


@app.command("show")
@reports_errors
def show(
    slug: Annotated[str, typer.Argument(help="The challenge's slug.")],
    workspace: WorkspaceOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show one challenge: its task, metric, dates and limits.

    Example: kit challenge show digits
    """
    from kit.challenges import get_challenge

    ws = open_workspace(workspace)
    with ws.session() as session:
        challenge = get_challenge(session, slug)
        row = challenge_summary(challenge)
        description = challenge.description.strip()
    if as_json:
        print_json(row)
        return
    console.print(f"[bold]{row['title']}[/] ({row['slug']}) — {row['status']}")
    if description:
        console.print(description)
    for key in ("metric", "direction", "task", "source", "target", "id_column", "classes", "opens_at", "closes_at",
                "train_rows", "test_rows", "daily_limit", "final_selections", "max_file_bytes"):
        console.print(f"  {key:<17} {row[key]}")


@app.command("close")
@reports_errors
def close(
    slug: Annotated[str, typer.Argument(help="The challenge's slug.")],
    workspace: WorkspaceOption = None,
    organizer_token: OrganizerTokenOption = None,
) -> None:
    """Close a challenge now and reveal its private leaderboard (organizers).

    Example: kit challenge close digits
    """
    from kit.organizer import require_organizer

    from kit.challenges import close_challenge

    ws = open_workspace(workspace)
    with ws.session(write=True) as session:
        require_organizer(session, organizer_token)
        challenge = close_challenge(session, slug)
        console.print(f"Closed {challenge.slug}. See the private board: kit leaderboard {slug} --private")
