"""Source strings (`sklearn:digits`, `fashion-mnist`, `csv:PATH`) → labeled tables."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pandas as pd

from kit.errors import DatasetError


@dataclass(frozen=True)
class Dataset:
    """A labeled table: feature columns, the target, and (if the source has one) an id column."""

    frame: pd.DataFrame
    target: str
    task: str  # "classification" or "regression"
    id_column: str | None = None
    image_shape: tuple[int, int] | None = None
    description: str = ""

    @property
    def feature_columns(self) -> list[str]:
        return [c for c in self.frame.columns if c not in (self.target, self.id_column)]


def _sklearn_loader(name: str) -> Callable[..., Dataset]:
    def load(**_options) -> Dataset:
        from kit.datasets.sklearn_sources import load_sklearn

        return load_sklearn(name)

    return load


def _fashion_mnist(*, cache_dir: Path | None = None, progress: bool = True, **_options) -> Dataset:
    from kit.datasets.fashion_mnist import load_fashion_mnist

    return load_fashion_mnist(cache_dir=cache_dir, progress=progress)


BUILTIN_SOURCES: dict[str, Callable[..., Dataset]] = {
    "sklearn:digits": _sklearn_loader("digits"),
    "sklearn:breast_cancer": _sklearn_loader("breast_cancer"),
    "sklearn:wine": _sklearn_loader("wine"),
    "sklearn:iris": _sklearn_loader("iris"),
    "sklearn:diabetes": _sklearn_loader("diabetes"),
    "fashion-mnist": _fashion_mnist,
}


def describe_sources() -> str:
    return ", ".join(list(BUILTIN_SOURCES) + ["csv:PATH"])


def load_dataset(
    source: str,
    *,
    target: str | None = None,
    id_column: str | None = None,
    task: str | None = None,
    base_dir: Path | None = None,
    cache_dir: Path | None = None,
    progress: bool = True,
) -> Dataset:
    """Load `source`; `target`, `id_column` and `task` are required or optional per source."""
    if source.startswith("csv:"):
        from kit.datasets.csv_source import load_csv

        if not target:
            raise DatasetError("A csv: source needs the spec's `target` (the label column's name).")
        return load_csv(source[len("csv:"):], target=target, id_column=id_column, task=task, base_dir=base_dir)
    loader = BUILTIN_SOURCES.get(source)
    if loader is None:
        raise DatasetError(f"Unknown data source {source!r}. Known sources: {describe_sources()}.")
    dataset = loader(cache_dir=cache_dir, progress=progress)
    if target and target != dataset.target:
        raise DatasetError(
            f"The source {source!r} has the target column {dataset.target!r}, not {target!r}. "
            "Leave `target` out of the spec or set it to that name."
        )
    return dataset
