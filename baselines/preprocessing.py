"""The one place where a bundle's feature columns become numbers: scikit-learn pieces in a Pipeline.

Tables as found in the wild hold numbers, text categories, booleans, dates and gaps.
Each column gets a kind (`column_kinds`) and each kind its scikit-learn treatment:

- numbers and booleans: `SimpleImputer` (median, with a missing-value indicator), then scaled;
- categories (any other text): `OneHotEncoder(handle_unknown="ignore")`, rare levels pooled;
  for XGBoost an `OrdinalEncoder` instead, marked as categorical for its native support;
- dates: their parts (year, month, day, weekday, hour, days since 1970), imputed and scaled.

Image challenges (pixel columns) take the same path: all their columns are numbers.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, OrdinalEncoder, StandardScaler

# A text column is a date column when this share of its filled values parses as a date.
DATE_SHARE = 0.95
# Levels seen fewer times than this are pooled into one "infrequent" level; at most this many levels.
MIN_LEVEL_ROWS = 5
MAX_LEVELS = 64  # one-hot columns per category
MAX_NATIVE_LEVELS = 255  # codes per category for XGBoost, which splits on them natively
DATE_PARTS = ("year", "month", "day", "weekday", "hour", "days")
ENCODINGS = ("onehot", "native")


def _as_booleans(values: pd.Series) -> bool:
    present = values.dropna()
    if pd.api.types.is_bool_dtype(values):
        return True
    return len(present) > 0 and present.map(lambda v: isinstance(v, bool | np.bool_)).all()


def parse_dates(values: pd.Series) -> pd.Series:
    """Text → datetimes (NaT where it is not one): ISO 8601 first, any common layout after."""
    text = values.astype("string")
    parsed = pd.to_datetime(text, format="ISO8601", errors="coerce", utc=True)
    if parsed.notna().sum() < DATE_SHARE * text.notna().sum():
        parsed = pd.to_datetime(text, format="mixed", errors="coerce", utc=True)
    return parsed


def _is_date(values: pd.Series) -> bool:
    if pd.api.types.is_datetime64_any_dtype(values):
        return True
    present = values.dropna().astype(str)
    if present.empty or present.str.fullmatch(r"[-+]?\d+(\.\d*)?").mean() > 0.5:
        return False  # numbers written as text are not dates, whatever the parser thinks
    sample = present.iloc[:1000]
    return bool(parse_dates(sample).notna().mean() >= DATE_SHARE)


def column_kinds(frame: pd.DataFrame, columns: list[str]) -> dict[str, str]:
    """Each feature column's kind: "number", "boolean", "date" or "category"."""
    kinds = {}
    for name in columns:
        values = frame[name]
        if _as_booleans(values):
            kinds[name] = "boolean"
        elif pd.api.types.is_numeric_dtype(values):
            kinds[name] = "number"
        elif _is_date(values):
            kinds[name] = "date"
        else:
            kinds[name] = "category"
    return kinds


def date_parts(frame: pd.DataFrame) -> np.ndarray:
    """Each date column → its DATE_PARTS as floats, NaN where the date is missing."""
    parts = []
    for name in frame.columns:
        when = parse_dates(frame[name])
        days = (when - pd.Timestamp("1970-01-01", tz="UTC")) / pd.Timedelta(days=1)
        for part in (when.dt.year, when.dt.month, when.dt.day, when.dt.day_of_week, when.dt.hour, days):
            parts.append(part.to_numpy(dtype=np.float64, na_value=np.nan))
    return np.column_stack(parts) if parts else np.empty((len(frame), 0))


def _date_part_names(transformer, names) -> list[str]:
    return [f"{name}_{part}" for name in names for part in DATE_PARTS]


def _booleans(frame: pd.DataFrame) -> np.ndarray:
    return frame.astype("float64").to_numpy(dtype=np.float64, na_value=np.nan)


def _as_text(frame: pd.DataFrame) -> np.ndarray:
    # One type per column for the encoders (a column of ints and strings would trip them).
    return frame.astype(object).where(frame.notna(), None).astype(str).where(frame.notna(), np.nan).to_numpy()


def make_preprocessor(kinds: dict[str, str], encoding: str = "onehot") -> ColumnTransformer:
    """The ColumnTransformer for these columns.

    "onehot" (logreg, mlp): every output column scaled, categories one-hot encoded.
    "native" (xgboost): numbers as they are (trees split around gaps), categories as
    ordinal codes that XGBoost treats as categories (see `feature_types`).
    """
    if encoding not in ENCODINGS:
        raise ValueError(f"encoding must be one of {ENCODINGS}; got {encoding!r}")
    of = {kind: [name for name, k in kinds.items() if k == kind] for kind in ("number", "boolean", "date", "category")}
    to_text = FunctionTransformer(_as_text, feature_names_out="one-to-one")
    to_float = FunctionTransformer(_booleans, feature_names_out="one-to-one")
    dates = FunctionTransformer(date_parts, feature_names_out=_date_part_names)
    if encoding == "onehot":
        numbers = make_pipeline(SimpleImputer(strategy="median", add_indicator=True), StandardScaler())
        steps = [
            ("number", numbers, of["number"]),
            ("boolean", make_pipeline(to_float, SimpleImputer(strategy="most_frequent"), StandardScaler()),
             of["boolean"]),
            ("date", make_pipeline(dates, SimpleImputer(strategy="median"), StandardScaler()), of["date"]),
            ("category", make_pipeline(to_text, OneHotEncoder(
                handle_unknown="ignore", min_frequency=MIN_LEVEL_ROWS, max_categories=MAX_LEVELS,
                sparse_output=False, dtype=np.float32)), of["category"]),
        ]
    else:
        steps = [
            ("number", "passthrough", of["number"]),
            ("boolean", to_float, of["boolean"]),
            ("date", dates, of["date"]),
            ("category", make_pipeline(to_text, OrdinalEncoder(
                handle_unknown="use_encoded_value", unknown_value=np.nan, encoded_missing_value=np.nan,
                min_frequency=MIN_LEVEL_ROWS, max_categories=MAX_NATIVE_LEVELS, dtype=np.float32)), of["category"]),
        ]
    return ColumnTransformer([step for step in steps if step[2]], remainder="drop", sparse_threshold=0.0,
                             verbose_feature_names_out=False)


def feature_types(preprocessor: ColumnTransformer) -> list[str]:
    """XGBoost's type of each output column: "c" for an ordinal-coded category, else "q"."""
    width = max((part.stop for part in preprocessor.output_indices_.values()), default=0)
    types = ["q"] * width
    part = preprocessor.output_indices_.get("category")
    if part is not None:
        types[part] = ["c"] * (part.stop - part.start)
    return types
