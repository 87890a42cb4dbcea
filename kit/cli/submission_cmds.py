"""`kit grade`, `kit submit`, `kit submissions`, `kit select`, `kit leaderboard`."""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kit.cli.common import (
    JsonOption,
    ServerOption,
    TokenOption,
    WorkspaceOption,
    connect,
    console,
    err_console,
    iso_utc,
    open_workspace,
    print_json,
    reports_errors,
    styled,
)
from kit.errors import InvalidInputError

if TYPE_CHECKING:
    from grader import Metric
    from kit.client.api import MetricView


def fmt(score: float | None, decimals: int) -> str:
    if score is None or (isinstance(score, float) and math.isnan(score)):
        return "–"
    return f"{score:.{decimals}f}"


def span(low: float | None, high: float | None, decimals: int) -> str:
    """A 95 % interval as `low–high`, or nothing when there is none."""
    if low is None or high is None or math.isnan(low) or math.isnan(high):
        return ""
    return f"{fmt(low, decimals)}–{fmt(high, decimals)}"


@reports_errors
def grade(
    solution: Annotated[Path, typer.Option("--solution", "-s", help="Solution CSV: id, target, Usage.")],
    submission: Annotated[Path, typer.Option("--submission", "-f", help="Submission CSV (or .csv.gz).")],
    metric: Annotated[str, typer.Option("--metric", "-m", help="Metric name, e.g. accuracy, roc_auc, rmse.")],
    id_column: Annotated[str, typer.Option("--id-column", help="Name of the id column.")] = "id",
    target: Annotated[str | None, typer.Option(
        "--target", help="The solution's target column, or COL,COL,… for a multi-column metric "
        "[default: every column besides the id and Usage].", show_default=False)] = None,
    max_bytes: Annotated[int | None, typer.Option("--max-bytes", help="Refuse larger submissions.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Grade a submission file against a solution file.

    No workspace needed (organizers, tests).

    Exit 0 prints the public and private scores; exit 1 prints the rejection.

    Example: kit grade --solution solution.csv --submission submission.csv --metric accuracy

    A solution with several target columns (one-hot classes, multi-label, several
    regression targets) is read as such: --metric mean_columnwise_rmse, or --target to pick.
    """
    from kit.cli import one_shot

    one_shot.prepare()  # before NumPy loads: one short process of big arrays
    import grader

    targets = [name.strip() for name in target.split(",")] if target else None
    try:
        chosen = grader.get_metric(metric)
        truth = grader.read_solution(solution.read_bytes(), id_column=id_column,
                                     target_column=targets[0] if targets and len(targets) == 1 else targets)
        if len(truth.targets) > 1 and not chosen.prediction.multi_column:
            raise InvalidInputError(
                f"The solution has {len(truth.targets)} target columns ({', '.join(truth.targets)}) and "
                f"{chosen.name} scores one: name it with --target COL, or pass a multi-column metric "
                "(see `kit metrics`).")
        # The per-row influences serve paired comparisons of stored submissions; none is printed here.
        result = grader.grade(truth, submission, chosen, filename=submission.name, max_bytes=max_bytes,
                              influences=False)
    except FileNotFoundError as error:
        raise InvalidInputError(f"No file at {error.filename}.") from None
    except OSError as error:  # a folder, no permission: the path is the person's, say what is wrong with it
        raise InvalidInputError(f"Cannot read {error.filename}: {error.strerror}.") from None
    except grader.SubmissionError as error:
        if as_json:
            print_json({"status": "rejected", "code": error.code, "message": error.message})
        else:
            err_console.print(styled(("Rejected:", "bold red"), f" {error.message}"))
        raise typer.Exit(1) from None
    except grader.GraderError as error:
        raise InvalidInputError(str(error)) from None
    if as_json:
        print_json({"status": "scored", "metric": chosen.name, "direction": chosen.direction,
                    "public_score": result.public_score, "public_low": result.public_low,
                    "public_high": result.public_high, "private_score": result.private_score,
                    "private_low": result.private_low, "private_high": result.private_high, "rows": result.rows})
        return
    d = chosen.decimals
    console.print(f"{chosen.name} {chosen.arrow}  public {fmt(result.public_score, d)} "
                  f"[{span(result.public_low, result.public_high, d) or '–'}]  "
                  f"private {fmt(result.private_score, d)} [{span(result.private_low, result.private_high, d) or '–'}]  "
                  f"({result.rows} rows; 95 % intervals in brackets)")


@reports_errors
def submit(
    slug: Annotated[str, typer.Argument(help="The challenge's slug.")],
    file: Annotated[Path, typer.Option("--file", "-f", help="Your submission CSV (or .csv.gz).")],
    message: Annotated[str, typer.Option("--message", "-m", help="What you tried (shown in your history).")] = "",
    token: TokenOption = None,
    server: ServerOption = None,
    workspace: WorkspaceOption = None,
    as_json: JsonOption = False,
) -> None:
    """Submit predictions: graded at once, stored byte for byte.

    Example: kit submit digits -f submission.csv -m "logreg, C=0.5"
    """
    if server:
        from kit.client.api import MetricView
        from kit.submission_file import check_submission_path

        with connect(server, token) as client:
            detail = client.challenge(slug)
            check_submission_path(file, detail["max_file_bytes"])
            answer = client.submit(slug, file, message)
        metric = MetricView.of(detail)
        scored = "error" not in answer
        result = {"id": answer.get("id", answer.get("submission_id")), "status": "scored" if scored else "rejected",
                  "code": None if scored else answer.get("reason"), "message": None if scored else answer["message"],
                  "public_score": answer.get("public_score"), "public_low": answer.get("public_low"),
                  "public_high": answer.get("public_high"), "decimals": answer.get("decimals", metric.decimals),
                  "metric": metric.name, "direction": metric.direction, "rank": answer.get("rank"),
                  "left_today": answer.get("left_today"), "ladder": answer.get("ladder"),
                  "ladder_moved": answer.get("ladder_moved"), "comparison": answer.get("comparison")}
    else:
        result, metric = _submit_locally(slug, file, message, token, workspace)
    if as_json:
        print_json(result)
        if result["status"] != "scored":
            raise typer.Exit(1)
        return
    if result["status"] != "scored":
        which = f"Submission {result['id']}" if result["id"] is not None else "Submission"
        err_console.print(styled((f"{which} rejected:", "bold red"), f" {result['message']}"))
        err_console.print("Rejected files do not count towards your daily limit.")
        raise typer.Exit(1)
    better = "higher is better" if metric.higher_is_better else "lower is better"
    decimals = result.get("decimals", metric.decimals)
    interval = ""
    if result.get("public_low") is not None and result.get("public_high") is not None:
        interval = f", 95 % interval {span(result['public_low'], result['public_high'], decimals)}"
    console.print(styled(f"Submission {result['id']} scored: public {metric.name} ",
                         (fmt(result["public_score"], decimals), "bold"), f" {metric.arrow} ({better}{interval})."))
    for note in (result.get("ladder"), result.get("comparison")):
        if note:
            console.print(note)
    console.print(f"You are #{result['rank']} on the public leaderboard. "
                  f"{result['left_today']} submission(s) left today.")


def _submit_locally(slug: str, file: Path, message: str, token: str | None, workspace: Path | None):
    from kit.challenge.lookup import get_challenge
    from kit.challenge.metric_of import challenge_metric
    from kit.services.submissions import read_submission_file
    from kit.services.submissions import submit as submit_file

    ws = open_workspace(workspace)
    with ws.session() as session:
        challenge = get_challenge(session, slug)
        limit, metric = challenge.max_file_bytes, challenge_metric(challenge)
    content = read_submission_file(file, limit)
    outcome = submit_file(ws, slug=slug, token=token, content=content, filename=file.name, message=message)
    row = outcome.submission
    # Public scores leave rounded to the challenge's noise (a defence against probing).
    return {"id": row.id, "status": row.status, "code": row.error_code, "message": row.error,
            "public_score": outcome.shown(row.public_score), "public_low": outcome.shown(row.public_low),
            "public_high": outcome.shown(row.public_high), "decimals": outcome.decimals, "metric": metric.name,
            "direction": metric.direction, "rank": outcome.rank, "left_today": outcome.left_today,
            "ladder": outcome.ladder.message if outcome.ladder else None,
            "ladder_moved": outcome.ladder.moved if outcome.ladder else None,
            "comparison": outcome.comparison.message if outcome.comparison else None}, metric


@reports_errors
def submissions(
    slug: Annotated[str, typer.Argument(help="The challenge's slug.")],
    token: TokenOption = None,
    server: ServerOption = None,
    workspace: WorkspaceOption = None,
    as_json: JsonOption = False,
) -> None:
    """List your own submissions to a challenge.

    Private scores appear once it is closed.

    Example: kit submissions digits
    """
    if server:
        from kit.client.api import MetricView

        with connect(server, token) as client:
            answer = client.submissions(slug)
            metric: MetricView | Metric = MetricView.of(client.challenge(slug))
        closed, decimals = answer["closed"], answer.get("decimals", metric.decimals)
        rows = [{
            "id": s["id"], "submitted_at": iso_utc(s["submitted_at"]), "filename": s["filename"],
            "message": s["message"], "status": s["status"], "error": s["error"], "public_score": s["public_score"],
            "public_low": s.get("public_low"), "public_high": s.get("public_high"),
            "private_score": s["private_score"] if closed else None, "private_low": s.get("private_low"),
            "private_high": s.get("private_high"), "selected": s["selected"], "ladder_step": s.get("ladder_step"),
        } for s in answer["submissions"]]
    else:
        from kit.challenge.lookup import get_challenge
        from kit.challenge.metric_of import challenge_metric
        from kit.services.own_submissions import my_submissions
        from kit.services.participants import authenticate

        ws = open_workspace(workspace)
        with ws.session() as session:
            participant = authenticate(session, token)
            metric = challenge_metric(get_challenge(session, slug))
            history = my_submissions(session, slug=slug, participant=participant)
        closed, decimals = history.closed, history.decimals
        rows = [{
            "id": s.id, "submitted_at": s.submitted_at.isoformat(), "filename": s.filename, "message": s.message,
            "status": s.status, "error": s.error, "public_score": s.public_score, "public_low": s.public_low,
            "public_high": s.public_high, "private_score": s.private_score, "private_low": s.private_low,
            "private_high": s.private_high, "selected": s.selected, "ladder_step": s.ladder_step,
        } for s in history.submissions]
    if as_json:
        print_json(rows)
        return
    if not rows:
        console.print(f"No submissions to {slug} yet. Try: kit baseline {slug} --model logreg -o sub.csv")
        return
    from rich.table import Table  # only for a table: `kit grade` and an empty board start without it

    # Short cells that fit 80 columns: rejection reasons are written out in full under the table,
    # and the private columns appear once the challenge has closed.
    narrow = console.width < 100
    table = Table(box=None, pad_edge=False, header_style="bold")
    table.add_column("id", no_wrap=True, justify="right")
    table.add_column("submitted" if narrow else "submitted (UTC)", no_wrap=True)
    table.add_column("message", ratio=1, overflow="fold")
    table.add_column("status", no_wrap=True)
    table.add_column(f"public {metric.arrow}", no_wrap=True, justify="right")
    table.add_column("95 % CI", no_wrap=not narrow, overflow="fold")
    if closed:
        table.add_column(f"private {metric.arrow}", no_wrap=True, justify="right")
        table.add_column("95 % CI ", no_wrap=not narrow, overflow="fold")
    table.add_column("final", no_wrap=True)
    for r in rows:
        when = r["submitted_at"][5:16] if narrow else r["submitted_at"][:19]
        cells = [str(r["id"]), when.replace("T", " "), r["message"], r["status"], fmt(r["public_score"], decimals),
                 span(r.get("public_low"), r.get("public_high"), decimals)]
        if closed:
            cells += [fmt(r["private_score"], metric.decimals),
                      span(r.get("private_low"), r.get("private_high"), metric.decimals)]
        table.add_row(*cells, "✓" if r["selected"] else "")
    console.print(table)
    if not closed:
        console.print("Private scores are hidden until close.")
    for r in rows:
        if r["status"] != "scored":
            console.print(f"Rejected {r['id']}: {r['error']}")


@reports_errors
def select_(
    slug: Annotated[str, typer.Argument(help="The challenge's slug.")],
    submission_ids: Annotated[list[int], typer.Argument(help="Ids of your final submissions.")],
    token: TokenOption = None,
    server: ServerOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Choose your final submissions for the private board.

    With none chosen, your best public ones count.

    Example: kit select digits 12 17
    """
    if server:
        with connect(server, token) as client:
            chosen = client.select_finals(slug, submission_ids)["selected"]
    else:
        from kit.services.own_submissions import select_finals
        from kit.services.participants import authenticate

        ws = open_workspace(workspace)
        with ws.session(write=True) as session:
            participant = authenticate(session, token)
            chosen = [s.id for s in select_finals(session, slug=slug, participant=participant,
                                                  submission_ids=submission_ids)]
    console.print(f"Final submissions for {slug}: {', '.join(str(i) for i in chosen)}.")


@dataclass(frozen=True)
class BoardRow:
    rank: int | None
    participant: str
    score: float
    entries: int
    submitted_at: datetime
    is_baseline: bool
    shake_up: int | None = None
    score_low: float | None = None
    score_high: float | None = None
    tied_with_above: bool | None = None


@reports_errors
def leaderboard(
    slug: Annotated[str, typer.Argument(help="The challenge's slug.")],
    private: Annotated[bool, typer.Option("--private", help="The private board (once the challenge is closed).")] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print CSV for spreadsheets and scripts.")] = False,
    token: Annotated[str | None, typer.Option("--token", "-t", envvar="KIT_TOKEN", show_envvar=True,
                                              help="Your token: marks your row (or your team's).",
                                              show_default=False)] = None,
    server: ServerOption = None,
    workspace: WorkspaceOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show a challenge's leaderboard (yours marked with --token), each score's 95 % interval and ties.

    The best submission per participant or team, and the season's day. With a token
    (--token or KIT_TOKEN) your row is marked with ▶ and "(you)". A `=` marks a row not
    significantly different from the row above (a paired test on the same rows): their order
    is noise. Public scores are shown rounded to their noise.

    Example: kit leaderboard digits --private
    """
    mine: set[int] = set()
    if server:
        from kit.client.api import MetricView

        with connect(server, token) as client:
            if as_csv:
                sys.stdout.write(client.leaderboard_csv(slug, private=private))
                return
            answer = client.leaderboard(slug, private=private)
            if as_json:
                print_json(answer)
                return
            day, me = _remote_context(client, token)
        title, metric = answer["title"], MetricView.of(answer)
        board = [BoardRow(rank=None if r["baseline"] else r["rank"], participant=r["participant"], score=r["score"],
                          entries=r["entries"], submitted_at=datetime.fromisoformat(r["submitted_at"]),
                          is_baseline=r["baseline"], shake_up=r.get("shake_up"), score_low=r.get("score_low"),
                          score_high=r.get("score_high"), tied_with_above=r.get("tied_with_above"))
                 for r in answer["rows"]]
        mine = {i for i, row in enumerate(board) if me is not None and row.participant == me and not row.is_baseline}
    else:
        local = _local_board(slug, private, as_csv, as_json, workspace, token)
        if local is None:
            return
        board, title, metric, mine, day = local
    title = f"{title} — {'private' if private else 'public'} leaderboard, {metric.name} {metric.arrow}"
    if day:
        title += f"\n{day}"
    if not board:
        console.print(f"{title}\nNo scored submissions yet.")
        return
    from rich.table import Table

    # Fits 80 columns: the time shortens to the date and the interval folds before a name wraps.
    narrow = console.width < 100
    table = Table(title=title, box=None, pad_edge=False, header_style="bold",
                  caption="= : not significantly different from the row above (paired test, 95 %)")
    table.add_column("rank", no_wrap=True)
    table.add_column("", no_wrap=True)
    table.add_column("participant", min_width=16, ratio=3, overflow="fold")
    table.add_column("score", no_wrap=True, justify="right")
    table.add_column("95 % CI", ratio=1, overflow="fold")
    table.add_column("entries", no_wrap=True, justify="right")
    table.add_column("submitted" if narrow else "submitted (UTC)", no_wrap=True)
    if private:
        table.add_column("shake-up", no_wrap=True)
    for index, row in enumerate(board):
        shake = [] if not private else [("+" if (row.shake_up or 0) > 0 else "") + str(row.shake_up)
                                        if row.shake_up is not None else ""]
        rank, name = ("baseline" if row.is_baseline else str(row.rank)), row.participant
        if index in mine:
            rank, name = f"▶ {rank}", f"{name} (you)"
        table.add_row(rank, "=" if row.tied_with_above else "", name, fmt(row.score, metric.decimals),
                      span(row.score_low, row.score_high, metric.decimals), str(row.entries),
                      f"{row.submitted_at:%m-%d}" if narrow else f"{row.submitted_at:%Y-%m-%d %H:%M}", *shake,
                      style="bold" if index in mine else None)
    console.print(table)


def _season_day(name: str, day: int | None, days: int) -> str | None:
    return f"{name}, day {day} of {days}" if day else None


def _remote_context(client, token: str | None) -> tuple[str | None, str | None]:
    """(the season's "day N of 27" line, the token holder's name) from the server, when it has them."""
    from kit.errors import KitError

    day = me = None
    try:
        about = client.season()
        day = _season_day(about["name"], about["day"], about["days"])
        if token:
            me = client.streak()["participant"]
    except KitError:  # no season yet, or a token the server does not know: the board still shows
        pass
    return day, me


def _local_board(slug: str, private: bool, as_csv: bool, as_json: bool, workspace: Path | None,
                 token: str | None):
    """(rows, title, metric, indexes of the token holder's rows, season day) from the workspace;
    None once the CSV or the JSON is printed."""
    from kit.challenge.lookup import get_challenge
    from kit.client.api import MetricView
    from kit.season.seasons import day_of_season
    from kit.services.boards import leaderboard as honest_board

    ws = open_workspace(workspace)
    with ws.session() as session:
        found = honest_board(session, slug, private=private)
        challenge, board, title = get_challenge(session, slug), found.rows, found.title
        # Shown to the board's decimals: public scores to their noise.
        metric = MetricView(found.metric, found.direction == "higher", found.decimals)
        if as_csv:
            from kit.services.exports import board_csv

            sys.stdout.write(board_csv(board, private=private, decimals=found.rounding))
            return None
        if as_json:
            print_json(found.as_json())
            return None
        mine = _my_rows(session, challenge, board, token) if token else set()
        season = challenge.season
        day = _season_day(season.name, day_of_season(season), season.days) if season else None
    return board, title, metric, mine, day


def _my_rows(session, challenge, board, token: str) -> set[int]:
    """Indexes of the board rows that are the token holder's, alone or as their team."""
    from sqlalchemy import select

    from kit.services.participants import authenticate
    from kit.store.models import Submission

    participant = authenticate(session, token)
    mine = set(session.scalars(select(Submission.id).where(Submission.challenge_id == challenge.id,
                                                           Submission.participant_id == participant.id)))
    teams = {row.team_id for row in board if row.submission_id in mine and row.team_id is not None}
    return {i for i, row in enumerate(board)
            if row.submission_id in mine or (row.team_id is not None and row.team_id in teams)
            or (row.participant_id == participant.id and not row.is_baseline)}


@reports_errors
def compare(
    slug: Annotated[str, typer.Argument(help="The challenge's slug.")],
    submission_id: Annotated[int, typer.Argument(help="Your submission to judge.")],
    against: Annotated[str, typer.Option("--against", help="`best` (your best other submission) or a submission id.")
                       ] = "best",
    token: TokenOption = None,
    workspace: WorkspaceOption = None,
    as_json: JsonOption = False,
) -> None:
    """Is this submission really better than your best? A paired answer on the same rows.

    Example: kit compare digits 17 --against best
    """
    from dataclasses import asdict

    from kit.services.comparisons import compare_submissions
    from kit.services.participants import authenticate

    if against != "best" and not against.isdigit():
        raise InvalidInputError(f"--against takes `best` or a submission id, not {against!r}.")
    ws = open_workspace(workspace)
    with ws.session() as session:
        participant = authenticate(session, token)
        found = compare_submissions(session, slug=slug, participant=participant, submission_id=submission_id,
                                    against=None if against == "best" else int(against))
    if as_json:
        print_json([asdict(c) for c in found])
        return
    for comparison in found:
        console.print(comparison.message)


def register_commands(app: typer.Typer) -> None:
    app.command()(grade)
    app.command()(submit)
    app.command()(submissions)
    app.command("select")(select_)
    app.command()(leaderboard)
    app.command()(compare)
