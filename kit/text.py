"""Free text people type (messages, notes): trimmed, length-limited, UTF-8, no control characters.

Text is always shown as text, never as HTML; refusing control characters keeps terminal
escapes and NUL bytes out of tables and exports.
"""

from __future__ import annotations

from kit.errors import InvalidInputError


def is_utf8(text: str) -> bool:
    """False for text holding lone surrogates: how Python carries bytes that were not UTF-8
    (command-line arguments, JSON escapes). No database can store them, so they are refused
    before any work is done, not when the row is written."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def clean_text(text: str, *, what: str, max_chars: int, allowed_controls: str = "\t",
               empty_message: str | None = None) -> str:
    """`text` stripped; refused when too long, empty (if `empty_message`) or holding control
    characters other than `allowed_controls` (a tab by default; add a newline for notes)."""
    text = text.strip()
    if not is_utf8(text):
        raise InvalidInputError(f"The {what} is not valid UTF-8 text: it holds a byte that is no character "
                                "(often a terminal or file in another encoding). Type it again in UTF-8.")
    if not text and empty_message:
        raise InvalidInputError(empty_message)
    if len(text) > max_chars:
        raise InvalidInputError(f"The {what} has {len(text)} characters; the most allowed is {max_chars}.")
    if any(ord(ch) < 32 and ch not in allowed_controls for ch in text):
        kind = "plain text" if "\n" in allowed_controls else "one line of text"
        raise InvalidInputError(f"The {what} must be {kind} (no control characters).")
    return text
