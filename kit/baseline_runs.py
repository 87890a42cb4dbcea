"""Running a kit baseline on a challenge: its bundle in, a submission file out."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from kit.challenge_files import write_bundle
from kit.challenges import get_challenge
from kit.errors import KitError
from kit.submissions import SubmitOutcome, submit
from kit.workspace import Workspace


class BaselineRunError(KitError):
    """A baseline cannot run on this challenge."""


@dataclass(frozen=True)
class BaselineRun:
    model: str
    output: Path
    validation_score: float
    metric: str
    direction: str
    device: str
    train_seconds: float
    train_rows: int
    validation_rows: int
    outcome: SubmitOutcome | None


def challenge_task(challenge):
    """The baseline's view of a challenge: columns, kind of prediction, classes, image shape."""
    from baselines import Task
    from grader import get_metric

    metric = get_metric(challenge.metric)
    return Task(id_column=challenge.id_column, target=challenge.target, kind=challenge.task,
                prediction=str(metric.prediction.value), classes=challenge.classes,
                image_shape=tuple(challenge.image_shape) if challenge.image_shape else None,
                metric=metric.name, name=challenge.slug)


def ensure_bundle(workspace: Workspace, slug: str) -> Path:
    """The challenge's bundle in the workspace, written on first use."""
    folder = workspace.settings.bundles_dir / slug
    if not all((folder / name).is_file() for name in ("train.csv", "test.csv")):
        with workspace.session() as session:
            write_bundle(session, slug, folder)
    return folder


def run_challenge_baseline(workspace: Workspace, slug: str, model: str, *, output: Path | None = None,
                           epochs: int | None = None, seed: int = 0, submit_it: bool = False,
                           progress: bool = True, max_rows: int | None = None) -> BaselineRun:
    from baselines import BaselineError, run_baseline
    from grader import get_metric

    with workspace.session() as session:
        challenge = get_challenge(session, slug)
        task = challenge_task(challenge)
        direction = get_metric(challenge.metric).direction
    folder = ensure_bundle(workspace, slug)
    # Labels keep the type the challenge stored (ints stay ints, strings stay strings).
    dtype = {task.target: str} if task.classes and isinstance(task.classes[0], str) else None
    train = pd.read_csv(folder / "train.csv", dtype=dtype)
    test = pd.read_csv(folder / "test.csv")
    try:
        result = run_baseline(model, train, test, task, epochs=epochs, seed=seed, progress=progress,
                              max_rows=max_rows)
    except BaselineError as error:
        raise BaselineRunError(str(error)) from None
    output = output or Path(f"{slug}-{model}-submission.csv")
    output.parent.mkdir(parents=True, exist_ok=True)
    result.submission.to_csv(output, index=False, lineterminator="\n")
    outcome = None
    if submit_it:
        outcome = submit(workspace, slug=slug, content=output.read_bytes(), filename=output.name,
                         message=f"{model} baseline (seed {seed}, validation {result.metric} "
                                 f"{result.validation_score:.5f})", baseline_model=model)
    return BaselineRun(model, output, result.validation_score, result.metric, direction, result.device,
                       result.train_seconds, result.train_rows, result.validation_rows, outcome)
