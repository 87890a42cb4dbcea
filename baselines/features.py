"""From a bundle's DataFrames to arrays a model can learn from, and back to labels.

Every baseline sees the same `Prepared` data: float32 features encoded by
`baselines.preprocessing` (fitted on the training rows only), labels encoded as 0..K-1
(or float targets for regression), and a seeded validation split carved out of
train.csv. The test set is only ever used to predict.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split

from baselines.preprocessing import column_kinds, feature_types, make_preprocessor
from baselines.task import BaselineError, Task

VALIDATION_FRACTION = 0.2
# ...but never more rows than this: 5,000 rows pin an accuracy near 90 % to ±0.8 % (95 %),
# enough to judge a baseline, and on a big set every row beyond them is better spent training.
MAX_VALIDATION_ROWS = 5_000
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
    feature_columns: list[str]  # train.csv's feature columns, before encoding
    feature_types: list[str] | None = None  # per encoded column, "q" or "c" (native encoding)

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


def validation_size(n_rows: int, fraction: float = VALIDATION_FRACTION) -> float | int:
    """What train_test_split holds out: `fraction` of the rows, at most MAX_VALIDATION_ROWS of them."""
    return MAX_VALIDATION_ROWS if n_rows * fraction > MAX_VALIDATION_ROWS else fraction


def prepare(
    train_df: pd.DataFrame,
    test_df: pd.DataFrame,
    task: Task,
    *,
    seed: int = 0,
    max_rows: int | None = None,
    validation_fraction: float = VALIDATION_FRACTION,
    encoding: str = "onehot",
) -> Prepared:
    """Split train.csv into train/validation (stratified, seeded) and encode the features.

    Validation takes `validation_fraction` of the rows, at most MAX_VALIDATION_ROWS.

    `max_rows` keeps a stratified subset of train.csv first, for slow models on big data.
    `encoding` is "onehot" (every column a scaled number), "native" (categories as codes
    for XGBoost) or "pixels" (image pixel columns as they are).
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
        rows, test_size=validation_size(len(rows), validation_fraction), random_state=seed,
        stratify=stratify_or_none(y_all[rows]) if classification else None,
    )
    types = None
    if encoding == "pixels":
        X_all = train_df[columns].to_numpy(dtype=np.float32)
        X_train, X_val = X_all[train_rows], X_all[val_rows]
        X_test = test_df[columns].to_numpy(dtype=np.float32)
    else:
        preprocessor = make_preprocessor(column_kinds(train_df.iloc[train_rows], columns), encoding)
        X_train = preprocessor.fit_transform(train_df.iloc[train_rows][columns]).astype(np.float32)
        X_val = preprocessor.transform(train_df.iloc[val_rows][columns]).astype(np.float32)
        X_test = preprocessor.transform(test_df[columns]).astype(np.float32)
        types = feature_types(preprocessor) if encoding == "native" else None
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
        feature_types=types,
    )


def as_images(X: np.ndarray, image_shape: tuple[int, int], channels: int = 1) -> np.ndarray:
    """Pixel columns (row-major, channel-last for colour) → (N, C, H, W) images."""
    height, width = image_shape
    if X.shape[1] != height * width * channels:
        raise BaselineError(
            f"The image shape {height}×{width}×{channels} needs {height * width * channels} pixel columns; "
            f"got {X.shape[1]}."
        )
    return X.reshape(len(X), height, width, channels).transpose(0, 3, 1, 2)
