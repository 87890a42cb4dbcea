"""Reading a submission: encodings, line endings, gzip, size limits, paths."""

import gzip

import pytest

import grader
from grader.reading import read_submission


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_lf_and_crlf(binary, newline, csv, good_rows, reject):
    data = csv(good_rows, newline=newline)
    assert grader.grade(binary, data, "accuracy") == grader.Grade(1.0, 1.0, "accuracy", 10)


def test_utf8_bom_is_ignored(binary, csv, good_rows, reject):
    assert grader.grade(binary, b"\xef\xbb\xbf" + csv(good_rows), "accuracy").public_score == 1.0


def test_quoted_header_and_values(binary, csv, good_rows, reject):
    data = b'"id","Survived"\n' + b"".join(f'"{i}","{t}"\n'.encode() for i, t in good_rows)
    assert grader.grade(binary, data, "accuracy").private_score == 1.0


def test_blank_lines_are_skipped_and_line_numbers_stay_true(binary, csv, good_rows, reject):
    rows = csv(good_rows).split(b"\n")
    rows.insert(3, b"")  # a blank line 4: the row after it is on line 5 of the file
    rows[5] = b"4,x"
    error = reject(binary, b"\n".join(rows))
    assert error.code == "wrong_type" and "Line 6" in error.message


def test_gzip_is_accepted_by_name(binary, csv, good_rows, reject):
    data = gzip.compress(csv(good_rows))
    assert grader.grade(binary, data, "accuracy", filename="sub.csv.gz").public_score == 1.0


def test_gzip_without_gz_name_is_an_encoding_error(binary, csv, good_rows, reject):
    error = reject(binary, gzip.compress(csv(good_rows)))
    assert error.code == "encoding" and ".csv.gz" in error.message


def test_gz_name_without_gzip_data(binary, csv, good_rows, reject):
    error = reject(binary, csv(good_rows), filename="sub.csv.gz")
    assert error.code == "encoding" and "not gzip" in error.message


def test_corrupt_gzip(binary, csv, good_rows, reject):
    error = reject(binary, gzip.compress(csv(good_rows))[:-12], filename="s.csv.gz")
    assert error.code == "encoding" and "decompressed" in error.message


def test_gzip_bomb_is_capped_at_max_bytes(binary, csv, good_rows, reject):
    bomb = gzip.compress(csv(good_rows) + b"0" * 5_000_000)
    assert len(bomb) < 20_000
    error = reject(binary, bomb, filename="s.csv.gz", max_bytes=100_000)
    assert error.code == "file_too_large" and "decompressed" in error.message


def test_file_too_large_bytes(binary, csv, good_rows, reject):
    data = csv(good_rows)
    error = reject(binary, data, max_bytes=len(data) - 1)
    assert error.code == "file_too_large" and "limit" in error.message
    assert grader.grade(binary, data, "accuracy", max_bytes=len(data)).rows == 10


def test_path_is_read_and_size_checked_before_reading(binary, tmp_path, monkeypatch, csv, good_rows, reject):
    path = tmp_path / "my.csv"
    path.write_bytes(csv(good_rows))
    assert grader.grade(binary, path, "accuracy").public_score == 1.0

    def no_reading(self):
        raise AssertionError("the file was read")

    monkeypatch.setattr(type(path), "read_bytes", no_reading)
    error = reject(binary, path, max_bytes=10)
    assert error.code == "file_too_large"


def test_gz_path_is_decompressed(binary, tmp_path, csv, good_rows, reject):
    path = tmp_path / "my.csv.gz"
    path.write_bytes(gzip.compress(csv(good_rows)))
    assert grader.grade(binary, path, "accuracy").private_score == 1.0


def test_str_is_refused_with_a_hint(binary):
    with pytest.raises(TypeError, match="Path"):
        grader.grade(binary, "submission.csv", "accuracy")


def test_not_utf8_names_the_line(binary, csv, good_rows, reject):
    data = csv(good_rows).replace(b"3,1", b"3,\xe9")
    error = reject(binary, data)
    assert error.code == "encoding" and "line 4" in error.message and "UTF-8" in error.message


def test_values_are_read_as_text():
    table = read_submission(b"id,x\n007,1.50\n")
    assert table.names == ["id", "x"]
    assert table.column("id").to_pylist() == ["007"] and table.column("x").to_pylist() == ["1.50"]
    assert table.line_of(0) == 2
