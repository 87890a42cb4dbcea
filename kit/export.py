"""Leaderboards as CSV, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io

# A cell starting with one of these is run as a formula by spreadsheet programs.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """Prefix text that a spreadsheet would take for a formula with a quote."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def board_csv(board, *, private: bool) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    header = ["rank", "participant", "baseline", "score", "entries", "submitted_at"]
    writer.writerow(header + (["public_rank", "shake_up"] if private else []))
    for row in board:
        values = ["" if row.rank is None else row.rank, neutralise(row.participant), int(row.is_baseline),
                  repr(row.score), row.entries, row.submitted_at.isoformat()]
        if private:
            values += ["" if row.public_rank is None else row.public_rank, "" if row.shake_up is None else row.shake_up]
        writer.writerow(values)
    return buffer.getvalue()
