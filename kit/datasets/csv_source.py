"""Any labeled CSV an organizer brings (`csv:PATH`, relative to the spec's folder)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from kit.datasets.registry import Dataset
from kit.errors import DatasetError

# Integer targets with at most this many distinct values are taken as classes.
MAX_INFERRED_CLASSES = 50


def infer_task(values: pd.Series) -> str:
    if values.dtype == object or pd.api.types.is_bool_dtype(values):
        return "classification"
    if pd.api.types.is_integer_dtype(values) and values.nunique() <= MAX_INFERRED_CLASSES:
        return "classification"
    return "regression"


def load_csv(path: str, *, target: str, id_column: str | None, task: str | None,
             base_dir: Path | None) -> Dataset:
    file = Path(path)
    if not file.is_absolute() and base_dir is not None:
        file = base_dir / file
        # The spec checks the text of the path; a symlink (of the file or a folder on the way)
        # must not lead out of the spec's folder either.
        if file.exists() and not file.resolve().is_relative_to(base_dir.resolve()):
            raise DatasetError(f"The data file {path!r} leads outside the spec's folder (through a symlink); "
                               "copy the data into the spec's folder instead.")
    if not file.is_file():
        raise DatasetError(f"The data file {str(file)!r} does not exist (source csv:{path}).")
    try:
        frame = pd.read_csv(file, encoding="utf-8-sig")
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raise DatasetError(f"The data file {file.name!r} is not a readable UTF-8 CSV: {error}") from None
    if target not in frame.columns:
        raise DatasetError(
            f"The data file {file.name!r} has no target column {target!r}; its columns are "
            f"{', '.join(map(repr, frame.columns[:20]))}."
        )
    if frame[target].isna().any():
        rows = (frame.index[frame[target].isna()] + 2).tolist()[:5]
        raise DatasetError(f"The target column {target!r} is empty on line(s) {rows} of {file.name!r}.")
    if id_column:
        if id_column not in frame.columns:
            raise DatasetError(f"The data file {file.name!r} has no id column {id_column!r}.")
        if frame[id_column].isna().any() or frame[id_column].duplicated().any():
            raise DatasetError(f"The id column {id_column!r} of {file.name!r} must be unique and non-empty.")
    if len(frame) < 10:
        raise DatasetError(f"The data file {file.name!r} has {len(frame)} rows; a challenge needs at least 10.")
    return Dataset(frame, target, task or infer_task(frame[target]), id_column=id_column,
                   description=f"Data from {file.name}.")
