"""An organizer's own metric: a Python function `f(y_true, y_pred) -> float` run like a built-in.

The function gets numpy arrays shaped as for a built-in metric of its prediction kind
(labels, probabilities, an (n, K) matrix of class probabilities, or values) and must
return a finite number. Whatever goes wrong inside it becomes a `CustomMetricError`
that carries the organizer's own traceback; grading turns it into a plain refusal, so a
participant never sees that traceback.
"""

from __future__ import annotations

import hashlib
import linecache
import math
import numbers
import traceback
import types
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from grader.errors import MetricError
from grader.metrics import Metric, PredictionKind

if TYPE_CHECKING:
    from grader.solution import Solution

CUSTOM_PREFIX = "custom:"
# What a custom metric may predict: the single-column kinds and class probabilities.
CUSTOM_PREDICTIONS = ("label", "probability", "class_probabilities", "value")


class CustomMetricError(MetricError):
    """An organizer's custom metric raised an exception or returned something other than a finite number."""

    def __init__(self, message: str, organizer_traceback: str = "") -> None:
        super().__init__(message)
        self.organizer_traceback = organizer_traceback


def load_function(source: str, function_name: str, filename: str) -> Callable:
    """Compile the organizer's file and return its function (the file's lines kept for tracebacks)."""
    digest = hashlib.sha256(source.encode("utf-8")).hexdigest()[:16]
    shown_name = f"{filename}"  # tracebacks name the organizer's own file
    linecache.cache[shown_name] = (len(source), None, source.splitlines(True), shown_name)
    module = types.ModuleType(f"kit_custom_metric_{digest}")
    module.__file__ = shown_name
    try:
        exec(compile(source, shown_name, "exec"), module.__dict__)  # the organizer's own, trusted code
    except Exception as error:
        raise CustomMetricError(f"{filename} cannot be loaded: {type(error).__name__}: {error}",
                                _organizer_frames(error)) from None
    function = getattr(module, function_name, None)
    if not callable(function):
        defined = sorted(name for name, value in vars(module).items()
                         if callable(value) and not name.startswith("_") and not isinstance(value, type))
        raise CustomMetricError(f"{filename} has no function {function_name!r} (it defines: "
                                f"{', '.join(defined) or 'no functions'}).")
    return function


def _organizer_frames(error: BaseException) -> str:
    # Drop the frames of this module: the organizer needs the frames of their own file.
    tb = error.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename == __file__:
        tb = tb.tb_next
    return "".join(traceback.format_exception(type(error), error, tb))


def custom_metric(name: str, function: Callable, *, direction: str, prediction: str,
                  description: str = "") -> Metric:
    """A Metric that calls `function(y_true, y_pred)` and checks it returns a finite number."""
    if direction not in ("higher", "lower"):
        raise MetricError(f"metric_direction must be 'higher' or 'lower'; got {direction!r}")
    if prediction not in CUSTOM_PREDICTIONS:
        raise MetricError(f"metric_prediction must be one of {', '.join(CUSTOM_PREDICTIONS)}; got {prediction!r}")
    kind = PredictionKind(prediction)

    def call(y_true, y_pred, classes=None) -> float:
        try:
            value = function(y_true, y_pred)
        except Exception as error:
            raise CustomMetricError(f"the custom metric {name} raised {type(error).__name__}: {error}",
                                    _organizer_frames(error)) from None
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise CustomMetricError(f"the custom metric {name} returned {type(value).__name__} "
                                    f"{str(value)[:40]!r}; it must return a number (a float).")
        if not np.isfinite(float(value)):
            raise CustomMetricError(f"the custom metric {name} returned {float(value)}; it must return a finite number.")
        return float(value)

    return Metric(name, direction, kind, "regression" if kind is PredictionKind.VALUE else "classification", 5,
                  description or f"A custom metric ({name.removeprefix(CUSTOM_PREFIX)}).", call,
                  bounds=(-math.inf, math.inf))  # nothing is known of its range


def score_for_organizer(solution: Solution, submission: bytes, metric: Metric) -> tuple[float, float]:
    """Public and Private scores of a submission, letting a CustomMetricError through.

    For `challenge add` only: the organizer sees their function's traceback there.
    `grade` is what participants meet; it refuses such a failure without details.
    """
    from grader.reading import read_submission
    from grader.validation import check_submission

    checked = check_submission(read_submission(submission), solution, metric)
    rows = checked.positions
    target = solution.target if rows is None else solution.target[rows]
    public = solution.public if rows is None else solution.public[rows]
    predictions: Any = checked.predictions  # an array, or lists of labels for MAP@K
    return tuple(metric.score(target[mask], predictions[mask], solution.classes)  # type: ignore[return-value]
                 for mask in (public, ~public) if mask.any())
