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
"""

from __future__ import annotations

import difflib
import re
import uuid
from dataclasses import dataclass, field, replace
from pathlib import Path

from .errors import ConfigError
from .textutil import fold as _fold
from .textutil import match_key

BUILTIN = Path(__file__).resolve().parent / "codebooks"
BUILTIN_NAMES = ("ohchr", "upr-info")
DEFAULT = "ohchr"
#: Similarity above which a misspelt issue area is read as the theme (with a warning).
FUZZY_CUTOFF = 0.85
#: Similarity above which a theme is offered as "did you mean".
SUGGEST_CUTOFF = 0.6
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

    def maps_to(self, codebook: str) -> str | None:
        return dict(self.maps).get(codebook)


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
        for theme in self.themes:
            for alias in theme.aliases:
                key = match_key(alias)
                if key and key not in self._index:
                    self._index[key] = theme
        for theme in self.themes:
            if theme.group and theme.group not in self.groups:
                self.groups.append(theme.group)
        self._position = {t.id: i for i, t in enumerate(self.themes)}
        self._words = [(t, {w for n in (t.name, *t.aliases) for w in _words(n)})
                       for t in self.themes]
        self._cache: dict[str, Resolution] = {}

    def theme(self, theme_id: str) -> Theme | None:
        return self._by_id.get(theme_id)

    def lookup(self, label: str) -> Theme | None:
        """The theme whose id, name or alias is ``label`` (case, accents, punctuation aside)."""
        return self._index.get(match_key(label))

    def position(self, theme: Theme) -> tuple[int, int]:
        """Sort key: the theme's group, then the theme, in codebook order."""
        group = self.groups.index(theme.group) if theme.group in self.groups else len(self.groups)
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
        keys = list(self._index)
        best = difflib.get_close_matches(key, keys, n=1, cutoff=SUGGEST_CUTOFF) if key else []
        if best and difflib.SequenceMatcher(None, key, best[0]).ratio() >= FUZZY_CUTOFF:
            return Resolution(self._index[best[0]], "fuzzy")
        # Every word of the label belongs to one theme's names ("Housing and homelessness").
        words = set(_words(label))
        coverage = sorted(((len(words & vocab) / len(words), self._position[t.id], t)
                           for t, vocab in self._words if words), key=lambda c: (-c[0], c[1]))
        full = [t for score, _, t in coverage if score == 1.0]
        if len(full) == 1:
            return Resolution(full[0], "words")
        if best:
            return Resolution(None, None, self._index[best[0]])
        partial = coverage[0][2] if coverage and coverage[0][0] >= 0.5 else None
        return Resolution(None, None, partial)

    def customised(self, areas: list[str], groups: dict[str, str]) -> Codebook:
        """This codebook with a project's own list: listed areas first, in their order and
        spelling, under the project's groups; areas the codebook lacks are added."""
        if not areas:
            return self
        listed: list[Theme] = []
        taken: set[str] = set()
        for area in areas:
            found = self.resolve(area).theme
            group = groups.get(area) or (found.group if found else None)
            if found is not None and found.id not in taken:
                taken.add(found.id)
                aliases = tuple(dict.fromkeys((*found.aliases, found.name)))
                listed.append(replace(found, name=area, group=group, aliases=aliases))
            elif found is None:
                listed.append(Theme(id=_slug(area), name=area, group=group))
        rest = [t for t in self.themes if t.id not in taken]
        order = list(dict.fromkeys(t.group for t in listed if t.group))
        return Codebook(self.name, listed + rest, self.title, self.description,
                        order + [g for g in self.groups if g not in order], self.path)


def _split(text: str) -> tuple[str, ...]:
    return tuple(x.strip() for x in text.split(";") if x.strip())


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", _fold(text)).strip("-") or "theme"


_STOP = frozenset("a an the and or of to in on for with by at right rights s".split())


def _words(text: str) -> list[str]:
    return [w for w in re.findall(r"\w+", _fold(text)) if w not in _STOP]


# --- reading and writing ---------------------------------------------------------------


def load_codebook(spec: str | None) -> Codebook | None:
    """A built-in codebook by name, or a file (.yaml/.yml or .qdc); ``none`` for none."""
    spec = spec or DEFAULT
    if spec.lower() == "none":
        return None
    if spec in BUILTIN_NAMES:
        path = BUILTIN / f"{spec}.yaml"
    else:
        path = Path(spec)
        if not path.is_file():
            raise ConfigError(f"Codebook not found: {spec}. Use {', '.join(BUILTIN_NAMES)}, none, "
                              "or the path of a .yaml or .qdc codebook.")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"Cannot read the codebook {path}: {exc.strerror}") from None
    if path.suffix.lower() == ".qdc":
        return from_qdc(data, str(path))
    return from_yaml(data.decode("utf-8-sig", errors="replace"), str(path))


def from_yaml(text: str, name: str = "codebook.yaml") -> Codebook:
    """Parse a YAML codebook, with file:line in every error."""
    from .yamltree import YamlProblem, YList, YMap, YScalar, parse_yaml

    try:
        tree = parse_yaml(text, name)
    except YamlProblem as exc:
        raise ConfigError(f"{name}:{exc.line or 1}: {exc.message}") from None
    if not isinstance(tree, YMap) or not isinstance(tree.get("themes"), YList):
        raise ConfigError(f"{name}: a codebook is a mapping with a 'themes:' list.")

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

    themes = []
    known = {"id", "name", "group", "aliases", "keywords", "description"}
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
        ))
    groups = list(texts(tree.get("groups"), tree.key_lines.get("groups", 1)))
    book_name = str(tree["name"]) if isinstance(tree.get("name"), YScalar) else Path(name).stem
    title = str(tree["title"]) if isinstance(tree.get("title"), YScalar) else None
    description = str(tree["description"]) if isinstance(tree.get("description"), YScalar) else None
    return Codebook(book_name, themes, title, description, groups, name)


def to_yaml(book: Codebook) -> str:
    """The codebook as YAML, in the layout of the built-in ones."""
    import yaml

    def one(value: object) -> str:
        return str(yaml.safe_dump(value, allow_unicode=True, width=10_000,
                                  default_flow_style=True)).replace("\n...\n", "").strip()

    lines = [f"name: {one(book.name)}"]
    if book.title:
        lines.append(f"title: {one(book.title)}")
    if book.description:
        lines.append(f"description: {one(book.description)}")
    if book.groups:
        lines.append("groups:")
        lines += [f"  - {one(g)}" for g in book.groups]
    lines.append("themes:")
    for t in book.themes:
        lines.append(f"  - id: {one(t.id)}")
        lines.append(f"    name: {one(t.name)}")
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
        parents[group] = el
    for t in book.themes:
        parent = parents.get(t.group, codes)
        el = ET.SubElement(parent, f"{{{QDC_NS}}}Code",
                           {"guid": _guid(book.name, t.id), "name": t.name, "isCodable": "true"})
        lines = [t.description or ""]
        lines.append("id: " + t.id)
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


def from_qdc(data: bytes, name: str = "codebook.qdc") -> Codebook:
    """Read a REFI-QDA codebook. Top-level codes that hold other codes become groups; every
    codable code becomes a theme. Our own labelled description lines are read back."""
    from xml.etree import ElementTree as ET

    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise ConfigError(f"{name}:{exc.position[0]}: not a valid QDC file ({exc}).") from None
    ns = {"q": QDC_NS}
    codes = root.find("q:Codes", ns)
    if not root.tag.endswith("CodeBook") or codes is None:
        raise ConfigError(f"{name}: not a REFI-QDA codebook (no CodeBook/Codes).")
    themes: list[Theme] = []
    groups: list[str] = []
    ids: set[str] = set()

    def unique(theme_id: str) -> str:
        candidate, n = theme_id, 1
        while candidate in ids:
            n += 1
            candidate = f"{theme_id}-{n}"
        ids.add(candidate)
        return candidate

    def read(code: ET.Element, group: str | None, top: bool) -> None:
        code_name = code.get("name") or "Unnamed code"
        children = code.findall("q:Code", ns)
        codable = (code.get("isCodable") or "true").lower() == "true"
        own_group = group
        if top and children:
            own_group = code_name
            if code_name not in groups:
                groups.append(code_name)
        if codable:
            desc = code.findtext("q:Description", default="", namespaces=ns)
            fields: dict[str, str] = {}
            free = []
            for line in desc.splitlines():
                label, sep, value = line.partition(": ")
                if sep and re.fullmatch(r"[a-z][a-z0-9_-]*", label):
                    fields[label] = value.strip()
                else:
                    free.append(line)
            maps = tuple((k, v) for k, v in fields.items() if k not in ("id", "aliases", "keywords"))
            themes.append(Theme(
                id=unique(fields.get("id") or _slug(code_name)), name=code_name,
                group=own_group if (own_group != code_name or children) else group,
                aliases=_split(fields.get("aliases", "")), keywords=_split(fields.get("keywords", "")),
                description="\n".join(free).strip() or None, maps=maps))
        for child in children:
            read(child, own_group, False)

    for code in codes.findall("q:Code", ns):
        read(code, None, True)
    return Codebook(Path(name).stem, themes, groups=groups, path=name)


def theme_counts(book: Codebook, areas: dict[str, tuple[int, int]]
                 ) -> list[tuple[str | None, list[tuple[str, int, int]]]]:
    """For ``codebook show``: [(group, [(theme, findings, submissions)])] in codebook order,
    with areas the codebook lacks under None. ``areas`` maps area -> (findings, submissions)."""
    out: list[tuple[str | None, list[tuple[str, int, int]]]] = []
    for group in book.groups:
        out.append((group, [(t.name, *areas.get(t.name, (0, 0))) for t in book.themes
                            if t.group == group]))
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
