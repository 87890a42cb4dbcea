"""A challenge's metric: one from the grader's catalog, or the organizer's own custom function.

A custom metric (`metric = "custom:scoring.py:weighted_accuracy"`) is read from the spec's
folder when the challenge is added; its source is stored with the challenge as a hidden
file (CUSTOM_METRIC_FILE), so grading never depends on the organizer's folder again.
Its direction and prediction kind come from the spec stored with the challenge.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import grader
from kit.challenge.spec import CUSTOM_PREFIX, ChallengeSpec
from kit.errors import SpecError

CUSTOM_METRIC_FILE = "custom_metric.py"


def is_custom(metric_name: str) -> bool:
    return metric_name.startswith(CUSTOM_PREFIX)


def _file_and_function(metric_name: str) -> tuple[str, str]:
    file_name, function_name = metric_name[len(CUSTOM_PREFIX):].split(":")
    return file_name, function_name


def _unloaded(*_args):
    raise grader.CustomMetricError("the custom metric's code is not loaded here")


def spec_metric(spec: ChallengeSpec, base_dir: Path | None) -> tuple[grader.Metric, str | None]:
    """The spec's metric, ready to score; for a custom one also its source text (to store)."""
    if not is_custom(spec.metric):
        return grader.get_metric(spec.metric), None
    file_name, function_name = _file_and_function(spec.metric)
    folder = base_dir or Path.cwd()
    path = folder / file_name
    if path.exists() and not path.resolve().is_relative_to(folder.resolve()):
        raise SpecError(f"metric: {file_name!r} leads outside the spec's folder (through a symlink); "
                        "copy it into the spec's folder.")
    try:
        source = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SpecError(f"metric: the custom metric's file {file_name!r} is not in the spec's folder "
                        f"({folder}).") from None
    except (UnicodeDecodeError, IsADirectoryError):
        raise SpecError(f"metric: {file_name!r} is not a UTF-8 Python file.") from None
    try:
        function = grader.load_function(source, function_name, file_name)
    except grader.CustomMetricError as error:
        raise SpecError(f"metric: {error}\n{error.organizer_traceback}".rstrip()) from None
    return custom_from(spec.metric, function, spec.metric_direction, spec.metric_prediction), source


def custom_from(name: str, function, direction: str | None, prediction: str | None) -> grader.Metric:
    file_name, function_name = _file_and_function(name)
    return grader.custom_metric(name, function, direction=direction or "higher", prediction=prediction or "label",
                                description=f"The organizer's own metric: {function_name} from {file_name}.")


def challenge_metric(challenge, function=None) -> grader.Metric:
    """The stored challenge's metric, for its direction, its header and display (and scoring,
    given the custom function; see `kit.challenge.grading.scoring_metric`)."""
    if not is_custom(challenge.metric):
        return grader.get_metric(challenge.metric)
    spec = tomllib.loads(challenge.spec_toml)
    return custom_from(challenge.metric, function or _unloaded, spec.get("metric_direction"),
                       spec.get("metric_prediction"))
