"""The hidden solution: ids, target, the Public/Private mask and the challenge's classes.

Reading it is strict (it is the organizer's file, errors raise ``SolutionError``) and done
once; the id lookup that every grading run needs is built here, not per submission.
"""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.csv as pv

from grader import kernels, parsing
from grader.errors import SolutionError, SubmissionError
from grader.reading import read_csv, read_submission

USAGE = "Usage"
PUBLIC, PRIVATE = "Public", "Private"


@dataclass(frozen=True, eq=False)
class Solution:
    """The labels a submission is graded against, in the solution file's row order."""

    ids: np.ndarray  # int64 when every id is a plain integer, else str (exact text)
    target: np.ndarray  # int64 labels, str labels, or float64 values
    public: np.ndarray  # bool: True for Public rows, False for Private rows
    id_column: str
    target_column: str
    classes: tuple | None  # sorted labels; None for a float (regression) target
    _id_lookup: pa.Array = field(repr=False)
    _dense: tuple[int, np.ndarray] | None = field(default=None, repr=False)  # (lowest id, id -> row)
    labelled: bool = True  # False for a shape from test.csv: it validates but never scores
    # Several target columns (one-hot classes, multi-label, several regression targets): their
    # names, and `target` is then an (n, k) float64 array.
    target_columns: tuple[str, ...] = ()

    @property
    def targets(self) -> tuple[str, ...]:
        """The target column names: one, or several for a multi-column solution."""
        return self.target_columns or (self.target_column,)

    @property
    def num_rows(self) -> int:
        return len(self.ids)

    @property
    def ids_are_integers(self) -> bool:
        return self.ids.dtype.kind == "i"

    def positions(self, ids: np.ndarray | pa.Array) -> np.ndarray:
        """Row of each id in the solution, -1 where the id is not in it."""
        if not self.ids_are_integers:
            return parsing.to_numpy(kernels.index_in(ids, value_set=self._id_lookup), null=-1).astype(np.int64)
        ids = np.asarray(ids, dtype=np.int64)
        if self._dense is not None:
            # Ids in a compact range: one gather in a table (id - lowest) -> row.
            low, table = self._dense
            offset = ids - low
            if len(offset) and offset.min() >= 0 and offset.max() < len(table):
                return table[offset]  # every id in range: a plain gather
            inside = (offset >= 0) & (offset < len(table))
            return np.where(inside, table[np.where(inside, offset, 0)], -1)
        # Sparse ids: sort the queries once so the binary searches walk memory in order.
        order = np.argsort(ids, kind="stable")
        at = np.searchsorted(self._sorted_ids, ids[order])
        at = np.minimum(at, len(self._sorted_ids) - 1)
        found = self._sorted_ids[at] == ids[order]
        result = np.empty(len(ids), dtype=np.int64)
        result[order] = np.where(found, self._sorted_rows[at], -1)
        return result

    @functools.cached_property
    def index_in_part(self) -> np.ndarray:
        """Each row's position among the rows of its own part (Public or Private), in file order."""
        public = self.public.astype(np.int64)
        return np.where(self.public, np.cumsum(public) - 1, np.cumsum(1 - public) - 1)

    @functools.cached_property
    def _sorted_rows(self) -> np.ndarray:
        return np.argsort(self.ids, kind="stable")

    @functools.cached_property
    def _sorted_ids(self) -> np.ndarray:
        return self.ids[self._sorted_rows]

    def __repr__(self) -> str:  # never print the target
        return (f"Solution(rows={self.num_rows}, id_column={self.id_column!r}, "
                f"target_column={self.target_column!r}, public={int(self.public.sum())})")


def read_solution(data: bytes, id_column: str = "id", target_column: str | Sequence[str] | None = None,
                  classes: Sequence | None = None) -> Solution:
    """Build a Solution from the solution CSV's bytes (columns: id, target(s), Usage).

    ``target_column`` names the target, or a list names several; left out, every column
    besides the id and Usage is a target, so a Kaggle multi-column solution reads as such.
    """
    try:
        table = read_submission(bytes(data))
    except SubmissionError as exc:
        raise SolutionError(f"The solution file is unreadable: {exc.message}") from None
    names = table.names
    for required in (id_column, USAGE):
        if required not in names:
            raise SolutionError(f"The solution has no {required!r} column (columns: {names})")
    if len(set(names)) != len(names):
        raise SolutionError(f"The solution repeats a column name: {names}")
    if target_column is None:
        others = [n for n in names if n not in (id_column, USAGE)]
        if not others:
            raise SolutionError(f"The solution has no target column besides {id_column!r} and {USAGE!r}")
        target_column = others[0] if len(others) == 1 else others
    wanted = [target_column] if isinstance(target_column, str) else list(target_column)
    for name in wanted:
        if name not in names:
            raise SolutionError(f"The solution has no {name!r} column (columns: {names})")

    # Dictionary-encode Usage: a hash pass, then compare two or three words, not a million.
    usage = kernels.dictionary_encode(table.column(USAGE)).combine_chunks()
    words = usage.dictionary.to_pylist()
    if not set(words) <= {PUBLIC, PRIVATE}:
        raise SolutionError(f"The {USAGE} column may only hold {PUBLIC!r} or {PRIVATE!r}")
    public_codes = np.array([word == PUBLIC for word in words] or [False])
    public = public_codes[parsing.to_numpy(usage.indices)] if len(usage) else np.zeros(0, dtype=bool)

    ids, lookup, dense = _read_ids(table.column(id_column), "solution")
    if len(wanted) > 1:
        target = np.column_stack([_read_number_column(table.column(name), name) for name in wanted])
        return Solution(ids=ids, target=target, public=public, id_column=id_column,
                        target_column=",".join(wanted), classes=None, _id_lookup=lookup, _dense=dense,
                        target_columns=tuple(wanted))
    target = _read_target(table.column(wanted[0]))
    return Solution(ids=ids, target=target, public=public, id_column=id_column,
                    target_column=wanted[0], classes=_classes(target, classes),
                    _id_lookup=lookup, _dense=dense)


def _read_number_column(col: pa.ChunkedArray, name: str) -> np.ndarray:
    try:
        return parsing.parse_float(col)
    except parsing.BadValue:
        raise SolutionError(f"The solution's target column {name!r} must hold a number in every row "
                            "(a multi-column solution holds 0/1 flags or values)") from None


def _read_ids(id_text: pa.ChunkedArray, what: str) -> tuple[np.ndarray, pa.Array, tuple | None]:
    """(ids, their arrow lookup, the dense id -> row table or None); refuses empty or repeated ids."""
    dense = None
    ids = parsing.canonical_int64(id_text)  # None when an id is empty: "" is no integer
    if ids is not None:
        lookup = parsing.int64_array(ids)
        dense = _dense_table(ids, what)
        repeated = dense is None and len(np.unique(ids)) != len(ids)
    else:
        if len(id_text) and kernels.min(kernels.binary_length(id_text)).as_py() == 0:
            raise SolutionError(f"The {what} has an empty id")
        lookup = id_text.combine_chunks()
        ids = parsing.to_strings(lookup)
        repeated = len(kernels.unique(lookup)) != len(lookup)
    if repeated:
        raise SolutionError(f"The {what} repeats an id")
    return ids, lookup, dense


def _dense_table(ids: np.ndarray, what: str) -> tuple[int, np.ndarray] | None:
    """(lowest id, table id - lowest -> row) when the ids fit a compact range, else None."""
    if len(ids) == 0:
        return None
    low, high = int(ids.min()), int(ids.max())
    span = high - low + 1
    if span > 8 * len(ids) + 1024:  # keep the table within a few times the ids' size
        return None
    table = np.full(span, -1, dtype=np.int32 if len(ids) < 2**31 else np.int64)
    rows = np.arange(len(ids), dtype=table.dtype)
    offsets = ids - low
    table[offsets] = rows
    if not np.array_equal(table[offsets], rows):  # a later duplicate overwrote an earlier row
        raise SolutionError(f"The {what} repeats an id")
    return low, table


def _read_target(col: pa.ChunkedArray) -> np.ndarray:
    ints = parsing.canonical_int64(col)
    if ints is not None:
        return ints
    try:
        return parsing.parse_float(col)
    except parsing.BadValue:
        pass
    try:
        return parsing.to_strings(parsing.parse_text(col))
    except parsing.BadValue:
        raise SolutionError("The solution's target column has an empty value") from None


def _classes(target: np.ndarray, classes: Sequence | None) -> tuple | None:
    if classes is None:
        return None if target.dtype.kind == "f" else tuple(_distinct(target).tolist())
    # Given classes follow the target's type ("1" and 1 mean the same label here).
    if target.dtype.kind == "i":
        try:
            given = np.asarray([int(c) for c in classes], dtype=np.int64)
        except (TypeError, ValueError):
            raise SolutionError("The classes must be integers like the solution's labels") from None
    elif target.dtype.kind == "f":
        given = np.asarray([float(c) for c in classes], dtype=np.float64)
    else:
        given = np.asarray([str(c) for c in classes], dtype=str)
    given = np.unique(given)
    if not np.all(np.isin(target, given)):
        raise SolutionError("The solution holds a label that is not among the given classes")
    return tuple(given.tolist())


def _distinct(target: np.ndarray) -> np.ndarray:
    """np.unique(target); integer labels in a compact range are counted instead (a million
    labels: one bincount, against np.unique's hash table and its import of numpy.ma)."""
    if target.dtype.kind == "i" and len(target):
        low, high = int(target.min()), int(target.max())
        if high - low <= 4 * len(target) + 1024:
            return np.flatnonzero(np.bincount(target - low)) + low
    return np.unique(target)


def solution_shape(test_csv: bytes, *, id_column: str, target_column: str | Sequence[str],
                   classes: Sequence | None = None) -> Solution:
    """What a submission must look like, with no label: test.csv's ids, the target's type, the classes.

    Validating against it gives the same messages as grading does (the grader's own checks
    run on it), so a participant can check a file before spending a submission. Its target
    holds a placeholder of the right type, never a label, and ``grade`` refuses to score it.
    """
    try:
        table = read_csv(test_csv, convert_options=pv.ConvertOptions(
            include_columns=[id_column], column_types={id_column: pa.string()}, strings_can_be_null=False))
    except (pa.ArrowInvalid, KeyError) as exc:
        raise SolutionError(f"test.csv is unreadable or has no {id_column!r} column ({exc})") from None
    ids, lookup, dense = _read_ids(table.column(id_column), "test.csv")
    wanted = target_column.split(",") if isinstance(target_column, str) else list(target_column)
    if len(wanted) > 1:  # several numeric targets, as read_solution reads them
        return Solution(ids=ids, target=np.zeros((len(ids), len(wanted))), public=np.zeros(len(ids), dtype=bool),
                        id_column=id_column, target_column=",".join(wanted), classes=None, _id_lookup=lookup,
                        _dense=dense, target_columns=tuple(wanted), labelled=False)
    target_column = wanted[0]
    if classes:
        kinds = _read_target(_text_column([str(c) for c in classes]))  # the type the solution's labels have
        target = np.repeat(kinds[:1], len(ids))
    else:
        target = np.zeros(len(ids), dtype=np.float64)
    return Solution(ids=ids, target=target, public=np.zeros(len(ids), dtype=bool), id_column=id_column,
                    target_column=target_column, classes=_classes(target, classes) if classes else None,
                    _id_lookup=lookup, _dense=dense, labelled=False)


def _text_column(values: list[str]) -> pa.ChunkedArray:
    # Through the CSV reader, as the solution's own column is read (pa.array would import pandas).
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([["value"], *([v] for v in values)])
    return read_submission(buffer.getvalue().encode("utf-8")).column("value")
