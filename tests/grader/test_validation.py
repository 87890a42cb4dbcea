"""Every rejection: its code, its message, and no hidden value in it."""

import numpy as np
import pytest

import grader

SECRET_LABELS = ["Xanadu", "Zeppelin"]  # class names are public; which row holds which is not


def _solution(ids, targets, target="label", classes=None):
    usage = ["Public", "Private"] * (len(ids) // 2) + ["Private"] * (len(ids) % 2)
    text = f"id,{target},Usage\n" + "".join(f"{i},{t},{u}\n" for i, t, u in zip(ids, targets, usage, strict=True))
    return grader.read_solution(text.encode(), classes=classes)


@pytest.fixture
def secret():
    """String ids whose per-row labels are the hidden part."""
    return _solution([f"r{i}" for i in range(6)], [SECRET_LABELS[i % 2] for i in range(6)])


@pytest.fixture
def prices():
    """A regression solution whose target values must never leak."""
    return _solution(list(range(100, 106)), [123456.789, 234567.891, 345678.912, 456789.123, 567891.234, 678912.345],
                     target="price")


def _no_leak(message, values):
    for value in values:
        assert str(value) not in message, f"{value!r} leaked into {message!r}"


SECRET_VALUES = ["123456.789", "234567.891", "345678.912", "456789.123", "567891.234", "678912.345"]


def test_empty_file(binary, reject):
    for data in (b"", b"\xef\xbb\xbf", b" \n\r\n"):
        error = reject(binary, data)
        assert error.code == "empty_file" and "empty" in error.message


def test_no_header(binary, reject, csv, good_rows):
    error = reject(binary, csv(good_rows[1:], header="1,0"))
    assert error.code == "no_header"
    assert "looks like data" in error.message and "id,Survived" in error.message


def test_missing_column(binary, reject, csv, good_rows):
    error = reject(binary, csv(good_rows, header="Id,Survived"))
    assert error.code == "missing_column"
    assert error.message.startswith("Required column 'id' could not be found")
    assert "case-sensitive" in error.message
    error = reject(binary, csv([(i,) for i, _ in good_rows], header="id"))
    assert error.code == "missing_column" and "'Survived'" in error.message


def test_unexpected_column(binary, reject, csv):
    error = reject(binary, csv([(i, 0, 1) for i in range(1, 11)], header="id,Survived,Name"))
    assert error.code == "unexpected_column" and "Unexpected column 'Name'" in error.message
    error = reject(binary, csv([(i, 0, "") for i in range(1, 11)], header="id,Survived,"))
    assert error.code == "unexpected_column" and "trailing comma" in error.message
    error = reject(binary, csv([(i, 0, 1) for i in range(1, 11)], header="id,Survived,id"))
    assert error.code == "unexpected_column" and "more than once" in error.message


def test_row_count(binary, reject, csv):
    # Predictions for other ids and another count: Kaggle's first message.
    error = reject(binary, csv([(i, 0) for i in range(100, 104)]))
    assert error.code == "row_count"
    assert "Submission must have 10 rows" in error.message and "it has 4 rows" in error.message
    error = reject(binary, b"id,Survived\n")
    assert error.code == "row_count" and "it has 0 rows" in error.message


def test_missing_ids(binary, reject, csv, good_rows):
    error = reject(binary, csv(good_rows[:7]))
    assert error.code == "missing_ids"
    assert "Unable to find 3 required key values in the 'id' column" in error.message
    assert "8, 9, 10" in error.message and "it has 7" in error.message


def test_unknown_ids(binary, reject, csv, good_rows):
    rows = good_rows[:8] + [(77, 0), (88, 1)]
    error = reject(binary, csv(rows))
    assert error.code == "unknown_ids"
    assert "2 ids" in error.message and "77 (line 10)" in error.message and "88 (line 11)" in error.message


def test_string_ids_keep_their_exact_text(reject, csv):
    solution = _solution(["007", "8", "009", "10"], [0, 1, 0, 1])
    assert grader.grade(solution, csv([("009", 0), ("007", 0), ("10", 1), ("8", 1)], header="id,label"),
                        "accuracy").private_score == 1.0
    error = reject(solution, csv([("7", 0), ("8", 1), ("009", 0), ("10", 1)], header="id,label"))
    assert error.code == "unknown_ids" and "'7'" in error.message


def test_integer_ids_accept_float_spelling(binary, csv, good_rows, reject):
    rows = [(f"{i}.0", t) for i, t in good_rows]
    assert grader.grade(binary, csv(rows), "accuracy").public_score == 1.0
    rows[4] = ("5.5", 1)
    error = reject(binary, csv(rows))
    assert error.code == "wrong_type" and "Line 6, column 'id'" in error.message and "'5.5'" in error.message
    rows[4] = ("0x5", 1)  # pyarrow would read hexadecimal; a person never means it
    assert reject(binary, csv(rows)).code == "wrong_type"


def test_duplicate_ids(binary, reject, csv, good_rows):
    rows = good_rows[:9] + [(3, 1)]
    error = reject(binary, csv(rows))
    assert error.code == "duplicate_ids"
    assert "id 3 is on lines 4, 11" in error.message


def test_empty_value(binary, reject, csv, good_rows):
    for blank in ("", "NaN", "nan", " "):
        rows = list(good_rows)
        rows[2] = (3, blank)
        error = reject(binary, csv(rows), "roc_auc")
        assert error.code == "empty_value", blank
        assert "Line 4, column 'Survived'" in error.message
    rows = list(good_rows)
    rows[0] = ("", 0)
    error = reject(binary, csv(rows))
    assert error.code == "empty_value" and "Line 2, column 'id'" in error.message


def test_wrong_type(binary, reject, csv, good_rows):
    rows = list(good_rows)
    rows[3] = (4, "maybe" * 20)
    error = reject(binary, csv(rows), "roc_auc")
    assert error.code == "wrong_type" and "Line 5, column 'Survived'" in error.message
    assert "maybe" in error.message and "maybe" * 20 not in error.message  # truncated
    rows[3] = (4, "0.5")
    error = reject(binary, csv(rows), "accuracy")
    assert error.code == "wrong_type" and "'0.5' is not an integer" in error.message


@pytest.mark.parametrize("value", ["inf", "-inf", "Infinity"])
def test_infinite_value_is_refused(binary, reject, csv, good_rows, value):
    rows = list(good_rows)
    rows[1] = (2, value)
    error = reject(binary, csv(rows), "roc_auc")
    assert error.code == "wrong_type" and "Line 3" in error.message


def test_unknown_label(secret, reject, csv):
    rows = [(f"r{i}", SECRET_LABELS[i % 2]) for i in range(6)]
    rows[2] = ("r2", "Yeti")
    error = reject(secret, csv(rows, header="id,label"))
    assert error.code == "unknown_label"
    assert "Line 4, column 'label': 'Yeti' is not one of the 2 classes (Xanadu, Zeppelin)" in error.message


def test_probability_range(binary, reject, csv, good_rows):
    rows = [(i, 0.5) for i, _ in good_rows]
    rows[6] = (7, 1.5)
    error = reject(binary, csv(rows), "log_loss")
    assert error.code == "probability_range" and "Line 8" in error.message and "'1.5'" in error.message
    rows[6] = (7, -0.01)
    assert reject(binary, csv(rows), "log_loss").code == "probability_range"


def test_auc_takes_any_real_score_as_kaggle_does(binary, csv, good_rows):
    # Only the order of the scores counts: 3.7 and -2 rank like any probability.
    scores = [(i, 3.7 if label == 1 else -2.0) for i, label in good_rows]
    assert grader.grade(binary, csv(scores), "roc_auc").private_score == 1.0
    assert grader.grade(binary, csv([(i, 1e300) for i, _ in good_rows]), "roc_auc").private_score == 0.5


def _three_classes():
    return _solution(list(range(1, 7)), ["a", "b", "c", "a", "b", "c"])


def test_class_scores_need_not_sum_to_one_for_auc(csv):
    solution = _three_classes()
    perfect = [(i, float(label == "a") * 5, float(label == "b") * 7, float(label == "c") - 3)
               for i, label in zip(range(1, 7), ["a", "b", "c", "a", "b", "c"], strict=True)]
    result = grader.grade(solution, csv(perfect, header="id,a,b,c"), "roc_auc_ovr")
    assert result.public_score == result.private_score == 1.0


def test_a_row_of_zeros_cannot_be_rescaled(reject, csv):
    solution = _three_classes()
    rows = [(i, 0.2, 0.3, 0.4) for i in range(1, 7)]
    # Kaggle's multiclass log loss rescales rows: a sum of 0.9 is accepted...
    assert grader.grade(solution, csv(rows, header="id,a,b,c"), "multiclass_log_loss").rows == 6
    # ...but a row of zeros cannot be rescaled.
    rows[4] = (5, 0, 0, 0)
    error = reject(solution, csv(rows, header="id,a,b,c"), "multiclass_log_loss")
    assert error.code == "probability_sum" and "Line 6" in error.message


def test_class_probability_columns_are_named_by_class(reject, csv):
    error = reject(_three_classes(), csv([(i, 0.5, 0.5) for i in range(1, 7)], header="id,a,b"), "multiclass_log_loss")
    assert error.code == "missing_column" and "'c'" in error.message


def test_negative_value_for_rmsle(prices, reject, csv):
    rows = [(i, 1000.0) for i in range(100, 106)]
    rows[1] = (101, -3)
    error = reject(prices, csv(rows, header="id,price"), "rmsle")
    assert error.code == "negative_value" and "Line 3" in error.message and "rmsle" in error.message
    assert grader.grade(prices, csv(rows, header="id,price"), "rmse").rows == 6


def test_malformed_csv_names_the_line(binary, reject, csv, good_rows):
    data = csv(good_rows).replace(b"\n5,1\n", b"\n5,1,1\n")
    error = reject(binary, data)
    assert error.code == "malformed_csv" and "Line 6 has 3 fields" in error.message
    data = csv(good_rows).replace(b"\n5,1\n", b'\n5,"1\n')
    error = reject(binary, data)
    assert error.code == "malformed_csv" and "Line 6" in error.message


def test_unclosed_quote_in_header(binary, reject):
    error = reject(binary, b'id,"Survived\n1,0\n')
    assert error.code == "malformed_csv" and "Line 1" in error.message


def test_messages_never_show_hidden_values(prices, secret, reject, csv):
    regression_files = [
        b"", b"1,2\n", b"id,cost\n100,1\n", csv([(100 + i, 1.0) for i in range(5)], header="id,price"),
        csv([(100 + i, 1.0) for i in range(5)] + [(999, 1.0)], header="id,price"),
        csv([(100 + i, 1.0) for i in range(5)] + [(100, 1.0)], header="id,price"),
        csv([(100 + i, "x") for i in range(6)], header="id,price"),
        csv([(100 + i, "") for i in range(6)], header="id,price"),
        csv([(100 + i, -1) for i in range(6)], header="id,price"),
    ]
    for data in regression_files:
        error = reject(prices, data, "rmsle")
        _no_leak(error.message, SECRET_VALUES)
    classification_files = [
        csv([(f"r{i}", "Yeti") for i in range(6)], header="id,label"),
        csv([(f"r{i}", "Xanadu") for i in range(5)], header="id,label"),
        csv([(f"r{i}", "Xanadu") for i in range(5)] + [("r9", "Xanadu")], header="id,label"),
        csv([(f"r{i}", "") for i in range(6)], header="id,label"),
    ]
    for data in classification_files:
        error = reject(secret, data)
        if error.code != "unknown_label":  # which only lists the public class names
            _no_leak(error.message, SECRET_LABELS)


def _one_input_per_code():
    """(solution, submission bytes, metric, grade kwargs) that the grader rejects with each code."""
    binary = grader.read_solution(b"id,y,Usage\n" + b"".join(b"%d,%d,%s\n" % (i, i % 2, b"Public" if i % 2 else b"Private")
                                                             for i in range(1, 7)))
    good = b"id,y\n" + b"".join(b"%d,%d\n" % (i, i % 2) for i in range(1, 7))
    one_class_public = grader.read_solution(b"id,y,Usage\n1,1,Public\n2,1,Public\n3,0,Private\n4,1,Private\n")
    three = _three_classes()
    prices = _solution(list(range(100, 106)), [1.5, 2.5, 3.5, 4.5, 5.5, 6.5], target="price")
    price_rows = "id,price\n" + "".join(f"{i},1.0\n" for i in range(100, 106))
    return {
        "file_too_large": (binary, good, "accuracy", {"max_bytes": 10}),
        "encoding": (binary, good.replace(b"1,1", b"1,\x001"), "accuracy", {}),
        "empty_file": (binary, b"", "accuracy", {}),
        "no_header": (binary, good.replace(b"id,y\n", b"1,0\n", 1), "accuracy", {}),
        "malformed_csv": (binary, good.replace(b"\n3,1\n", b"\n3,1,1\n"), "accuracy", {}),
        "missing_column": (binary, good.replace(b"id,y", b"Id,y"), "accuracy", {}),
        "unexpected_column": (binary, good.replace(b"id,y\n", b"id,y,extra\n").replace(b"\n", b",0\n")[:-2]
                              + b"\n", "accuracy", {}),
        "row_count": (binary, b"id,y\n", "accuracy", {}),
        "missing_ids": (binary, good.replace(b"6,0\n", b""), "accuracy", {}),
        "unknown_ids": (binary, good.replace(b"6,0\n", b"60,0\n"), "accuracy", {}),
        "duplicate_ids": (binary, good.replace(b"6,0\n", b"5,0\n"), "accuracy", {}),
        "empty_value": (binary, good.replace(b"6,0\n", b"6,\n"), "accuracy", {}),
        "wrong_type": (binary, good.replace(b"6,0\n", b"6,maybe\n"), "roc_auc", {}),
        "unknown_label": (binary, good.replace(b"6,0\n", b"6,7\n"), "accuracy", {}),
        "probability_range": (binary, good.replace(b"6,0\n", b"6,1.5\n"), "log_loss", {}),
        "probability_sum": (three, b"id,a,b,c\n" + b"".join(b"%d,0,0,0\n" % i for i in range(1, 7)),
                            "multiclass_log_loss", {}),
        "negative_value": (prices, price_rows.replace("101,1.0", "101,-3").encode(), "rmsle", {}),
        "unscorable": (one_class_public, b"id,y\n1,0.1\n2,0.2\n3,0.3\n4,0.4\n", "roc_auc", {}),
        "score_not_finite": (prices, price_rows.replace("1.0", "1e308").encode(), "rmse", {}),
    }


@pytest.mark.parametrize("code", list(grader.RejectionCode))
def test_every_rejection_code_is_raised_by_some_input(code):
    """Each member of RejectionCode comes out of the grader for a real file, and with that exact code."""
    cases = _one_input_per_code()
    assert set(cases) == {member.value for member in grader.RejectionCode}  # one input per code, no stale entry
    solution, data, metric, kwargs = cases[code.value]
    with pytest.raises(grader.SubmissionError) as info:
        grader.grade(solution, data, metric, **kwargs)
    assert info.value.code is code, info.value


def test_an_unknown_rejection_code_is_a_bug_not_a_new_code():
    with pytest.raises(ValueError):
        grader.SubmissionError("made_up", "never shown")


def test_rejection_is_a_single_exception_class(binary, reject):
    error = reject(binary, b"")
    assert isinstance(error, grader.SubmissionError) and isinstance(error, Exception)
    assert str(error) == error.message and repr(error).startswith("SubmissionError('empty_file'")


def test_sparse_integer_ids_are_looked_up(reject, csv):
    ids = [10**12 + 7 * i for i in range(6)]
    solution = _solution(ids, [0, 1, 0, 1, 1, 0])
    rows = list(zip(ids, [0, 1, 0, 1, 1, 0], strict=True))[::-1]
    assert grader.grade(solution, csv(rows, header="id,label"), "accuracy").public_score == 1.0
    rows[0] = (5, 0)
    assert reject(solution, csv(rows, header="id,label")).code == "unknown_ids"
    assert np.array_equal(solution.positions(np.array(ids[::-1] + [3])), [5, 4, 3, 2, 1, 0, -1])
