"""What will hurt participants in an organizer's data: warned about at `challenge add`, never refused.

Each check returns sentences a person can act on; `warn_about` raises them as
`DataWarning`s, which the CLI prints (and tests catch with `pytest.warns`).
"""

from __future__ import annotations

import warnings

import pandas as pd

from kit.challenge.datasets import Dataset
from kit.challenge.split import Split

# Below this many rows "every value is different" says little about a column.
ID_LIKE_MIN_ROWS = 20


class DataWarning(UserWarning):
    """The data will make the challenge worse for participants, though it can still be built."""


def _id_like(values: pd.Series) -> bool:
    # Unique text or whole numbers in every row: an id (a float measurement may well be unique).
    if len(values) < ID_LIKE_MIN_ROWS or values.isna().any() or values.nunique() != len(values):
        return False
    if pd.api.types.is_float_dtype(values) or pd.api.types.is_bool_dtype(values):
        return False
    return True


def _same_values(feature: pd.Series, target: pd.Series) -> bool:
    if feature.isna().any():
        return False
    return bool((feature.astype(str).to_numpy() == target.astype(str).to_numpy()).all())


def feature_warnings(dataset: Dataset) -> list[str]:
    """Id-like, constant and target-copying feature columns."""
    frame, target = dataset.frame, dataset.frame[dataset.target]
    found = []
    for name in dataset.feature_columns:
        if dataset.image_shape is not None:
            break  # pixel columns: a constant border pixel is normal
        values = frame[name]
        if values.nunique(dropna=False) <= 1:
            found.append(f"Feature {name!r} holds the same value in every row: it cannot help a model. "
                         "Drop it from the data.")
        elif _same_values(values, target):
            found.append(f"Feature {name!r} is identical to the target {dataset.target!r}: participants "
                         "would read the answer from test.csv. Drop it from the data.")
        elif _id_like(values):
            found.append(f"Feature {name!r} has a different value in every row: it looks like an id and "
                         "would only teach models to memorise rows. Drop it, or name it as data.id_column.")
    return found


def class_warnings(split: Split, target: str) -> list[str]:
    """Classes too rare to learn, or absent from a part of the split."""
    train = split.train[target].astype(str).value_counts()
    usage = split.solution["Usage"]
    parts = {"the Public test rows": split.solution.loc[usage == "Public", target].astype(str),
             "the Private test rows": split.solution.loc[usage == "Private", target].astype(str)}
    classes = sorted(set(train.index) | set(split.solution[target].astype(str)))
    found = []
    for label in classes:
        count = int(train.get(label, 0))
        if count == 0:
            found.append(f"Class {label!r} is missing from train.csv: no model can learn it. "
                         "Add rows of it, or leave it out of the data.")
        elif count < 2:
            found.append(f"Class {label!r} has {count} row in train.csv: too few to learn or validate. "
                         "Add rows of it, or merge it into another class.")
        missing = [name for name, values in parts.items() if not (values == label).any()]
        if missing:
            found.append(f"Class {label!r} is missing from {' and '.join(missing)}; scores there ignore it. "
                         "Use more data or a larger data.test_fraction.")
    return found


MAX_WARNINGS = 8


def warn_about(messages: list[str]) -> None:
    shown = messages if len(messages) <= MAX_WARNINGS else [
        *messages[:MAX_WARNINGS - 1], f"… and {len(messages) - MAX_WARNINGS + 1} more warnings like these."]
    for message in shown:
        warnings.warn(message, DataWarning, stacklevel=3)
