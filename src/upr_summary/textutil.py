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
"""

from __future__ import annotations

import functools
import re
import unicodedata

_WS = re.compile(r"\s+")
# Characters XML 1.0 forbids (vertical tab, form feed, NUL ...) and other C0/C1 controls.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_NON_ALNUM = re.compile(r"[\W_]+", re.UNICODE)


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


def clean_text(text: str) -> tuple[str, int]:
    """Trim, fold runs of white space into one space and drop control characters.

    Returns the cleaned text and how many control characters were removed.
    """
    if text.isprintable() and "  " not in text:  # the usual case: nothing but stray edges
        return text.strip(), 0
    text, removed = _CONTROL.subn(" ", text)
    return _WS.sub(" ", text).strip(), removed


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
