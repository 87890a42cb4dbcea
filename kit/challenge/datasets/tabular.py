"""Any labeled table an organizer brings: `csv:PATH` or `parquet:PATH`, relative to the spec's folder.

Tables as found in the wild hold text, categories, booleans, dates and gaps; they are
kept as they are (the baselines encode them). Only the target is checked here: it must
exist and be filled in, and its task is inferred (see `infer_task`) unless the spec says.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from kit.challenge.datasets.dataset import Dataset
from kit.challenge.suggestions import did_you_mean
from kit.errors import DatasetError

# A numeric target with at most this many distinct whole-number values is taken as classes
# (wine quality 3–9, a 0/1 flag, star ratings); more distinct values mean a quantity.
MAX_INFERRED_CLASSES = 20
TABULAR_FORMATS = ("csv", "parquet")


def infer_task(values: pd.Series) -> str:
    """"classification" or "regression" for a target column, whatever pandas' version.

    Text (object, pandas 3's `str`, category) and boolean labels are classes; numbers
    are classes when they are whole and take at most MAX_INFERRED_CLASSES values, and a
    quantity otherwise. The spec's `task` overrides this.
    """
    present = values.dropna()
    if pd.api.types.is_bool_dtype(values) or not pd.api.types.is_numeric_dtype(values):
        if pd.api.types.is_datetime64_any_dtype(values):
            raise DatasetError(f"The target column {values.name!r} holds dates; a target must be a label "
                               "or a number.")
        return "classification"
    numbers = present.to_numpy(dtype=np.float64)
    whole = bool(np.all(np.isfinite(numbers)) and np.all(numbers == np.round(numbers)))
    if whole and present.nunique() <= MAX_INFERRED_CLASSES:
        return "classification"
    return "regression"


def resolve_data_file(path: str, base_dir: Path | None, source: str) -> Path:
    """The data file under the spec's folder; a symlink must not lead out of it."""
    file = Path(path)
    if not file.is_absolute() and base_dir is not None:
        file = base_dir / file
        # The spec checks the text of the path; a symlink (of the file or a folder on the way)
        # must not lead out of the spec's folder either.
        if file.exists() and not file.resolve().is_relative_to(base_dir.resolve()):
            raise DatasetError(f"The data file {path!r} leads outside the spec's folder (through a symlink); "
                               "copy the data into the spec's folder instead.")
    if not file.exists():
        raise DatasetError(f"The data file {str(file)!r} does not exist (source {source}).")
    return file


def read_table(file: Path, kind: str) -> pd.DataFrame:
    if not file.is_file():
        raise DatasetError(f"{str(file)!r} is not a file (source {kind}:).")
    try:
        if kind == "parquet":
            return pd.read_parquet(file)
        return pd.read_csv(file, encoding="utf-8-sig")
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raise DatasetError(f"The data file {file.name!r} is not a readable UTF-8 CSV: {error}") from None
    except (OSError, ValueError) as error:  # pyarrow's ArrowInvalid is a ValueError
        raise DatasetError(f"The data file {file.name!r} is not a readable {kind} file: {error}") from None


def _handle_missing_target(frame: pd.DataFrame, target: str, file: Path, kind: str,
                           drop_missing_target: bool) -> pd.DataFrame:
    missing = frame[target].isna()
    count = int(missing.sum())
    if not count:
        return frame
    if drop_missing_target:
        return frame.loc[~missing].reset_index(drop=True)
    # CSV line numbers count the header; parquet rows are 1-based.
    offset = 2 if kind == "csv" else 1
    where = ("line" if kind == "csv" else "row") + ("s" if count > 1 else "")
    shown = (frame.index[missing] + offset).tolist()[:5]
    more = ", …" if count > 5 else ""
    raise DatasetError(
        f"The target column {target!r} is empty on {count} of {len(frame)} rows of {file.name!r} "
        f"({where} {', '.join(map(str, shown))}{more}). Fill them in, or set "
        "data.drop_missing_target = true to leave those rows out.")


def _labels(values: pd.Series) -> pd.Series:
    """Class labels in a type every later step keeps: ints, or text ('True'/'False' for booleans)."""
    if pd.api.types.is_bool_dtype(values) or values.map(type).eq(bool).all():
        return values.map({True: "True", False: "False"}).astype(object)
    if pd.api.types.is_numeric_dtype(values):
        numbers = values.to_numpy(dtype=np.float64)
        if np.all(numbers == np.round(numbers)):
            return values.astype(np.int64)
    return values.astype(str).astype(object)


def load_table(kind: str, path: str, *, target: str | list[str], id_column: str | None, task: str | None,
               base_dir: Path | None, drop_missing_target: bool = False) -> Dataset:
    """Read `kind` ("csv" or "parquet") at `path`, check the target(s) and the ids, infer the task."""
    file = resolve_data_file(path, base_dir, f"{kind}:{path}")
    frame = read_table(file, kind)
    frame.columns = [str(c) for c in frame.columns]
    targets = [target] if isinstance(target, str) else list(target)
    for name in targets:
        if name not in frame.columns:
            raise DatasetError(
                f"The data file {file.name!r} has no target column {name!r}.{did_you_mean(name, frame.columns)} "
                f"Its columns are {', '.join(map(repr, frame.columns[:20]))}."
            )
    for name in targets:
        frame = _handle_missing_target(frame, name, file, kind, drop_missing_target)
        values = frame[name]
        if pd.api.types.is_float_dtype(values) and not np.isfinite(values).all():
            rows = (frame.index[~np.isfinite(values)] + (2 if kind == "csv" else 1)).tolist()[:5]
            raise DatasetError(f"The target column {name!r} holds an infinite value on line(s) {rows} of "
                               f"{file.name!r}; every target must be a finite number.")
    if id_column:
        if id_column not in frame.columns:
            raise DatasetError(f"The data file {file.name!r} has no id column {id_column!r}."
                               f"{did_you_mean(id_column, frame.columns)}")
        if frame[id_column].isna().any() or frame[id_column].duplicated().any():
            raise DatasetError(f"The id column {id_column!r} of {file.name!r} must be unique and non-empty.")
    if len(frame) < 10:
        raise DatasetError(f"The data file {file.name!r} has {len(frame)} rows with a target; "
                           "a challenge needs at least 10.")
    if len(targets) > 1:
        return _multi_target(frame, targets, task, id_column, file)
    target = targets[0]
    task = task or infer_task(frame[target])
    if task == "classification":
        frame[target] = _labels(frame[target])
    elif not pd.api.types.is_numeric_dtype(frame[target]) or pd.api.types.is_bool_dtype(frame[target]):
        raise DatasetError(f"task = \"regression\" needs a numeric target; {target!r} holds "
                           f"{frame[target].dtype} values such as {str(frame[target].iloc[0])!r}. "
                           "Use task = \"classification\" for labels.")
    return Dataset(frame, target, task, id_column=id_column, description=f"Data from {file.name}.")


def _multi_target(frame: pd.DataFrame, targets: list[str], task: str | None, id_column: str | None,
                  file: Path) -> Dataset:
    """Several numeric target columns: 0/1 flags (one-hot classes, multi-label) are a
    classification, other numbers a regression, unless the spec's task says."""
    for name in targets:
        values = frame[name]
        if pd.api.types.is_bool_dtype(values):
            frame[name] = values.astype(np.int64)
        elif not pd.api.types.is_numeric_dtype(values):
            raise DatasetError(f"The target column {name!r} holds {values.dtype} values such as "
                               f"{str(values.iloc[0])!r}; several target columns must each hold numbers "
                               "(0/1 flags for classes, or values).")
    flags = all(frame[name].isin([0, 1]).all() for name in targets)
    return Dataset(frame, targets[0], task or ("classification" if flags else "regression"), id_column=id_column,
                   description=f"Data from {file.name}.", targets=tuple(targets))


def load_csv(path: str, *, target: str, id_column: str | None, task: str | None,
             base_dir: Path | None, drop_missing_target: bool = False) -> Dataset:
    return load_table("csv", path, target=target, id_column=id_column, task=task, base_dir=base_dir,
                      drop_missing_target=drop_missing_target)
