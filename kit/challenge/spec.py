"""Challenge specs: one TOML file per challenge, validated with errors that name the field."""

from __future__ import annotations

import re
import tomllib
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from kit.errors import SpecError

USAGE_COLUMN = "Usage"  # the solution's Public/Private column (Kaggle's name)
SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]{1,62}[a-z0-9]$"
MAX_FILE_BYTES_CEILING = 500 * 1024 * 1024
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(B|KB|MB|GB)?\s*$", re.IGNORECASE)
_UNITS = {"B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3}


def parse_size(value: Any) -> int:
    """`5 MB`, `500KB` or a byte count → bytes."""
    if isinstance(value, bool):
        raise ValueError("must be a size such as 10 MB or a number of bytes")
    if isinstance(value, int):
        return value
    match = _SIZE.match(str(value))
    if not match:
        raise ValueError("must be a size such as 10 MB or a number of bytes")
    return int(float(match.group(1)) * _UNITS[(match.group(2) or "B").upper()])


def _as_utc(value: Any) -> Any:
    if isinstance(value, datetime) and value.tzinfo is None:
        raise ValueError("must carry a time zone, e.g. 2026-12-01T00:00:00Z (times are UTC)")
    return value.astimezone(UTC) if isinstance(value, datetime) else value


class DataSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    source: Annotated[str, Field(min_length=3, description="sklearn:NAME, fashion-mnist, cifar10, csv:PATH, "
                                                        "parquet:PATH or images:PATH")]
    # One target column, or a list of them for a multi-column solution (one-hot classes,
    # multi-label flags, several regression targets) scored by a multi-column metric.
    target: str | list[str] | None = None
    # For file sources, the file's own id column; otherwise ids are assigned in a column of this name.
    id_column: Annotated[str | None, Field(min_length=1, max_length=64)] = None
    # Inferred from the target when left out (see datasets.tabular.infer_task); set it to override.
    task: str | None = Field(default=None, pattern="^(classification|regression)$")
    # Rows whose target is empty are refused unless the organizer opts in to leaving them out.
    drop_missing_target: bool = False
    # images:PATH sources: every image is resized to [height, width] and kept in grayscale or RGB.
    image_size: tuple[Annotated[int, Field(ge=4, le=512)], Annotated[int, Field(ge=4, le=512)]] = (32, 32)
    image_mode: Literal["auto", "grayscale", "rgb"] = "auto"
    test_fraction: Annotated[float, Field(gt=0.0, lt=1.0)] = 0.25
    public_fraction: Annotated[float, Field(gt=0.0, lt=1.0)] = 0.3
    seed: Annotated[int, Field(ge=0, le=2**32 - 1)] = 27
    max_rows: Annotated[int | None, Field(ge=20)] = None

    @property
    def id_name(self) -> str:
        return self.id_column or "id"

    @property
    def target_columns(self) -> list[str]:
        if self.target is None:
            return []
        return [self.target] if isinstance(self.target, str) else list(self.target)

    @model_validator(mode="after")
    def _distinct_columns(self) -> DataSpec:
        if isinstance(self.target, list):
            if len(self.target) < 2 or len(set(self.target)) != len(self.target):
                raise ValueError("a list of targets names two or more different columns")
            if any("," in name or not name for name in self.target):
                raise ValueError("target column names in a list cannot be empty or hold a comma")
        # The solution file holds the id, the target and Kaggle's Usage column; each name once.
        for field, name in [*(("target", t) for t in self.target_columns), ("id_column", self.id_column)]:
            if name == USAGE_COLUMN:
                raise ValueError(f"{field} cannot be {USAGE_COLUMN!r}: the hidden solution uses that column "
                                 "to mark Public and Private rows; rename the column in the data")
        if self.id_name in self.target_columns:
            raise ValueError(f"target and id_column name the same column {self.id_name!r}")
        return self

    @field_validator("source")
    @classmethod
    def _known_source(cls, value: str) -> str:
        from kit.challenge.datasets.registry import BUILTIN_SOURCES, FILE_SOURCES, describe_sources
        from kit.challenge.suggestions import did_you_mean

        kind, colon, path = value.partition(":")
        if colon and kind in FILE_SOURCES:
            if not path.strip():
                raise ValueError(f"{kind}: needs a path, e.g. {kind}:data/houses.{kind}")
            if Path(path).is_absolute() or ".." in Path(path).parts:
                raise ValueError(f"a {kind}: path must be relative to the spec's folder and stay inside it")
            return value
        if value not in BUILTIN_SOURCES:
            raise ValueError(f"unknown source;{did_you_mean(value, BUILTIN_SOURCES)} Allowed: {describe_sources()}")
        return value


class ChallengeSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    slug: Annotated[str, Field(pattern=SLUG_PATTERN)]
    title: Annotated[str, Field(min_length=3, max_length=200)]
    description: Annotated[str, Field(max_length=20_000)] = ""
    season: Annotated[str | None, Field(pattern=SLUG_PATTERN)] = None
    week: Annotated[int | None, Field(ge=1, le=4)] = None
    opens: datetime | None = None
    closes: datetime | None = None
    # A catalog name (`kit metrics`), or custom:FILE.py:FUNCTION with the two fields below.
    metric: str
    metric_direction: Literal["higher", "lower"] | None = None
    metric_prediction: Literal["label", "probability", "class_probabilities", "value"] | None = None
    daily_limit: Annotated[int, Field(ge=1, le=1000)] = 5
    final_selections: Annotated[int, Field(ge=1, le=20)] = 2
    max_file_size: Annotated[int, Field(ge=1024, le=MAX_FILE_BYTES_CEILING)] = 20 * 1024 * 1024
    # "best": each entrant's best public score shows (Kaggle); "ladder": it changes only when a
    # submission beats it by more than the noise (Blum & Hardt's Ladder).
    public_board: Literal["best", "ladder"] = "best"
    data: DataSpec

    _utc = field_validator("opens", "closes")(_as_utc)

    @field_validator("max_file_size", mode="before")
    @classmethod
    def _size(cls, value: Any) -> int:
        return parse_size(value)

    @field_validator("metric")
    @classmethod
    def _known_metric(cls, value: str) -> str:
        from grader import UnknownMetricError, get_metric

        if value.startswith(CUSTOM_PREFIX):
            return _custom_metric_name(value)
        try:
            return get_metric(value).name
        except UnknownMetricError as error:
            raise ValueError(str(error)) from None

    @model_validator(mode="after")
    def _custom_metric_fields(self) -> ChallengeSpec:
        custom = self.metric.startswith(CUSTOM_PREFIX)
        given = [name for name in ("metric_direction", "metric_prediction") if getattr(self, name) is not None]
        if custom and len(given) < 2:
            raise ValueError("a custom metric needs metric_direction (\"higher\" or \"lower\") and "
                             "metric_prediction (label, probability, class_probabilities or value)")
        if not custom and given:
            raise ValueError(f"{given[0]} is only for a custom metric (metric = \"custom:FILE.py:FUNCTION\"); "
                             "a catalog metric has its own")
        return self

    @model_validator(mode="after")
    def _window(self) -> ChallengeSpec:
        if (self.opens is None or self.closes is None) and (self.season is None or self.week is None):
            raise ValueError("opens and closes are required unless season and week are given "
                             "(then they default to that week of the season)")
        if self.opens and self.closes and self.closes <= self.opens:
            raise ValueError("closes must be after opens")
        return self


CUSTOM_PREFIX = "custom:"


def _custom_metric_name(value: str) -> str:
    """custom:FILE.py:FUNCTION, the file inside the spec's folder."""
    parts = value[len(CUSTOM_PREFIX):].split(":")
    if len(parts) != 2 or not parts[0].endswith(".py") or not parts[1].isidentifier():
        raise ValueError("a custom metric is written custom:FILE.py:FUNCTION, e.g. "
                         "custom:scoring.py:weighted_accuracy")
    path = Path(parts[0])
    if path.is_absolute() or ".." in path.parts:
        raise ValueError("a custom metric's file must be relative to the spec's folder and stay inside it")
    return value


def _format_errors(error: ValidationError) -> str:
    lines = []
    for item in error.errors():
        field = ".".join(str(part) for part in item["loc"]) or "spec"
        message = item["msg"].removeprefix("Value error, ")
        if item["type"] == "extra_forbidden":
            message = "unknown field (check its spelling; see `kit challenge add --help`)"
        elif item["type"] == "string_pattern_mismatch" and item["loc"][-1] in ("slug", "season"):
            message = "must be 3–64 lowercase letters, digits and dashes, starting and ending with a letter or digit"
        elif item["type"] == "missing":
            message = "is required"
        given = item.get("input")
        shown = "" if item["type"] in ("missing", "extra_forbidden") or isinstance(given, dict) else f" (given: {given!r})"
        lines.append(f"  - {field}: {message}{shown}")
    return "\n".join(lines)


def parse_spec(text: str, *, origin: str = "spec") -> ChallengeSpec:
    """Parse and validate TOML text; SpecError lists every bad field."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise SpecError(f"{origin} is not valid TOML: {error}") from None
    try:
        return ChallengeSpec.model_validate(raw)
    except ValidationError as error:
        raise SpecError(f"{origin} is not a valid challenge spec:\n{_format_errors(error)}") from None


def load_spec(path: Path) -> tuple[ChallengeSpec, str]:
    """Read a spec file; returns the spec and its text (stored with the challenge)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SpecError(f"No spec file at {path}.") from None
    except UnicodeDecodeError:
        raise SpecError(f"{path} is not UTF-8 text.") from None
    return parse_spec(text, origin=path.name), text
