"""From a bundle's DataFrames to arrays a model can learn from, and back to labels.

Every baseline sees the same `Prepared` data: float32 features, labels encoded as
0..K-1 (or float targets for regression), and a seeded validation split carved out of
train.csv. The test set is only ever used to predict.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split

from baselines.task import BaselineError, Task

VALIDATION_FRACTION = 0.2
# Below this many training feature values, models train on one CPU thread: their small
# matrix products gain nothing from a second one, and on a busy machine threads that wait
# for each other make training up to 10× slower.
SMALL_DATA = 2_000_000


@dataclass
class Prepared:
    """Arrays for one run: train and validation (from train.csv) and test (from test.csv)."""

    X_train: np.ndarray
    y_train: np.ndarray
    X_val: np.ndarray
    y_val: np.ndarray
    X_test: np.ndarray
    test_ids: pd.Series
    y_val_raw: np.ndarray  # validation labels as written in train.csv, for the metric
    classes: np.ndarray | None  # class labels in train.csv's type; index = encoded label
    feature_columns: list[str]

    @property
    def n_classes(self) -> int:
        return 0 if self.classes is None else len(self.classes)


def feature_columns(train_df: pd.DataFrame, test_df: pd.DataFrame, task: Task) -> list[str]:
    """The columns test.csv shares with train.csv, minus id and target, in test.csv order."""
    for name, df, needed in (
        ("train.csv", train_df, [task.id_column, task.target]),
        ("test.csv", test_df, [task.id_column]),
    ):
        missing = [c for c in needed if c not in df.columns]
        if missing:
            raise BaselineError(f"{name} has no column {missing[0]!r}; columns are {list(df.columns)[:8]}.")
    columns = [c for c in test_df.columns if c not in (task.id_column, task.target)]
    missing = [c for c in columns if c not in train_df.columns]
    if missing:
        raise BaselineError(f"test.csv has feature column {missing[0]!r} that train.csv lacks.")
    if not columns:
        raise BaselineError("test.csv has no feature columns besides the id column.")
    text = [c for c in columns if not pd.api.types.is_numeric_dtype(train_df[c])]
    if text:
        raise BaselineError(
            f"The baselines need numeric features; column {text[0]!r} holds "
            f"{train_df[text[0]].dtype} values. Encode it as numbers first."
        )
    return columns


def class_labels(train_df: pd.DataFrame, task: Task) -> np.ndarray:
    """The sorted class labels, in the type train.csv's target column has (ints stay ints)."""
    values = train_df[task.target]
    classes = sorted(values.unique()) if task.classes is None else list(task.classes)
    try:
        return pd.Series(classes).astype(values.dtype).to_numpy()
    except (TypeError, ValueError):
        return np.asarray(classes)


def encode_labels(y: pd.Series, classes: np.ndarray) -> np.ndarray:
    """Class labels → 0..K-1 (the index in `classes`), as neural nets and XGBoost want them."""
    index = {c: i for i, c in enumerate(classes.tolist())}
    try:
        return np.array([index[c] for c in y.tolist()], dtype=np.int64)
    except KeyError as unknown:
        raise BaselineError(
            f"train.csv has label {unknown.args[0]!r}, which is not among the task's classes "
            f"{classes.tolist()}."
        ) from None


def decode_labels(encoded: np.ndarray, classes: np.ndarray) -> np.ndarray:
    """0..K-1 → the original class labels."""
    return classes[np.asarray(encoded, dtype=np.int64)]


def stratify_or_none(y: np.ndarray | None) -> np.ndarray | None:
    """Stratify on y when every class has at least two rows (scikit-learn's requirement)."""
    if y is None:
        return None
    _, counts = np.unique(y, return_counts=True)
    return y if counts.min() >= 2 else None


def prepare(
    train_df: pd.DataFrame,
    test_df: pd.DataFrame,
    task: Task,
    *,
    seed: int = 0,
    max_rows: int | None = None,
    validation_fraction: float = VALIDATION_FRACTION,
) -> Prepared:
    """Split train.csv into train/validation (stratified, seeded) and make float32 arrays.

    `max_rows` keeps a stratified subset of train.csv first, for slow models on big data.
    Missing feature values are filled with the training rows' column medians.
    """
    columns = feature_columns(train_df, test_df, task)
    if train_df[task.target].isna().any():
        raise BaselineError(f"train.csv has missing values in the target column {task.target!r}.")
    classification = task.kind == "classification"
    classes = class_labels(train_df, task) if classification else None
    y_all = encode_labels(train_df[task.target], classes) if classification else (
        train_df[task.target].to_numpy(dtype=np.float64)
    )
    rows = np.arange(len(train_df))
    if max_rows is not None and max_rows < len(rows):
        rows, _ = train_test_split(
            rows, train_size=max_rows, random_state=seed,
            stratify=stratify_or_none(y_all) if classification else None,
        )
    if len(rows) < 4:
        raise BaselineError(f"train.csv needs at least 4 rows to hold out a validation split; got {len(rows)}.")
    train_rows, val_rows = train_test_split(
        rows, test_size=validation_fraction, random_state=seed,
        stratify=stratify_or_none(y_all[rows]) if classification else None,
    )
    X_all = train_df[columns].to_numpy(dtype=np.float32)
    X_test = test_df[columns].to_numpy(dtype=np.float32)
    X_train, X_val = X_all[train_rows], X_all[val_rows]
    if np.isnan(X_all).any() or np.isnan(X_test).any():
        medians = np.nan_to_num(np.nanmedian(X_train, axis=0))
        X_train, X_val, X_test = (np.where(np.isnan(a), medians, a) for a in (X_train, X_val, X_test))
    return Prepared(
        X_train=X_train,
        y_train=y_all[train_rows],
        X_val=X_val,
        y_val=y_all[val_rows],
        X_test=X_test,
        test_ids=test_df[task.id_column].reset_index(drop=True),
        y_val_raw=train_df[task.target].to_numpy()[val_rows],
        classes=classes,
        feature_columns=columns,
    )


def as_images(X: np.ndarray, image_shape: tuple[int, int]) -> np.ndarray:
    """Row-major pixel columns → (N, 1, H, W) images."""
    height, width = image_shape
    if X.shape[1] != height * width:
        raise BaselineError(
            f"The image shape {height}×{width} needs {height * width} pixel columns; got {X.shape[1]}."
        )
    return X.reshape(len(X), 1, height, width)

