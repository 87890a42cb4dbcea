"""Deterministic train / hidden-test split, with each test row marked Public or Private."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kit.challenge.datasets import Dataset
from kit.challenge.spec import USAGE_COLUMN
from kit.errors import SpecError


@dataclass(frozen=True)
class Split:
    train: pd.DataFrame  # id, features, target
    test: pd.DataFrame  # id, features
    solution: pd.DataFrame  # id, target, Usage


def _stratify_or_none(labels: pd.Series, parts: int = 2) -> pd.Series | None:
    # Stratifying needs every class at least twice; tiny classes fall back to a plain shuffle.
    return labels if labels.value_counts().min() >= parts else None


def _seed(seed: int, offset: int) -> int:
    # Each cut has its own seed; they wrap so the largest allowed seed (2**32 - 1) works too.
    return (seed + offset) % 2**32


def part_sizes(rows: int, fraction: float) -> tuple[int, int]:
    """(rows kept, rows cut off) for a cut of `fraction`, as scikit-learn's train_test_split counts."""
    cut = math.ceil(fraction * rows)
    return rows - cut, cut


def check_sizes(rows: int, *, test_fraction: float, public_fraction: float) -> None:
    """Refuse fractions that leave the training rows, the Public or the Private part empty."""
    train, test = part_sizes(rows, test_fraction)
    private, public = part_sizes(test, public_fraction)
    parts = f"(training {train}, Public {public}, Private {private} of {rows} rows)"
    if train < 1 or test < 2:
        raise SpecError(f"data.test_fraction: {test_fraction!r} leaves {'no training rows' if train < 1 else 'under 2 test rows'} "
                        f"{parts}; the training, Public and Private parts each need a row. "
                        "Use a fraction nearer 0.25 or more data.")
    if public < 1 or private < 1:
        raise SpecError(f"data.public_fraction: {public_fraction!r} leaves the {'Public' if public < 1 else 'Private'} "
                        f"part empty {parts}. Use a fraction nearer 0.3 or more data.")


def _cut(frame: pd.DataFrame, fraction: float, seed: int, labels: pd.Series | None):
    from sklearn.model_selection import train_test_split

    try:
        return train_test_split(frame, test_size=fraction, random_state=seed, shuffle=True, stratify=labels)
    except ValueError:
        return train_test_split(frame, test_size=fraction, random_state=seed, shuffle=True, stratify=None)


def split_dataset(
    dataset: Dataset,
    *,
    id_column: str,
    test_fraction: float,
    public_fraction: float,
    seed: int,
    max_rows: int | None = None,
) -> Split:
    """Same dataset and seed → the same split, on every run and every machine."""
    # Several target columns (multi-column solutions) are not stratified.
    classification = dataset.task == "classification" and len(dataset.target_columns) == 1
    frame = dataset.frame.reset_index(drop=True)
    target = dataset.target

    if max_rows is not None and len(frame) > max_rows:
        labels = _stratify_or_none(frame[target]) if classification else None
        frame, _ = _cut(frame, 1 - max_rows / len(frame), _seed(seed, 2), labels)
        frame = frame.reset_index(drop=True)
    check_sizes(len(frame), test_fraction=test_fraction, public_fraction=public_fraction)

    if dataset.id_column is None:
        # Ids follow a seeded shuffle, never the source's order: an ordered source
        # (iris is sorted by species) would otherwise leak labels through the ids.
        order = np.random.RandomState(seed).permutation(len(frame))
        frame = frame.iloc[order].reset_index(drop=True)
        frame.insert(0, id_column, np.arange(1, len(frame) + 1, dtype=np.int64))
    elif dataset.id_column != id_column:
        frame = frame.rename(columns={dataset.id_column: id_column})
        frame = frame[[id_column] + [c for c in frame.columns if c != id_column]]
    else:
        frame = frame[[id_column] + [c for c in frame.columns if c != id_column]]

    labels = _stratify_or_none(frame[target]) if classification else None
    train, test = _cut(frame, test_fraction, seed, labels)
    test_labels = _stratify_or_none(test[target]) if classification else None
    private, public = _cut(test, public_fraction, _seed(seed, 1), test_labels)

    train = train.sort_values(id_column, kind="stable").reset_index(drop=True)
    usage = pd.Series("Private", index=test.index)
    usage.loc[public.index] = "Public"
    test = test.assign(**{USAGE_COLUMN: usage}).sort_values(id_column, kind="stable").reset_index(drop=True)
    solution = test[[id_column, *dataset.target_columns, USAGE_COLUMN]]
    features = test.drop(columns=[*dataset.target_columns, USAGE_COLUMN])
    return Split(train=train, test=features, solution=solution)
