"""A kit baseline trained on a bundle folder: a `baselines.Task` from a challenge's public facts,
the folder's tables in, a submission out (bytes in memory, then a file).

No store here: the organizer's workspace (`baseline_runs`) and the participant's client
(`baseline_remote`) both come with the same facts and a folder, and train the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kit.errors import BaselineRunError


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


def task_from_facts(*, slug: str, id_column: str, target: str, kind: str, metric: Any, custom: bool,
                    classes: list | None, image_shape: list | None):
    """The baseline's view of a challenge, from facts all of which are public.

    `metric` is the grader's Metric; a catalog metric travels by name, an organizer's own
    (`custom`) as the function itself, which scores the validation split.
    `image_shape` is [height, width] for pixel columns, [height, width, channels] for PNG files.
    """
    from baselines import BaselineError, Task

    shape = list(image_shape or [])
    try:
        return Task(id_column=id_column, target=target, kind=kind, prediction=str(metric.prediction.value),
                    classes=classes, image_shape=tuple(shape[:2]) if shape else None,
                    image_channels=shape[2] if len(shape) == 3 else 1,
                    metric=metric if custom else metric.name, name=slug)
    except BaselineError as error:  # e.g. several target columns: no baseline predicts those
        raise BaselineRunError(str(error)) from None


def train_on_bundle(folder: Path, task, model: str, *, direction: str, output: Path | None = None,
                    epochs: int | None = None, seed: int = 0, progress: bool = True,
                    max_rows: int | None = None, device: str = "auto") -> BaselineRun:
    """Train `model` on the bundle in `folder`; the predictions are written to `output` and kept in memory."""
    import pandas as pd

    from baselines import BaselineError, run_baseline

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
    output = output or Path(f"{task.name}-{model}-submission.csv")
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(content)
    return BaselineRun(model, output, result.validation_score, result.metric, direction, result.device,
                       result.train_seconds, result.train_rows, result.validation_rows, content)
