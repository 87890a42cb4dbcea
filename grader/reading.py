"""Reading a submission: bytes or a path in, a table of string columns out.

Every column is read as text so that converting to the solution's types (and the errors
that go with it) stays in ``validation``. Nothing here knows about the solution.
Line numbers follow the file a person opens in an editor: line 1 is the header.
"""

from __future__ import annotations

import codecs
import csv
import functools
import gzip
import io
import os
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pv

from grader import kernels
from grader.errors import RejectionCode, SubmissionError
from grader.parsing import to_numpy

# A gzip file is refused once its decompressed size passes this, when no max_bytes is given,
# so a few kilobytes cannot expand into gigabytes in memory (a "gzip bomb").
DEFAULT_MAX_DECOMPRESSED_BYTES = 256 * 1024 * 1024

# Arrow's CSV reader only ever reads memory Arrow allocated. Its pool threads drop the reader,
# and with it the input, when they finish their last callback, sometimes after `read_csv` has
# returned. Releasing a Python bytes object needs the GIL, and on Python 3.11 a thread asking
# for the GIL while the interpreter shuts down is ended by pthread_exit, whose unwinding through
# Arrow's noexcept destructors calls std::terminate: "terminate called without an active
# exception", signal 6, after `kit grade` or `kit challenge add` had printed its result
# (issue #17). A copy Arrow owns is freed without Python, on any thread, at any time; it costs
# one memcpy (5 ms for 16 MB).
def arrow_copy(data: bytes | memoryview) -> pa.Buffer:
    """`data` copied into memory Arrow allocated, for Arrow's readers."""
    sink = pa.BufferOutputStream()
    sink.write(data)
    return sink.getvalue()


# Small files parse as fast on one thread, without starting Arrow's pool.
THREADED_PARSE_BYTES = 8 * 1024 * 1024
# Arrow's own Ctrl-C handling (a thread waiting on a self-pipe) stays off: a read is short, and
# Python's KeyboardInterrupt still comes once it returns.
pa.enable_signal_handlers(False)


def use_threads(size: int) -> bool:
    """Whether a CSV of `size` bytes is worth Arrow's thread pool."""
    return size > THREADED_PARSE_BYTES


def read_csv(data: bytes | memoryview, read_options: dict | None = None, **options) -> pa.Table:
    """Arrow's CSV reader over a copy of `data` that Arrow owns; the grader's one way to call it."""
    return pv.read_csv(pa.BufferReader(arrow_copy(data)),
                       read_options=pv.ReadOptions(use_threads=use_threads(len(data)), **(read_options or {})),
                       **options)


_BOM = codecs.BOM_UTF8
_BLANK = re.compile(rb"\s*\Z")
_LINE_END = re.compile(rb"\r\n|\r|\n")
_LEADING_NEWLINES = re.compile(rb"[\r\n]*")


SIZE_UNIT = 1024  # the kit's one convention: a KB is 1024 bytes, as in a spec's max_file_size = "5 MB"


def human_size(n: int) -> str:
    """Bytes as a person reads them: '12.3 MB' (1 MB = 1024 KB = 1024 * 1024 bytes)."""
    size = float(n)
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < SIZE_UNIT or unit == "GB":
            return f"{int(size)} bytes" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= SIZE_UNIT
    return f"{n} bytes"  # pragma: no cover


def _too_large(size: int, max_bytes: int) -> SubmissionError:
    return SubmissionError(
        RejectionCode.FILE_TOO_LARGE,
        f"The file is {human_size(size)}; the limit is {human_size(max_bytes)}. "
        "Submit one prediction per test row and nothing else, or compress it as .csv.gz.",
    )


def load_bytes(
    submission: bytes | bytearray | memoryview | os.PathLike,
    filename: str,
    max_bytes: int | None,
) -> bytes:
    """The submission's raw CSV bytes, decompressed when the name ends in .gz, size-checked."""
    if isinstance(submission, str):
        raise TypeError("submission must be bytes or a pathlib.Path, not str; wrap a path in Path()")
    if isinstance(submission, os.PathLike):
        path = Path(submission)
        # stat first: an oversized file is refused without being read at all.
        size = path.stat().st_size
        if max_bytes is not None and size > max_bytes:
            raise _too_large(size, max_bytes)
        data = path.read_bytes()
        if filename == "submission.csv":
            filename = path.name
    elif isinstance(submission, (bytes, bytearray, memoryview)):
        data = bytes(submission)
    else:
        raise TypeError(f"submission must be bytes or a pathlib.Path, got {type(submission).__name__}")
    if max_bytes is not None and len(data) > max_bytes:
        raise _too_large(len(data), max_bytes)
    if filename.lower().endswith(".gz"):
        data = _gunzip(data, max_bytes if max_bytes is not None else DEFAULT_MAX_DECOMPRESSED_BYTES)
    return data


def _gunzip(data: bytes, limit: int) -> bytes:
    if not data.startswith(b"\x1f\x8b"):
        raise SubmissionError(
            RejectionCode.ENCODING, "The file name ends in .gz but the file is not gzip-compressed; "
            "compress it with gzip or drop the .gz from its name.")
    try:
        # read(limit + 1) stops decompressing as soon as the limit is passed.
        out = gzip.GzipFile(fileobj=io.BytesIO(data)).read(limit + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise SubmissionError(
            RejectionCode.ENCODING, f"The gzip file could not be decompressed ({type(exc).__name__}); "
            "it may be truncated or corrupt.") from None
    if len(out) > limit:
        # Decompression stopped at the limit, so the true size is unknown: say "more than".
        raise SubmissionError(RejectionCode.FILE_TOO_LARGE,
                              f"Once decompressed, the file is more than {human_size(limit)}, the limit. Submit one "
                              "prediction per test row and nothing else (it is already compressed).") from None
    return out


@dataclass(frozen=True)
class SubmissionTable:
    """A parsed CSV: header names and one pyarrow string column per name, in file order."""

    names: list[str]
    columns: list[pa.ChunkedArray]
    data: bytes = field(repr=False)
    num_rows: int = 0

    def column(self, name: str) -> pa.ChunkedArray:
        return self.columns[self.names.index(name)]

    def line_of(self, row: int) -> int:
        """The 1-based line in the file of data row ``row`` (0-based)."""
        return int(self._nonblank_lines[row + 1]) + 1

    @functools.cached_property
    def _nonblank_lines(self) -> np.ndarray:
        return _nonblank_lines(self.data)


def _nonblank_lines(data: bytes) -> np.ndarray:
    # Only used on the error path: the CSV reader skips blank lines, so row i is the
    # (i+1)-th non-blank line after the header, which may differ from line i + 2.
    lengths = np.fromiter((len(line) for line in data.splitlines()), dtype=np.int64)
    return np.flatnonzero(lengths)


def _check_no_nul_or_second_bom(data: bytes) -> None:
    # NUL bytes are valid UTF-8 but never part of a CSV: they mean UTF-16 or a binary file,
    # which would otherwise surface as a confusing "column not found".
    if data.startswith(b"\x1f\x8b"):
        raise SubmissionError(RejectionCode.ENCODING, "The file is not valid UTF-8 text: it looks gzip-compressed "
                                          "(name it .csv.gz). Save the CSV as UTF-8.")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise SubmissionError(RejectionCode.ENCODING, "The file is not valid UTF-8 text: it is UTF-16. Save the CSV as UTF-8.")
    if data.startswith(_BOM):
        raise SubmissionError(RejectionCode.ENCODING, "The file starts with a second byte-order mark. Save the CSV as plain UTF-8.")
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        raise SubmissionError(RejectionCode.ENCODING, f"The file is not valid UTF-8 text: it has a NUL byte (byte {nul + 1}, "
                                          f"line {line}), as UTF-16 and binary files do. "
                                          "Save the CSV as UTF-8.")


def _check_utf8(data: bytes) -> None:
    if data.isascii():  # fast path, no copy
        return
    try:
        codecs.decode(data, "utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        hint = " (it looks gzip-compressed: name it .csv.gz)" if data.startswith(b"\x1f\x8b") else ""
        raise SubmissionError(
            RejectionCode.ENCODING, f"The file is not valid UTF-8 text: byte {exc.start + 1} on line {line} "
            f"cannot be decoded{hint}. Save the CSV as UTF-8.") from None


def read_submission(data: bytes, check_header: Callable[[list[str]], None] | None = None) -> SubmissionTable:
    """Parse CSV bytes into string columns; raise SubmissionError for anything unreadable.

    `check_header` sees the header's names before the body is parsed, so a file with the
    wrong columns (20,000 of them, say) is refused without reading every row.
    """
    if data.startswith(_BOM):
        data = data[len(_BOM):]
    if _BLANK.match(data):
        raise SubmissionError(RejectionCode.EMPTY_FILE, "The file is empty: it needs a header line and one row per test id.")
    _check_no_nul_or_second_bom(data)
    _check_utf8(data)

    # The header is the first non-blank line; parse it with the csv module (quotes allowed).
    leading = _LEADING_NEWLINES.match(data)
    start = leading.end() if leading else 0
    end_match = _LINE_END.search(data, start)
    header_end = end_match.start() if end_match else len(data)
    body_start = end_match.end() if end_match else len(data)
    header_line = data[start:header_end].decode("utf-8")
    if header_line.count('"') % 2:
        raise SubmissionError(RejectionCode.MALFORMED_CSV, "Line 1 (the header) has an unclosed quote.")
    try:
        names = [name.strip() for name in next(csv.reader([header_line], strict=True))]
    except (csv.Error, StopIteration):
        raise SubmissionError(RejectionCode.MALFORMED_CSV, "Line 1 (the header) could not be parsed as CSV.") from None
    if not names:
        raise SubmissionError(RejectionCode.NO_HEADER, "Line 1 is empty; it must name the columns.")
    if check_header is not None:
        check_header(names)

    keys = [f"c{i}" for i in range(len(names))]  # positional keys: duplicate names stay apart
    if _BLANK.match(data, body_start):  # a header and nothing else: zero rows, not an error
        empty = [pa.chunked_array([], type=pa.string()) for _ in names]
        return SubmissionTable(names=names, columns=empty, data=data, num_rows=0)
    try:
        table = read_csv(
            memoryview(data)[body_start:],
            read_options={"column_names": keys},
            parse_options=pv.ParseOptions(newlines_in_values=False),
            convert_options=pv.ConvertOptions(
                column_types={k: pa.string() for k in keys}, strings_can_be_null=False,
                quoted_strings_can_be_null=False),
        )
    except pa.ArrowInvalid as exc:
        raise _malformed(data, len(names), str(exc)) from None

    result = SubmissionTable(names=names, columns=list(table.columns), data=data, num_rows=table.num_rows)
    if b'"' in data:
        _refuse_quoted_newlines(result)
    return result


def _refuse_quoted_newlines(table: SubmissionTable) -> None:
    # Without newlines_in_values the reader's result for an open quote depends on block
    # boundaries; no id, label or number holds a line break, so refuse them outright.
    for name, col in zip(table.names, table.columns, strict=True):
        bad = kernels.match_substring_regex(col, r"[\r\n]")
        if kernels.any(bad).as_py():
            row = int(np.flatnonzero(to_numpy(bad))[0])
            raise SubmissionError(
                RejectionCode.MALFORMED_CSV, f"Line {table.line_of(row)}, column '{name}': a quoted value is "
                "never closed (or holds a line break).")


def _malformed(data: bytes, expected: int, detail: str) -> SubmissionError:
    # The reader's error carries no line number: find the first ragged line ourselves.
    lines = data.splitlines()
    seen_header = False
    for number, line in enumerate(lines, start=1):
        if not line:
            continue
        if not seen_header:
            seen_header = True
            continue
        try:
            fields = next(csv.reader([line.decode("utf-8")]))
        except (csv.Error, StopIteration):
            fields = None
        if fields is None or len(fields) != expected:
            got = "could not be parsed" if fields is None else f"has {len(fields)} fields"
            return SubmissionError(
                RejectionCode.MALFORMED_CSV, f"Line {number} {got}; the header has {expected} columns. "
                "Every row needs exactly one value per column.")
    reason = "invalid UTF-8" if "UTF8" in detail else "the CSV structure could not be parsed"
    return SubmissionError(RejectionCode.MALFORMED_CSV, f"The file is not a well-formed CSV ({reason}).")
