"""The hidden solution: ids, target, the Public/Private mask and the challenge's classes.

Reading it is strict (it is the organizer's file, errors raise ``SolutionError``) and done
once; the id lookup that every grading run needs is built here, not per submission.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from grader import parsing
from grader.errors import SolutionError, SubmissionError
from grader.reading import read_submission

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

    @property
    def num_rows(self) -> int:
        return len(self.ids)

    @property
    def ids_are_integers(self) -> bool:
        return self.ids.dtype.kind == "i"

    def positions(self, ids: np.ndarray | pa.Array) -> np.ndarray:
        """Row of each id in the solution, -1 where the id is not in it."""
        if not self.ids_are_integers:
            return parsing.to_numpy(pc.index_in(ids, value_set=self._id_lookup), null=-1).astype(np.int64)
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
    def _sorted_rows(self) -> np.ndarray:
        return np.argsort(self.ids, kind="stable")

    @functools.cached_property
    def _sorted_ids(self) -> np.ndarray:
        return self.ids[self._sorted_rows]

    def __repr__(self) -> str:  # never print the target
        return (f"Solution(rows={self.num_rows}, id_column={self.id_column!r}, "
                f"target_column={self.target_column!r}, public={int(self.public.sum())})")


def read_solution(data: bytes, id_column: str = "id", target_column: str | None = None,
                  classes: Sequence | None = None) -> Solution:
    """Build a Solution from the solution CSV's bytes (columns: id, target, Usage)."""
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
        if len(others) != 1:
            raise SolutionError(f"Name the target column: the solution has {len(others)} candidates {others}")
        target_column = others[0]
    elif target_column not in names:
        raise SolutionError(f"The solution has no {target_column!r} column (columns: {names})")

    # Dictionary-encode Usage: a hash pass, then compare two or three words, not a million.
    usage = pc.dictionary_encode(table.column(USAGE)).combine_chunks()
    words = usage.dictionary.to_pylist()
    if not set(words) <= {PUBLIC, PRIVATE}:
        raise SolutionError(f"The {USAGE} column may only hold {PUBLIC!r} or {PRIVATE!r}")
    public_codes = np.array([word == PUBLIC for word in words] or [False])
    public = public_codes[parsing.to_numpy(usage.indices)] if len(usage) else np.zeros(0, dtype=bool)

    id_text = table.column(id_column)
    if pc.min(pc.binary_length(id_text)).as_py() == 0:
        raise SolutionError("The solution has an empty id")
    dense = None
    ids = parsing.canonical_int64(id_text)
    if ids is not None:
        lookup = parsing.int64_array(ids)
        dense = _dense_table(ids)
        repeated = dense is None and len(np.unique(ids)) != len(ids)
    else:
        lookup = id_text.combine_chunks()
        ids = parsing.to_strings(lookup)
        repeated = len(pc.unique(lookup)) != len(lookup)
    if repeated:
        raise SolutionError("The solution repeats an id")

    target = _read_target(table.column(target_column))
    return Solution(ids=ids, target=target, public=public, id_column=id_column,
                    target_column=target_column, classes=_classes(target, classes),
                    _id_lookup=lookup, _dense=dense)


def _dense_table(ids: np.ndarray) -> tuple[int, np.ndarray] | None:
    """(lowest id, table id - lowest -> row) when the ids fit a compact range, else None."""
    if len(ids) == 0:
        return None
    low, high = int(ids.min()), int(ids.max())
    span = high - low + 1
    if span > 8 * len(ids) + 1024:  # keep the table within a few times the ids' size
        return None
    table = np.full(span, -1, dtype=np.int32 if len(ids) < 2**31 else np.int64)
    rows = np.arange(len(ids), dtype=table.dtype)
    table[ids - low] = rows
    if not np.array_equal(table[ids - low], rows):  # a later duplicate overwrote an earlier row
        raise SolutionError("The solution repeats an id")
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
        return None if target.dtype.kind == "f" else tuple(np.unique(target).tolist())
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
