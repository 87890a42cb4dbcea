"""The grader's exceptions: one class per kind of failure, each with a one-line docstring.

A participant only ever sees ``SubmissionError`` messages, so those are written for a
person (what was wrong, where, how to fix it) and never quote a hidden label.
"""

from __future__ import annotations


class GraderError(Exception):
    """Base class of every error the grader raises on purpose."""


class SubmissionError(GraderError):
    """The submission file was rejected; ``code`` is stable, ``message`` is for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"SubmissionError({self.code!r}, {self.message!r})"


class SolutionError(GraderError):
    """The hidden solution file itself is unusable (an organizer's problem, not a participant's)."""


class MetricError(GraderError, ValueError):
    """A metric cannot be computed on these values (e.g. AUC on a single-class truth)."""


class UnknownMetricError(MetricError, KeyError):
    """No metric of that name is registered."""

    def __str__(self) -> str:
        # KeyError would wrap the message in quotes; keep it readable.
        return str(self.args[0]) if self.args else ""
