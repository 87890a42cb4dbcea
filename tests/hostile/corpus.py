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
                                         for i, y in zip(IDS, LABELS))).encode()


def csv_text(header="id,label", rows=None, sep=",", newline="\n", trailer="\n") -> str:
    rows = rows if rows is not None else [(i, y) for i, y in zip(IDS, LABELS)]
    return newline.join([header] + [sep.join(str(c) for c in row) for row in rows]) + trailer


PERFECT = csv_text()
WRONG_FIRST = csv_text(rows=[(i, 1 - y if i == 1 else y) for i, y in zip(IDS, LABELS)])  # one Public row wrong


def _rows_with(index: int, value) -> list:
    return [(i, value if n == index else y) for n, (i, y) in enumerate(zip(IDS, LABELS))]


# name → (bytes, filename)
CORPUS: dict[str, tuple[bytes, str]] = {
    # encodings
    "utf16_le_bom": (PERFECT.encode("utf-16"), "s.csv"),
    "utf16_be": (PERFECT.encode("utf-16-be"), "s.csv"),
    "utf32": (PERFECT.encode("utf-32"), "s.csv"),
    "latin1_header": (("id,label,commentaire\n" + "".join(f"{i},{y},été\n" for i, y in zip(IDS, LABELS)))
                      .encode("latin-1"), "s.csv"),
    "utf8_bom": (codecs.BOM_UTF8 + PERFECT.encode(), "s.csv"),
    "double_utf8_bom": (codecs.BOM_UTF8 * 2 + PERFECT.encode(), "s.csv"),
    "utf16_bom_on_utf8": (codecs.BOM_UTF16_LE + PERFECT.encode(), "s.csv"),
    # separators and quoting
    "semicolons": (csv_text(header="id;label", sep=";").encode(), "s.csv"),
    "tabs": (csv_text(header="id\tlabel", sep="\t").encode(), "s.csv"),
    "unclosed_quote_header": (('"id,label\n' + PERFECT.split("\n", 1)[1]).encode(), "s.csv"),
    "unclosed_quote_row": (csv_text(rows=[(f'"{i}' if i == 5 else i, y) for i, y in zip(IDS, LABELS)]).encode(),
                           "s.csv"),
    "quoted_values_ok": (csv_text(header='"id","label"', rows=[(f'"{i}"', f'"{y}"') for i, y in zip(IDS, LABELS)])
                         .encode(), "s.csv"),
    "quoted_newline": (csv_text(rows=[(i, f'"{y}\n"' if i == 3 else y) for i, y in zip(IDS, LABELS)]).encode(),
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
    "duplicated_column": (csv_text(header="id,label,label", rows=[(i, y, y) for i, y in zip(IDS, LABELS)])
                          .encode(), "s.csv"),
    "extra_trailing_commas": (csv_text(header="id,label,", rows=[(i, y, "") for i, y in zip(IDS, LABELS)])
                              .encode(), "s.csv"),
    "trailing_comma_rows_only": (csv_text(rows=[(i, f"{y},") for i, y in zip(IDS, LABELS)]).encode(), "s.csv"),
    "crlf_mixed_with_lf": ("".join(line + ("\r\n" if n % 2 else "\n")
                                   for n, line in enumerate(PERFECT.splitlines())).encode(), "s.csv"),
    "old_mac_cr": (PERFECT.replace("\n", "\r").encode(), "s.csv"),
    "empty_lines_in_middle": (PERFECT.replace("\n7,", "\n\n\n7,").replace("\n12,", "\n   \n12,").encode(), "s.csv"),
    "no_trailing_newline": (PERFECT.rstrip("\n").encode(), "s.csv"),
    "very_long_header": (csv_text(header="id,label," + ",".join(f"c{n}" for n in range(20_000)),
                                  rows=[(i, y) + ("",) * 20_000 for i, y in zip(IDS, LABELS)]).encode(), "s.csv"),
    "ragged_rows": (PERFECT.replace("\n9,", "\n9,1,2,").encode(), "s.csv"),
    "short_row": (PERFECT.replace(f"\n9,{LABELS[8]}\n", "\n9\n").encode(), "s.csv"),
    "reordered_columns": (csv_text(header="label,id", rows=[(y, i) for i, y in zip(IDS, LABELS)]).encode(), "s.csv"),
    "shuffled_rows": (csv_text(rows=list(reversed([(i, y) for i, y in zip(IDS, LABELS)]))).encode(), "s.csv"),
    # header names
    "cyrillic_i_in_id": (csv_text(header="\u0456d,label").encode(), "s.csv"),
    "fullwidth_id": (csv_text(header="\uff49\uff44,label").encode(), "s.csv"),
    "target_in_other_case": (csv_text(header="id,LABEL").encode(), "s.csv"),
    "id_in_other_case": (csv_text(header="ID,label").encode(), "s.csv"),
    "header_with_spaces": (csv_text(header=" id , label ").encode(), "s.csv"),
    "zero_width_space_header": (csv_text(header="id\u200b,label").encode(), "s.csv"),
    "no_header": (csv_text(header="1,0", rows=[(i, y) for i, y in zip(IDS[1:], LABELS[1:])]).encode(), "s.csv"),
    # ids
    "scientific_ids": (csv_text(rows=[("1e3" if i == 1 else i, y) for i, y in zip(IDS, LABELS)]).encode(), "s.csv"),
    "scientific_id_equal": (csv_text(rows=[("1e0" if i == 1 else i, y) for i, y in zip(IDS, LABELS)]).encode(),
                            "s.csv"),
    "float_ids": (csv_text(rows=[(f"{i}.0", y) for i, y in zip(IDS, LABELS)]).encode(), "s.csv"),
    "ids_with_spaces": (csv_text(rows=[(f" {i}" if i == 7 else f"{i} " if i == 8 else i, y)
                                       for i, y in zip(IDS, LABELS)]).encode(), "s.csv"),
    "fullwidth_digit_ids": (csv_text(rows=[("\uff17" if i == 7 else i, y) for i, y in zip(IDS, LABELS)]).encode(),
                            "s.csv"),
    "negative_zero_id": (csv_text(rows=[("-0" if i == 1 else i, y) for i, y in zip(IDS, LABELS)]).encode(), "s.csv"),
    "duplicate_ids": (csv_text(rows=[(2 if i == 1 else i, y) for i, y in zip(IDS, LABELS)]).encode(), "s.csv"),
    "huge_id": (csv_text(rows=[("9" * 40 if i == 1 else i, y) for i, y in zip(IDS, LABELS)]).encode(), "s.csv"),
    "hex_id": (csv_text(rows=[("0x1" if i == 1 else i, y) for i, y in zip(IDS, LABELS)]).encode(), "s.csv"),
    "extra_row": ((PERFECT + "21,0\n").encode(), "s.csv"),
    "missing_row": (csv_text(rows=[(i, y) for i, y in zip(IDS[1:], LABELS[1:])]).encode(), "s.csv"),
    # labels
    "nan_label": (csv_text(rows=_rows_with(3, "nan")).encode(), "s.csv"),
    "NaN_label": (csv_text(rows=_rows_with(3, "NaN")).encode(), "s.csv"),
    "inf_label": (csv_text(rows=_rows_with(3, "inf")).encode(), "s.csv"),
    "minus_inf_label": (csv_text(rows=_rows_with(3, "-inf")).encode(), "s.csv"),
    "negative_zero_label": (csv_text(rows=[(i, "-0" if y == 0 else y) for i, y in zip(IDS, LABELS)]).encode(),
                            "s.csv"),
    "empty_label": (csv_text(rows=_rows_with(3, "")).encode(), "s.csv"),
    "unknown_class": (csv_text(rows=_rows_with(3, 2)).encode(), "s.csv"),
    "text_label": (csv_text(rows=_rows_with(3, "yes")).encode(), "s.csv"),
    "float_labels": (csv_text(rows=[(i, f"{y}.0") for i, y in zip(IDS, LABELS)]).encode(), "s.csv"),
    "formula_label": (csv_text(rows=_rows_with(3, "=1+1")).encode(), "s.csv"),
}


def _truncated_gzip() -> bytes:
    import gzip

    return gzip.compress(PERFECT.encode())[:30]


CORPUS["truncated_gzip"] = (_truncated_gzip(), "s.csv.gz")
