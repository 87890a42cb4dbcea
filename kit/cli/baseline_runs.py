"""Running a kit baseline on a challenge: its bundle in, a submission out (bytes in memory, then a file)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pandas as pd

from kit.challenge.bundle import bundle_sha256, write_bundle
from kit.challenge.lookup import get_challenge
from kit.errors import BaselineRunError
from kit.services.submissions import record_baseline
from kit.store.workspace import Workspace

# Quick, CPU-friendly baselines per demo challenge: (model, epochs; None = the model's default).
DEMO_BASELINES: dict[str, list[tuple[str, int | None]]] = {
    "digits": [("logreg", None), ("cnn", None)],
    "breast-cancer": [("logreg", None), ("xgboost", None)],
    "diabetes": [("logreg", None), ("xgboost", None)],
    "wine": [("logreg", None), ("mlp", None)],
    "fashion-mnist": [("logreg", None), ("cnn", None)],
}



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
    content: bytes  # the submission CSV as computed: what is submitted, never re-read from `output`

    @property
    def message(self) -> str:
        """The submission message a baseline row carries."""
        return f"{self.model} baseline (validation {self.metric} {self.validation_score:.5f})"


def challenge_task(challenge, session=None):
    """The baseline's view of a challenge: columns, kind of prediction, classes, image shape."""
    from baselines import Task
    from kit.challenge.grading import scoring_metric
    from kit.challenge.metric_of import challenge_metric, is_custom

    metric = challenge_metric(challenge)
    if is_custom(challenge.metric) and session is not None:
        metric = scoring_metric(session, challenge)  # the organizer's function scores validation too
    # image_shape is [height, width] for pixel columns, [height, width, channels] for PNG files.
    shape = list(challenge.image_shape or [])
    return Task(id_column=challenge.id_column, target=challenge.target, kind=challenge.task,
                prediction=str(metric.prediction.value), classes=challenge.classes,
                image_shape=tuple(shape[:2]) if shape else None, image_channels=shape[2] if len(shape) == 3 else 1,
                metric=metric if is_custom(challenge.metric) else metric.name, name=challenge.slug)


def ensure_bundle(workspace: Workspace, slug: str) -> Path:
    """The challenge's bundle in the workspace, written on first use.

    The folder is named by the bundle's digest, so after `challenge add --replace` a
    baseline trains on the new split, never on a stale copy of the old one.
    """
    with workspace.session() as session:
        digest = bundle_sha256(session, get_challenge(session, slug))
    folder = workspace.settings.bundles_dir / slug / digest[:16]
    if not all((folder / name).is_file() for name in ("train.csv", "test.csv")):
        with workspace.session() as session:
            write_bundle(session, slug, folder)
    return folder


def run_challenge_baseline(workspace: Workspace, slug: str, model: str, *, output: Path | None = None,
                           epochs: int | None = None, seed: int = 0, progress: bool = True,
                           max_rows: int | None = None, device: str = "auto") -> BaselineRun:
    """Train `model` on the challenge's bundle; the predictions are written to `output` and kept in memory."""
    from baselines import BaselineError, run_baseline
    from kit.challenge.metric_of import challenge_metric

    with workspace.session() as session:
        challenge = get_challenge(session, slug)
        try:
            task = challenge_task(challenge, session)
        except BaselineError as error:  # e.g. several target columns: no baseline predicts those
            raise BaselineRunError(str(error)) from None
        direction = challenge_metric(challenge).direction
    folder = ensure_bundle(workspace, slug)
    # Labels keep the type the challenge stored (ints stay ints, strings stay strings).
    dtype = {task.target: str} if task.classes and isinstance(task.classes[0], str) else None
    train = pd.read_csv(folder / "train.csv", dtype=dtype)
    test = pd.read_csv(folder / "test.csv")
    try:
        if (folder / "train").is_dir():  # images as PNG files named by id (Kaggle's CIFAR-10 layout)
            from baselines.image_files import with_pixel_columns

            train = with_pixel_columns(train, folder / "train", task.id_column, task.image_channels)
            test = with_pixel_columns(test, folder / "test", task.id_column, task.image_channels)
        result = run_baseline(model, train, test, task, epochs=epochs, seed=seed, progress=progress,
                              max_rows=max_rows, device=device)
    except BaselineError as error:
        raise BaselineRunError(str(error)) from None
    content = result.submission.to_csv(index=False, lineterminator="\n").encode("utf-8")
    output = output or Path(f"{slug}-{model}-submission.csv")
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(content)
    return BaselineRun(model, output, result.validation_score, result.metric, direction, result.device,
                       result.train_seconds, result.train_rows, result.validation_rows, content)


def train_demo_baselines(workspace: Workspace, slugs: list[str], *, progress: bool = True,
                         moment: datetime | None = None,
                         on_step: Callable[[str], None] = lambda _message: None) -> list[str]:
    """Train and submit each demo challenge's quick baselines; returns 'slug: model score' lines.

    `moment` is when they count as submitted (the demo's day 1, before week 1 closed).
    """
    lines = []
    for slug in slugs:
        for model, epochs in DEMO_BASELINES.get(slug, [("logreg", None)]):
            on_step(f"Training the {model} baseline on {slug}")
            output = workspace.settings.workspace / "baselines" / f"{slug}-{model}.csv"
            run = run_challenge_baseline(workspace, slug, model, output=output, epochs=epochs, progress=progress)
            # The demo is the organizer's own process building its workspace: no token to check.
            outcome = record_baseline(workspace, slug=slug, model=model, content=run.content, filename=output.name,
                                      message=run.message, moment=moment)
            score = outcome.submission.public_score
            score = float("nan") if score is None else score
            lines.append(f"{slug}: {model} public {run.metric} {score:.5f} ({run.train_seconds:.1f} s)")
    return lines
