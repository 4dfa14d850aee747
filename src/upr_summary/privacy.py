"""What a published output may contain, and the redaction that makes it so.

Published outputs (:data:`PUBLISHED_OUTPUTS`) never contain a confidential organization's
name, its own submission code, an e-mail address found in submitted data, or an input
file's name. Working files for the coordinator alone (:data:`WORKING_OUTPUTS`) keep the
data as given and never go into the report's output folder.

Matching works on normalised text: NFKC, case folded, accents and other combining marks
dropped, invisible format characters (zero-width spaces and joiners, the soft hyphen,
bidi controls, the byte order mark) removed, and any run of up to three non-word
characters (hyphens, dots, nothing at all) and any white space accepted between the words
of a name. Letters written two ways are one: ligatures and stroked letters are spelt out
on both sides ("Œuvre" and "Oeuvre", "Ætherlink" and "Aetherlink", "Łódź" and "Lodz",
see :data:`~upr_summary.textutil.TWO_WAY_LETTERS`), and a name with ä, ö, ü, ø or å is
also matched as written with ae, oe, ue, oe and aa ("Müller" and "Mueller"), and the
other way round (:func:`spellings`).
The replacement is made in the original text, whose other characters stay as they were.

>>> from upr_summary.model import Location, Submission
>>> subs = [Submission("RDC", "individual", "Rainbow Défenders Collective", (),
...                    Location("rdc.csv", 2), confidential=True),
...         Submission("C1", "individual", "Open Door", (), Location("od.csv", 2))]
>>> p = Publisher(subs)
>>> p.code("RDC"), p.code("C1")
('C2', 'C1')
>>> p.text("RAINBOW DE\\u0301FENDERS\\u200b collective (rdc) wrote to x@y.org.")
'[name withheld] ([name withheld]) wrote to [e-mail withheld].'
>>> p.text("Rainbow-Defenders-Collective and RainbowDefendersCollective")
'[name withheld] and [name withheld]'
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata
import urllib.parse
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from .textutil import TWO_WAY_LETTERS

if TYPE_CHECKING:
    from .model import Submission

#: Every published output, in one place: the privacy tests build each of them and check
#: that none holds a confidential name or code, an e-mail address or an input file name.
#: Add an output here when it is added to the tool (the test then fails until it can
#: build it). ``report.*``: the files `build` writes; ``stats.*``: `upr-summary stats`.
PUBLISHED_OUTPUTS: tuple[str, ...] = (
    "report.docx",
    "report.md",
    "report.pdf",
    "report.chart",
    "report.json",
    "compilation.docx",
    "compilation.md",
    "compilation.pdf",
    "stats.table",
    "stats.json",
    "stats.csv",
    "stats.markdown",
)

#: Outputs for the coordinator alone: they keep the data as given (file names, e-mails
#: other than contact e-mails, confidential names where a row needs them to be fixed).
WORKING_OUTPUTS: tuple[str, ...] = (
    "classify.csv",          # upr-summary classify -o FILE
    "build.show-excluded",   # upr-summary build --show-excluded, on the terminal
    "messages",              # problems, warnings and progress on the terminal
)

#: What stands in for a confidential organization's name or own code.
NAME_WITHHELD = "[name withheld]"
#: What stands in for an e-mail address found in submitted data.
EMAIL_WITHHELD = "[e-mail withheld]"
#: What stands in for a telephone number found in submitted data.
PHONE_WITHHELD = "[phone number withheld]"
#: The annex's line for a confidential submission.
CONFIDENTIAL = "Confidential submission"
#: Neutral codes of confidential submissions: C1, C2, ...
NEUTRAL_PREFIX = "C"

#: What may stand between the words of a name: any white space and up to three other
#: non-word characters ("Rainbow-Defenders", "Rainbow   Defenders", "RainbowDefenders",
#: "S.O.S. Femmes", "Rainbow - Defenders").
_GAP = r"\s*(?:[^\w\s]\s*){0,3}"  # unambiguous: no backtracking over long runs
_WORD = re.compile(r"\w+")
#: Where an e-mail address is anchored: "@" (also full-width, after NFKC), "[at]", "(at)",
#: "{at}", "(@)", and the French and Spanish names of the sign in brackets: "[arobase]",
#: "(arroba)".
_AT = re.compile(r"\\?@|%40|&#0*64;|&#x0*40;|&commat;"
                 r"|[\[({<]\s*(?:at|@|arobase|arobas|arroba)\s*[\])}>]", re.IGNORECASE)
_LOCAL = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.!#$%&'*+/=?^`~_-")
#: The words for the dot of a domain: English, French, Spanish.
_DOT_WORD = r"(?:dot|point|punto)"
#: Between the labels of a domain: a dot with up to two spaces around it, "[.]", "(dot)",
#: "(point)", "[punto]", or the word "dot", "point" or "punto".
_DOT = (r"(?:\s{0,2}\.\s{0,2}|\s*[\[({<]\s*(?:" + _DOT_WORD + r"|\.)\s*[\])}>]\s*|\s{1,3}"
        + _DOT_WORD + r"\s{1,3})")
_DOMAIN = re.compile(r"\s{0,3}[\w-]+(?:" + _DOT + r"[\w-]+)+", re.IGNORECASE)
#: "info at example dot org": the word "at" counts only before a domain whose labels are
#: joined by "dot" (spoken or in brackets) and that ends in a top-level domain of 2-24
#: letters, so that "look at the data" stays prose (and "at a point in time": "point" is
#: not the dot of an English address).
_AT_SPOKEN = re.compile(r"(?<=\s)at(?=\s)", re.IGNORECASE)
_SPOKEN_DOT = r"(?:\s*[\[({<]\s*(?:dot|\.)\s*[\])}>]\s*|\s{1,3}dot\s{1,3})"
_BRACKET_DOT = re.compile(r"[\[({<]\s*\.\s*[\])}>]")
_DOMAIN_SPOKEN = re.compile(r"\s{1,3}[\w-]+(?:" + _SPOKEN_DOT + r"[\w-]+)*" + _SPOKEN_DOT
                            + r"[a-z]{2,24}\b", re.IGNORECASE)
#: "jean arobase ong point fr", "ana arroba ong.org": the French and Spanish words for the
#: sign, between spaces (never "l'arobase", the sign itself), before a domain that ends in a
#: top-level domain of 2-24 letters, its labels joined by dots or by a word for the dot.
_AT_WORD = re.compile(r"(?<=\s)(?:arobase|arobas|arroba)(?=\s)", re.IGNORECASE)
_DOMAIN_WORD = re.compile(r"\s{1,3}[\w-]+(?:" + _DOT + r"[\w-]+)*" + _DOT + r"[a-z]{2,24}\b",
                          re.IGNORECASE)
#: "ana.lopez(a)ong.org", "ana [a] ong.org": a lone "a" in brackets (a space either side at
#: most) between a local part with a letter in it and a domain written tight (no space
#: around its dots) that ends in a top-level domain of 2-24 letters ("article 5(a) of the
#: law", "2 (a) states. The", "12(a)ii.bis" stay prose).
_AT_A = re.compile(r"(?<=[\w.-]) ?[\[({]a[\])}] ?(?=[\w-])", re.IGNORECASE)
_TIGHT_DOT = r"(?:\.| ?[\[({](?:" + _DOT_WORD + r"|\.)[\])}] ?)"
_DOMAIN_TIGHT = re.compile(r"[\w-]+(?:" + _TIGHT_DOT + r"[\w-]+)*" + _TIGHT_DOT
                           + r"[a-z]{2,24}\b", re.IGNORECASE)

#: "jane.doe at ngo-example.org", "info at ngo.org": the plain word "at" before a domain
#: written tight, when what comes before it looks like a mailbox (a dot, an underscore or a
#: digit inside it, or a mailbox's usual name), so that "protested at parliament.gov" stays
#: prose.
_AT_PLAIN = re.compile(r"(?<=[\w.-]) at (?=[\w-]+\.)", re.IGNORECASE)
_DOMAIN_PLAIN = re.compile(r"[\w-]+(?:\.[\w-]+)*\.[a-z]{2,24}\b", re.IGNORECASE)
_MAILBOX = re.compile(r"[\w-]*[._\d][\w.-]*|info|contact|contacto|admin|office|mail|hello|"
                      r"secretariat|secretariado|secretariado|director|press|prensa|presse|"
                      r"coordination|coordinacion|coordinator|upr|epu", re.IGNORECASE)

#: Hangul vowel and trailing jamo: they compose with the syllable before them.
_JAMO_CONTINUATION = range(0x1160, 0x1200)
#: Common words (English, French, Spanish) that make a poor confidential code or name:
#: withholding them everywhere also withholds the word. ``validate`` warns about them.
COMMON_WORDS = frozenset("""
a about after all also an and any are as at be been but by can could do for from had has
have he her his how if in into is it its may more my no not now of on one or our out she so
some than that the their them then there these they this to too two up us was we were what
when which who will with would you your yes act aid art end law new way who why own see
le la les un une des du de et est en au aux ce ces il elle nous vous ils sur par pour pas
plus que qui dans avec son sa ses mais ou où non oui tout tous
el los las una uno del al y es por con para como pero su sus se lo mas más sin sobre ya
""".split())


def _is_continuation(ch: str) -> bool:
    return unicodedata.category(ch) in ("Mn", "Mc", "Me") or ord(ch) in _JAMO_CONTINUATION


@functools.lru_cache(maxsize=4096)
def _fold_cluster(cluster: str, underscores: bool = False) -> str:
    """One base character and its marks -> the matching form (may be empty or longer)."""
    decomposed = unicodedata.normalize("NFKD", cluster)
    kept = "".join(ch for ch in decomposed if not _dropped(ch)).translate(_TABLE)
    if not kept.isascii():
        kept = "".join(_digit(ch) for ch in kept)
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", kept).casefold())
    return folded if underscores else _final(folded)


def _digit(ch: str) -> str:
    """A decimal digit of any script as its ASCII digit ("١" "۱" "१" -> "1"): a code is
    the same code in Arabic-Indic, Persian or Devanagari digits."""
    return str(unicodedata.decimal(ch)) if not ch.isascii() and ch.isdecimal() else ch


def _final(form: str) -> str:
    """An underscore separates words here ("rainbow_defenders"): one character for one."""
    return form.replace("_", " ") if "_" in form else form


def normalise(text: str, underscores: bool = False) -> tuple[str, list[int], list[int]]:
    """The matching form of ``text`` and, for each of its characters, where the original
    characters it comes from start and end.

    >>> normalise("Ca\\u0301\\u200bT")[0]
    'cat'
    """
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i, n = 0, len(text)
    while i < n:
        # A run of ASCII characters folds one for one (lower case, "_" as a space) and is
        # done at once, but for its last character, which may take marks that follow it.
        found = _NON_ASCII.search(text, i)
        k = found.start() if found else n
        stop = k - 1 if k < n else k
        if stop > i:
            run = text[i:stop].lower()
            out.append(run if underscores else run.replace("_", " "))
            starts.extend(range(i, stop))
            ends.extend(range(i + 1, stop + 1))
            i = stop
            continue
        j = i + 1
        # Marks go with their letter; an invisible character stands alone, so that a span
        # never takes the bidi control or joiner just after a name (keeping pairs whole).
        while j < n and not text[j].isascii() and _is_continuation(text[j]) and (
                unicodedata.category(text[j]) != "Cf"):
            j += 1
        folded = _fold_cluster(text[i:j], underscores)
        for ch in folded:
            out.append(ch)
            starts.append(i)
            ends.append(j)
        i = j
    return "".join(out), starts, ends


_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_TABLE: dict[int, str] = {}  # filled below: confusables and blanks


#: Unicode's Default_Ignorable_Code_Point property (DerivedCoreProperties.txt), as ranges:
#: characters a renderer shows as nothing (zero-width and bidi controls, the Hangul fillers
#: U+115F, U+1160, U+3164, U+FFA0, the combining grapheme joiner, variation selectors,
#: tag characters, the Mongolian vowel separator ...). Matching drops every one of them.
DEFAULT_IGNORABLE: tuple[tuple[int, int], ...] = (
    (0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x115F, 0x1160),
    (0x17B4, 0x17B5), (0x180B, 0x180F), (0x200B, 0x200F), (0x202A, 0x202E),
    (0x2060, 0x206F), (0x3164, 0x3164), (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
)
#: Blank characters that are not white space to ``str.isspace`` (the braille blank):
#: matched as a space. (Every other space, category Zs, is white space already.)
_BLANKS = {0x2800: " "}
#: Characters drawn as the dot of a domain ("ngo。org" with the ideographic full stop, the
#: halfwidth one, the one-dot leader): matched as a dot.
_DOTS = {0x3002: ".", 0xFF61: ".", 0x2024: ".", 0xFE52: "."}
#: Modifier letters drawn as an apostrophe ("Defendersʼ", U+02BC): Unicode counts them as
#: letters, which would make "defendersʼ" another word; matched as the apostrophe.
_APOSTROPHES = {0x02BC: "'", 0x02BB: "'", 0x02B9: "'", 0x02BD: "'", 0x02C8: "'"}
#: Cyrillic and Greek letters drawn like Latin ones ("Rаinbow" with a Cyrillic а), and the
#: Latin small capitals ("ʀᴀɪɴʙᴏᴡ"): read as the Latin letter on both sides of the matching
#: (names and text), before case folding.
CONFUSABLES: dict[int, str] = {ord(k): v for k, v in zip(
    "АВЕКМНОРСТХУЅІЈаеорсухѕіјԁһԛԝӏкԜ"
    "ΑΒΕΖΗΙΚΜΝΟΡΤΥΧαοριικνυχ"
    "ᴀʙᴄᴅᴇꜰɢʜɪᴊᴋʟᴍɴᴏᴘǫʀꜱᴛᴜᴠᴡʏᴢ",
    "ABEKMHOPCTXYSIJaeopcyxsijdhqwlkW"
    "ABEZHIKMNOPTYXaopiikvux"
    "abcdefghijklmnopqrstuvwyz", strict=True)}


@functools.lru_cache(maxsize=8192)
def _dropped(ch: str) -> bool:
    """A mark (Mn, Me), an invisible format character (Cf) or any other default-ignorable
    code point (see :data:`DEFAULT_IGNORABLE`), or the Arabic tatweel."""
    if unicodedata.category(ch) in ("Mn", "Me", "Cf") or ch == "\u0640":
        return True
    code = ord(ch)
    return any(a <= code <= b for a, b in DEFAULT_IGNORABLE)


def match_form(text: str, underscores: bool = False) -> str:
    """The matching form, without the map back (fast: no loop in Python). ``underscores``:
    an underscore stays one (inside an e-mail address: "ana_lopez@example.org").

    >>> match_form("Ｒａｉｎｂｏｗ D\u200be\u0301fenders")
    'rainbow defenders'
    """
    if text.isascii():
        return text.lower() if underscores else _final(text.lower())
    kept = unicodedata.normalize("NFKD", text)
    for ch in set(_NON_ASCII.findall(kept)):  # few distinct characters: replace is fast
        if _dropped(ch):
            kept = kept.replace(ch, "")
        elif ord(ch) in _TABLE:  # (as str.translate, which looks up every character: every
            kept = kept.replace(ch, _TABLE[ord(ch)])  # value is ASCII, so none is a key)
        elif ch.isdecimal():
            kept = kept.replace(ch, _digit(ch))
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", kept).casefold())
    return folded if underscores else _final(folded)


_TABLE.update(CONFUSABLES)
_TABLE.update(_BLANKS)
_TABLE.update(_DOTS)
_TABLE.update(_APOSTROPHES)
_TABLE.update(TWO_WAY_LETTERS)


#: Letters whose marks are also written as a following "e" (German, Scandinavian), or as
#: a doubled letter (å, aa): "Müller" is also "Mueller", "Ålesund" "Aalesund".
_E_SPELLINGS = {"ä": "ae", "ö": "oe", "ü": "ue", "ø": "oe", "å": "aa",
                "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "Ø": "Oe", "Å": "Aa"}
_E_SPELLED = re.compile(r"[äöüøåÄÖÜØÅ]")
_E_WRITTEN = re.compile(r"(?<=[^\W\d_])(?:ae|oe|ue)|(?:ae|oe|ue)(?=[^\W\d_])", re.IGNORECASE)
#: Names with fewer letters than this are not respelt from "ae" to "a" (a short code would
#: then withhold another short word).
RESPELL_MIN = 6


def spellings(name: str) -> list[str]:
    """The ways a name is written that its matching form does not already join: the name;
    with ä, ö, ü, ø, å written ae, oe, ue, oe, aa; and (names of :data:`RESPELL_MIN`
    letters or more) with ae, oe, ue inside a word written a, o, u, as for the umlaut
    ("Mueller" is also written "Müller", read "muller"). At most three spellings: linear.

    >>> spellings("Müller Stiftung"), spellings("Mueller Stiftung")
    (['Müller Stiftung', 'Mueller Stiftung'], ['Mueller Stiftung', 'Muller Stiftung'])
    """
    composed = unicodedata.normalize("NFC", name)
    out = [name]
    if _E_SPELLED.search(composed):
        out.append(_E_SPELLED.sub(lambda m: _E_SPELLINGS[m.group()], composed))
    if sum(ch.isalnum() for ch in composed) >= RESPELL_MIN and _E_WRITTEN.search(composed):
        out.append(_E_WRITTEN.sub(lambda m: m.group()[0], composed))
    return out


def words(text: str) -> list[str]:
    """The words of a name in matching form: ``words("S.O.S. Femmes")`` -> s, o, s, femmes."""
    return _WORD.findall(match_form(text))


_Node = dict[str, "_Node"]


def _trie_pattern(sequences: Iterable[list[str]]) -> str:
    """One regular expression for many word sequences, as a trie: at each position the
    engine follows the common prefixes once instead of trying every name in turn. A chain
    without branches is written as one literal (no recursion over a long name)."""
    end = ""  # key marking the end of a sequence
    root: _Node = {}
    for seq in sequences:
        node = root
        for k, word in enumerate(seq):
            if k:
                node = node.setdefault("\x00", {})  # the gap between two words
            for ch in word:
                node = node.setdefault(ch, {})
        node[end] = {}

    def atom(key: str) -> str:
        return _GAP if key == "\x00" else re.escape(key)

    def emit(node: _Node) -> str:
        chain = ""
        while end not in node and len(node) == 1:  # follow a single path iteratively
            key = next(iter(node))
            chain += atom(key)
            node = node[key]
        branches = [atom(key) + emit(node[key]) for key in sorted(k for k in node if k)]
        if not branches:
            return chain
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return chain + ("(?:" + body + ")?" if end in node else body)

    return emit(root)


def _spans(found: Iterable[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Overlapping spans merged; an e-mail wins over a telephone number or a name inside
    it, a telephone number over a name."""
    rank = {EMAIL_WITHHELD: 2, PHONE_WITHHELD: 1}
    merged: list[tuple[int, int, str]] = []
    for start, stop, what in sorted(found):
        if merged and start < merged[-1][1]:
            a, b, kind = merged[-1]
            merged[-1] = (a, max(b, stop),
                          what if rank.get(what, 0) > rank.get(kind, 0) else kind)
        else:
            merged.append((start, stop, what))
    return merged


#: One-word secrets (codes) of up to this many letters are also matched letter by letter.
LETTERED_MAX = 10
#: Names with at least this many letters and digits are also matched on the text's
#: letters and digits alone (shorter ones would match inside ordinary words).
SKELETON_MIN = 8
#: HTML or XML tags, character references and URL escapes ("%20"): masked (as spaces)
#: before names are matched. (ASCII only: the masked text's matching form keeps its length.)
_MARKUP = re.compile(r"<[\x20-\x3b=\x3f-\x7e]{0,80}>|&#?[0-9A-Za-z]{1,10};|%[0-9A-Fa-f]{2}")
_NOT_ALNUM = re.compile(r"[\W_]+")
_ALNUM_RUN = re.compile(r"[^\W_]+")
_ASCII_NOT_ALNUM = {c: None for c in range(128) if not chr(c).isalnum()}


def _mask_markup(text: str) -> str:
    """``text`` with tags, character references and URL escapes as spaces (same length),
    or ``text`` itself when it has none. A reference or escape that stands for a letter or
    digit ("&#82;ainbow", "%52ainbow") becomes that letter followed by spaces."""
    if "<" not in text and "&" not in text and "%" not in text:
        return text
    masked = _MARKUP.sub(_masked, text)
    return masked if masked != text else text


def _masked(match: re.Match[str]) -> str:
    found = match.group()
    if found[0] != "<":
        char = html.unescape(found) if found[0] == "&" else urllib.parse.unquote(found)
        if len(char) == 1 and not char.isascii():
            char = _fold_cluster(char)  # "&#338;" (Œ) -> "oe"
        if 0 < len(char) < len(found) and char.isascii() and char.isalnum():
            return char + " " * (len(found) - len(char))
    return " " * len(found)


def _skeleton_spans(pattern: re.Pattern[str], form: str) -> list[tuple[int, int, str]]:
    """Spans of ``form`` whose letters and digits alone match ``pattern``, each widened to
    whole words (a plural or possessive ending stays inside)."""
    skeleton = form.translate(_ASCII_NOT_ALNUM)
    if not skeleton.isascii():
        skeleton = _NOT_ALNUM.sub("", skeleton)
    hits = [(m.start(), m.end()) for m in pattern.finditer(skeleton)]
    if not hits:
        return []
    where: list[int] = []  # skeleton index -> form index
    for run in _ALNUM_RUN.finditer(form):
        where.extend(range(run.start(), run.end()))
    out = []
    for a, b in hits:
        start, stop = where[a], where[b - 1] + 1
        while start > 0 and form[start - 1].isalnum():
            start -= 1
        while stop < len(form) and form[stop].isalnum():
            stop += 1
        out.append((start, stop, NAME_WITHHELD))
    return out


class Redactor:
    """Withholds names (any number, one compiled pattern) and, optionally, e-mail addresses.

    >>> Redactor(["Safe Haven"]).text("We trust SAFE\\u00a0HAVEN, safe-haven@x.org.")
    'We trust [name withheld], [e-mail withheld].'
    """

    def __init__(self, names: Iterable[str], emails: bool = True) -> None:
        sequences = {tuple(w) for n in names if n for s in spellings(n) if (w := words(s))}
        # A code or other one-word secret is also written letter by letter: "R.B.C.",
        # "R-B-C" for RBC.
        sequences |= {tuple(q[0]) for q in list(sequences)
                      if len(q) == 1 and 2 <= len(q[0]) <= LETTERED_MAX}
        # Names of SKELETON_MIN letters and digits or more are matched on the text's
        # letters and digits alone (any spacing, punctuation or markup inside is ignored);
        # shorter names and codes as words, with up to three non-word characters between.
        skeletons = sorted({k for q in sequences if len(k := "".join(q)) >= SKELETON_MIN})
        sequences = {q for q in sequences if len("".join(q)) < SKELETON_MIN}
        self.patterns: list[re.Pattern[str]] = []
        if sequences:
            try:
                self.patterns = [re.compile(r"\b" + _trie_pattern(list(q) for q in sorted(sequences))
                                            + r"\b")]
            except (RecursionError, re.error, OverflowError):  # one pattern per name, then
                self.patterns = [re.compile(r"\b" + _GAP.join(map(re.escape, q)) + r"\b")
                                 for q in sorted(sequences)]
        self.skeleton: re.Pattern[str] | None = None
        if skeletons:
            try:
                self.skeleton = re.compile(_trie_pattern([k] for k in skeletons))
            except (RecursionError, re.error, OverflowError):
                self.skeleton = re.compile("|".join(map(re.escape, skeletons)))
        self.emails = emails

    def find(self, text: str) -> Iterator[tuple[int, int, str]]:
        """(start, stop, replacement) in ``text`` for every name and e-mail in it."""
        if not text or (not self.patterns and not self.emails):
            return
        starts: list[int] | None = None
        ends: list[int] | None = None
        masked = _mask_markup(text)
        # The usual case: ASCII text in lower case is its matching form, letter for letter.
        form = match_form(masked)
        # (e-mails are looked for where markup is not masked and "_" is still one)
        plain = match_form(text, True) if masked is not text or "_" in text else form
        found = self._found(form, plain)
        if not found:
            return
        if not text.isascii():  # map the spans back to the original characters
            mapped, starts, ends = normalise(masked)
            if mapped != form:  # forms differ (exotic composition): match on the mapped one
                plain = normalise(text, True)[0] if masked is not text or "_" in text \
                    else mapped
                again = self._found(mapped, plain) if len(plain) == len(mapped) else []
                if len(again) < len(found):  # fail closed: withhold the whole text
                    yield 0, len(text), NAME_WITHHELD
                    return
                found = again
        for start, stop, what in _spans(found):
            if starts is None or ends is None:
                yield start, stop, what
            else:
                yield starts[start], ends[stop - 1], what

    def _found(self, form: str, plain: str) -> list[tuple[int, int, str]]:
        """Spans in ``form`` (markup masked) and ``plain`` (not masked, for e-mails), two
        matching forms of the same length."""
        found = (_emails(plain) + _phones(plain)) if self.emails else []
        for pattern in self.patterns:
            found += [(m.start(), m.end(), NAME_WITHHELD) for m in pattern.finditer(form)]
        if self.skeleton is not None:
            found += _skeleton_spans(self.skeleton, form)
        return found

    def text(self, text: str, markers: dict[str, str] | None = None) -> str:
        """``text`` with every name and e-mail replaced (by ``markers[NAME_WITHHELD]`` and
        ``markers[EMAIL_WITHHELD]`` where given)."""
        if not text:
            return text
        out, last = [], 0
        for start, stop, what in self.find(text):
            out.append(text[last:start])
            out.append(markers.get(what, what) if markers else what)
            last = stop
        if not out:
            return text
        out.append(text[last:])
        return "".join(out)

    def emails_in(self, text: str) -> list[str]:
        """The e-mail addresses written in ``text`` (as written)."""
        return [text[a:b] for a, b, what in self.find(text) if what == EMAIL_WITHHELD]

    def phones_in(self, text: str) -> list[str]:
        """The telephone numbers written in ``text`` (as written)."""
        return [text[a:b] for a, b, what in self.find(text) if what == PHONE_WITHHELD]

    def contacts_in(self, text: str) -> tuple[list[str], list[str]]:
        """The e-mail addresses and the telephone numbers written in ``text``, found in one
        pass."""
        emails: list[str] = []
        phones: list[str] = []
        for a, b, what in self.find(text):
            if what == EMAIL_WITHHELD:
                emails.append(text[a:b])
            elif what == PHONE_WITHHELD:
                phones.append(text[a:b])
        return emails, phones


#: A telephone number: an international one ("+1 (555) 010-0199", "+44 7700 900123"), or
#: any run of 7 to 15 digits in groups after a word that announces one ("tel", "phone",
#: "WhatsApp", "call", "hotline", "tél", "teléfono", "móvil"...). Groups are separated by a
#: space, a dot, a dash or brackets, never by a comma (a thousands separator). Figures
#: ("11,200", "+4 per cent", "2020-2024") are not numbers of telephones.
_PHONE_WORDS = (r"(?:tel|tél|tele?phone|téléphone|telefono|teléfono|phone|mobile|móvil|movil|"
                r"mob|ph|t(?=[.:])|m(?=[.:])|sms|texto?|txt|text(?:ing)?|dial|"
                r"portable|cell(?:phone)?|celular|whatsapp|signal|telegram|fax|hotline|"
                r"helpline|call|appel(?:ez|er)?|llam(?:e|ar|ando)|contact(?:o|ez)?)")
#: Between the groups of a number: a space, a dot, a dash, a slash, an underscore, a tilde,
#: a middle dot or an asterisk, one or two of them ("555 0100", "555_0100", "5 5 5 0 1 0 0").
_PHONE_GAP = r"[ .\-\u00a0/_~\u00b7*\u2010-\u2013]{0,2}"
_PHONE_DIGITS = r"\(?\d{1,5}\)?(?:" + _PHONE_GAP + r"\(?\d{1,5}\)?){1,14}"
_PHONE = re.compile(
    # international: "+44 7700 900123", "+ 44 ...", "0044 7700 900123"
    r"(?<![\w+])(?:\+ ?|00)\d{1,3}(?:" + _PHONE_GAP + r"\(?\d{1,5}\)?){2,14}(?!\w)"
    # after a word that announces one, up to four short words later ("call us any time on")
    rf"|(?<!\w){_PHONE_WORDS}(?:\b|(?=\d))[^\w\n+]{{0,6}}(?:[^\W\d_]{{1,12}}\b[^\w\n+]{{0,4}}){{0,4}}"
    rf"(?P<n>\+?{_PHONE_DIGITS})(?!\w)")


_MORE_PHONES = re.compile(r"[ \u00a0]*(?:,|/|;|\bor\b|\band\b|\bou\b|\bet\b|\bo\b|\by\b)"
                          r"[ \u00a0]*(?P<n>\+?" + _PHONE_DIGITS.replace("{1,14}", "{0,14}")
                          + r")(?!\w)", re.IGNORECASE)
_YEARS = re.compile(r"(?:1[89]|20)\d\d(?:[ .\-/]{1,2}(?:1[89]|20)\d\d)+")


_ASCII_DIGIT = re.compile("[0-9]")


def _has_digit(text: str) -> bool:
    """Whether any character of ``text`` is a digit (``str.isdigit``: also "²", "①").

    >>> _has_digit("rose by 4"), _has_digit("Tel ①②"), _has_digit("none")
    (True, True, False)
    """
    if text.isascii():
        return _ASCII_DIGIT.search(text) is not None
    return any(ch.isdigit() for ch in text)


def _phones(form: str) -> list[tuple[int, int, str]]:
    """Telephone-number spans in a matching form (see :data:`_PHONE`): 7 to 15 digits.

    >>> [form[a:b] for form in ["call +1 (555) 010-0199 now", "tel: 555-0100 2", "rose by "
    ...  "+4 per cent, 11,200 in 2021-2024"] for a, b, _ in _phones(form)]
    ['+1 (555) 010-0199', '555-0100 2']
    """
    if not _has_digit(form):
        return []
    found: list[tuple[int, int, str]] = []
    for m in _PHONE.finditer(form):
        start = m.start("n") if m.group("n") else m.start()
        digits = sum(ch.isdigit() for ch in form[start:m.end()])
        if _YEARS.fullmatch(form[start:m.end()]):
            continue  # "phone lines in 2019 2020": years, not a number
        if 7 <= digits <= 15 + (form.startswith("00", start) and not m.group("n")):
            found.append((start, m.end(), PHONE_WITHHELD))
            # "tel 020 7946 0958 or 020 7946 0959", "07946 095888, 07946 095889", "/ 0959":
            # the numbers listed after a number are numbers too.
            end = m.end()
            while (more := _MORE_PHONES.match(form, end)) is not None:
                listed = more.group("n")
                if sum(ch.isdigit() for ch in listed) < 3 or _YEARS.fullmatch(listed) \
                        or re.fullmatch(r"(?:1[89]|20)\d\d", listed):
                    break  # a figure or a year after the number, not another number
                found.append((more.start("n"), more.end(), PHONE_WITHHELD))
                end = more.end()
    return found


def _emails(form: str) -> list[tuple[int, int, str]]:
    """E-mail spans in a matching form: from each "@" (or "[at]", "(@)", "\\@", "(arroba)",
    "[arobase]", a tight "(a)", the word "at" before a domain written with the word "dot",
    or the word "arobase" or "arroba" before a domain) back over the local part and on over
    the domain. Linear: no pattern that could backtrack over a long word."""
    found: list[tuple[int, int, str]] = []
    if not ("@" in form or "%40" in form or "&" in form or "arob" in form or "arrob" in form
            or "a)" in form or "a]" in form or "a}" in form or " at " in form or ("at" in form and (
                "dot" in form or "[" in form or "(" in form or "{" in form or "<" in form))):
        return found
    anchors = [(m, _DOMAIN) for m in _AT.finditer(form)]
    if "dot" in form or _BRACKET_DOT.search(form):  # "at ngo dot org", "at ngo [.] org"
        anchors += [(m, _DOMAIN_SPOKEN) for m in _AT_SPOKEN.finditer(form)]
    if "arob" in form or "arrob" in form:
        anchors += [(m, _DOMAIN_WORD) for m in _AT_WORD.finditer(form)]
    if "a)" in form or "a]" in form or "a}" in form:
        anchors += [(m, _DOMAIN_TIGHT) for m in _AT_A.finditer(form)]
    if " at " in form:
        anchors += [(m, _DOMAIN_PLAIN) for m in _AT_PLAIN.finditer(form)]
    anchors.sort(key=lambda pair: pair[0].start())
    for anchor, tail in anchors:
        at = anchor.start()
        if tail is not _DOMAIN_TIGHT:
            for _ in range(3):  # "alice @ example.org", "alice [at] example [dot] org"
                if at > 0 and form[at - 1].isspace():
                    at -= 1
        start = at
        while start > 0 and (form[start - 1] in _LOCAL or form[start - 1].isalnum()):
            start -= 1
        domain = tail.match(form, anchor.end())
        spoken = tail is _DOMAIN_SPOKEN or tail is _DOMAIN_WORD
        label = _WORD.search(domain.group()) if domain and spoken else None
        if label and label.group().lower() in COMMON_WORDS:  # "look at that dot over there"
            continue
        if start == at or domain is None or (found and start < found[-1][1]):
            continue
        if tail is _DOMAIN_TIGHT and not any(ch.isalpha() for ch in form[start:at]):
            continue  # "12(a)ii.bis": a paragraph, not an address
        if tail is _DOMAIN_PLAIN and not _MAILBOX.fullmatch(form[start:at].strip()):
            continue  # "we protested at parliament.gov": a place, not an address
        found.append((start, domain.end(), EMAIL_WITHHELD))
    if "@" in form:
        found += _mangled(form, found)
    return found


#: An "@" inside a word, however the address around it is spelt ("ana@example,org",
#: "ana@@example.org", "ana@*example*.org", "ana@example·org"); a handle ("@cite") has no
#: word before its sign.
_AT_INSIDE = re.compile(r"(?<=[\w.-])@{1,2}[^\s\w]?(?=\w)")


def _mangled(form: str, found: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """The spans of addresses written around an "@" that no pattern above reads: the whole
    run of text around the sign, withheld (fail closed)."""
    more: list[tuple[int, int, str]] = []
    covered = sorted((a, b) for a, b, _ in found)
    at, until = 0, 0  # (linear: each character is looked at a bounded number of times)
    for sign in _AT_INSIDE.finditer(form):
        where = sign.start()
        while at < len(covered) and covered[at][1] <= where:
            at += 1
        if where < until or (at < len(covered) and covered[at][0] <= where):
            continue
        start = where
        while start > until and (form[start - 1] in _LOCAL or form[start - 1].isalnum()):
            start -= 1
        stop = sign.end()
        while stop < len(form) and not form[stop].isspace():
            stop += 1
        until = stop
        while stop > sign.end() and form[stop - 1] in ".,;:!?)]}\"'":
            stop -= 1  # (the sentence's own punctuation stays)
        more.append((start, stop, EMAIL_WITHHELD))
    return more


_EMAILS_ONLY = Redactor((), emails=True)


def find_phones(text: str) -> list[str]:
    """Telephone numbers in any text (international ones, or after a word such as "tel",
    "WhatsApp", "call").

    >>> find_phones("Call our hotline +1 (555) 010-0199 or WhatsApp +44 7700 900123.")
    ['+1 (555) 010-0199', '+44 7700 900123']
    """
    return _EMAILS_ONLY.phones_in(text)


def find_contacts(text: str) -> tuple[list[str], list[str]]:
    """:func:`find_emails` and :func:`find_phones` of a text, in one pass.

    >>> find_contacts("Mail a@b.org or call +1 (555) 010-0199.")
    (['a@b.org'], ['+1 (555) 010-0199'])
    """
    return _EMAILS_ONLY.contacts_in(text)


def find_emails(text: str) -> list[str]:
    """E-mail addresses in any text, also when written with invisible characters inside,
    in full-width letters or as ``name [at] domain [dot] org``.

    >>> find_emails("Write to a\\u200b@b.org or c [at] d [dot] org; see @cite.")
    ['a\\u200b@b.org', 'c [at] d [dot] org']
    """
    return _EMAILS_ONLY.emails_in(text)


def neutral_codes(submissions: Iterable[Submission]) -> dict[str, str]:
    """Original code -> the code published outputs use: confidential submissions get C1,
    C2, ... in the order of their own codes, never one that any submission already has
    (in any case) or that names a confidential organization; every other code stays."""
    from .summarize import natural_key

    subs = list(submissions)
    # Not a code any submission has, nor a confidential name ("C1" as an organization).
    taken = {match_form(s.code) for s in subs} | {
        match_form(n) for s in subs if s.confidential for n in (s.organization, *s.members) if n}
    out = {s.code: s.code for s in subs if not s.confidential}
    number = 0
    for sub in sorted((s for s in subs if s.confidential), key=lambda s: natural_key(s.code)):
        while True:
            number += 1
            code = f"{NEUTRAL_PREFIX}{number}"
            if match_form(code) not in taken:
                break
        out[sub.code] = code
    return out


#: Web mail: a confidential member's address there says nothing about who it is.
_WEBMAIL = frozenset("""gmail.com googlemail.com yahoo.com yahoo.fr hotmail.com hotmail.fr
outlook.com live.com msn.com aol.com icloud.com me.com proton.me protonmail.com gmx.de gmx.net
mail.ru yandex.ru orange.fr free.fr laposte.net web.de tutanota.com riseup.net""".split())
_CONJUNCTIONS = ("and", "et", "y", "e", "und")


#: Leading articles a registered name may carry and its usual short form drops.
ARTICLES = frozenset("the a an la le les l el los las die der das".split())
#: Trailing legal forms (abbreviations only, as words of the matching form: "e.V." is
#: "e v"): "Rainbow Bridge Collective Ltd" is also written without them.
LEGAL_FORMS: tuple[tuple[str, ...], ...] = tuple(tuple(f.split()) for f in (
    "inc", "ltd", "llc", "llp", "plc", "corp", "co", "pty", "gmbh", "ggmbh", "ev", "e v",
    "asbl", "a s b l", "vzw", "ac", "a c", "iap", "i a p", "ngo", "ong", "sa", "s a", "sarl",
    "srl", "bv", "nv", "ag", "cic", "ltda", "ry", "rf", "eg"))


def name_forms(name: str) -> list[str]:
    """The forms of a registered name that are written for it, as words of the matching
    form: the name itself; without a trailing parenthesised acronym ("... (RBC)"), the
    acronym then being one more form (withheld as a word, like a code); without leading
    articles (:data:`ARTICLES`); without trailing legal forms (:data:`LEGAL_FORMS`); with
    "and" dropped, and "&" or "+" written "and". A shortened form that is a common word
    (:data:`COMMON_WORDS`) or shorter than 3 letters is left out (it would withhold the
    word everywhere); the name itself and its acronym never are.

    >>> name_forms("The Rainbow Bridge Collective Ltd (RBC)")  # doctest: +NORMALIZE_WHITESPACE
    ['rainbow bridge collective', 'rainbow bridge collective ltd',
     'rainbow bridge collective ltd rbc', 'rbc', 'the rainbow bridge collective',
     'the rainbow bridge collective ltd', 'the rainbow bridge collective ltd rbc']
    >>> name_forms("Lawyers & Rights e.V.")  # doctest: +NORMALIZE_WHITESPACE
    ['lawyers and rights', 'lawyers and rights e v', 'lawyers rights', 'lawyers rights e v']
    """
    whole = tuple(words(name))
    if not whole:
        return []
    forms: set[tuple[str, ...]] = {whole}
    bases = [name]
    acronym = re.search(r"\s*[(\[]\s*([^()\[\]]{1,20}?)\s*[)\]]\s*$", name)
    if acronym and words(name[:acronym.start()]):
        bases.append(name[:acronym.start()])
        if words(acronym.group(1)):
            forms.add(tuple(words(acronym.group(1))))
    for base in list(bases):
        if re.search(r"[&+]", base):
            bases.append(re.sub(r"\s*[&+]\s*", " and ", base))
    for base in bases:
        tokens = tuple(words(base))
        shorter = {tokens}
        while len(tokens) > 1 and tokens[0] in ARTICLES:
            tokens = tokens[1:]
            shorter.add(tokens)
        for tokens in list(shorter):
            stripped = True
            while stripped:
                stripped = False
                for legal in LEGAL_FORMS:
                    if len(tokens) > len(legal) and tokens[-len(legal):] == legal:
                        tokens = tokens[:-len(legal)]
                        shorter.add(tokens)
                        stripped = True
                        break
        for tokens in list(shorter):
            # "X and Y" also written "X Y" ("e", "y" are a conjunction between words only)
            drop = {k for k in range(1, len(tokens) - 1) if tokens[k] in _CONJUNCTIONS
                    and len(tokens[k - 1]) > 1 and len(tokens[k + 1]) > 1}
            if drop:
                shorter.add(tuple(t for k, t in enumerate(tokens) if k not in drop))
        for tokens in shorter:
            joined = " ".join(tokens)
            if tokens and joined not in COMMON_WORDS and len("".join(tokens)) >= 3:
                forms.add(tokens)
    return sorted(" ".join(f) for f in forms)


def secrets_of(sub: Submission) -> list[str]:
    """What names a confidential submission: each form of its organization's and members'
    names (:func:`name_forms`), its contact people's names, its own code, and the domain
    of its web site and contact e-mail (unless web mail)."""
    out: list[str] = []
    for name in (sub.organization, *sub.members, *sub.contact_names):
        if name:
            out.extend(name_forms(name))
    for person in sub.contact_names:
        # A person is named by the surname too ("Secretperson", "M. Secretperson") and
        # surname first ("SECRETPERSON, Maria").
        words = person.split()
        if len(words) >= 2:
            if len(words[-1]) >= 4:
                out.extend(name_forms(words[-1]))
            out.extend(name_forms(" ".join([words[-1], *words[:-1]])))
    out.append(sub.code)
    hosts = []
    if sub.url:
        host = re.sub(r"^[a-z][a-z0-9+.-]*://", "", sub.url.strip().lower()).split("/")[0]
        hosts.append(host.split("@")[-1].split(":")[0])
    if sub.contact_email and "@" in sub.contact_email:
        hosts.append(sub.contact_email.rsplit("@", 1)[1].strip().lower())
    for host in hosts:
        host = host.removeprefix("www.")
        if host.count(".") < 1 or host in _WEBMAIL:
            continue
        out.append(host)  # (not its main label alone: "network" of network.org is a word)
    return out


def published_type(sub: Submission) -> str:
    """The kind of submission published outputs give: a confidential national human
    rights institution is an ordinary (individual) confidential submission there, since a
    country has only one such institution and its kind would name it."""
    if sub.confidential and sub.type == "nhri":
        return "individual"
    return sub.type


#: A column only ``classify`` writes: how a working file is told from other CSVs.
WORKING_CSV_MARK = "suggested_issue_area"


def holds_report(folder: str | Path, names: Iterable[str]) -> bool:
    """Whether ``folder`` holds a report (a file named as one of the report's outputs)."""
    return any((Path(folder) / name).is_file() for name in names)


def working_files_in(folder: str | Path) -> list[str]:
    """The CSV files in ``folder`` that ``classify`` wrote (working files)."""
    found: list[str] = []
    base = Path(folder)
    if not base.is_dir():
        return found
    for path in sorted(base.glob("*.csv")):
        try:
            with path.open("r", encoding="utf-8-sig", errors="replace") as handle:
                first = handle.readline(4096)
        except OSError:
            continue
        if WORKING_CSV_MARK in first:
            found.append(path.name)
    return found


class Publisher:
    """Everything a published output needs to say about submitted data: the published
    code of each submission and the published form of any text.

    ``text`` withholds confidential names and codes and e-mail addresses (for submitted
    data); ``own`` withholds names and codes only (for what the coordinator wrote in the
    project file).
    """

    def __init__(self, submissions: Iterable[Submission],
                 markers: dict[str, str] | None = None) -> None:
        subs = list(submissions)
        #: What stands for a withheld name or e-mail (the summary uses marks the templates
        #: word; stats prints :data:`NAME_WITHHELD` and :data:`EMAIL_WITHHELD`).
        self.markers = markers
        self.codes = neutral_codes(subs)
        secret = [v for s in subs if s.confidential for v in secrets_of(s)]
        self._data = Redactor(secret, emails=True)
        self._own = Redactor(secret, emails=False)
        self._cache: dict[str, str] = {}

    @property
    def confidential(self) -> bool:
        return bool(self._data.patterns)

    def code(self, code: str) -> str:
        return self.codes.get(code, code)

    def text(self, text: str) -> str:
        cached = self._cache.get(text)
        if cached is None:
            cached = self._data.text(text, self.markers)
            if len(self._cache) < 100_000:
                self._cache[text] = cached
        return cached

    def optional(self, text: str | None) -> str | None:
        return None if text is None else self.text(text)

    def own(self, text: str | None) -> str | None:
        return None if text is None else self._own.text(text, self.markers)

    def areas(self, issue_areas: Iterable[str]) -> tuple[str, ...]:
        """A finding's issue areas as published: names and codes withheld, each label once
        (the first is the finding's own section)."""
        return tuple(dict.fromkeys(self.label(a) for a in issue_areas))

    def label(self, area: str) -> str:
        """An issue area as published (a withheld name inside stays withheld)."""
        return self.text(area)
