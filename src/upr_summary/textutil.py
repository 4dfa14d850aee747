"""Small text helpers shared by the loaders, the checks and the counts.

>>> match_key("  Issue area(s) ")
'issueareas'
>>> match_key("Derecho a la Vivienda")
'derechoalavivienda'
>>> fold("Genève")
'geneve'
>>> clean_text("  two\\tspaces \\x0b here ")
('two spaces here', 1)
>>> split_list("Housing; Water ;; Food", ";")
['Housing', 'Water', 'Food']
>>> clean_cell("Rents rose\u202e by 40%.")   # a right-to-left override, never closed
('Rents rose by 40%.', 0, 1)
"""

from __future__ import annotations

import functools
import re
import unicodedata

_WS = re.compile(r"\s+")
# Characters XML 1.0 forbids (vertical tab, form feed, NUL ...) and other C0/C1 controls;
# lone surrogates (no file holds one, but a YAML escape can make one: no output can be
# written with it); and the private-use characters upr-summary keeps for its own marks
# (U+E000 to U+E00F: tokens and withheld marks of the document, see document.py).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ue000-\ue00f"
                      "\ufffe\uffff]")
_NON_ALNUM = re.compile(r"[\W_]+", re.UNICODE)
# Bidirectional formatting characters. Embeddings and overrides (LRE, RLE, PDF, LRO, RLO)
# reorder everything after them to the end of the paragraph when left open (in a report:
# the rest of the sentence, its footnote number, the next sources), and an override shows
# even a closed span in an order other than the one stored ("Trojan Source"): all of them
# are removed. Isolates (LRI, RLI, FSI ... PDI) are what keeps a right-to-left phrase in
# place inside left-to-right text: kept when they open and close in order, removed when
# unmatched. Marks (LRM, RLM, ALM) reorder nothing after them and stay.
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
_ISOLATE_OPEN = frozenset("\u2066\u2067\u2068")
_ISOLATE_CLOSE = "\u2069"


def fold(text: str) -> str:
    """Lower case without accents: 'Genève' -> 'geneve' (ASCII text takes a fast path)."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@functools.lru_cache(maxsize=1 << 16)
def match_key(text: str) -> str:
    """A key for matching names: no case, accents, spaces or punctuation."""
    return _NON_ALNUM.sub("", fold(text))


def strip_bidi(text: str) -> tuple[str, int]:
    """Remove the bidirectional controls that could make text display in another order
    than it is written (see ``_BIDI``); returns the text and how many were removed.

    >>> strip_bidi("\u2067\u0645\u0631\u0643\u0632\u2069 ok")   # a closed isolate stays
    ('\u2067\u0645\u0631\u0643\u0632\u2069 ok', 0)
    >>> strip_bidi("a\u2069b\u2066c")                  # unmatched isolates go
    ('abc', 2)
    """
    if not _BIDI.search(text):
        return text, 0
    chars = list(text)
    opened: list[int] = []
    removed = 0
    for i, ch in enumerate(chars):
        if ch in _ISOLATE_OPEN:
            opened.append(i)
        elif ch == _ISOLATE_CLOSE:
            if opened:
                opened.pop()
            else:
                chars[i] = ""
                removed += 1
        elif "\u202a" <= ch <= "\u202e":
            chars[i] = ""
            removed += 1
    for i in opened:
        chars[i] = ""
        removed += 1
    return "".join(chars), removed


def clean_cell(text: str) -> tuple[str, int, int]:
    """Trim, fold runs of white space into one space, drop control characters and the
    bidirectional controls that could reorder the text after them.

    Returns the cleaned text, how many control characters and how many bidirectional
    controls were removed.
    """
    if text.isprintable() and "  " not in text:  # the usual case: nothing but stray edges
        return text.strip(), 0, 0
    text, removed = _CONTROL.subn(" ", text)
    text, bidi = strip_bidi(text)
    return _WS.sub(" ", text).strip(), removed, bidi


def clean_text(text: str) -> tuple[str, int]:
    """:func:`clean_cell`, with one count of the characters removed (controls and
    bidirectional controls together)."""
    cleaned, removed, bidi = clean_cell(text)
    return cleaned, removed + bidi


def split_list(text: str, separator: str) -> list[str]:
    """Split a cell such as ``"Housing; Water"`` into its trimmed, non-empty parts."""
    if separator not in text:
        text = text.strip()
        return [text] if text else []
    return [part for part in (p.strip() for p in text.split(separator)) if part]


def word_count(text: str) -> int:
    return len(text.split())


def shorten(text: str, width: int = 60) -> str:
    """Shorten text for a message: ``'A long finding about hou…'``."""
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"
