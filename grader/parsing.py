"""Turning a column of CSV text into typed numpy arrays, vectorised, with the first bad row.

The fast path is one pyarrow cast over the whole column. Only when it fails do we look for
the offending row, so a valid million-row file never pays for error reporting.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from grader import kernels

# Above this an integer read through float64 could silently change (2**53).
_MAX_EXACT_FLOAT_INT = 9007199254740992.0
_CHUNK = 4096


_NUMPY_TYPES = {pa.int64(): np.int64, pa.int32(): np.int32, pa.float64(): np.float64,
                pa.uint8(): np.uint8, pa.int8(): np.int8, pa.int16(): np.int16}


def to_numpy(values: pa.Array | pa.ChunkedArray, null=None) -> np.ndarray:
    """A numpy array read straight from arrow's buffers; nulls become ``null``.

    pyarrow's own ``to_numpy`` (and ``pa.array``/``pa.scalar`` on Python objects) import
    pandas, which would cost a grading run about half a second; this does not.
    """
    if isinstance(values, pa.ChunkedArray):
        values = values.chunk(0) if values.num_chunks == 1 else values.combine_chunks()
    n, offset = len(values), values.offset
    validity, data = values.buffers()[0], values.buffers()[1]
    if pa.types.is_boolean(values.type):
        out = _bits(data, offset, n)
    else:
        dtype = np.dtype(_NUMPY_TYPES[values.type])
        out = np.frombuffer(data, dtype=dtype, count=n, offset=offset * dtype.itemsize) if n else np.empty(0, dtype)
    if values.null_count:
        if null is None:
            raise ValueError("the array holds nulls")
        out = np.where(_bits(validity, offset, n), out, null)
    return out


def _bits(buffer: pa.Buffer, offset: int, n: int) -> np.ndarray:
    if n == 0:
        return np.zeros(0, dtype=bool)
    raw = np.frombuffer(buffer, dtype=np.uint8)
    return np.unpackbits(raw, bitorder="little", count=offset + n)[offset:].astype(bool)


def to_strings(values: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """Arrow text as a numpy str array (via Python objects; used off the numeric hot path)."""
    return np.array(values.to_pylist(), dtype=str)


class BadValue(Exception):
    """Internal: row ``row`` of a column could not be converted; ``reason`` says why."""

    def __init__(self, row: int, reason: str) -> None:
        super().__init__(row, reason)
        self.row = row
        self.reason = reason  # "empty", "type" or "not_finite"


def _first_true(mask: pa.ChunkedArray | pa.Array | np.ndarray) -> int:
    values = mask if isinstance(mask, np.ndarray) else to_numpy(mask)
    return int(np.flatnonzero(values)[0])


def _first_empty(col: pa.ChunkedArray) -> int | None:
    # Empty or whitespace-only cells; cheap test first (lengths), regex only when needed.
    if kernels.min(kernels.binary_length(col)).as_py() == 0 or kernels.any(
        kernels.match_substring_regex(col, r"^\s*$")
    ).as_py():
        return _first_true(kernels.match_substring_regex(col, r"^\s*$"))
    return None


def _first_failing_cast(col: pa.ChunkedArray, to: pa.DataType) -> int:
    # Casting in chunks then element by element finds the row pyarrow itself refuses,
    # whatever its parser accepts, at the cost of one pass plus one chunk.
    arr = col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col
    for start in range(0, len(arr), _CHUNK):
        chunk = arr.slice(start, _CHUNK)
        try:
            kernels.cast(chunk, to)
            continue
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            pass
        for offset in range(len(chunk)):
            try:
                kernels.cast(chunk.slice(offset, 1), to)
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                return start + offset
    return 0  # pragma: no cover - the whole column cast failed, so some chunk fails


def _cast(col: pa.ChunkedArray, to: pa.DataType) -> pa.ChunkedArray:
    """Cast text to ``to``, retrying once with surrounding whitespace trimmed."""
    try:
        return kernels.cast(col, to)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    empty = _first_empty(col)
    if empty is not None:
        raise BadValue(empty, "empty")
    trimmed = kernels.utf8_trim_whitespace(col)
    try:
        return kernels.cast(trimmed, to)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        raise BadValue(_first_failing_cast(trimmed, to), "type") from None


def parse_float(col: pa.ChunkedArray) -> np.ndarray:
    """Finite float64 values; NaN counts as empty, +-inf as not finite."""
    values = to_numpy(_cast(col, pa.float64()))
    with np.errstate(over="ignore", invalid="ignore"):
        total = values.sum()
    if not np.isfinite(total):  # one reduction instead of a mask on the happy path
        # The sum also overflows when every value is finite but huge (1e308 twice): then
        # no value is bad and the column is kept.
        bad = np.flatnonzero(~np.isfinite(values))
        if len(bad):
            row = int(bad[0])
            raise BadValue(row, "empty" if np.isnan(values[row]) else "not_finite")
    return values


def _holds_x(col: pa.ChunkedArray) -> bool:
    # A byte scan of the text buffers (a memchr) is 100x cheaper than a string kernel.
    chunks = col.chunks if isinstance(col, pa.ChunkedArray) else [col]
    for chunk in chunks:
        text = chunk.buffers()[2]
        if text is not None:
            raw = text.to_pybytes()
            if b"x" in raw or b"X" in raw:
                return True
    return False


def parse_int(col: pa.ChunkedArray) -> np.ndarray:
    """int64 values; integral floats such as ``7.0`` or ``1e3`` are accepted, ``7.5`` is not."""
    try:
        values = kernels.cast(col, pa.int64())
        # pyarrow's integer parser accepts hexadecimal ("0x10" == 16); nobody means that.
        if not _holds_x(col):
            return to_numpy(values)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    floats = to_numpy(_cast(col, pa.float64()))
    bad = ~np.isfinite(floats) | (np.abs(floats) > _MAX_EXACT_FLOAT_INT)
    bad |= floats != np.round(floats)
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise BadValue(row, "empty" if np.isnan(floats[row]) else "type")
    return floats.astype(np.int64)


def int64_array(values: np.ndarray) -> pa.Array:
    """A zero-copy arrow view of an int64 numpy array (pa.array would import pandas)."""
    values = np.ascontiguousarray(values, dtype=np.int64)
    return pa.Array.from_buffers(pa.int64(), len(values), [None, pa.py_buffer(values)])


def parse_text(col: pa.ChunkedArray) -> pa.Array:
    """Text kept exactly as written ("007" stays "007"); only empty cells are refused."""
    if kernels.min(kernels.binary_length(col)).as_py() == 0:
        raise BadValue(_first_true(to_numpy(kernels.binary_length(col)) == 0), "empty")
    return col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col


def canonical_int64(col: pa.ChunkedArray) -> np.ndarray | None:
    """The values as int64 when every one is written as a plain integer ("7", "-3"; not
    "007", "7.0"), else None."""
    if len(col) == 0:
        return None
    try:
        ints = kernels.cast(col, pa.int64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    if col.type == pa.string() and col.null_count == 0 and not _holds_x(col):
        return to_numpy(ints) if not _leading_zero(col) else None
    # Round trip: "007", "-0" or "0x7" do not come back as written.
    if not kernels.all(kernels.equal(col, kernels.cast(ints, pa.string()))).as_py():
        return None
    return to_numpy(ints)


def _leading_zero(col: pa.ChunkedArray | pa.Array) -> bool:
    """Whether a value the int64 cast accepted has a leading zero ("007", "00", "-0").

    Without an "x" the cast accepts only -?[0-9]+, which Python writes back unchanged unless
    a zero leads a longer number: the same answer as the round trip through text, from two
    byte gathers instead of formatting a million integers."""
    for chunk in col.chunks if isinstance(col, pa.ChunkedArray) else [col]:
        if len(chunk) == 0:
            continue
        offsets = np.frombuffer(chunk.buffers()[1], dtype=np.int32, count=len(chunk) + 1, offset=chunk.offset * 4)
        text = np.frombuffer(chunk.buffers()[2], dtype=np.uint8)
        starts = offsets[:-1]
        first_digit = text[starts + (text[starts] == ord("-"))]
        if np.any((first_digit == ord("0")) & (np.diff(offsets) > 1)):
            return True
    return False


def is_numeric(values: list[str]) -> bool:
    """True when every string reads as a number (used to spot a data row posing as a header)."""
    try:
        for value in values:
            float(value)
    except ValueError:
        return False
    return bool(values)
