"""Free text people type (messages, notes): trimmed, length-limited, no control characters.

Text is always shown as text, never as HTML; refusing control characters keeps terminal
escapes and NUL bytes out of tables and exports.
"""

from __future__ import annotations

from kit.errors import ValidationError


def clean_text(text: str, *, what: str, max_chars: int, allowed_controls: str = "\t",
               empty_message: str | None = None) -> str:
    """`text` stripped; refused when too long, empty (if `empty_message`) or holding control
    characters other than `allowed_controls` (a tab by default; add a newline for notes)."""
    text = text.strip()
    if not text and empty_message:
        raise ValidationError(empty_message)
    if len(text) > max_chars:
        raise ValidationError(f"The {what} has {len(text)} characters; the most allowed is {max_chars}.")
    if any(ord(ch) < 32 and ch not in allowed_controls for ch in text):
        kind = "plain text" if "\n" in allowed_controls else "one line of text"
        raise ValidationError(f"The {what} must be {kind} (no control characters).")
    return text
