"""A labeled table, as every data source returns it."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Dataset:
    """A labeled table: feature columns, the target, and (if the source has one) an id column."""

    frame: pd.DataFrame
    target: str
    task: str  # "classification" or "regression"
    id_column: str | None = None
    image_shape: tuple[int, int] | None = None
    description: str = ""
    # Images kept as files in the bundle (colour or larger than 28×28): (N, H, W, C) uint8, row i
    # of `frame` labels image i. None for tables, and for images laid out as pixel columns.
    images: np.ndarray | None = field(default=None, repr=False, compare=False)

    # Several target columns (a multi-column solution); `target` is then the first of them.
    targets: tuple[str, ...] = ()

    @property
    def target_columns(self) -> tuple[str, ...]:
        return self.targets or (self.target,)

    @property
    def channels(self) -> int:
        return 1 if self.images is None else int(self.images.shape[3])

    @property
    def feature_columns(self) -> list[str]:
        return [c for c in self.frame.columns if c not in (*self.target_columns, self.id_column)]
