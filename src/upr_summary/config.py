"""The project file, ``upr-summary.yaml``: report settings and how to read the inputs.

Found next to the data (the folder given, then its parent) or in the current folder,
unless ``--config`` names it.

>>> cfg = parse_config("columns:\\n  finding: Text\\nseparators:\\n  issue_area: ','\\n")
>>> cfg.columns, cfg.separators["issue_area"]
({'finding': 'Text'}, ',')
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import ConfigError

if TYPE_CHECKING:  # imported where used: `import upr_summary` and `--help` stay light
    from .model import Problem
    from .yamltree import YMap, YValue

CONFIG_NAMES = ("upr-summary.yaml", "upr-summary.yml")

_TEXT_KEYS = ("title", "state", "review", "year", "network", "date", "introduction", "subtitle",
              "codebook", "recommendations", "templates", "language", "state_in_sentence")
#: The report's own words that may be given once per language, as a mapping of language
#: codes (``title: {en: ..., fr: ...}``); a build takes the text of its language.
LOCALIZABLE = ("title", "subtitle", "state", "state_in_sentence", "review", "network",
               "introduction")
#: Settings that are yes or no (true/false, yes/no, on/off, 1/0 in the file).
_FLAG_KEYS = ("strict", "auto_tag", "include_hidden_sheets")
_KNOWN_KEYS = set(_TEXT_KEYS) | set(_FLAG_KEYS) | {"output_folder", "formats", "reference_docx",
                                                   "cache",
                                                   "cycle",
    "issue_areas",
    "columns",
    "separators",
    "sheet",
    "encoding",
    "output",
    "max_words",
    "themes",
    "exclude_themes",
}


@dataclass
class Config:
    """Settings from upr-summary.yaml; every one optional."""

    path: str | None = None
    title: str | None = None
    subtitle: str | None = None
    state: str | None = None
    #: The State as it reads inside a sentence ("la République d'Arvénie"); None: the
    #: name, with "the" in English where the name needs it ("the Republic of Arvenia").
    state_in_sentence: str | None = None
    review: str | None = None
    #: The review's cycle, a number (4 for the fourth): "fourth cycle" in the subject line.
    cycle: int | None = None
    year: str | None = None
    network: str | None = None
    date: str | None = None
    introduction: str | None = None
    #: Codebook name (ohchr, upr-info, none) or file; None: the default (ohchr).
    codebook: str | None = None
    #: Earlier UPR recommendations to the State (a file; relative to the project file).
    recommendations: str | None = None
    #: Folder of the project's own templates (relative to the project file); None: the
    #: ``templates/`` folder beside the project file when there is one.
    templates: str | None = None
    #: The language of the report's fixed words (--language): en, fr, es, or any language
    #: with a catalogue in the templates folder; None: English.
    language: str | None = None
    #: Issue areas in the order the report shows them (empty: by number of findings).
    issue_areas: list[str] = field(default_factory=list)
    #: Issue area -> the group heading it sits under.
    groups: dict[str, str] = field(default_factory=dict)
    #: Field -> the column header that holds it (overrides the built-in synonyms).
    columns: dict[str, str] = field(default_factory=dict)
    #: Headers of columns that hold no field (``columns: ignore: [...]``): an untitled or
    #: unknown column of yes/no answers listed here is not taken for a renamed flag.
    ignore_columns: list[str] = field(default_factory=list)
    separators: dict[str, str] = field(default_factory=lambda: {"issue_area": ";", "organization": ";"})
    sheet: str | None = None
    encoding: str | None = None
    output: dict[str, str] = field(default_factory=dict)
    #: The summary's word budget (--max-words); None: the default.
    max_words: int | None = None
    #: Themes the report is limited to, and themes it leaves out (--themes, --exclude-themes).
    themes: list[str] = field(default_factory=list)
    exclude_themes: list[str] = field(default_factory=list)
    #: Read hidden workbook sheets too (--include-hidden-sheets).
    include_hidden_sheets: bool = False
    #: The build's defaults, each overridden by its option: the folder it writes
    #: (relative to the project file; -o), its formats (--format), the Word file whose
    #: styles it takes (--reference-docx), --strict and --auto-tag.
    output_folder: str | None = None
    formats: str | None = None
    reference_docx: str | None = None
    strict: bool = False
    auto_tag: bool = False
    #: The cache folder (relative to the project file; --cache), or False for none
    #: (--no-cache); None: ``.upr-summary-cache`` beside the project file.
    cache: str | bool | None = None
    #: The texts of LOCALIZABLE keys given per language: key -> {language code: text}.
    localized: dict[str, dict[str, str]] = field(default_factory=dict)

    def in_language(self, language: str) -> Config:
        """These settings with each text given per language taken in ``language`` (else
        in its base language: ``fr`` for ``fr_CA``, else the one the file gives first)."""
        from dataclasses import replace

        changes: dict[str, Any] = {key: _pick(texts, language)
                                   for key, texts in self.localized.items()}
        # The default title (or subtitle) of another language, as `init --language es`
        # wrote it, stands for the default: a build in French gets the French one.
        for key in ("title", "subtitle"):
            value = changes.get(key, getattr(self, key))
            if isinstance(value, str) and key not in self.localized and \
                    _shipped_default(key, value, language):
                changes[key] = None
        return replace(self, **changes) if changes else self

    def untranslated(self, language: str) -> list[Problem]:
        """Warnings for each text given per language but not in ``language``."""
        from .model import Location
        from .problems import problem

        found = []
        for key, texts in self.localized.items():
            if _pick(texts, language, fallback=False) is None:
                found.append(problem("config-no-translation",
                                     Location(self.path or "upr-summary.yaml", None, key),
                                     key=key, language=language, used=next(iter(texts))))
        return found

    def relative(self, name: str) -> str:
        """A path from the project file, taken relative to the project file's folder."""
        if self.path is None or Path(name).is_absolute():
            return name
        return str(Path(self.path).parent / name)
    #: Warnings about the file itself (unknown keys).
    problems: list[Problem] = field(default_factory=list)


def find_config(paths: list[str], explicit: str | None = None) -> Path | None:
    """The project file to use: ``explicit``, else one next to the first input, else in cwd."""
    if explicit:
        path = Path(explicit)
        if not path.is_file():
            raise ConfigError(f"Config file not found: {explicit}")
        return path
    candidates: list[Path] = []
    for raw in paths[:1]:
        p = Path(raw)
        folder = p if _exists(p, "dir") else p.parent
        candidates += [folder, folder.parent]
    candidates.append(Path.cwd())
    for folder in candidates:
        for name in CONFIG_NAMES:
            if _exists(folder / name, "file"):
                return folder / name
    return None


def _exists(path: Path, kind: str) -> bool:
    """Path.is_dir / is_file, False where the file system refuses the path (a name too
    long, no permission): reading the inputs then reports it."""
    try:
        return path.is_dir() if kind == "dir" else path.is_file()
    except OSError:
        return False


def load_config(paths: list[str] | None = None, explicit: str | None = None) -> Config:
    """Find and read the project file; a missing one gives the defaults."""
    path = find_config(paths or [], explicit)
    if path is None:
        return Config()
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the config file ({exc}); save it as UTF-8.") from None
    return parse_config(text, str(path))


def _fail(name: str, line: int | None, message: str) -> ConfigError:
    where = f"{name}:{line}" if line else name
    return ConfigError(f"{where}: {message}")


def _text(value: YValue, name: str, key: str) -> str:
    """A setting's text: control characters (but line breaks and tabs) and bidirectional
    controls removed; at most MAX_CELL_CHARS characters, as any YAML value we read."""
    from .limits import MAX_CELL_CHARS
    from .textutil import strip_bidi
    from .yamltree import YScalar

    if not isinstance(value, YScalar):
        raise _fail(name, getattr(value, "line", None), f"'{key}' must be a single value.")
    text = str(value)
    if len(text) > MAX_CELL_CHARS:
        raise _fail(name, getattr(value, "line", None),
                    f"[cell-too-large] '{key}' has {len(text):,} characters; a text of the "
                    f"project file may have at most {MAX_CELL_CHARS:,}.")
    if not text.isprintable():
        text = "".join(ch for ch in text if ch.isprintable() or ch in "\n\t" or
                       (ch.isspace() and ch not in "\x1c\x1d\x1e\x1f\x85"))
        text = strip_bidi(text)[0]
    return text


def parse_config(text: str, name: str = "upr-summary.yaml") -> Config:
    """Parse the text of a project file; raise ConfigError with file:line on mistakes."""
    from .model import FIELDS, Location
    from .problems import problem
    from .textutil import match_key
    from .yamltree import YamlProblem, YMap, YScalar, parse_yaml

    try:
        tree = parse_yaml(text, name)
    except YamlProblem as exc:
        error = _fail(name, exc.line, exc.message)
        error.code = exc.code  # type: ignore[attr-defined]  # e.g. yaml-too-deep
        raise error from None
    cfg = Config(path=name)
    if tree is None:
        return cfg
    if not isinstance(tree, YMap):
        raise _fail(name, getattr(tree, "line", None), "the file must be a mapping of settings (key: value).")
    for key, value in tree.items():
        line = tree.key_lines.get(key)
        if isinstance(value, YScalar) and value.is_null:
            continue
        if key in LOCALIZABLE and isinstance(value, YMap):
            texts = _per_language(value, name, key)
            cfg.localized[key] = texts
            setattr(cfg, key, texts.get("en", next(iter(texts.values()))))
        elif key == "language":
            from .i18n import is_language_code
            from .textutil import shorten

            code = _text(value, name, key).strip()
            if not is_language_code(code):
                raise _fail(name, line, f"'language' must be a language code such as en, fr, "
                            f"es or fr_CA (not {shorten(code, 60)!r}).")
            cfg.language = code
        elif key in _TEXT_KEYS:
            setattr(cfg, key, _text(value, name, key))
        elif key == "sheet":
            cfg.sheet = _text(value, name, key)
        elif key == "cycle":
            text = _text(value, name, key).strip()
            if not (text.isascii() and text.isdigit() and 1 <= int(text) <= 99):
                raise _fail(name, line, f"'cycle' is the number of the review's cycle, such as "
                            f"4 (not {text[:40]!r}).")
            cfg.cycle = int(text)
        elif key in ("output_folder", "reference_docx"):
            setattr(cfg, key, _text(value, name, key).strip() or None)
        elif key == "cache":
            text = _text(value, name, key).strip()
            if text.casefold() in ("false", "no", "off", "none"):
                cfg.cache = False
            elif text.casefold() in ("true", "yes", "on", ""):
                cfg.cache = None
            else:
                cfg.cache = text
        elif key == "formats":
            cfg.formats = ",".join(_names(value, name, key, "formats (docx, md...)")) or None
        elif key in _FLAG_KEYS:
            setattr(cfg, key, _flag(value, name, key, line))
        elif key == "encoding":
            text = _text(value, name, key).strip()
            cfg.encoding = _encoding(text, name, line) if text else None
        elif key == "issue_areas":
            _read_issue_areas(cfg, value, name)
        elif key == "max_words":
            text = _text(value, name, key).strip().replace(",", "").replace("_", "")
            if not text.isascii() or not text.isdigit() or int(text) < 1 or len(text) > 9:
                raise _fail(name, line, f"'max_words' must be a whole number of words, such as "
                            f"2200 (not {str(value)!r}).")
            cfg.max_words = int(text)
        elif key in ("themes", "exclude_themes"):
            setattr(cfg, key, _names(value, name, key))
        elif key in ("columns", "separators", "output"):
            if not isinstance(value, YMap):
                raise _fail(name, line, f"'{key}' must be a mapping (name: value).")
            if key == "columns" and "ignore" in value:  # columns that are no field, no flag
                cfg.ignore_columns = _headers(value["ignore"], name, value.key_lines.get("ignore"))
            mapping = {k: _text(v, name, f"{key}.{k}") for k, v in value.items()
                       if not (key == "columns" and k == "ignore")}
            if key == "columns":
                for fname in mapping:
                    if fname not in FIELDS and fname not in ("finding_id", "contact_name"):
                        raise _fail(
                            name, value.key_lines.get(fname),
                            f"unknown field '{fname}' under columns; fields are: {', '.join(FIELDS)}, "
                            "finding_id, contact_name.",
                        )
                cfg.columns = mapping
            elif key == "separators":
                for fname, sep in mapping.items():
                    if fname not in ("issue_area", "organization"):
                        raise _fail(name, value.key_lines.get(fname),
                                    "separators can be set for issue_area and organization only.")
                    if not sep:
                        raise _fail(name, value.key_lines.get(fname), "a separator cannot be empty.")
                cfg.separators.update(mapping)
            else:
                cfg.output = mapping
        else:
            import difflib

            close = [k for k in _KNOWN_KEYS if match_key(k) == match_key(key)] or \
                difflib.get_close_matches(str(key)[:100].lower(), list(_KNOWN_KEYS), n=1,
                                          cutoff=0.8)
            hint = f" Did you mean '{close[0]}'?" if close else ""
            cfg.problems.append(problem("config-unknown-key", Location(name, line, key),
                                        key=key, hint=hint))
    return cfg


def _per_language(value: YMap, name: str, key: str) -> dict[str, str]:
    """``{en: ..., fr: ...}``: a text per language code, in the file's order."""
    from .i18n import is_language_code
    from .yamltree import YScalar

    texts: dict[str, str] = {}
    for code, text in value.items():
        line = value.key_lines.get(code)
        if not is_language_code(code):
            raise _fail(name, line, f"'{key}' holds texts per language, such as en: ... and "
                        f"fr: ...; {code!r} is not a language code.")
        if not isinstance(text, YScalar):
            raise _fail(name, line, f"'{key}.{code}' must be a single value.")
        if not text.is_null:
            texts[code.replace("-", "_")] = _text(text, name, f"{key}.{code}")
    if not texts:
        raise _fail(name, getattr(value, "line", None), f"'{key}' gives no text in any language.")
    return texts


#: The title and subtitle ``init`` writes, in English (each shipped catalogue translates them).
_DEFAULTS = {"title": "Executive summary of civil society submissions",
             "subtitle": "Universal Periodic Review, fourth cycle"}


def _shipped_default(key: str, value: str, language: str) -> bool:
    """Whether ``value`` is the shipped default ``key`` in a language other than
    ``language`` (compared without regard to case or spacing)."""
    folded = " ".join(value.split()).casefold()
    return any(folded == text and lang.split("_")[0] != language.split("_")[0]
               for lang, text in _default_texts(key))


@functools.lru_cache(maxsize=4)
def _default_texts(key: str) -> tuple[tuple[str, str], ...]:
    from .i18n import PACKAGE_TEMPLATES, languages, messages

    out = []
    for lang in languages():
        try:
            text = messages(lang, PACKAGE_TEMPLATES).gettext(_DEFAULTS[key])
        except Exception:  # noqa: BLE001 (a catalogue that cannot be read: no default)
            continue
        out.append((lang, " ".join(text.split()).casefold()))
    return tuple(out)


def _pick(texts: dict[str, str], language: str, fallback: bool = True) -> str | None:
    """The text of ``language``, else of its base language, else (``fallback``) the first."""
    base = language.replace("-", "_").split("_")[0]
    for code in (language.replace("-", "_"), base):
        for given, text in texts.items():
            if given.lower() == code.lower():
                return text
    return next(iter(texts.values())) if fallback else None


def _flag(value: YValue, name: str, key: str, line: int | None) -> bool:
    """A yes-or-no setting: true/false, yes/no, on/off, 1/0 (any case); else ConfigError."""
    text = _text(value, name, key).strip().lower()
    if text in ("true", "yes", "on", "1"):
        return True
    if text in ("false", "no", "off", "0"):
        return False
    raise _fail(name, line, f"'{key}' is true or false (not {text[:40]!r}).")


def _encoding(value: str, name: str, line: int | None) -> str:
    """A text encoding Python knows (``utf-8``, ``cp1252``, ``latin-1``...), else ConfigError."""
    import codecs

    try:
        info = codecs.lookup(value.strip())
    except (LookupError, ValueError):
        info = None
    if info is None or not getattr(info, "_is_text_encoding", True) or info.name == "undefined":
        raise _fail(name, line, f"unknown text encoding {value!r}; use e.g. utf-8, cp1252 "
                    "(Windows), mac_roman or latin-1, or leave 'encoding' out to detect it.")
    return info.name


def _headers(value: YValue, name: str, line: int | None) -> list[str]:
    """``columns: ignore``: one header, or a list of headers."""
    from .yamltree import YList, YScalar

    if isinstance(value, YScalar):
        return [str(value).strip()] if str(value).strip() else []
    if isinstance(value, YList) and all(isinstance(v, YScalar) for v in value):
        return [str(v).strip() for v in value if str(v).strip()]
    raise _fail(name, line, "'columns: ignore' must be a header, or a list of headers.")


def _names(value: YValue, name: str, key: str, what: str = "theme names") -> list[str]:
    """A list of names: a YAML list, or one line of comma-separated names."""
    from .yamltree import YList, YScalar

    if isinstance(value, YScalar):
        return [p.strip() for p in str(value).split(",") if p.strip()]
    if isinstance(value, YList) and all(isinstance(v, YScalar) for v in value):
        return [str(v).strip() for v in value if str(v).strip()]
    raise _fail(name, getattr(value, "line", None), f"'{key}' must be a list of {what}.")


def _read_issue_areas(cfg: Config, value: YValue, name: str) -> None:
    """``issue_areas`` is a list of names, or of ``{group: [names]}`` mappings."""
    from .yamltree import YList, YMap, YScalar

    if not isinstance(value, YList):
        raise _fail(name, getattr(value, "line", None), "'issue_areas' must be a list.")
    for item in value:
        if isinstance(item, YScalar):
            cfg.issue_areas.append(str(item))
        elif isinstance(item, YMap):
            for group, areas in item.items():
                if not isinstance(areas, YList) or not all(isinstance(a, YScalar) for a in areas):
                    raise _fail(name, item.key_lines.get(group),
                                f"the group '{group}' must hold a list of issue areas.")
                for area in areas:
                    cfg.issue_areas.append(str(area))
                    cfg.groups[str(area)] = group
        else:
            raise _fail(name, getattr(item, "line", None), "an issue area must be a name.")
