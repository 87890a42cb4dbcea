"""The hostile submission corpus: name → (bytes, filename), against a 20-row solution.

The solution has integer ids 1..20 and integer labels 0/1 (rows 1–6 Public); `PERFECT` is
the right answer. Large cases (10 MB cell, 10 million rows, gzip bomb) are built at test
time in the test module, not here.
"""

from __future__ import annotations

import codecs
import zlib

N = 20
IDS = list(range(1, N + 1))
LABELS = [(i * 7 + i // 3) % 2 for i in IDS]
SOLUTION = ("id,label,Usage\n" + "".join(f"{i},{y},{'Public' if i <= 6 else 'Private'}\n"
                                         for i, y in zip(IDS, LABELS, strict=True))).encode()


def csv_text(header="id,label", rows=None, sep=",", newline="\n", trailer="\n") -> str:
    rows = rows if rows is not None else [(i, y) for i, y in zip(IDS, LABELS, strict=True)]
    return newline.join([header] + [sep.join(str(c) for c in row) for row in rows]) + trailer


PERFECT = csv_text()
WRONG_FIRST = csv_text(rows=[(i, 1 - y if i == 1 else y) for i, y in zip(IDS, LABELS, strict=True)])  # one Public row wrong


def _rows_with(index: int, value) -> list:
    return [(i, value if n == index else y) for n, (i, y) in enumerate(zip(IDS, LABELS, strict=True))]


# name → (bytes, filename)
CORPUS: dict[str, tuple[bytes, str]] = {
    # encodings
    "utf16_le_bom": (PERFECT.encode("utf-16"), "s.csv"),
    "utf16_be": (PERFECT.encode("utf-16-be"), "s.csv"),
    "utf32": (PERFECT.encode("utf-32"), "s.csv"),
    "latin1_header": (("id,label,commentaire\n" + "".join(f"{i},{y},été\n" for i, y in zip(IDS, LABELS, strict=True)))
                      .encode("latin-1"), "s.csv"),
    "utf8_bom": (codecs.BOM_UTF8 + PERFECT.encode(), "s.csv"),
    "double_utf8_bom": (codecs.BOM_UTF8 * 2 + PERFECT.encode(), "s.csv"),
    "utf16_bom_on_utf8": (codecs.BOM_UTF16_LE + PERFECT.encode(), "s.csv"),
    # separators and quoting
    "semicolons": (csv_text(header="id;label", sep=";").encode(), "s.csv"),
    "tabs": (csv_text(header="id\tlabel", sep="\t").encode(), "s.csv"),
    "unclosed_quote_header": (('"id,label\n' + PERFECT.split("\n", 1)[1]).encode(), "s.csv"),
    "unclosed_quote_row": (csv_text(rows=[(f'"{i}' if i == 5 else i, y) for i, y in zip(IDS, LABELS, strict=True)]).encode(),
                           "s.csv"),
    "quoted_values_ok": (csv_text(header='"id","label"', rows=[(f'"{i}"', f'"{y}"') for i, y in zip(IDS, LABELS, strict=True)])
                         .encode(), "s.csv"),
    "quoted_newline": (csv_text(rows=[(i, f'"{y}\n"' if i == 3 else y) for i, y in zip(IDS, LABELS, strict=True)]).encode(),
                       "s.csv"),
    # bytes that are not text
    "nul_bytes": (PERFECT.replace("\n5,", "\n5\x00,").encode(), "s.csv"),
    "all_nul": (b"\x00" * 4096, "s.csv"),
    "png": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00" + bytes(range(256)),
            "s.csv"),
    "random_bytes": (bytes((i * 197 + 13) % 256 for i in range(5000)), "s.csv"),
    "gzip_named_csv": (zlib.compress(PERFECT.encode()), "s.csv"),
    "not_gzip_named_gz": (PERFECT.encode(), "s.csv.gz"),
    "truncated_gzip": (None, "s.csv.gz"),  # filled in below
    # shape
    "empty": (b"", "s.csv"),
    "whitespace_only": (b" \n\n\t\n", "s.csv"),
    "header_only": (b"id,label\n", "s.csv"),
    "header_only_no_newline": (b"id,label", "s.csv"),
    "duplicated_header": (("id,label\n" + PERFECT).encode(), "s.csv"),
    "duplicated_column": (csv_text(header="id,label,label", rows=[(i, y, y) for i, y in zip(IDS, LABELS, strict=True)])
                          .encode(), "s.csv"),
    "extra_trailing_commas": (csv_text(header="id,label,", rows=[(i, y, "") for i, y in zip(IDS, LABELS, strict=True)])
                              .encode(), "s.csv"),
    "trailing_comma_rows_only": (csv_text(rows=[(i, f"{y},") for i, y in zip(IDS, LABELS, strict=True)]).encode(), "s.csv"),
    "crlf_mixed_with_lf": ("".join(line + ("\r\n" if n % 2 else "\n")
                                   for n, line in enumerate(PERFECT.splitlines())).encode(), "s.csv"),
    "old_mac_cr": (PERFECT.replace("\n", "\r").encode(), "s.csv"),
    "empty_lines_in_middle": (PERFECT.replace("\n7,", "\n\n\n7,").replace("\n12,", "\n   \n12,").encode(), "s.csv"),
    "no_trailing_newline": (PERFECT.rstrip("\n").encode(), "s.csv"),
    "very_long_header": (csv_text(header="id,label," + ",".join(f"c{n}" for n in range(20_000)),
                                  rows=[(i, y) + ("",) * 20_000 for i, y in zip(IDS, LABELS, strict=True)]).encode(), "s.csv"),
    "ragged_rows": (PERFECT.replace("\n9,", "\n9,1,2,").encode(), "s.csv"),
    "short_row": (PERFECT.replace(f"\n9,{LABELS[8]}\n", "\n9\n").encode(), "s.csv"),
    "reordered_columns": (csv_text(header="label,id", rows=[(y, i) for i, y in zip(IDS, LABELS, strict=True)]).encode(), "s.csv"),
    "shuffled_rows": (csv_text(rows=list(reversed([(i, y) for i, y in zip(IDS, LABELS, strict=True)]))).encode(), "s.csv"),
    # header names
    "cyrillic_i_in_id": (csv_text(header="\u0456d,label").encode(), "s.csv"),
    "fullwidth_id": (csv_text(header="\uff49\uff44,label").encode(), "s.csv"),
    "target_in_other_case": (csv_text(header="id,LABEL").encode(), "s.csv"),
    "id_in_other_case": (csv_text(header="ID,label").encode(), "s.csv"),
    "header_with_spaces": (csv_text(header=" id , label ").encode(), "s.csv"),
    "zero_width_space_header": (csv_text(header="id\u200b,label").encode(), "s.csv"),
    "no_header": (csv_text(header="1,0", rows=[(i, y) for i, y in zip(IDS[1:], LABELS[1:], strict=True)]).encode(), "s.csv"),
    # ids
    "scientific_ids": (csv_text(rows=[("1e3" if i == 1 else i, y) for i, y in zip(IDS, LABELS, strict=True)]).encode(), "s.csv"),
    "scientific_id_equal": (csv_text(rows=[("1e0" if i == 1 else i, y) for i, y in zip(IDS, LABELS, strict=True)]).encode(),
                            "s.csv"),
    "float_ids": (csv_text(rows=[(f"{i}.0", y) for i, y in zip(IDS, LABELS, strict=True)]).encode(), "s.csv"),
    "ids_with_spaces": (csv_text(rows=[(f" {i}" if i == 7 else f"{i} " if i == 8 else i, y)
                                       for i, y in zip(IDS, LABELS, strict=True)]).encode(), "s.csv"),
    "fullwidth_digit_ids": (csv_text(rows=[("\uff17" if i == 7 else i, y) for i, y in zip(IDS, LABELS, strict=True)]).encode(),
                            "s.csv"),
    "negative_zero_id": (csv_text(rows=[("-0" if i == 1 else i, y) for i, y in zip(IDS, LABELS, strict=True)]).encode(), "s.csv"),
    "duplicate_ids": (csv_text(rows=[(2 if i == 1 else i, y) for i, y in zip(IDS, LABELS, strict=True)]).encode(), "s.csv"),
    "huge_id": (csv_text(rows=[("9" * 40 if i == 1 else i, y) for i, y in zip(IDS, LABELS, strict=True)]).encode(), "s.csv"),
    "hex_id": (csv_text(rows=[("0x1" if i == 1 else i, y) for i, y in zip(IDS, LABELS, strict=True)]).encode(), "s.csv"),
    "extra_row": ((PERFECT + "21,0\n").encode(), "s.csv"),
    "missing_row": (csv_text(rows=[(i, y) for i, y in zip(IDS[1:], LABELS[1:], strict=True)]).encode(), "s.csv"),
    # labels
    "nan_label": (csv_text(rows=_rows_with(3, "nan")).encode(), "s.csv"),
    "NaN_label": (csv_text(rows=_rows_with(3, "NaN")).encode(), "s.csv"),
    "inf_label": (csv_text(rows=_rows_with(3, "inf")).encode(), "s.csv"),
    "minus_inf_label": (csv_text(rows=_rows_with(3, "-inf")).encode(), "s.csv"),
    "negative_zero_label": (csv_text(rows=[(i, "-0" if y == 0 else y) for i, y in zip(IDS, LABELS, strict=True)]).encode(),
                            "s.csv"),
    "empty_label": (csv_text(rows=_rows_with(3, "")).encode(), "s.csv"),
    "unknown_class": (csv_text(rows=_rows_with(3, 2)).encode(), "s.csv"),
    "text_label": (csv_text(rows=_rows_with(3, "yes")).encode(), "s.csv"),
    "float_labels": (csv_text(rows=[(i, f"{y}.0") for i, y in zip(IDS, LABELS, strict=True)]).encode(), "s.csv"),
    "formula_label": (csv_text(rows=_rows_with(3, "=1+1")).encode(), "s.csv"),
}


def _truncated_gzip() -> bytes:
    import gzip

    return gzip.compress(PERFECT.encode())[:30]


CORPUS["truncated_gzip"] = (_truncated_gzip(), "s.csv.gz")


# -- round two (issue 17): markup, encodings, numbers at the edge, metrics that could reveal labels ------------
# name → (bytes, filename, solution key, metric, expected code or SCORED, a phrase the message must hold)
# Solutions: "labels" is SOLUTION above; "prices" a 20-row regression; "kappa" a 12-row ordinal
# target whose Private rows are all class 0; "classes3" three string classes.
PRICES = [100.5 + 7 * i for i in IDS]
PRICES_SOLUTION = ("id,price,Usage\n" + "".join(f"{i},{p},{'Public' if i <= 6 else 'Private'}\n"
                                                for i, p in zip(IDS, PRICES, strict=True))).encode()
KAPPA_SOLUTION = ("id,grade,Usage\n" + "".join(
    f"{i},{(i % 3) if i <= 6 else 0},{'Public' if i <= 6 else 'Private'}\n" for i in range(1, 13))).encode()
CLASSES3 = ["cat", "dog", "eel"]
CLASSES3_SOLUTION = ("id,animal,Usage\n" + "".join(f"{i},{CLASSES3[i % 3]},{'Public' if i % 2 else 'Private'}\n"
                                                   for i in IDS)).encode()
SCORED_ = "scored"


def _prices(values, header="id,price") -> bytes:
    return csv_text(header=header, rows=list(zip(IDS, values, strict=True))).encode()


def _one_price(value) -> bytes:
    return _prices([value if i == 4 else p for i, p in zip(IDS, PRICES, strict=True)])


def _labels_with(cell, at_id: bool = False) -> bytes:
    rows = [((cell if i == 3 else i), y) if at_id else (i, cell if i == 3 else y) for i, y in zip(IDS, LABELS, strict=True)]
    return csv_text(rows=rows).encode()


def _scores(values) -> bytes:
    return csv_text(rows=list(zip(IDS, values, strict=True))).encode()


def _class_scores(row) -> bytes:
    return csv_text(header="id,cat,dog,eel", rows=[(i, *row(i)) for i in IDS]).encode()


EDGE_CORPUS: dict[str, tuple[bytes, str, str, str, str, str]] = {
    # numbers at the edge (regression)
    "all_1e308_rmse": (_prices(["1e308"] * N), "s.csv", "prices", "rmse", "score_not_finite", "too large"),
    "all_1e308_mae": (_prices(["1e308"] * N), "s.csv", "prices", "mae", "score_not_finite", "too large"),
    "all_max_float_r2": (_prices(["1.7976931348623157e308"] * N), "s.csv", "prices", "r2", "score_not_finite", "finite"),
    "all_minus_1e308_rmse": (_prices(["-1e308"] * N), "s.csv", "prices", "rmse", "score_not_finite", "too large"),
    "all_1e200_rmse": (_prices(["1e200"] * N), "s.csv", "prices", "rmse", "score_not_finite", "too large"),
    "all_1e200_mae": (_prices(["1e200"] * N), "s.csv", "prices", "mae", SCORED_, ""),
    "all_1e308_rmsle": (_prices(["1e308"] * N), "s.csv", "prices", "rmsle", SCORED_, ""),
    "one_1e308_rmse": (_one_price("1e308"), "s.csv", "prices", "rmse", "score_not_finite", "too large"),
    "one_1e400": (_one_price("1e400"), "s.csv", "prices", "rmse", "wrong_type", "not a finite number"),
    "one_inf_price": (_one_price("inf"), "s.csv", "prices", "rmse", "wrong_type", "not a finite number"),
    "one_minus_inf_price": (_one_price("-inf"), "s.csv", "prices", "mae", "wrong_type", "not a finite number"),
    "one_Infinity_price": (_one_price("Infinity"), "s.csv", "prices", "mae", "wrong_type", "'Infinity'"),
    "one_nan_price": (_one_price("nan"), "s.csv", "prices", "rmse", "empty_value", "empty or NaN"),
    "one_tiny_price": (_one_price("4.9e-324"), "s.csv", "prices", "rmse", SCORED_, ""),
    "one_underflow_price": (_one_price("1e-400"), "s.csv", "prices", "rmse", SCORED_, ""),
    "negative_zero_price": (_one_price("-0.0"), "s.csv", "prices", "mae", SCORED_, ""),
    "plus_sign_price": (_one_price("+5"), "s.csv", "prices", "mae", SCORED_, ""),
    "leading_dot_price": (_one_price(".5"), "s.csv", "prices", "mae", SCORED_, ""),
    "trailing_dot_price": (_one_price("5."), "s.csv", "prices", "mae", SCORED_, ""),
    "spaced_price": (_one_price(" 1e3 "), "s.csv", "prices", "mae", SCORED_, ""),
    "underscore_price": (_one_price("1_000"), "s.csv", "prices", "mae", "wrong_type", "'1_000' is not a number"),
    "double_dot_price": (_one_price("1.5.5"), "s.csv", "prices", "mae", "wrong_type", "is not a number"),
    "double_minus_price": (_one_price("--1"), "s.csv", "prices", "mae", "wrong_type", "is not a number"),
    "bare_exponent_price": (_one_price("1e"), "s.csv", "prices", "mae", "wrong_type", "is not a number"),
    "arabic_digits_price": (_one_price("\u0661\u0662"), "s.csv", "prices", "mae", "wrong_type", "is not a number"),
    "fullwidth_digit_price": (_one_price("\uff11"), "s.csv", "prices", "mae", "wrong_type", "is not a number"),
    "negative_price_rmsle": (_one_price("-1"), "s.csv", "prices", "rmsle", "negative_value", "is negative"),
    # user text that reads as Rich markup, escapes or formulas: quoted back verbatim
    "markup_close_tag_id": (_labels_with("[/x]", at_id=True), "s.csv", "labels", "accuracy", "wrong_type", "'[/x]'"),
    "markup_bold_label": (_labels_with("[bold]3[/bold]"), "s.csv", "labels", "accuracy", "wrong_type",
                          "'[bold]3[/bold]' is not an integer"),
    "markup_link_label": (_labels_with("[link=http://x]1[/link]"), "s.csv", "labels", "accuracy", "wrong_type",
                          "[link=http://x]1[/link]"),
    "emoji_code_label": (_labels_with(":smile:"), "s.csv", "labels", "accuracy", "wrong_type", "':smile:'"),
    "escaped_bracket_label": (_labels_with("\\[bold]"), "s.csv", "labels", "accuracy", "wrong_type", "bold]"),
    "ansi_escape_label": (_labels_with("\x1b[31m1"), "s.csv", "labels", "accuracy", "wrong_type", "\\x1b[31m1"),
    "html_label": (_labels_with("<script>alert(1)</script>"), "s.csv", "labels", "accuracy", "wrong_type",
                   "'<script>alert(1)</script>'"),
    "formula_id": (_labels_with("=HYPERLINK(\"x\")", at_id=True), "s.csv", "labels", "accuracy", "wrong_type",
                   "HYPERLINK"),
    "rtl_override_label": (_labels_with("\u202e1"), "s.csv", "labels", "accuracy", "wrong_type", "is not an integer"),
    "markup_header": (csv_text(header="id,[/label]").encode(), "s.csv", "labels", "accuracy", "missing_column",
                      "Required column 'label'"),
    # bytes that are not UTF-8 inside otherwise good files
    "invalid_byte_in_label": (PERFECT.encode().replace(b"\n3,", b"\n3\xff,"), "s.csv", "labels", "accuracy",
                              "encoding", "not valid UTF-8"),
    "overlong_slash": (PERFECT.encode().replace(b"\n3,", b"\n3\xc0\xaf,"), "s.csv", "labels", "accuracy",
                       "encoding", "not valid UTF-8"),
    "encoded_surrogate": (PERFECT.encode().replace(b"\n3,", b"\n3\xed\xa0\x80,"), "s.csv", "labels", "accuracy",
                          "encoding", "not valid UTF-8"),
    "lone_continuation_byte": (PERFECT.encode().replace(b"\n3,", b"\n3\x80,"), "s.csv", "labels", "accuracy",
                               "encoding", "not valid UTF-8"),
    "truncated_multibyte_at_end": (PERFECT.encode() + b"\xe2\x82", "s.csv", "labels", "accuracy", "encoding",
                                   "not valid UTF-8"),
    "cp1252_quote_in_header": ("id,label\u2019\n".encode("cp1252") + PERFECT.split("\n", 1)[1].encode(), "s.csv",
                               "labels", "accuracy", "encoding", "not valid UTF-8"),
    # metrics that could be undefined on the hidden rows: a clean refusal that names no label
    "kappa_all_private_class": (("id,grade\n" + "".join(f"{i},0\n" for i in range(1, 13))).encode(), "s.csv",
                                "kappa", "quadratic_weighted_kappa", "unscorable", "cannot be scored"),
    "kappa_other_class": (("id,grade\n" + "".join(f"{i},1\n" for i in range(1, 13))).encode(), "s.csv", "kappa",
                          "quadratic_weighted_kappa", SCORED_, ""),
    # AUC takes any real score (only the order counts), as Kaggle does
    "auc_scores_beyond_one": (_scores([3.7 if y else -2 for y in LABELS]), "s.csv", "labels", "roc_auc", SCORED_, ""),
    "auc_huge_scores": (_scores(["1e308" if y else "-1e308" for y in LABELS]), "s.csv", "labels", "roc_auc",
                        SCORED_, ""),
    "auc_all_equal": (_scores([42] * N), "s.csv", "labels", "roc_auc", SCORED_, ""),
    "auc_nan_score": (_scores(["nan" if i == 2 else 0.5 for i in IDS]), "s.csv", "labels", "roc_auc", "empty_value",
                      "empty or NaN"),
    "auc_inf_score": (_scores(["inf" if i == 2 else 0.5 for i in IDS]), "s.csv", "labels", "roc_auc", "wrong_type",
                      "not a finite number"),
    "log_loss_still_needs_probabilities": (_scores([3.7] * N), "s.csv", "labels", "log_loss", "probability_range",
                                           "between 0 and 1"),
    "ovr_rows_not_summing_to_one": (_class_scores(lambda i: (5, 1, 1) if i % 3 == 0 else (1, 5, 1) if i % 3 == 1
                                                  else (1, 1, 5)), "s.csv", "classes3", "roc_auc_ovr", SCORED_, ""),
    "ovr_negative_scores": (_class_scores(lambda i: (-1, -2, -3)), "s.csv", "classes3", "roc_auc_ovr", SCORED_, ""),
    "ovr_all_zero_row": (_class_scores(lambda i: (0, 0, 0)), "s.csv", "classes3", "roc_auc_ovr", SCORED_, ""),
    "mlogloss_all_zero_row": (_class_scores(lambda i: (0, 0, 0)), "s.csv", "classes3", "multiclass_log_loss",
                              "probability_sum", "must not all be 0"),
    # compression
    "gzip_of_gzip": (None, "s.csv.gz", "labels", "accuracy", "encoding", "looks gzip-compressed"),
    "good_gzip": (None, "s.csv.gz", "labels", "accuracy", SCORED_, ""),
}


def _fill_gzip_cases() -> None:
    import gzip

    once = gzip.compress(PERFECT.encode())
    EDGE_CORPUS["gzip_of_gzip"] = (gzip.compress(once), *EDGE_CORPUS["gzip_of_gzip"][1:])
    EDGE_CORPUS["good_gzip"] = (once, *EDGE_CORPUS["good_gzip"][1:])


_fill_gzip_cases()
