"""`kit grade`, `kit submit`, `kit submissions`, `kit select`, `kit leaderboard`."""

from __future__ import annotations

import math
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from kit.cli.common import open_workspace, JsonOption, TokenOption, WorkspaceOption, console, err_console, print_json, reports_errors
from kit.errors import SubmissionRefused, ValidationError


def fmt(score: float | None, decimals: int) -> str:
    if score is None or (isinstance(score, float) and math.isnan(score)):
        return "–"
    return f"{score:.{decimals}f}"


@reports_errors
def grade(
    solution: Annotated[Path, typer.Option("--solution", "-s", help="Solution CSV: id, target, Usage.")],
    submission: Annotated[Path, typer.Option("--submission", "-f", help="Submission CSV (or .csv.gz).")],
    metric: Annotated[str, typer.Option("--metric", "-m", help="Metric name, e.g. accuracy, roc_auc, rmse.")],
    id_column: Annotated[str, typer.Option("--id-column", help="Name of the id column.")] = "id",
    max_bytes: Annotated[int | None, typer.Option("--max-bytes", help="Refuse larger submissions.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Grade a submission file against a solution file, with no workspace (organizers, tests).

    Exit 0 prints the public and private scores; exit 1 prints the rejection.

    Example: kit grade --solution solution.csv --submission submission.csv --metric accuracy
    """
    import grader

    try:
        chosen = grader.get_metric(metric)
        truth = grader.read_solution(solution.read_bytes(), id_column=id_column)
        result = grader.grade(truth, submission, chosen, filename=submission.name, max_bytes=max_bytes)
    except FileNotFoundError as error:
        raise ValidationError(f"No file at {error.filename}.") from None
    except grader.SubmissionError as error:
        if as_json:
            print_json({"status": "rejected", "code": error.code, "message": error.message})
        else:
            err_console.print(f"[bold red]Rejected:[/] {error.message}")
        raise typer.Exit(1) from None
    except grader.GraderError as error:
        raise ValidationError(str(error)) from None
    if as_json:
        print_json({"status": "scored", "metric": chosen.name, "direction": chosen.direction,
                    "public_score": result.public_score, "private_score": result.private_score, "rows": result.rows})
        return
    console.print(f"{chosen.name} {chosen.arrow}  public {fmt(result.public_score, chosen.decimals)}  "
                  f"private {fmt(result.private_score, chosen.decimals)}  ({result.rows} rows)")


@reports_errors
def submit(
    slug: Annotated[str, typer.Argument(help="The challenge's slug.")],
    file: Annotated[Path, typer.Option("--file", "-f", help="Your submission CSV (or .csv.gz).")],
    message: Annotated[str, typer.Option("--message", "-m", help="What you tried (shown in your history).")] = "",
    token: TokenOption = None,
    workspace: WorkspaceOption = None,
    as_json: JsonOption = False,
) -> None:
    """Submit predictions: graded at once, stored byte for byte.

    Example: kit submit digits -f submission.csv -m "logreg, C=0.5"
    """
    from grader import get_metric

    from kit.challenges import get_challenge
    from kit.submissions import read_submission_file, submit as submit_file

    ws = open_workspace(workspace)
    with ws.session() as session:
        challenge = get_challenge(session, slug)
        limit, metric = challenge.max_file_bytes, get_metric(challenge.metric)
    content = read_submission_file(file, limit)
    outcome = submit_file(ws, slug=slug, token=token, content=content, filename=file.name, message=message)
    row = outcome.submission
    if as_json:
        print_json({"id": row.id, "status": row.status, "code": row.error_code, "message": row.error,
                    "public_score": row.public_score, "metric": metric.name, "direction": metric.direction,
                    "rank": outcome.rank, "left_today": outcome.left_today})
        if row.status != "scored":
            raise typer.Exit(1)
        return
    if row.status != "scored":
        err_console.print(f"[bold red]Submission {row.id} rejected:[/] {row.error}")
        err_console.print("Rejected files do not count towards your daily limit.")
        raise typer.Exit(1)
    better = "higher is better" if metric.higher_is_better else "lower is better"
    console.print(f"Submission {row.id} scored: public {metric.name} [bold]{fmt(row.public_score, metric.decimals)}[/] "
                  f"{metric.arrow} ({better}).")
    console.print(f"You are #{outcome.rank} on the public leaderboard. {outcome.left_today} submission(s) left today.")


@reports_errors
def submissions(
    slug: Annotated[str, typer.Argument(help="The challenge's slug.")],
    token: TokenOption = None,
    workspace: WorkspaceOption = None,
    as_json: JsonOption = False,
) -> None:
    """List your own submissions to a challenge (private scores once it is closed).

    Example: kit submissions digits
    """
    from grader import get_metric

    from kit.challenges import get_challenge, is_closed
    from kit.participants import authenticate
    from kit.submissions import own_submissions

    ws = open_workspace(workspace)
    with ws.session() as session:
        participant = authenticate(session, token)
        challenge = get_challenge(session, slug)
        closed = is_closed(challenge)
        metric = get_metric(challenge.metric)
        rows = [{
            "id": s.id, "submitted_at": s.created_at.isoformat(), "filename": s.filename, "message": s.message,
            "status": s.status, "error": s.error, "public_score": s.public_score,
            "private_score": s.private_score if closed else None, "selected": s.selected,
        } for s in own_submissions(session, challenge, participant)]
    if as_json:
        print_json(rows)
        return
    if not rows:
        console.print(f"No submissions to {slug} yet. Try: kit baseline {slug} --model logreg -o sub.csv")
        return
    table = Table("id", "submitted (UTC)", "message", "status", f"public {metric.arrow}",
                  f"private {metric.arrow}", "final")
    for r in rows:
        status = r["status"] if r["status"] == "scored" else f"rejected: {r['error']}"
        private = fmt(r["private_score"], metric.decimals) if closed else "hidden until close"
        table.add_row(str(r["id"]), r["submitted_at"][:19].replace("T", " "), r["message"], status,
                      fmt(r["public_score"], metric.decimals), private, "✓" if r["selected"] else "")
    console.print(table)


@reports_errors
def select_(
    slug: Annotated[str, typer.Argument(help="The challenge's slug.")],
    submission_ids: Annotated[list[int], typer.Argument(help="Ids of your final submissions.")],
    token: TokenOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Choose your final submissions for the private leaderboard (with none chosen, your best public ones count).

    Example: kit select digits 12 17
    """
    from kit.participants import authenticate
    from kit.submissions import select_finals

    ws = open_workspace(workspace)
    with ws.session(write=True) as session:
        participant = authenticate(session, token)
        chosen = select_finals(session, slug=slug, participant=participant, submission_ids=submission_ids)
        console.print(f"Final submissions for {slug}: {', '.join(str(s.id) for s in chosen)}.")


@reports_errors
def leaderboard(
    slug: Annotated[str, typer.Argument(help="The challenge's slug.")],
    private: Annotated[bool, typer.Option("--private", help="The private board (once the challenge is closed).")] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print CSV for spreadsheets and scripts.")] = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Show a challenge's leaderboard: best submission per participant.

    Example: kit leaderboard digits --private
    """
    from grader import get_metric

    from kit.challenges import get_challenge, is_closed
    from kit.ranking import private_board, public_board

    ws = open_workspace(workspace)
    with ws.session() as session:
        challenge = get_challenge(session, slug)
        if private and not is_closed(challenge):
            raise SubmissionRefused(f"The private leaderboard of {slug!r} is revealed when it closes "
                                    f"({challenge.closes_at:%Y-%m-%d %H:%M} UTC).")
        board = private_board(session, challenge) if private else public_board(session, challenge)
        metric = get_metric(challenge.metric)
    if as_csv:
        from kit.export import board_csv

        sys.stdout.write(board_csv(board, private=private))
        return
    title = f"{challenge.title} — {'private' if private else 'public'} leaderboard, {metric.name} {metric.arrow}"
    if not board:
        console.print(f"{title}\nNo scored submissions yet.")
        return
    table = Table("rank", "participant", "score", "entries", "submitted (UTC)", *(["shake-up"] if private else []),
                  title=title)
    for row in board:
        shake = [] if not private else [("+" if (row.shake_up or 0) > 0 else "") + str(row.shake_up)
                                        if row.shake_up is not None else ""]
        table.add_row("baseline" if row.is_baseline else str(row.rank), row.participant, fmt(row.score, metric.decimals),
                      str(row.entries), f"{row.submitted_at:%Y-%m-%d %H:%M}", *shake)
    console.print(table)


def register_commands(app: typer.Typer) -> None:
    app.command()(grade)
    app.command()(submit)
    app.command()(submissions)
    app.command("select")(select_)
    app.command()(leaderboard)
