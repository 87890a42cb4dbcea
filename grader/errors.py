"""The grader's exceptions: one class per kind of failure, each with a one-line docstring.

A participant only ever sees ``SubmissionError`` messages, so those are written for a
person (what was wrong, where, how to fix it) and never quote a hidden label.
"""

from __future__ import annotations

from enum import StrEnum


class GraderError(Exception):
    """Base class of every error the grader raises on purpose."""


class RejectionCode(StrEnum):
    """Why a submission file was rejected: stable codes that scripts and the API may rely on."""

    FILE_TOO_LARGE = "file_too_large"
    ENCODING = "encoding"
    EMPTY_FILE = "empty_file"
    NO_HEADER = "no_header"
    MALFORMED_CSV = "malformed_csv"
    MISSING_COLUMN = "missing_column"
    UNEXPECTED_COLUMN = "unexpected_column"
    ROW_COUNT = "row_count"
    MISSING_IDS = "missing_ids"
    UNKNOWN_IDS = "unknown_ids"
    DUPLICATE_IDS = "duplicate_ids"
    EMPTY_VALUE = "empty_value"
    WRONG_TYPE = "wrong_type"
    UNKNOWN_LABEL = "unknown_label"
    PROBABILITY_RANGE = "probability_range"
    PROBABILITY_SUM = "probability_sum"
    NEGATIVE_VALUE = "negative_value"
    UNSCORABLE = "unscorable"
    SCORE_NOT_FINITE = "score_not_finite"


class SubmissionError(GraderError):
    """The submission file was rejected; ``code`` is stable, ``message`` is for people."""

    def __init__(self, code: RejectionCode, message: str) -> None:
        super().__init__(message)
        self.code = RejectionCode(code)  # an unknown code is a bug: ValueError here, not a silent new code
        self.message = message

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"SubmissionError({self.code.value!r}, {self.message!r})"


class SolutionError(GraderError):
    """The hidden solution file itself is unusable (an organizer's problem, not a participant's)."""


class MetricError(GraderError, ValueError):
    """A metric cannot be computed on these values (e.g. AUC on a single-class truth)."""


class UnknownMetricError(MetricError, KeyError):
    """No metric of that name is registered."""

    def __str__(self) -> str:
        # KeyError would wrap the message in quotes; keep it readable.
        return str(self.args[0]) if self.args else ""
