"""`kit baseline`: train one of the kit's baselines on a challenge and write a submission."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from kit.cli.common import open_workspace, WorkspaceOption, console, err_console, reports_errors


class Model(str, Enum):
    logreg = "logreg"
    xgboost = "xgboost"
    mlp = "mlp"
    cnn = "cnn"


@reports_errors
def baseline(
    slug: Annotated[str, typer.Argument(help="The challenge's slug.")],
    model: Annotated[Model, typer.Option("--model", help="Which baseline to train.")] = Model.logreg,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Where to write the submission CSV "
                                                "[default: SLUG-MODEL-submission.csv].", show_default=False)] = None,
    submit: Annotated[bool, typer.Option("--submit", help="Record it on the board as a baseline (unranked).")] = False,
    epochs: Annotated[int | None, typer.Option("--epochs", min=1, help="Epochs (mlp, cnn), boosting rounds "
                                               "(xgboost) or solver iterations (logreg).")] = None,
    seed: Annotated[int, typer.Option("--seed", help="Same seed, same device → same predictions.")] = 0,
    workspace: WorkspaceOption = None,
) -> None:
    """Train a baseline on a challenge's training data and write a valid submission.

    A validation split is held out from train.csv (the hidden test set is never touched)
    and scored with the challenge's metric.

    Examples:
      kit baseline digits --model logreg -o submission.csv
      kit baseline fashion-mnist --model cnn --epochs 5 --submit
    """
    from kit.baseline_runs import run_challenge_baseline

    ws = open_workspace(workspace)
    run = run_challenge_baseline(ws, slug, model.value, output=output, epochs=epochs, seed=seed, submit_it=submit)
    arrow = "↑" if run.direction == "higher" else "↓"
    console.print(f"{run.model} on {slug}: validation {run.metric} [bold]{run.validation_score:.5f}[/] {arrow} "
                  f"({run.validation_rows} held-out rows; trained on {run.train_rows} rows in "
                  f"{run.train_seconds:.1f} s, {run.device})")
    console.print(f"Wrote {run.output}")
    if run.outcome is not None:
        row = run.outcome.submission
        if row.status == "scored":
            console.print(f"Submitted as baseline: public {run.metric} {row.public_score:.5f} {arrow}")
        else:
            err_console.print(f"[bold red]The baseline's submission was rejected:[/] {row.error}")
            raise typer.Exit(1)
    else:
        console.print(f"Submit it with: kit submit {slug} -f {run.output} -m \"{run.model} baseline\"")


def register_commands(app: typer.Typer) -> None:
    app.command()(baseline)
