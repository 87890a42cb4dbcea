"""grader: read, validate and score Kaggle-style submissions against a hidden solution.

A pure library: pyarrow and numpy on the hot path, nothing of the rest of the project.
"""

from grader.custom import CustomMetricError, custom_metric, load_function, score_for_organizer
from grader.errors import (
    GraderError,
    MetricError,
    RejectionCode,
    SolutionError,
    SubmissionError,
    UnknownMetricError,
)
from grader.grading import Grade, check_scorable, grade, validate
from grader.intervals import Z95, Difference, Interval, bootstrap_interval, interval, paired_difference
from grader.metrics import (
    METRICS,
    Metric,
    PredictionKind,
    expected_columns,
    get_metric,
    list_metrics,
)
from grader.solution import Solution, read_solution, solution_shape

__all__ = [
    "CustomMetricError",
    "custom_metric",
    "load_function",
    "score_for_organizer",
    "METRICS",
    "Z95",
    "Difference",
    "Grade",
    "GraderError",
    "Interval",
    "Metric",
    "MetricError",
    "PredictionKind",
    "Solution",
    "SolutionError",
    "RejectionCode",
    "SubmissionError",
    "UnknownMetricError",
    "bootstrap_interval",
    "check_scorable",
    "expected_columns",
    "get_metric",
    "grade",
    "interval",
    "list_metrics",
    "paired_difference",
    "read_solution",
    "solution_shape",
    "validate",
]
