"""Small text helpers shared by the loaders, the checks and the counts.

>>> match_key("  Issue area(s) ")
'issueareas'
>>> match_key("Derecho a la Vivienda")
'derechoalavivienda'
>>> fold("Genève"), fold("Œuvre Ætherlink Łódź Ørsted straße")
('geneve', 'oeuvre aetherlink lodz orsted strasse')
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


#: Letters also written another way, which Unicode does not decompose: the ligatures
#: Œ and Æ ("Œuvre" is also written "Oeuvre"), the barred and stroked letters (ø, đ, ł,
#: ħ, ŧ), the Icelandic thorn and eth, the dotless i, the Sami eng. Both sides of any
#: comparison (names and text, headers and synonyms) read them as their Latin spelling.
#: (ß, ĳ and the ﬁ, ﬂ ... ligatures need nothing here: case folding and NFKD spell them
#: out as ss, ij, fi, fl.)
TWO_WAY_LETTERS: dict[int, str] = {ord(k): v for k, v in {
    "Œ": "oe", "œ": "oe", "Æ": "ae", "æ": "ae", "Ø": "o", "ø": "o", "Đ": "d", "đ": "d",
    "Ð": "d", "ð": "d", "Ł": "l", "ł": "l", "Þ": "th", "þ": "th", "Ħ": "h", "ħ": "h",
    "ı": "i", "Ŧ": "t", "ŧ": "t", "Ŋ": "ng", "ŋ": "ng", "ƒ": "f", "Ꜳ": "aa", "ꜳ": "aa",
    "Ɨ": "i", "ɨ": "i", "Ƶ": "z", "ƶ": "z", "Ȼ": "c", "ȼ": "c", "Ɇ": "e", "ɇ": "e",
    "ẞ": "ss", "ß": "ss",
}.items()}


def fold(text: str) -> str:
    """Lower case without accents: 'Genève' -> 'geneve' (ASCII text takes a fast path);
    ligatures and other :data:`TWO_WAY_LETTERS` spelt out: 'Œuvre' -> 'oeuvre'."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold()).translate(TWO_WAY_LETTERS)
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


# -- polarity: words that turn a claim into its opposite ----------------------------------
#: Stems of words that say which way something goes or what is done to a law or a right,
#: by the pole they stand for. Two findings that differ in these say different (often
#: opposite) things ("abolished" / "reinstated", "rose" / "fell"), however close their
#: other words: they are never merged or grouped.
_POLES: dict[str, str] = {}
for _pole, _stems in {
    "up": "increas rose rise risen rising grew grow grown growing growth doubl tripl higher soar "
          "surg climb jump expand augment aument hausse",
    "down": "decreas fell fall fallen falling drop declin shrank shrink halv lower reduc cut "
            "dimin plummet disminu baiss",
    "end": "abolish abolit repeal lift scrap revok withdr decriminal legaliz legalis abrog "
           "suppress derog",
    "start": "reinstat introduc impos criminaliz criminalis restor reintroduc ban prohib",
    "better": "improv better",
    "worse": "worsen worse deteriorat",
    "open": "open reopen",
    "closed": "close closing closure shut",
    "accepted": "accept granted approv",
    "rejected": "reject oppos denied deny refus",
    "women": "women woman girl female mujer femme",
    "men": "men man boy male hombre homme",
    # where: "in the north" / "in the south" are two findings
    "north": "north", "south": "south", "east": "east", "west": "west",
    "urban": "urban", "rural": "rural",
}.items():
    for _stem in _stems.split():
        _POLES[_stem] = _pole
_POLE_STEMS = tuple(sorted(_POLES, key=len, reverse=True))
#: Capitalised words inside a sentence: places and names ("in Northgate", "in Saltmarsh").
_INNER_NAME = re.compile(r"(?<=[^\s.!?:;\u201c\"(\[]\s)[A-Z\u00c0-\u00de][\w'\u2019-]+")


@functools.lru_cache(maxsize=1 << 16)
def pole(word: str) -> str | None:
    """The pole a (folded, lower-case) word stands for, or None.

    >>> pole("increased"), pole("fell"), pole("reinstated"), pole("housing")
    ('up', 'down', 'start', None)
    """
    if len(word) < 3:
        return None
    for stem in _POLE_STEMS:
        if word.startswith(stem):
            # "men" in "mental", "man" in "management", "cut" in "cutlery": whole words
            # for the short stems
            if stem in ("men", "man", "boy", "cut", "ban", "open", "shut", "lift", "deny",
                        "male", "rise", "fall", "drop", "grow", "east", "west") and word != stem \
                    and word not in (stem + "s", stem + "ned", stem + "ning", stem + "ed",
                                     stem + "ped", stem + "ping", stem + "ing", stem + "n",
                                     stem + "ern"):
                continue
            return _POLES[stem]
    return None


def poles(text: str) -> frozenset[str]:
    """The poles of a text: two texts whose poles differ do not express the same concern.

    >>> sorted(poles("Evictions rose, and the moratorium was lifted."))
    ['end', 'up']
    """
    return frozenset(p for w in re.findall(r"\w+", fold(text)) if (p := pole(w)))


def polarity(text: str) -> frozenset[str]:
    """The poles of a text and its capitalised words inside sentences (places, names):
    two texts whose polarity differs are not the same finding, worded twice.

    >>> sorted(polarity("Evictions in Lowmere rose in 2024."))
    ['name:lowmere', 'pole:up']
    """
    out = {f"pole:{p}" for p in poles(text)}
    out |= {f"name:{fold(m.group(0))}" for m in _INNER_NAME.finditer(text)}
    return frozenset(out)
