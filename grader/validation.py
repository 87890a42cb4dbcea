"""Checking a parsed submission against the solution before anything is scored.

Each problem is one ``SubmissionError`` with a stable code. Messages quote only what the
participant wrote (their ids, their values) and public facts (the expected columns, the
class names, test ids), never a value from the solution's target.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from grader import kernels, parsing
from grader.errors import RejectionCode, SubmissionError
from grader.metrics import Metric, PredictionKind, expected_columns
from grader.reading import SubmissionTable
from grader.solution import Solution

SHOW = 5  # how many offending ids or lines a message lists


@dataclass(frozen=True)
class CheckedSubmission:
    """Predictions in the submission's row order, and where each row sits in the solution."""

    predictions: object  # np.ndarray (1-D or 2-D) or list of lists for ranked labels
    positions: np.ndarray | None  # solution row of each submission row; None = same order


def _quote(value: str, limit: int = 40) -> str:
    text = value if len(value) <= limit else value[: limit - 1] + "…"
    return repr(text)


def _show_id(value: pa.Scalar) -> str:
    # Integers bare, text quoted, so '007' and 7 read differently.
    value = value.as_py()
    return str(value) if isinstance(value, int) else _quote(value)


def _listing(values, limit: int = SHOW, total: int | None = None) -> str:
    shown = ", ".join(str(v) for v in values[:limit])
    return shown + (", …" if (len(values) if total is None else total) > limit else "")


def check_columns(table: SubmissionTable, expected: list[str]) -> None:
    check_header(table.names, expected)


def check_header(names: list[str], expected: list[str]) -> None:
    """The header names exactly the expected columns (any order); checked before the body is read."""
    if names == expected:
        return
    seen: set[str] = set()
    for name in names:  # a set, not names.count: a 20,000-column header stays linear
        if name in seen:
            raise SubmissionError(RejectionCode.UNEXPECTED_COLUMN, f"Column {name!r} appears more than once in the header.")
        seen.add(name)
    wanted = ",".join(expected)
    missing = [name for name in expected if name not in names]
    if missing and parsing.is_numeric(names):
        raise SubmissionError(
            RejectionCode.NO_HEADER, f"Line 1 looks like data ({_quote(','.join(names))}), not a header. "
            f"The first line must name the columns: {wanted}")
    if missing:
        near = [n for n in names if n.lower() == missing[0].lower()]
        hint = f" (found {near[0]!r}: column names are case-sensitive)" if near else ""
        raise SubmissionError(
            RejectionCode.MISSING_COLUMN, f"Required column {missing[0]!r} could not be found{hint}. "
            f"The header must be: {wanted}")
    extra = [name for name in names if name not in expected]
    if not extra:
        return  # the right columns in another order: matched by name
    hint = " (an empty name usually means a trailing comma)" if "" in extra else ""
    raise SubmissionError(
        RejectionCode.UNEXPECTED_COLUMN, f"Unexpected column {extra[0]!r}{hint}. The submission must have exactly "
        f"the columns: {wanted}")


def _bad_value(table: SubmissionTable, name: str, row: int, reason: str, expected: str) -> SubmissionError:
    where = f"Line {table.line_of(row)}, column {name!r}"
    if reason == "empty":
        return SubmissionError(RejectionCode.EMPTY_VALUE, f"{where} is empty or NaN; every row needs a value.")
    value = table.column(name)[row].as_py()
    if reason == "not_finite":
        return SubmissionError(RejectionCode.WRONG_TYPE, f"{where}: {_quote(value)} is not a finite number.")
    return SubmissionError(RejectionCode.WRONG_TYPE, f"{where}: {_quote(value)} is not {expected}.")


def _parse(table: SubmissionTable, name: str, kind: str):
    col = table.column(name)
    try:
        if kind == "i":
            return parsing.parse_int(col)
        if kind == "f":
            return parsing.parse_float(col)
        return parsing.parse_text(col)
    except parsing.BadValue as bad:
        expected = {"i": "an integer", "f": "a number"}.get(kind, "text")
        raise _bad_value(table, name, bad.row, bad.reason, expected) from None


def check_ids(table: SubmissionTable, solution: Solution) -> np.ndarray | None:
    """Solution row of each submission row (None when the order is already the solution's)."""
    name = solution.id_column
    ids = _parse(table, name, "i" if solution.ids_are_integers else "s")
    n, expected = table.num_rows, solution.num_rows
    ids_arrow = parsing.int64_array(ids) if isinstance(ids, np.ndarray) else ids
    if n == expected and ids_arrow.equals(solution._id_lookup):
        return None  # the common case: rows in test.csv order, nothing to look up
    positions = solution.positions(ids)
    if n == expected and len(positions) and positions.min() >= 0:
        if np.bincount(positions, minlength=expected).max() == 1:
            return positions  # every id once, in another order
    unknown = np.flatnonzero(positions < 0)
    counts = np.bincount(positions[positions >= 0], minlength=expected)
    duplicated = np.flatnonzero(counts[np.maximum(positions, 0)] > 1)
    duplicated = duplicated[positions[duplicated] >= 0]
    missing = np.flatnonzero(counts == 0)
    causes = sum(bool(len(x)) for x in (duplicated, unknown, missing))
    have = f"Submission must have {expected} rows; it has {n}."
    # One clear cause is named precisely; a count that is off for mixed reasons (e.g. the
    # predictions of another split) is reported as Kaggle does, by the row count.
    if n != expected and causes > 1:
        raise SubmissionError(RejectionCode.ROW_COUNT, f"Submission must have {expected} rows, but it has {n} rows. "
                              f"It must hold exactly the ids of test.csv, one row each.")
    if len(duplicated):
        first = positions[duplicated[0]]
        lines = [table.line_of(r) for r in duplicated[positions[duplicated] == first][:SHOW]]
        raise SubmissionError(
            RejectionCode.DUPLICATE_IDS, f"{len(duplicated)} rows repeat an id of the {name!r} column; id "
            f"{_show_id(ids_arrow[int(duplicated[0])])} is on lines {_listing(lines)}. Each id must appear once.")
    if len(unknown):
        shown = [f"{_show_id(ids_arrow[int(r)])} (line {table.line_of(int(r))})" for r in unknown[:SHOW]]
        raise SubmissionError(
            RejectionCode.UNKNOWN_IDS, f"{len(unknown)} ids in the {name!r} column are not in the test set: "
            f"{_listing(shown, SHOW, len(unknown))}. Predict only the ids of test.csv.")
    if len(missing):
        raise SubmissionError(
            RejectionCode.MISSING_IDS, f"Unable to find {len(missing)} required key values in the {name!r} column, "
            f"e.g. {_listing([solution.ids[i] for i in missing[:SHOW]], SHOW, len(missing))}. {have}")
    return positions


def _check_labels(table: SubmissionTable, name: str, labels: np.ndarray, classes: tuple) -> None:
    allowed = np.asarray(classes)
    where = np.minimum(np.searchsorted(allowed, labels), len(allowed) - 1)
    bad = allowed[where] != labels
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        listed = _listing([str(c) for c in classes], 20)
        raise SubmissionError(
            RejectionCode.UNKNOWN_LABEL, f"Line {table.line_of(row)}, column {name!r}: "
            f"{_quote(str(table.column(name)[row].as_py()))} is not one of the {len(classes)} classes "
            f"({listed}).")


def _check_range(table: SubmissionTable, name: str, values: np.ndarray) -> None:
    if values.min(initial=0.0) < 0.0 or values.max(initial=0.0) > 1.0:
        row = int(np.flatnonzero((values < 0) | (values > 1))[0])
        raise SubmissionError(
            RejectionCode.PROBABILITY_RANGE, f"Line {table.line_of(row)}, column {name!r}: "
            f"{_quote(str(table.column(name)[row].as_py()))} is not a probability between 0 and 1.")


def _label_kind(solution: Solution) -> str:
    return {"i": "i", "f": "f"}.get(solution.target.dtype.kind, "s")


def check_predictions(table: SubmissionTable, solution: Solution, metric: Metric):
    kind = metric.prediction
    target = solution.target_column
    if kind.multi_column:
        return _column_predictions(table, solution, metric)
    if kind is PredictionKind.VALUE:
        values = _parse(table, target, "f")
        if metric.nonnegative and values.min(initial=0.0) < 0:
            row = int(np.flatnonzero(values < 0)[0])
            raise SubmissionError(
                RejectionCode.NEGATIVE_VALUE, f"Line {table.line_of(row)}, column {target!r}: "
                f"{_quote(str(table.column(target)[row].as_py()))} is negative; {metric.name} "
                "needs values of 0 or more.")
        return values
    if kind is PredictionKind.PROBABILITY:
        values = _parse(table, target, "f")
        if not metric.ranks_scores:
            _check_range(table, target, values)
        return values
    if kind is PredictionKind.LABEL:
        label_kind = _label_kind(solution)
        labels = _parse(table, target, label_kind)
        if label_kind == "s":
            labels = parsing.to_strings(labels)
        if solution.classes is not None:
            _check_labels(table, target, labels, solution.classes)
        return labels
    if kind is PredictionKind.CLASS_PROBABILITIES:
        assert solution.classes is not None  # a class-probability metric's solution always names its classes
        columns = [str(c) for c in solution.classes]
        values = np.empty((table.num_rows, len(columns)), dtype=np.float64)
        for k, name in enumerate(columns):
            values[:, k] = _parse(table, name, "f")
            if not metric.ranks_scores:
                _check_range(table, name, values[:, k])
        if not metric.ranks_scores:
            _check_sums(table, metric, values)
        return values
    return _ranked_labels(table, solution, target)


def _column_predictions(table: SubmissionTable, solution: Solution, metric: Metric) -> np.ndarray:
    """One number per target column; probabilities in [0, 1] unless only their order counts."""
    values = np.empty((table.num_rows, len(solution.targets)), dtype=np.float64)
    for k, name in enumerate(solution.targets):
        values[:, k] = _parse(table, name, "f")
        if metric.prediction is PredictionKind.COLUMN_PROBABILITIES and not metric.ranks_scores:
            _check_range(table, name, values[:, k])
    if metric.prediction is PredictionKind.COLUMN_PROBABILITIES and not metric.ranks_scores:
        _check_sums(table, metric, values)
    return values


def _check_sums(table: SubmissionTable, metric: Metric, values: np.ndarray) -> None:
    # Rows are rescaled by their sum (Kaggle's rule), which must therefore not be zero.
    sums = values.sum(axis=1)
    bad = sums <= 0
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise SubmissionError(
            RejectionCode.PROBABILITY_SUM, f"Line {table.line_of(row)}: the class probabilities sum to "
            f"{sums[row]:.6g}; for {metric.name} they must not all be 0 (each row is divided by its sum).")


def _ranked_labels(table: SubmissionTable, solution: Solution, name: str) -> list[list]:
    text = _parse(table, name, "s")
    tokens = kernels.utf8_split_whitespace(text)
    lengths = parsing.to_numpy(kernels.list_value_length(tokens))
    if len(lengths) and lengths.min() == 0:
        raise _bad_value(table, name, int(np.flatnonzero(lengths == 0)[0]), "empty", "")
    flat = kernels.list_flatten(tokens)
    row_of = np.repeat(np.arange(len(lengths)), lengths)
    if _label_kind(solution) == "i":
        try:
            labels = parsing.parse_int(flat)
        except parsing.BadValue as bad:
            raise _bad_value(table, name, int(row_of[bad.row]), bad.reason, "a list of integer labels") from None
    else:
        labels = parsing.to_strings(flat)
    if solution.classes is not None:
        allowed = _ranked_classes(solution, solution.classes)
        where = np.minimum(np.searchsorted(allowed, labels), len(allowed) - 1)
        unknown = np.flatnonzero(allowed[where] != labels)
        if len(unknown):
            row = int(row_of[unknown[0]])
            raise SubmissionError(
                RejectionCode.UNKNOWN_LABEL, f"Line {table.line_of(row)}, column {name!r}: {_quote(str(labels[unknown[0]]))} "
                f"is not one of the {len(allowed)} classes ({_listing([str(c) for c in allowed], 20)}).")
    offsets = np.cumsum(lengths)[:-1]
    return [row.tolist() for row in np.split(labels, offsets)] if len(lengths) else []


def _ranked_classes(solution: Solution, classes: tuple) -> np.ndarray:
    # A MAP@K truth may list several relevant labels separated by spaces.
    if solution.target.dtype.kind == "i":
        return np.asarray(classes)
    return np.unique([token for c in classes for token in str(c).split()])


def check_submission(table: SubmissionTable, solution: Solution, metric: Metric) -> CheckedSubmission:
    """Columns, then ids, then values: the first problem found is raised."""
    check_columns(table, expected_columns(metric, solution.id_column, solution.targets, solution.classes))
    if table.num_rows == 0:
        raise SubmissionError(
            RejectionCode.ROW_COUNT, f"Submission must have {solution.num_rows} rows, but it has 0 rows: "
            "the file holds only a header.")
    positions = check_ids(table, solution)
    return CheckedSubmission(predictions=check_predictions(table, solution, metric), positions=positions)
