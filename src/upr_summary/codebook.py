"""Codebooks: the themes a report is organised by, their other names, and the words that
suggest them. Issue areas as members write them are matched to a codebook's themes.

Two are built in: ``ohchr`` (the default: the UN stakeholder summary's structure) and
``upr-info`` (the 54 issues of the UPR Info database). A codebook is a YAML file; REFI-QDA
codebooks (``.qdc``, from NVivo, ATLAS.ti, MAXQDA, QualCoder) are read and written too.

>>> book = load_codebook("ohchr")
>>> book.resolve("Derecho a la vivienda").theme.name
'Housing'
>>> book.resolve("Housnig").how, book.resolve("Housnig").theme.name
('fuzzy', 'Housing')
>>> book.resolve("Tax justice").theme is None
True

Themes and groups have names in other languages (``names: {fr: ..., es: ...}``): a name in
any language resolves to its theme like the English one, and :meth:`Codebook.label` gives
the name a report in that language uses.

>>> book.resolve("Droit au logement").theme.name, book.label("Housing", "es")
('Housing', 'Vivienda')
>>> book.label("Cross-cutting issues", "fr"), book.label("Housing", "de")
('Questions transversales', 'Housing')

The YAML format, field by field (a theme needs only ``name``)::

    name: mine                 # the codebook's name (default: the file's)
    title: ...                 # optional
    description: ...           # optional
    groups:                    # group headings, in report order: a name, or a mapping
      - Civil and political rights
      - name: Cross-cutting issues
        names: {fr: Questions transversales, es: Cuestiones transversales}
    themes:
      - id: housing            # optional (default: made from the name)
        name: Housing          # the canonical (English) name
        names: {fr: Logement, es: Vivienda}   # the name in other languages (optional)
        group: Economic, social and cultural rights
        aliases: [housing rights, homelessness]
        keywords: [housing*, evict*, logement*, vivienda*]
        ohchr: housing         # any other key: the theme it maps to in that codebook

``names:`` maps a language code (``fr``, ``es``, ``pt_BR``: two or three letters, then an
optional region or script) to one name; a code that is not one, a name that is not a single
text, a code given twice (``fr`` and ``FR``) or a name another theme already uses (as its
id, name, alias or name in a language) stops the loading with a problem code
(``codebook-bad-language``, ``codebook-bad-name``, ``codebook-name-taken``). In a .qdc
codebook the names travel as ``name-fr: ...`` lines of the code's description.
"""

from __future__ import annotations

import difflib
import functools
import re
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import ConfigError
from .limits import MAX_CODEBOOK_CODES, MAX_DEPTH, MAX_FILE_BYTES, MAX_FUZZY_LABELS, size_text
from .problems import message
from .textutil import clean_text, match_key
from .textutil import fold as _fold

if TYPE_CHECKING:
    from .cache import Cache

BUILTIN = Path(__file__).resolve().parent / "codebooks"
BUILTIN_NAMES = ("ohchr", "upr-info")
DEFAULT = "ohchr"
#: Similarity above which a misspelt issue area is read as the theme (with a warning).
FUZZY_CUTOFF = 0.85
#: Similarity above which a theme is offered as "did you mean".
SUGGEST_CUTOFF = 0.6
#: Fuzzy matching compares a label with at most this many of the codebook's names: those
#: sharing most two-letter pieces with it (so that the cost does not grow with the
#: codebook), and only labels up to this length (a misspelling is not a paragraph).
FUZZY_CANDIDATES = 48
FUZZY_MAX_CHARS = 200
#: A two-letter piece found in more names than this says nothing about which one is meant.
_COMMON_GRAM = 512
QDC_NS = "urn:QDA-XML:codebook:1.0"
_GUID_NS = uuid.UUID("6f1d8e9a-3c1b-5b7e-9a51-0c2f6d7e8a90")


@dataclass(frozen=True)
class Theme:
    id: str
    name: str
    group: str | None = None
    aliases: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    description: str | None = None
    #: Other codebooks' theme ids this theme corresponds to, e.g. (("ohchr", "housing"),).
    maps: tuple[tuple[str, str], ...] = ()
    #: The theme's name in other languages, e.g. (("fr", "Logement"), ("es", "Vivienda")).
    names: tuple[tuple[str, str], ...] = ()

    def maps_to(self, codebook: str) -> str | None:
        return dict(self.maps).get(codebook)


#: A language code: two or three letters, then optional parts (region, script, variant).
_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(?:[_-][A-Za-z0-9]{2,8}){0,3}")


@functools.lru_cache(maxsize=256)
def language_code(code: str) -> str | None:
    """The codebook's spelling of a language code (``fr``, ``pt_BR``, ``zh_Hans``), or None
    when ``code`` is not one.

    >>> language_code("FR"), language_code("pt-br"), language_code("../x")
    ('fr', 'pt_BR', None)
    """
    if not isinstance(code, str) or not _LANGUAGE.fullmatch(code):
        return None
    first, *rest = re.split(r"[_-]", code)
    parts = [first.lower()]
    for part in rest:
        parts.append(part.upper() if len(part) == 2 and part.isalpha()
                     else part.title() if len(part) == 4 and part.isalpha() else part.lower())
    return "_".join(parts)


@dataclass(frozen=True)
class Resolution:
    """How an issue area was matched: ``how`` is exact, fuzzy, words or None (unmatched)."""

    theme: Theme | None
    how: str | None
    suggestion: Theme | None = None


@dataclass
class Codebook:
    name: str
    themes: list[Theme]
    title: str | None = None
    description: str | None = None
    groups: list[str] = field(default_factory=list)
    path: str | None = None
    #: Group headings in other languages: {group: {language: name}}.
    group_names: dict[str, dict[str, str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._index: dict[str, Theme] = {}
        self._by_id: dict[str, Theme] = {}
        for theme in self.themes:
            if theme.id in self._by_id:
                raise ConfigError(f"Codebook {self.name}: theme id '{theme.id}' is used twice.")
            self._by_id[theme.id] = theme
        # Names and ids win over aliases; an alias never steals another theme's name.
        for theme in self.themes:
            for key in (match_key(theme.id), match_key(theme.name)):
                if key:
                    self._index.setdefault(key, theme)
        # Then the names in other languages, then aliases.
        for theme in self.themes:
            for _, other in theme.names:
                key = match_key(other)
                if key:
                    self._index.setdefault(key, theme)
        for theme in self.themes:
            for alias in theme.aliases:
                key = match_key(alias)
                if key and key not in self._index:
                    self._index[key] = theme
        # language -> {canonical name of a theme or group: its name in the language}
        self._labels: dict[str, dict[str, str]] = defaultdict(dict)
        for group, by_language in self.group_names.items():
            for language, other in by_language.items():
                self._labels[language][group] = other
        for theme in reversed(self.themes):  # the first theme of a name wins, as in _index
            for language, other in theme.names:
                self._labels[language][theme.id] = other
                self._labels[language][theme.name] = other
        self._labels = dict(self._labels)
        self._theme_names: dict[str, list[str]] = {}
        seen = set(self.groups)
        for theme in self.themes:
            if theme.group and theme.group not in seen:
                seen.add(theme.group)
                self.groups.append(theme.group)
        self._group_position = {g: i for i, g in reversed(list(enumerate(self.groups)))}
        self._position = {t.id: i for i, t in enumerate(self.themes)}
        # word -> positions of the themes whose names and aliases hold it
        self._word_themes: dict[str, list[int]] = defaultdict(list)
        self._vocab_size: list[int] = []
        #: the words of each theme's names (in every language), aliases left out
        self._name_words: list[frozenset[str]] = []
        for i, t in enumerate(self.themes):
            vocab = {w for n in (t.name, *(o for _, o in t.names), *t.aliases)
                     for w in _words(n)}
            self._vocab_size.append(len(vocab))
            self._name_words.append(frozenset(w for n in (t.name, *(o for _, o in t.names))
                                              for w in _words(n)))
            for w in vocab:
                self._word_themes[w].append(i)
        #: the vocabulary by length, for reading a misspelt word ("logment")
        self._vocab_by_length: dict[int, list[str]] = defaultdict(list)
        for w in self._word_themes:
            self._vocab_by_length[len(w)].append(w)
        self._keys = list(self._index)
        self._names = NearNames(self._keys)
        #: Labels left unmatched without a look for close spellings: more than
        #: MAX_FUZZY_LABELS labels not in the codebook were met (each costs a comparison
        #: with dozens of names).
        self.fuzzy_skipped = 0
        self._fuzzy_done = 0
        self._cache: dict[str, Resolution] = {}

    def theme(self, theme_id: str) -> Theme | None:
        return self._by_id.get(theme_id)

    def label(self, name: str, language: str) -> str:
        """The name of a theme or group (given by its canonical name, or a theme's id) in
        ``language``; the canonical name where the codebook has none in that language (a
        regional code such as ``fr_CA`` falls back on ``fr``).

        >>> load_codebook("upr-info").label("Right to housing", "fr")
        'Droit au logement'
        """
        code = language_code(language)
        if code is None:
            return name
        table = self._labels.get(code)
        if table is not None and name in table:
            return table[name]
        base = code.partition("_")[0]
        if base != code and (table := self._labels.get(base)) is not None and name in table:
            return table[name]
        return name

    def theme_names(self, language: str) -> list[str]:
        """Every theme's name in ``language``, in the codebook's order (the canonical name
        where there is none in the language): each resolves to its theme."""
        code = language_code(language) or language
        if code not in self._theme_names:
            self._theme_names[code] = [self.label(t.name, code) for t in self.themes]
        return list(self._theme_names[code])

    def languages(self) -> list[str]:
        """The languages the codebook has names in: ``en`` (the canonical names) first."""
        return ["en", *sorted(code for code in self._labels if code != "en")]

    def lookup(self, label: str) -> Theme | None:
        """The theme whose id, name or alias is ``label`` (case, accents, punctuation aside)."""
        return self._index.get(match_key(label))

    def position(self, theme: Theme) -> tuple[int, int]:
        """Sort key: the theme's group, then the theme, in codebook order."""
        group = self._group_position.get(theme.group, len(self.groups)) \
            if theme.group is not None else len(self.groups)
        return (group, self._position.get(theme.id, len(self._position)))

    def resolve(self, label: str) -> Resolution:
        """Match an issue area as written to a theme: exactly, by a close spelling, or by
        containing the words of exactly one theme's name or alias."""
        key = match_key(label)
        if key in self._cache:
            return self._cache[key]
        theme = self._index.get(key)
        if theme is not None:
            result = Resolution(theme, "exact")
        else:
            result = self._near(label, key)
        if len(self._cache) < 100_000:
            self._cache[key] = result
        return result

    def _near(self, label: str, key: str) -> Resolution:
        """A label not in the codebook: read as a theme when it is a misspelling of one of
        its names (at most :func:`match_edits` letters off) or when its words are those of
        exactly one theme; else offered as "did you mean" when only a little further off
        (:func:`suggest_edits`) or when most of its telling words are one theme's; else no
        theme. The thresholds were chosen on ``bench/suggest_cases.py`` (see
        ``bench/README.md``): no label there is read as a wrong theme."""
        close: list[str] = []
        if key and len(key) <= FUZZY_MAX_CHARS:
            if self._fuzzy_done < MAX_FUZZY_LABELS:
                self._fuzzy_done += 1
                close = self._names.close(key, SUGGEST_CUTOFF)
            else:
                self.fuzzy_skipped += 1
        edits = [(edit_distance(key, name, suggest_edits(len(key)) + 1), name)
                 for name in close[:8]]
        edits.sort(key=lambda pair: pair[0])
        if edits and edits[0][0] <= match_edits(len(key)):
            return Resolution(self._index[edits[0][1]], "fuzzy")
        # Every telling word of the label (each as written or a letter off) belongs to one
        # theme's names ("Housing and homelessness", "Droits des personnes âgées").
        words = {self._known_word(w) for w in _words(label)}
        hits: Counter[int] = Counter()
        for w in words:
            hits.update(self._word_themes.get(w, ()))
        coverage = sorted(((n / len(words), i) for i, n in hits.items()),
                          key=lambda c: (-c[0], c[1]))
        full = [i for score, i in coverage if score == 1.0]
        if len(full) == 1:
            return Resolution(self.themes[full[0]], "words")
        if edits and edits[0][0] <= suggest_edits(len(key)):
            return Resolution(None, None, self._index[edits[0][1]])
        # Offered: the one theme that holds the most of the label's telling words (at least
        # half) with one of them in its name, not only in an alias ("Juvenile justice":
        # Administration of justice; but "Culture of peace" is not Cultural rights).
        best = coverage[0][0] if coverage else 0.0
        named = [i for score, i in coverage if score == best and words & self._name_words[i]]
        if best >= 0.5 and len(named) == 1:
            return Resolution(None, None, self.themes[named[0]])
        return Resolution(None, None, None)

    def _known_word(self, word: str) -> str:
        """``word``, or the word of the codebook's names it is a letter or two off (within
        :func:`match_edits`; the first in the names' order when several are)."""
        if word in self._word_themes:
            return word
        limit = match_edits(len(word))
        if not limit:
            return word
        for length in range(len(word) - limit, len(word) + limit + 1):
            for known in self._vocab_by_length.get(length, ()):
                if edit_distance(word, known, limit + 1) <= limit:
                    return known
        return word

    def _group_named(self, name: str | None) -> str | None:
        """The codebook's group that ``name`` is, in any language and case ("Droits civils
        et politiques" is "Civil and political rights"); ``name`` itself when none is."""
        if not name:
            return name
        from .textutil import match_key

        key = match_key(name)
        for group in self.groups:
            if match_key(group) == key or any(match_key(local) == key for local in
                                              self.group_names.get(group, {}).values()):
                return group
        return name

    def customised(self, areas: list[str], groups: dict[str, str]) -> Codebook:
        """This codebook with a project's own list: listed areas first, in their order and
        spelling, under the project's groups; areas the codebook lacks are added."""
        if not areas:
            return self
        if len(areas) > MAX_CODEBOOK_CODES:
            raise _refuse("codebook-too-large", "issue_areas",
                          what=f"The project file lists {len(areas):,} issue areas,")
        listed: list[Theme] = []
        taken: set[str] = set()
        for area in areas:
            found = self.resolve(area).theme
            group = self._group_named(groups.get(area)) or (found.group if found else None)
            if found is not None and found.id not in taken:
                taken.add(found.id)
                aliases = tuple(dict.fromkeys((*found.aliases, found.name)))
                listed.append(replace(found, name=area, group=group, aliases=aliases))
            elif found is None:
                listed.append(Theme(id=_slug(area), name=area, group=group))
        rest = [t for t in self.themes if t.id not in taken]
        order = list(dict.fromkeys(t.group for t in listed if t.group))
        return Codebook(self.name, listed + rest, self.title, self.description,
                        order + [g for g in self.groups if g not in order], self.path,
                        self.group_names)


class NearNames:
    """Close spellings among a fixed list of names, as :func:`difflib.get_close_matches`
    finds them, at a bounded cost per look-up: a name is compared with at most
    :data:`FUZZY_CANDIDATES` of the names (those sharing most two-letter pieces with it),
    and the character counts that bound the similarity are worked out once per name, so
    that only the few names that can reach the cut-off are compared letter by letter.

    >>> NearNames(["housing", "health", "education"]).close("housnig", 0.6)
    ['housing']
    """

    def __init__(self, names: list[str]) -> None:
        self.names = names
        self._grams: dict[str, list[int]] | None = None  # built on the first look-up
        self._chars: list[dict[str, int]] | None = None

    def candidates(self, key: str) -> list[int]:
        """The positions of the names most like ``key`` by shared two-letter pieces."""
        if len(self.names) <= FUZZY_CANDIDATES:
            return list(range(len(self.names)))
        if self._grams is None:
            self._grams = defaultdict(list)
            for i, k in enumerate(self.names):
                for gram in _grams(k):
                    self._grams[gram].append(i)
        shared: Counter[int] = Counter()
        for gram in _grams(key):
            posting = self._grams.get(gram)
            if posting and len(posting) <= _COMMON_GRAM:
                shared.update(posting)
        return [i for i, _ in shared.most_common(FUZZY_CANDIDATES)]

    def close(self, key: str, cutoff: float,
              keep: Callable[[str], bool] | None = None) -> list[str]:
        """The name most like ``key`` with a similarity of at least ``cutoff`` (as
        ``difflib.get_close_matches(key, candidates, n=1, cutoff=cutoff)``), or [];
        ``keep`` leaves out the names for which it is false."""
        if self._chars is None:
            self._chars = [Counter(k) for k in self.names]
        own = Counter(key)
        size = len(key)
        best: tuple[float, str] | None = None
        matcher = difflib.SequenceMatcher()
        matcher.set_seq2(key)
        for i in self.candidates(key):
            name = self.names[i]
            if keep is not None and not keep(name):
                continue
            total = size + len(name)
            # the same bounds as SequenceMatcher.real_quick_ratio and quick_ratio
            if not total or 2.0 * min(size, len(name)) / total < cutoff:
                continue
            chars = self._chars[i]
            common = sum(min(n, chars.get(c, 0)) for c, n in own.items())
            if 2.0 * common / total < cutoff:
                continue
            matcher.set_seq1(name)
            ratio = matcher.ratio()
            if ratio >= cutoff and (best is None or (ratio, name) > best):
                best = (ratio, name)
        return [best[1]] if best else []


def _split(text: str) -> tuple[str, ...]:
    return tuple(x.strip() for x in text.split(";") if x.strip())


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", _fold(text)).strip("-") or "theme"


#: Words that say nothing about the theme, in English, French and Spanish.
#: Words that say nothing about which theme is meant: grammar words, and the words of
#: every theme ("rights", "persons", "human", "other", "general") in English, French and
#: Spanish.
_STOP = frozenset("a an the and or of to in on for with by at right rights s "
                  "de du des la le les l d et ou au aux en pour sur droit droits "
                  "el los las del al y o por con derecho derechos "
                  "human humain humains humaine humaines humano humanos humana humanas "
                  "person persons people personne personnes persona personas "
                  "other others autre autres otro otros otra otras "
                  "general generale generales issue issues question questions cuestion "
                  "cuestiones misc various divers diversos varios".split())


def edit_distance(a: str, b: str, limit: int) -> int:
    """The number of letters inserted, deleted, changed or swapped with a neighbour that
    turn ``a`` into ``b`` (optimal string alignment), or ``limit`` when it is at least
    that: each row is cut short once every cell in it has reached the limit.

    >>> edit_distance("housnig", "housing", 5), edit_distance("persons", "prisons", 5)
    (1, 2)
    """
    if abs(len(a) - len(b)) >= limit:
        return limit
    before: list[int] | None = None
    row = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            current[j] = min(row[j] + 1, current[j - 1] + 1, row[j - 1] + cost)
            if before is not None and i > 1 and j > 1 and a[i - 1] == b[j - 2] \
                    and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], before[j - 2] + 1)
        if min(current) >= limit:
            return limit
        before, row = row, current
    return min(row[-1], limit)


def match_edits(length: int) -> int:
    """How many letters a label of ``length`` letters may be off a name to be read as it:
    one up to 8 letters, two up to 16, three beyond; none below 5 (a short word is
    another word: "Roma", "Rome")."""
    return 0 if length < 5 else 1 if length <= 8 else 2 if length <= 16 else 3


def suggest_edits(length: int) -> int:
    """How far off a name a label may be to be offered as "did you mean": one letter more
    than :func:`match_edits` from 9 letters ("persons" is two letters off "prisons", and
    another word)."""
    return match_edits(length) + (length > 8)


def _words(text: str) -> list[str]:
    return [w for w in re.findall(r"\w+", _fold(text)) if w not in _STOP]


def _grams(key: str) -> set[str]:
    """The two-letter pieces of a name, its ends marked."""
    padded = f" {key} "
    return {padded[i:i + 2] for i in range(len(padded) - 1)}


def _refuse(code: str, where: str, /, **fields: object) -> ConfigError:
    """A codebook that cannot be used; ``code`` names the limit or the mistake, ``where``
    the file (and line) where it was met."""
    error = ConfigError(f"{where}: {message(code, **fields)}")
    error.code = code  # type: ignore[attr-defined]
    return error


# --- reading and writing ---------------------------------------------------------------


#: Codebooks parsed in this process, by file and content: each is read once, however many
#: times a run asks for it (a build reads its own and the others it maps from).
_PARSED: dict[tuple[str, str], Codebook] = {}


def load_codebook(spec: str | None, cache: Cache | None = None) -> Codebook | None:
    """A built-in codebook by name, or a file (.yaml/.yml or .qdc); ``none`` for none.
    Parsed once per process, and kept in ``cache`` (the project's) from one run to the
    next, keyed by the file's content."""
    spec = spec or DEFAULT
    if spec.lower() == "none":
        return None
    if spec in BUILTIN_NAMES:
        path = BUILTIN / f"{spec}.yaml"
    else:
        path = Path(spec)
        if not path.is_file():
            import difflib

            close = difflib.get_close_matches(spec.lower(), list(BUILTIN_NAMES), n=1, cutoff=0.6)
            hint = f" Did you mean {close[0]}?" if close and "/" not in spec and "." not in \
                spec else ""
            raise ConfigError(f"Codebook not found: {spec}.{hint} Use "
                              f"{', '.join(BUILTIN_NAMES)}, none, or the path of a .yaml or "
                              ".qdc codebook.")
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise _refuse("file-too-large", str(path), what="This codebook",
                          size=size_text(path.stat().st_size),
                          limit=f"{size_text(MAX_FILE_BYTES)} (a codebook is a short list of "
                          "themes)")
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"Cannot read the codebook {path}: {exc.strerror}") from None
    import hashlib

    key = (str(path), hashlib.sha256(data).hexdigest())
    book = _PARSED.get(key)
    if book is not None and cache:
        held = book
        cache.keep("codebook", _cache_key(key), lambda: _as_data(held))
    if book is None and cache:
        book = _from_cache(cache, key)
    if book is None:
        if path.suffix.lower() == ".qdc":
            book = from_qdc(data, str(path))
        else:
            book = from_yaml(data.decode("utf-8-sig", errors="replace"), str(path))
        if cache:
            cache.put("codebook", _cache_key(key), _as_data(book))
    _PARSED[key] = book
    # A copy of its own for each caller (the themes are frozen; the lists are not).
    return Codebook(book.name, list(book.themes), book.title, book.description,
                    list(book.groups), book.path,
                    {g: dict(n) for g, n in book.group_names.items()})


def _cache_key(key: tuple[str, str]) -> str:
    from .cache import digest

    return digest("codebook", *key)


def _as_data(book: Codebook) -> dict[str, object]:
    return {"name": book.name, "title": book.title, "description": book.description,
            "groups": book.groups, "path": book.path, "group_names": book.group_names,
            "themes": [[t.id, t.name, t.group, list(t.aliases), list(t.keywords),
                        t.description, [list(m) for m in t.maps], [list(n) for n in t.names]]
                       for t in book.themes]}


def _from_cache(cache: Cache, key: tuple[str, str]) -> Codebook | None:
    """The codebook as an earlier run parsed it (the file's content unchanged), or None."""
    data = cache.get("codebook", _cache_key(key))
    if not isinstance(data, dict):
        return None
    try:
        themes = [Theme(str(i), str(n), g, tuple(map(str, a)), tuple(map(str, k)), d,
                        tuple((str(x), str(y)) for x, y in m),
                        tuple((str(x), str(y)) for x, y in names))
                  for i, n, g, a, k, d, m, names in data["themes"]]
        return Codebook(str(data["name"]), themes, data["title"], data["description"],
                        [str(g) for g in data["groups"]], data["path"],
                        {str(g): {str(c): str(t) for c, t in n.items()}
                         for g, n in data["group_names"].items()})
    except (KeyError, TypeError, ValueError, AttributeError, ConfigError):
        return None


def from_yaml(text: str, name: str = "codebook.yaml") -> Codebook:
    """Parse a YAML codebook, with file:line in every error."""
    from .yamltree import YamlProblem, YList, YMap, YScalar, parse_yaml

    try:
        tree = parse_yaml(text, name)
    except YamlProblem as exc:
        raise _refuse(exc.code, f"{name}:{exc.line or 1}", **exc.fields) from None
    if not isinstance(tree, YMap) or not isinstance(tree.get("themes"), YList):
        raise ConfigError(f"{name}: a codebook is a mapping with a 'themes:' list.")
    if len(tree["themes"]) > MAX_CODEBOOK_CODES:
        raise _too_many_codes(name, tree["themes"].line)

    def text_of(value: object, where: int) -> str:
        if not isinstance(value, YScalar):
            raise ConfigError(f"{name}:{where}: expected a single value.")
        return str(value)

    def texts(value: object, where: int) -> tuple[str, ...]:
        if value is None or isinstance(value, YScalar) and value.is_null:
            return ()
        if isinstance(value, YScalar):
            return (str(value),)
        if isinstance(value, YList) and all(isinstance(v, YScalar) for v in value):
            return tuple(str(v) for v in value if isinstance(v, YScalar) and not v.is_null)
        raise ConfigError(f"{name}:{where}: expected a list of names.")

    def names_of(item: YMap) -> tuple[tuple[str, str], ...]:
        """A ``names:`` mapping, checked: language code -> one name."""
        value = item.get("names")
        line = item.key_lines.get("names", item.line)
        if value is None or isinstance(value, YScalar) and value.is_null:
            return ()
        if not isinstance(value, YMap):
            raise _refuse("codebook-bad-name", f"{name}:{line}", what="'names:'",
                          why="is not a mapping of language codes to names")
        out: dict[str, str] = {}
        for code, other in value.items():
            where = f"{name}:{value.key_lines.get(code, line)}"
            language = language_code(code)
            if language is None:
                raise _refuse("codebook-bad-language", where, code=code[:40])
            if language in out:
                raise _refuse("codebook-bad-language", where, code=code[:40],
                              why=f"is given twice (as '{language}')")
            if not isinstance(other, YScalar) or other.is_null:
                raise _refuse("codebook-bad-name", where, what=f"The name in '{code}'",
                              why="is not a single text" if not isinstance(other, YScalar)
                              else "is empty")
            text = clean_text(str(other))[0]
            if not text:
                raise _refuse("codebook-bad-name", where, what=f"The name in '{code}'",
                              why="is empty")
            out[language] = text
        return tuple(out.items())

    themes = []
    lines: list[int] = []
    known = {"id", "name", "group", "aliases", "keywords", "description", "names"}
    for item in tree["themes"]:
        if not isinstance(item, YMap):
            raise ConfigError(f"{name}:{getattr(item, 'line', 1)}: each theme is a mapping "
                              "(id:, name:, ...).")
        if "name" not in item:
            raise ConfigError(f"{name}:{item.line}: a theme needs a name.")
        theme_name = text_of(item["name"], item.key_lines["name"])
        maps = tuple((k, str(v)) for k, v in item.items()
                     if k not in known and isinstance(v, YScalar) and not v.is_null)
        themes.append(Theme(
            id=text_of(item["id"], item.key_lines["id"]) if "id" in item else _slug(theme_name),
            name=theme_name,
            group=text_of(item["group"], item.key_lines["group"]) if "group" in item
            and not (isinstance(item["group"], YScalar) and item["group"].is_null) else None,
            aliases=texts(item.get("aliases"), item.key_lines.get("aliases", item.line)),
            keywords=texts(item.get("keywords"), item.key_lines.get("keywords", item.line)),
            description=text_of(item["description"], item.key_lines["description"])
            if "description" in item else None,
            maps=maps,
            names=names_of(item),
        ))
        lines.append(item.key_lines.get("names", item.line))
    groups: list[str] = []
    group_names: dict[str, dict[str, str]] = {}
    group_lines: dict[str, int] = {}
    listed = tree.get("groups")
    if isinstance(listed, YList):
        for entry in listed:
            if isinstance(entry, YMap):
                if "name" not in entry:
                    raise ConfigError(f"{name}:{entry.line}: a group given as a mapping needs "
                                      "a name (name:, names:).")
                group = text_of(entry["name"], entry.key_lines["name"])
                if entry.get("names") is not None:
                    group_names[group] = dict(names_of(entry))
                    group_lines[group] = entry.key_lines.get("names", entry.line)
            elif isinstance(entry, YScalar) and not entry.is_null:
                group = str(entry)
            else:
                raise ConfigError(f"{name}:{getattr(entry, 'line', 1)}: each group is a name, "
                                  "or a mapping with name: and names:.")
            groups.append(group)
    else:
        groups = list(texts(listed, tree.key_lines.get("groups", 1)))
    _check_names(themes, lines, group_names, group_lines, name)
    book_name = str(tree["name"]) if isinstance(tree.get("name"), YScalar) else Path(name).stem
    title = str(tree["title"]) if isinstance(tree.get("title"), YScalar) else None
    description = str(tree["description"]) if isinstance(tree.get("description"), YScalar) else None
    return Codebook(book_name, themes, title, description, groups, name, group_names)


def _check_names(themes: list[Theme], lines: list[int] | None,
                 group_names: dict[str, dict[str, str]], group_lines: dict[str, int] | None,
                 name: str) -> None:
    """Refuse a name in another language that another theme already uses (as its id, name,
    alias or name in a language): the issue area would resolve to either. Two groups may
    not share a name in one language either."""
    owner: dict[str, int] = {}  # match key -> the theme that has it as id, name or alias
    for i, t in enumerate(themes):
        for text in (t.id, t.name, *t.aliases):
            owner.setdefault(match_key(text), i)
    translated: dict[str, int] = {}
    for i, t in enumerate(themes):
        for language, other in t.names:
            key = match_key(other)
            first = owner.get(key, translated.get(key, i))
            if first != i:
                where = f"{name}:{lines[i] if lines else 1}"
                raise _refuse("codebook-name-taken", where, other=other, language=language,
                              theme=t.name, taken=themes[first].name)
            translated.setdefault(key, i)
    taken: dict[tuple[str, str], str] = {}
    for group, by_language in group_names.items():
        for language, other in by_language.items():
            first_group = taken.setdefault((language, match_key(other)), group)
            if first_group != group:
                where = f"{name}:{(group_lines or {}).get(group, 1)}"
                raise _refuse("codebook-name-taken", where, other=other, language=language,
                              theme=group, taken=first_group)


def to_yaml(book: Codebook) -> str:
    """The codebook as YAML, in the layout of the built-in ones."""
    import yaml

    def one(value: object) -> str:
        return str(yaml.safe_dump(value, allow_unicode=True, width=10_000, sort_keys=False,
                                  default_flow_style=True)).replace("\n...\n", "").strip()

    lines = [f"name: {one(book.name)}"]
    if book.title:
        lines.append(f"title: {one(book.title)}")
    if book.description:
        lines.append(f"description: {one(book.description)}")
    if book.groups:
        lines.append("groups:")
        for g in book.groups:
            if book.group_names.get(g):
                lines.append(f"  - name: {one(g)}")
                lines.append(f"    names: {one(book.group_names[g])}")
            else:
                lines.append(f"  - {one(g)}")
    lines.append("themes:")
    for t in book.themes:
        lines.append(f"  - id: {one(t.id)}")
        lines.append(f"    name: {one(t.name)}")
        if t.names:
            lines.append(f"    names: {one(dict(t.names))}")
        if t.group:
            lines.append(f"    group: {one(t.group)}")
        for other, target in t.maps:
            lines.append(f"    {other}: {one(target)}")
        if t.description:
            lines.append(f"    description: {one(t.description)}")
        lines.append(f"    aliases: {one(list(t.aliases))}")
        lines.append(f"    keywords: {one(list(t.keywords))}")
    return "\n".join(lines) + "\n"


def _guid(book: str, key: str) -> str:
    return str(uuid.uuid5(_GUID_NS, f"{book}:{key}"))


def to_qdc(book: Codebook) -> bytes:
    """A REFI-QDA codebook: groups as non-codable parent codes, themes as codes. Aliases,
    keywords and mappings travel in the description, one labelled line each."""
    from xml.etree import ElementTree as ET

    ET.register_namespace("", QDC_NS)
    root = ET.Element(f"{{{QDC_NS}}}CodeBook", {"origin": "upr-summary"})
    codes = ET.SubElement(root, f"{{{QDC_NS}}}Codes")
    parents: dict[str | None, ET.Element] = {None: codes}
    for group in book.groups:
        el = ET.SubElement(codes, f"{{{QDC_NS}}}Code",
                           {"guid": _guid(book.name, "group:" + group), "name": group,
                            "isCodable": "false"})
        if book.group_names.get(group):
            ET.SubElement(el, f"{{{QDC_NS}}}Description").text = "\n".join(
                f"name-{language.lower()}: {other}"
                for language, other in book.group_names[group].items())
        parents[group] = el
    for t in book.themes:
        parent = parents.get(t.group, codes)
        el = ET.SubElement(parent, f"{{{QDC_NS}}}Code",
                           {"guid": _guid(book.name, t.id), "name": t.name, "isCodable": "true"})
        lines = [t.description or ""]
        lines.append("id: " + t.id)
        lines += [f"name-{language.lower()}: {other}" for language, other in t.names]
        if t.aliases:
            lines.append("aliases: " + "; ".join(t.aliases))
        if t.keywords:
            lines.append("keywords: " + "; ".join(t.keywords))
        for other, target in t.maps:
            lines.append(f"{other}: {target}")
        ET.SubElement(el, f"{{{QDC_NS}}}Description").text = "\n".join(lines).strip()
    ET.indent(root)
    body: bytes = ET.tostring(root, encoding="utf-8")
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + body.split(b"?>", 1)[-1].lstrip()


def _too_many_codes(name: str, line: int | None) -> ConfigError:
    return _refuse("codebook-too-large", f"{name}:{line or 1}", what="The codebook holds")


class _Element:
    """A QDC element as far as we need it: tag (with its namespace), attributes, children,
    text."""

    __slots__ = ("tag", "attrib", "children", "text")

    def __init__(self, tag: str, attrib: dict[str, str]) -> None:
        self.tag = tag
        self.attrib = attrib
        self.children: list[_Element] = []
        self.text: list[str] = []


def _parse_qdc(data: bytes, name: str) -> _Element:
    """The element tree of a .qdc, built by expat's callbacks with an explicit stack: no DTD
    and no entity is accepted (nothing can expand), ``<Code>`` nests at most
    :data:`MAX_DEPTH` deep and there are at most :data:`MAX_CODEBOOK_CODES` codes."""
    from xml.parsers import expat

    parser = expat.ParserCreate(namespace_separator="}")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    stack: list[_Element] = []
    root: list[_Element] = []
    codes = 0
    depth = 0  # Code elements open

    def where() -> str:
        return f"{name}:{parser.CurrentLineNumber}"

    def doctype(*_: object) -> None:
        raise _refuse("codebook-unsafe-xml", where())

    def start(tag: str, attrib: dict[str, str]) -> None:
        nonlocal codes, depth
        element = _Element("{" + tag if "}" in tag else tag, attrib)
        if element.tag == f"{{{QDC_NS}}}Code":
            codes += 1
            depth += 1
            if codes > MAX_CODEBOOK_CODES:
                raise _too_many_codes(name, parser.CurrentLineNumber)
            if depth > MAX_DEPTH:
                raise _refuse("codebook-too-deep", where(), what="Codes")
        elif len(stack) > MAX_DEPTH + 3:
            raise _refuse("codebook-too-deep", where(), what="Elements")
        if stack:
            stack[-1].children.append(element)
        else:
            root.append(element)
        stack.append(element)

    def end(tag: str) -> None:
        nonlocal depth
        element = stack.pop()
        if element.tag == f"{{{QDC_NS}}}Code":
            depth -= 1

    def text(data: str) -> None:
        if stack and stack[-1].tag == f"{{{QDC_NS}}}Description":
            stack[-1].text.append(data)

    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise ConfigError(f"{name}:{exc.lineno}: not a valid QDC file ({exc}).") from None
    if not root:
        raise ConfigError(f"{name}: not a REFI-QDA codebook (no CodeBook/Codes).")
    return root[0]


def from_qdc(data: bytes, name: str = "codebook.qdc") -> Codebook:
    """Read a REFI-QDA codebook. Top-level codes that hold other codes become groups; every
    codable code becomes a theme. Our own labelled description lines are read back."""
    root = _parse_qdc(data, name)
    code_tag, description_tag = f"{{{QDC_NS}}}Code", f"{{{QDC_NS}}}Description"
    codes = next((c for c in root.children if c.tag == f"{{{QDC_NS}}}Codes"), None)
    if not root.tag.endswith("CodeBook") or codes is None:
        raise ConfigError(f"{name}: not a REFI-QDA codebook (no CodeBook/Codes).")
    themes: list[Theme] = []
    groups: dict[str, None] = {}
    group_names: dict[str, dict[str, str]] = {}
    ids: set[str] = set()
    next_suffix: dict[str, int] = {}

    def unique(theme_id: str) -> str:
        candidate = theme_id
        n = next_suffix.get(theme_id, 1)
        while candidate in ids:  # each suffix is tried once per base id: linear overall
            n += 1
            candidate = f"{theme_id}-{n}"
        next_suffix[theme_id] = n
        ids.add(candidate)
        return candidate

    def read(code: _Element, group: str | None, top: bool) -> str | None:
        """Make the theme of one code; the group its children belong to."""
        code_name = code.attrib.get("name") or "Unnamed code"
        has_children = any(c.tag == code_tag for c in code.children)
        codable = (code.attrib.get("isCodable") or "true").lower() == "true"
        own_group = group
        first = next((c for c in code.children if c.tag == description_tag), None)
        desc = "".join(first.text) if first is not None else ""
        fields: dict[str, str] = {}
        free = []
        for line in desc.splitlines():
            label, sep, value = line.partition(": ")
            if sep and re.fullmatch(r"[a-z][a-z0-9_-]*", label):
                if label.startswith("name-") and label in fields:
                    raise _refuse("codebook-bad-language", f"{name}: code '{code_name[:80]}'",
                                  code=label[5:45], why="is given twice")
                fields[label] = value.strip()
            else:
                free.append(line)
        names = _qdc_names(fields, name, code_name)
        if top and has_children:
            own_group = code_name
            groups.setdefault(code_name)
            if names:
                group_names.setdefault(code_name, dict(names))
        if codable:
            maps = tuple((k, v) for k, v in fields.items()
                         if k not in ("id", "aliases", "keywords") and not k.startswith("name-"))
            themes.append(Theme(
                id=unique(fields.get("id") or _slug(code_name)), name=code_name,
                group=own_group if (own_group != code_name or has_children) else group,
                aliases=_split(fields.get("aliases", "")), keywords=_split(fields.get("keywords", "")),
                description="\n".join(free).strip() or None, maps=maps, names=names))
        return own_group

    # Depth first, in document order, with an explicit stack (no recursion).
    pending: list[tuple[_Element, str | None, bool]] = [
        (c, None, True) for c in reversed(codes.children) if c.tag == code_tag]
    while pending:
        code, group, top = pending.pop()
        own_group = read(code, group, top)
        pending.extend((c, own_group, False) for c in reversed(code.children)
                       if c.tag == code_tag)
    _check_names(themes, None, group_names, None, name)
    return Codebook(Path(name).stem, themes, groups=list(groups), path=name,
                    group_names=group_names)


def _qdc_names(fields: dict[str, str], name: str, code: str) -> tuple[tuple[str, str], ...]:
    """The ``name-fr: ...`` lines of a .qdc code's description, checked as in YAML."""
    out: dict[str, str] = {}
    for label, value in fields.items():
        if not label.startswith("name-"):
            continue
        raw = label[len("name-"):]
        language = language_code(raw)
        if language is None or language in out:
            raise _refuse("codebook-bad-language", f"{name}: code '{code[:80]}'", code=raw[:40],
                          **({"why": f"is given twice (as '{language}')"} if language else {}))
        text = clean_text(value)[0]
        if not text:
            raise _refuse("codebook-bad-name", f"{name}: code '{code[:80]}'",
                          what=f"The name in '{raw}'", why="is empty")
        out[language] = text
    return tuple(out.items())


def theme_counts(book: Codebook, areas: dict[str, tuple[int, int]]
                 ) -> list[tuple[str | None, list[tuple[str, int, int]]]]:
    """For ``codebook show``: [(group, [(theme, findings, submissions)])] in codebook order,
    with areas the codebook lacks under None. ``areas`` maps area -> (findings, submissions)."""
    out: list[tuple[str | None, list[tuple[str, int, int]]]] = []
    by_group: dict[str, list[Theme]] = defaultdict(list)
    for t in book.themes:
        if t.group:
            by_group[t.group].append(t)
    for group in book.groups:
        out.append((group, [(t.name, *areas.get(t.name, (0, 0))) for t in by_group[group]]))
    loose = [(t.name, *areas.get(t.name, (0, 0))) for t in book.themes if not t.group]
    if loose:
        out.append(("(no group)", loose))
    unknown = [(a, f, s) for a, (f, s) in areas.items() if book.lookup(a) is None]
    if unknown:
        out.append((None, sorted(unknown, key=lambda x: (-x[1], x[0]))))
    return out


def write_codebook(book: Codebook, path: str) -> None:
    """Write a codebook as YAML, or as REFI-QDA .qdc when the name ends in .qdc."""
    from .fileio import atomic_write_bytes

    data = to_qdc(book) if path.lower().endswith(".qdc") else to_yaml(book).encode("utf-8")
    try:
        atomic_write_bytes(path, data)
    except OSError as exc:
        raise ConfigError(f"Cannot write {path}: {exc.strerror or exc}") from None
