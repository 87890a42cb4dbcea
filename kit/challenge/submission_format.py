"""What a submission to a challenge must look like, said once.

`submission_header` is the one source of the exact header: the bundle's README and
sample_submission.csv, the Challenge and Submit pages, the API and the CLI all take it
from here (through `grader.expected_columns`), so they can never disagree.
"""

from __future__ import annotations

from collections.abc import Sequence

import grader


def target_columns(metric: grader.Metric, target: str) -> list[str]:
    """The target column(s): a multi-column metric's targets are stored comma-separated."""
    return target.split(",") if metric.prediction.multi_column else [target]


def header_for(metric: grader.Metric, id_column: str, target: str, classes: Sequence | None) -> list[str]:
    return grader.expected_columns(metric, id_column, target_columns(metric, target), classes)


def submission_header(challenge) -> list[str]:
    """The exact header of a valid submission to this stored challenge, in order."""
    from kit.challenge.metric_of import challenge_metric

    return header_for(challenge_metric(challenge), challenge.id_column, challenge.target, challenge.classes)


def describe_header(columns: Sequence[str]) -> str:
    """`id`, `Adelie`, `Gentoo` — for Markdown pages and the README."""
    return ", ".join(f"`{c}`" for c in columns)
