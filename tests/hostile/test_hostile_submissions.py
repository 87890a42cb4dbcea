"""Hostile and malformed submission files: each is refused with its own message, or scored right.

The corpus (tests/hostile/corpus.py) is graded with `grader.grade` against a 20-row solution
with integer ids and labels; the huge files are made at test time; a few go through
`kit submit` end to end; Hypothesis fuzzes `kit.services.submissions.submit` itself.
"""

from __future__ import annotations

import gzip
import importlib.util
import re
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import grader

_spec = importlib.util.spec_from_file_location("hostile_corpus", Path(__file__).with_name("corpus.py"))
corpus = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(corpus)

SOLUTION = grader.read_solution(corpus.SOLUTION)
MAX_BYTES = 20 * 1024 * 1024
SCORED = "scored"
# One Public row of six wrong: public 5/6, private all right.
EXPECTED: dict[str, tuple[str, object]] = {
    "utf16_le_bom": ("encoding", "not valid UTF-8"),
    "utf16_be": ({"encoding"}, "NUL byte"),
    "utf32": ("encoding", "not valid UTF-8"),
    "latin1_header": ("encoding", "byte 26 on line 2"),
    "utf8_bom": (SCORED, (1.0, 1.0)),
    "double_utf8_bom": ({"encoding"}, "second byte-order mark"),
    "utf16_bom_on_utf8": ("encoding", "Save the CSV as UTF-8"),
    "semicolons": ("missing_column", "The header must be: id,label"),
    "tabs": ("missing_column", "The header must be: id,label"),
    "unclosed_quote_header": ("malformed_csv", "unclosed quote"),
    "unclosed_quote_row": ("malformed_csv", "Line 6"),
    "quoted_values_ok": (SCORED, (1.0, 1.0)),
    "quoted_newline": ("malformed_csv", "never closed"),
    "nul_bytes": ({"encoding"}, "line 6"),
    "all_nul": ({"encoding"}, "NUL byte"),
    "png": ("encoding", "not valid UTF-8"),
    "random_bytes": ("encoding", "not valid UTF-8"),
    "gzip_named_csv": ("encoding", "not valid UTF-8"),
    "not_gzip_named_gz": ("encoding", "not gzip-compressed"),
    "truncated_gzip": ("encoding", "truncated or corrupt"),
    "empty": ("empty_file", "The file is empty"),
    "whitespace_only": ("empty_file", "The file is empty"),
    "header_only": ("row_count", "only a header"),
    "header_only_no_newline": ("row_count", "only a header"),
    "duplicated_header": ("wrong_type", "Line 2, column 'id': 'id' is not an integer"),
    "duplicated_column": ("unexpected_column", "appears more than once"),
    "extra_trailing_commas": ("unexpected_column", "trailing comma"),
    "trailing_comma_rows_only": ("malformed_csv", "Line 2 has 3 fields"),
    "crlf_mixed_with_lf": (SCORED, (1.0, 1.0)),
    "old_mac_cr": (SCORED, (1.0, 1.0)),
    "empty_lines_in_middle": ("malformed_csv", "Line 15 has 1 fields"),
    "no_trailing_newline": (SCORED, (1.0, 1.0)),
    "very_long_header": ("unexpected_column", "Unexpected column 'c0'"),
    "ragged_rows": ("malformed_csv", "Line 10 has 4 fields"),
    "short_row": ("malformed_csv", "Line 10 has 1 fields"),
    "reordered_columns": (SCORED, (1.0, 1.0)),
    "shuffled_rows": (SCORED, (1.0, 1.0)),
    "cyrillic_i_in_id": ("missing_column", "Required column 'id' could not be found"),
    "fullwidth_id": ("missing_column", "Required column 'id' could not be found"),
    "target_in_other_case": ("missing_column", "found 'LABEL': column names are case-sensitive"),
    "id_in_other_case": ("missing_column", "found 'ID'"),
    "header_with_spaces": (SCORED, (1.0, 1.0)),
    "zero_width_space_header": ("missing_column", "Required column 'id'"),
    "no_header": ("no_header", "looks like data"),
    "scientific_ids": ("unknown_ids", "1000 (line 2)"),
    "scientific_id_equal": (SCORED, (1.0, 1.0)),
    "float_ids": (SCORED, (1.0, 1.0)),
    "ids_with_spaces": (SCORED, (1.0, 1.0)),
    "fullwidth_digit_ids": ("wrong_type", "is not an integer"),
    "negative_zero_id": ("unknown_ids", "0 (line 2)"),
    "duplicate_ids": ("duplicate_ids", "id 2 is on lines 2, 3"),
    "huge_id": ("wrong_type", "is not an integer"),
    "hex_id": ("wrong_type", "'0x1' is not an integer"),
    "extra_row": ("unknown_ids", "21 (line 22)"),
    "missing_row": ("missing_ids", "Unable to find 1 required key values"),
    "nan_label": ("empty_value", "Line 5, column 'label' is empty or NaN"),
    "NaN_label": ("empty_value", "empty or NaN"),
    "inf_label": ("wrong_type", "'inf' is not an integer"),
    "minus_inf_label": ("wrong_type", "'-inf' is not an integer"),
    "negative_zero_label": (SCORED, (1.0, 1.0)),
    "empty_label": ("empty_value", "empty or NaN"),
    "unknown_class": ("unknown_label", "is not one of the 2 classes"),
    "text_label": ("wrong_type", "'yes' is not an integer"),
    "float_labels": (SCORED, (1.0, 1.0)),
    "formula_label": ("wrong_type", "'=1+1' is not an integer"),
}


def outcome(data: bytes, filename: str = "s.csv", max_bytes: int | None = MAX_BYTES):
    """grade() must return a Grade or raise SubmissionError; anything else fails the test."""
    try:
        return grader.grade(SOLUTION, data, "accuracy", filename=filename, max_bytes=max_bytes)
    except grader.SubmissionError as error:
        assert error.code and error.message, repr(error)
        assert "Traceback" not in error.message and len(error.message) < 1000, error.message[:2000]
        return error


def test_the_corpus_is_big_and_every_case_has_an_expectation():
    assert len(corpus.CORPUS) >= 40
    assert set(EXPECTED) == set(corpus.CORPUS)


@pytest.mark.parametrize("name", sorted(corpus.CORPUS))
def test_each_hostile_file_is_refused_clearly_or_scored_right(name):
    data, filename = corpus.CORPUS[name]
    expected_code, detail = EXPECTED[name]
    result = outcome(data, filename)
    if expected_code == SCORED:
        assert isinstance(result, grader.Grade), f"{name} was rejected: {result!r}"
        assert (result.public_score, result.private_score) == pytest.approx(detail)
        return
    assert isinstance(result, grader.SubmissionError), f"{name} was scored: {result}"
    codes = expected_code if isinstance(expected_code, set) else {expected_code}
    assert result.code in codes, repr(result)
    assert re.search(detail if "|" in detail else re.escape(detail), result.message), repr(result)


def test_a_wrong_row_costs_exactly_its_share():
    result = outcome(corpus.WRONG_FIRST.encode())
    assert result.public_score == pytest.approx(5 / 6) and result.private_score == 1.0


def test_a_ten_megabyte_cell_is_refused_without_echoing_it():
    cell = b"7" * (10 * 1024 * 1024)
    data = corpus.PERFECT.replace("\n1,", "\nHUGE,", 1).encode().replace(b"HUGE", cell)
    for payload in (data, data.replace(cell, b"x" * len(cell))):
        result = outcome(payload)
        assert isinstance(result, grader.SubmissionError)
        assert result.code in ("wrong_type", "malformed_csv") and "Line 2" in result.message
        assert len(result.message) < 300


def test_ten_million_rows_are_refused_by_size_before_parsing():
    data = b"id,label\n" + b"1,0\n" * 10_000_000
    tracemalloc.start()
    try:
        result = outcome(data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert result.code == "file_too_large" and "the limit is 20.0 MB" in result.message
    assert peak < 10 * 1024 * 1024  # refused on its length: nothing was copied or parsed
    compressed = gzip.compress(data, compresslevel=1)  # small on disk, 40 MB once decompressed
    assert len(compressed) < MAX_BYTES
    result = outcome(compressed, "s.csv.gz")
    assert result.code == "file_too_large" and "Once decompressed" in result.message


def gzip_of_zeros(megabytes: int) -> bytes:
    """A valid gzip file of `megabytes` MiB of zeros: one 16 MiB member, repeated (gzip allows many)."""
    member = gzip.compress(bytes(16 * 1024 * 1024), compresslevel=9)
    return member * (megabytes // 16)


def test_a_gzip_bomb_is_refused_without_inflating_it():
    bomb = gzip_of_zeros(1024)
    assert len(bomb) < 2 * 1024 * 1024
    tracemalloc.start()
    try:
        result = outcome(bomb, "bomb.csv.gz")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert result.code == "file_too_large" and "Once decompressed" in result.message
    assert "compress it" not in result.message and "already compressed" in result.message  # it is gzipped
    assert "20.0 MB" in result.message  # the one size convention: 1 MB = 1024 * 1024 bytes
    assert peak < 4 * MAX_BYTES  # at most the limit (plus one read) was ever inflated


# -- end to end through `kit submit` -------------------------------------------------------------------

SPEC = """
slug = "hostile"
title = "Hostile files"
metric = "accuracy"
opens = 2020-01-01T00:00:00Z
closes = 2099-01-01T00:00:00Z
daily_limit = 50
max_file_size = "1 MB"

[data]
source = "csv:data.csv"
target = "label"
id_column = "id"
seed = 2
"""


@pytest.fixture
def hostile_challenge(kit, kit_workspace, tmp_path):
    import pandas as pd

    rows = 80
    pd.DataFrame({"id": range(1, rows + 1), "x": [i % 5 for i in range(rows)],
                  "label": [i % 2 for i in range(rows)]}).to_csv(tmp_path / "data.csv", index=False)
    (tmp_path / "hostile.toml").write_text(SPEC)
    result = kit("challenge", "add", str(tmp_path / "hostile.toml"))
    assert result.exit_code == 0, result.output
    return re.search(r"kit_[A-Za-z0-9_-]+", kit("register", "mallory").output).group(0)


def test_hostile_files_through_kit_submit(kit, kit_workspace, hostile_challenge, tmp_path):
    token = hostile_challenge
    cases = {
        "utf16.csv": (corpus.CORPUS["utf16_le_bom"][0], "not valid UTF-8"),
        "picture.csv": (corpus.CORPUS["png"][0], "not valid UTF-8"),
        "bomb.csv.gz": (gzip_of_zeros(1024), "Once decompressed"),
        "semi.csv": (corpus.CORPUS["semicolons"][0], "Required column"),
        "empty.csv": (b"", "The file is empty"),
        "big.csv": (b"id,label\n" + b"1,0\n" * 400_000, "accepts at most"),
    }
    for name, (data, phrase) in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        result = kit("submit", "hostile", "-f", str(path), token=token)
        assert result.exit_code == 1, (name, result.output)
        assert phrase in result.output, (name, result.output)
        assert "Traceback" not in result.output


# -- fuzzing the kit's submit service --------------------------------------------------------------------

CELLS = st.sampled_from(["1", "2", "0", "-0", "1e3", "nan", "inf", "", " 7", "7 ", "\u0456d", "id", "label",
                         "LABEL", '"', "\x00", "é", "1.0", "9" * 25])
ROWS = st.lists(st.lists(CELLS, max_size=4).map(",".join), max_size=10)
FUZZ_TEXT = st.builds(lambda header, rows, newline: newline.join([header] + rows).encode(),
                      st.sampled_from(["id,label", "label,id", "id", "id;label", "id,label,", ""]), ROWS,
                      st.sampled_from(["\n", "\r\n"]))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(data=st.one_of(st.binary(max_size=200), FUZZ_TEXT), gz=st.booleans())
def test_submit_stores_a_row_or_refuses_with_a_kit_error(kit_workspace, hostile_challenge, data, gz):
    from kit.errors import KitError
    from kit.services.submissions import submit

    payload = gzip.compress(data) if gz and data else data
    try:
        outcome_ = submit(kit_workspace.workspace, slug="hostile", token=hostile_challenge, content=payload,
                          filename="f.csv.gz" if gz else "f.csv")
    except KitError as error:  # the daily limit or the attempts cap, after many examples
        assert "today" in str(error)
        return
    row = outcome_.submission
    assert row.status in ("scored", "rejected") and row.content == payload
    assert (row.status == "scored") == (row.error is None)
