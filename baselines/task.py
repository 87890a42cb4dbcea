"""What a baseline is asked to do (Task), what it hands back (BaselineResult), and its error."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

KINDS = ("classification", "regression")
PREDICTIONS = ("label", "probability", "class_probabilities", "value")


class BaselineError(Exception):
    """A baseline cannot run on this challenge as asked."""


@dataclass(frozen=True)
class Task:
    """The parts of a challenge a baseline needs: columns, kind of prediction, metric.

    ``classes`` lists the class labels (sorted) for classification and is None for
    regression; ``image_shape`` is (height, width) when the features are the pixel
    columns ``pixel0 … pixelN-1`` of an image, else None. ``name`` only appears in messages.
    """

    id_column: str
    target: str
    kind: str
    prediction: str
    classes: list[Any] | None = None
    image_shape: tuple[int, int] | None = None
    image_channels: int = 1  # 3 for colour images: pixel columns then run channel-last (y, x, RGB)
    metric: Any = "accuracy"  # a catalog name, or a grader.Metric (an organizer's custom metric)
    name: str | None = None

    def __post_init__(self) -> None:
        # Checks at the public boundary, so a bad spec fails here with a readable message
        # rather than deep inside a training loop.
        if self.kind not in KINDS:
            raise BaselineError(f"Task kind must be one of {KINDS}; got {self.kind!r}.")
        if self.prediction in ("column_probabilities", "column_values"):
            raise BaselineError(
                f"The baselines predict one target column; {self.label} is scored on several "
                f"({self.target}). Train one model per column from a copy of a baseline module."
            )
        if self.prediction not in PREDICTIONS:
            raise BaselineError(
                f"Task prediction must be one of {PREDICTIONS}; got {self.prediction!r}."
            )
        if self.kind == "regression" and self.prediction != "value":
            raise BaselineError(
                f"A regression task predicts 'value'; got prediction={self.prediction!r}."
            )
        if self.kind == "classification" and self.prediction == "value":
            raise BaselineError(
                "A classification task predicts 'label', 'probability' or "
                "'class_probabilities'; got prediction='value'."
            )
        if self.classes is not None and len(self.classes) < 2:
            raise BaselineError(f"A classification task needs at least 2 classes; got {self.classes!r}.")
        if self.prediction == "probability" and self.classes is not None and len(self.classes) != 2:
            raise BaselineError(
                "prediction='probability' is for binary tasks (2 classes); "
                f"got {len(self.classes)} classes. Use 'class_probabilities'."
            )
        if self.image_shape is not None and (len(self.image_shape) != 2 or min(self.image_shape) < 1):
            raise BaselineError(f"image_shape must be (height, width); got {self.image_shape!r}.")
        if self.image_channels not in (1, 3):
            raise BaselineError(f"image_channels must be 1 (grayscale) or 3 (RGB); got {self.image_channels!r}.")

    @property
    def label(self) -> str:
        """How messages name the challenge."""
        return repr(self.name) if self.name else "this challenge"


@dataclass
class BaselineResult:
    """A trained baseline's submission and how well it did on the validation split."""

    submission: pd.DataFrame
    validation_score: float
    metric: str
    device: str
    train_seconds: float
    model: Any
    epochs: int | None = None
    train_rows: int = 0
    validation_rows: int = 0


@dataclass
class FittedModel:
    """What each baseline module's `fit` returns: the model and how to predict with it.

    `predict(X)` gives an (n, K) matrix of class probabilities (classification, columns in
    encoded-label order 0..K-1) or a 1-D array of values (regression).
    """

    model: Any
    predict: Callable[[np.ndarray], np.ndarray]
    device: str = "cpu"
    epochs: int | None = None
