"""`kit baseline`: train one of the kit's baselines on a challenge and write a submission."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from kit.cli.common import (
    OrganizerTokenOption,
    ServerOption,
    WorkspaceOption,
    arrow,
    connect,
    console,
    err_console,
    open_workspace,
    reports_errors,
    styled,
)
from kit.errors import InvalidInputError


class Device(StrEnum):
    auto = "auto"
    cpu = "cpu"
    cuda = "cuda"


class Model(StrEnum):
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
    submit: Annotated[bool, typer.Option("--submit", help="Record it on the board as a baseline (unranked; "
                                         "organizers only).")] = False,
    epochs: Annotated[int | None, typer.Option("--epochs", min=1, help="Epochs (mlp, cnn), boosting rounds "
                                               "(xgboost) or solver iterations (logreg).")] = None,
    seed: Annotated[int, typer.Option("--seed", help="Same seed, same device → same predictions.")] = 0,
    device: Annotated[Device, typer.Option("--device", help="Where to train: auto (the GPU when there is "
                                           "one), cpu, or cuda.")] = Device.auto,
    organizer_token: OrganizerTokenOption = None,
    server: ServerOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Train a baseline and write a valid submission.

    The model learns from the challenge's training data.

    A validation split is held out from train.csv (the hidden test set is never touched)
    and scored with the challenge's metric.

    With --server/KIT_SERVER it trains on the server's public bundle (downloaded once into
    ~/.cache/challenge-kit) and writes the file for `kit submit`.

    \b
    Examples:
      kit baseline digits --model logreg -o submission.csv
      kit baseline digits --model mlp --device cpu
      kit baseline fashion-mnist --model cnn --epochs 5 --submit
    """
    if server:
        _remote_baseline(server, slug, model, output=output, organizer_token=organizer_token if submit else None,
                         submit=submit, epochs=epochs, seed=seed, device=device)
        return
    from kit.cli.baseline_runs import run_challenge_baseline
    from kit.services.submissions import submit_baseline
    from kit.store.models import SubmissionStatus
    from kit.store.organizer_token import require_organizer

    ws = open_workspace(workspace)
    if submit:  # refused before training, not after
        with ws.session() as session:
            require_organizer(session, organizer_token)
    run = run_challenge_baseline(ws, slug, model.value, output=output, epochs=epochs, seed=seed,
                                 device=device.value)
    _print_run(run, slug)
    if submit:
        outcome = submit_baseline(ws, organizer_token=organizer_token, slug=slug, model=run.model, content=run.content,
                                  filename=run.output.name, message=f"{run.message}, seed {seed}")
        row = outcome.submission
        if row.status == SubmissionStatus.SCORED:
            console.print(f"Submitted as baseline: public {run.metric} {row.public_score:.5f} {arrow(run.direction)}")
        else:
            err_console.print(styled(("The baseline's submission was rejected:", "bold red"), f" {row.error}"))
            raise typer.Exit(1)
    else:
        console.print(f"Submit it with: kit submit {slug} -f {run.output} -m \"{run.model} baseline\"")


def _remote_baseline(server: str, slug: str, model: Model, *, output: Path | None, organizer_token: str | None,
                     submit: bool, epochs: int | None, seed: int, device: Device) -> None:
    """Trained here on the server's public bundle; with --submit, sent to the organizer's baseline route."""
    from kit.cli.baseline_remote import run_remote_baseline

    if submit and not organizer_token:  # refused before training, not after
        raise InvalidInputError(
            "--submit puts an unranked baseline row on the board, which only the organizer does (with "
            f"--organizer-token). Train without it, then submit the file as your own: kit submit {slug} -f FILE")
    with connect(server, organizer_token) as client:
        run = run_remote_baseline(client, slug, model.value, output=output, epochs=epochs, seed=seed,
                                  device=device.value)
        _print_run(run, slug)
        if not submit:
            console.print(f"Submit it with: kit submit {slug} -f {run.output} -m \"{run.model} baseline\"")
            return
        row = client.add_baseline(slug, run.model, run.output.name, run.content)
    console.print(f"Submitted as baseline: public {run.metric} {row['public_score']:.5f} {arrow(run.direction)}")


def _print_run(run, slug: str) -> None:
    console.print(styled(f"{run.model} on {slug}: validation {run.metric} ", (f"{run.validation_score:.5f}", "bold"),
                         f" {arrow(run.direction)} ({run.validation_rows} held-out rows; trained on {run.train_rows} "
                         f"rows in {run.train_seconds:.1f} s, {run.device})"))
    console.print(f"Wrote {run.output}")


def register_commands(app: typer.Typer) -> None:
    app.command()(baseline)
