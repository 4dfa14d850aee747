"""Decode the bytes of a text file the way users' files really come.

UTF-8 (with or without BOM) and UTF-16 (Excel's "Unicode text") are recognised for
sure. Anything else is a legacy 8-bit export: Windows-1252 or Mac Roman, told apart
by which reading gives plausible letters and punctuation ("Habré" rather than
"HabrŽ"). The caller reports the guess with an example word so that a wrong guess is
never silent.

>>> decode_bytes("Habré".encode("mac_roman") + b"\\r").encoding
'mac_roman'
>>> decode_bytes("Habré".encode("cp1252")).encoding
'cp1252'
>>> decode_bytes("Habré".encode("utf-8")).text
'Habré'
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

from ..model import Location, Problem
from ..problems import problem

ENCODING_NAMES = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8",
    "utf-16": "UTF-16",
    "cp1252": "Windows-1252",
    "mac_roman": "Mac Roman",
}

# Typographic characters that real prose uses and both legacy code pages can encode.
_PLAUSIBLE_PUNCT = set("’‘“”–—…•«»°€£§©®¡¿·ºª±")


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    #: True when the encoding was chosen by plausibility, not known for sure.
    guessed: bool = False
    #: The guess was close: both readings looked about as plausible.
    uncertain: bool = False
    #: Bytes that were not valid in the chosen encoding (replaced by U+FFFD).
    invalid_bytes: int = 0
    #: A word that shows how the guess reads accented letters.
    example: str | None = None


def looks_binary(data: bytes) -> bool:
    """NUL bytes outside a UTF-16 file, or many control bytes: not a text file."""
    sample = data[:8192]
    if not sample:
        return False
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    nuls = sample.count(0)
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return nuls > len(sample) * 0.05 or controls > len(sample) * 0.1


def _plausibility(text: str) -> int:
    """How plausible the non-ASCII letters and signs of a decoded text are (each looked
    at with the character before it)."""
    score = 0
    for found in _NON_ASCII.finditer(text):
        at = found.start()
        ch, previous = text[at], text[at - 1] if at else " "
        category = unicodedata.category(ch)
        if category.startswith("L"):
            latin1_letter = "\u00c0" <= ch <= "\u00ff" and ch not in "×÷"
            if ch.isupper() and previous.islower():
                score -= 3  # "EquitŽ": a capital inside a word
            elif latin1_letter:
                score += 2
            else:
                score -= 1
        elif ch in _PLAUSIBLE_PUNCT:
            score += 1
        elif category.startswith("C"):
            score -= 3
        else:
            score -= 1
    return score


_NON_ASCII = re.compile(r"[^\x00-\x7f]")
#: A character beyond ASCII that is not a byte ``surrogateescape`` kept.
_REAL_NON_ASCII = re.compile("[\u0080-\udc7f\udd00-\U0010ffff]")


_WORD = re.compile(r"\w*[^\x00-\x7f]\w*")


def decode_bytes(data: bytes, encoding: str | None = None) -> Decoded:
    """Decode file bytes; ``encoding`` forces one (from the project file)."""
    if encoding:
        try:
            text = data.decode(encoding, errors="replace")
        except (LookupError, UnicodeError, ValueError):
            # Not a text encoding after all (the project file checks the name): detect.
            return decode_bytes(data)
        return Decoded(text, encoding, invalid_bytes=text.count("\ufffd"))
    if data.startswith(codecs.BOM_UTF8):
        return _utf8(data[3:], "utf-8-sig")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16", errors="replace")
        return Decoded(text, "utf-16", invalid_bytes=text.count("\ufffd"))
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    # Valid UTF-8 sequences mixed with stray bytes: a damaged UTF-8 file, not a legacy one.
    escaped = data.decode("utf-8", errors="surrogateescape")
    if _REAL_NON_ASCII.search(escaped):
        return _utf8(data, "utf-8")
    candidates: list[tuple[int, str, str]] = []
    for name in ("cp1252", "mac_roman"):
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        candidates.append((_plausibility(text), name, text))
    cr_only = b"\r" in data and b"\n" not in data
    # Higher plausibility wins; on a tie Mac files betray themselves by bare CR line ends.
    candidates.sort(key=lambda c: (c[0], (c[1] == "mac_roman") == cr_only), reverse=True)
    best = candidates[0]
    uncertain = len(candidates) > 1 and abs(candidates[0][0] - candidates[1][0]) <= 1 or best[0] < 0
    match = _WORD.search(best[2])
    return Decoded(best[2], best[1], guessed=True, uncertain=uncertain,
                   example=match.group(0) if match else None)


def _utf8(data: bytes, name: str) -> Decoded:
    text = data.decode("utf-8", errors="replace")
    return Decoded(text, name, invalid_bytes=text.count("\ufffd"))


def decode_reporting(data: bytes, file: str, encoding: str | None,
                     problems: list[Problem]) -> Decoded:
    """Decode a file's bytes and tell the user when the encoding was a guess."""
    decoded = decode_bytes(data, encoding)
    if decoded.guessed:
        example = f" (e.g. '{decoded.example}')" if decoded.example else ""
        doubt = " The guess is uncertain." if decoded.uncertain else ""
        problems.append(problem("legacy-encoding", Location(file),
                                encoding=ENCODING_NAMES[decoded.encoding], example=example,
                                doubt=doubt))
    return decoded
