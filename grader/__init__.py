"""grader: read, validate and score Kaggle-style submissions against a hidden solution.

A pure library: pyarrow and numpy on the hot path, nothing of the rest of the project.
"""

from grader.errors import (
    GraderError,
    MetricError,
    SolutionError,
    SubmissionError,
    UnknownMetricError,
)
from grader.grading import Grade, grade
from grader.metrics import (
    METRICS,
    Metric,
    PredictionKind,
    expected_columns,
    get_metric,
    list_metrics,
)
from grader.solution import Solution, read_solution

__all__ = [
    "METRICS",
    "Grade",
    "GraderError",
    "Metric",
    "MetricError",
    "PredictionKind",
    "Solution",
    "SolutionError",
    "SubmissionError",
    "UnknownMetricError",
    "expected_columns",
    "get_metric",
    "grade",
    "list_metrics",
    "read_solution",
]
