"""Names people go by on the boards (participants, teams): when two names are the same name.

Two names are the same when they look alike: under Unicode compatibility normalisation
(NFKC), case folding, and the confusables skeleton of Unicode TS #39 ("aIice" and "alice",
"ⅰ" and "i"), ignoring the separators a name may hold ("alice." and "alice"). The
confusable characters come from the `confusable-homoglyphs` package (Unicode's
confusables.txt), not a hand-made table. Names that look like a baseline row are reserved.
"""

from __future__ import annotations

import functools
import string
import unicodedata

BASELINE_WORD = "baseline"
_BIDI_MARKS = "\u200e\u200f"


@functools.cache
def _prototypes() -> dict[str, str]:
    """Each confusable character → one representative of the characters it is confused with."""
    from confusable_homoglyphs import confusables

    parent: dict[str, str] = {}

    def find(ch: str) -> str:
        while parent.setdefault(ch, ch) != ch:
            parent[ch] = parent[parent[ch]]
            ch = parent[ch]
        return ch

    def union(a: str, b: str) -> None:
        if len(a) == 1 and len(b) == 1:
            a, b = find(a), find(b)
            if a != b:
                parent[max(a, b)] = min(a, b)  # the lowest code point represents the group

    for ch, homoglyphs in confusables.confusables_data.items():
        for glyph in homoglyphs:
            union(ch, glyph["c"].strip(_BIDI_MARKS))
    # Names are case-insensitive and folded before mapping, so a Latin capital's group joins its
    # small letter's ("aIice": "I" looks like "l" and folds to "i"). Other scripts' case pairs
    # would chain unrelated groups together ("e" with "7" through Warang Citi), so they stay apart.
    for upper in string.ascii_uppercase:
        union(upper, upper.lower())
    return {ch: find(ch) for ch in parent}


def _skeleton(text: str) -> str:
    table = _prototypes()
    return "".join(table.get(ch, ch) for ch in text)


def name_key(name: str) -> str:
    """The key under which names are unique: two names with one key look the same."""
    text = _skeleton(unicodedata.normalize("NFKC", name.strip()).casefold())
    return "".join(ch for ch in text if ch.isalnum())


def looks_like_baseline(name: str) -> bool:
    """True for names that would pass for a baseline row ("baseIine logreg", "Base-line")."""
    return name_key(name).startswith(name_key(BASELINE_WORD))
