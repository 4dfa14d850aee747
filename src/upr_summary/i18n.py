"""Languages: the message catalogue of a language, for the templates and for the fixed
words that Python writes (the intake workbook, the project file, ``stats`` headers, the
JSON's labels), and Babel's ways of writing numbers and dates in that language.

A catalogue is ``locale/<language>/LC_MESSAGES/messages.po`` in the user's templates folder
(``--templates``, the project's ``templates/``) or in the package's; it is read with Babel
at run time (no compiling step, so a catalogue a user adds works at once) and kept in
memory while the file is unchanged. Python marks its messages with :func:`N_` (and
:func:`NP_` for plurals) so that ``tools/extract_messages.py`` finds them, and translates
them where they are written, with :func:`messages`.

>>> _ = messages("en")
>>> _.gettext(N_("Issue area"))
'Issue area'
>>> number(1234567, "fr") == "1\u202f234\u202f567", number(1234, "es"), number(1234, "en")
(True, '1.234', '1,234')
"""

from __future__ import annotations

import io
import re
from datetime import date as _date
from pathlib import Path
from typing import Any

from .limits import MAX_CATALOGUE_BYTES, MAX_PLURAL_FORMS
from .render.templating import PACKAGE_TEMPLATES, TemplateError

DOMAIN = "messages"
DEFAULT_LANGUAGE = "en"
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}([_-][A-Za-z0-9]{2,8})*$")


def is_language_code(text: str) -> bool:
    """Whether ``text`` has the shape of a language code: en, fr, es, pt_BR, zh-Hant."""
    return bool(_LANGUAGE.match(text))


def N_(message: str) -> str:  # noqa: N802 (the gettext convention)
    """Mark ``message`` for the catalogue; it is translated where it is written."""
    return message


def NP_(singular: str, plural: str) -> tuple[str, str]:  # noqa: N802
    """Mark a message with a plural form for the catalogue."""
    return singular, plural


# -- the message catalogue ------------------------------------------------------------------
_CATALOGUES: dict[str, tuple[tuple[float, int], Any]] = {}


def normalized(language: str) -> str:
    """A language code as catalogues and Babel name it: "fr-ca", "FR_CA" -> "fr_CA",
    "EN" -> "en", "zh-hant" -> "zh_Hant"."""
    parts = language.replace("-", "_").split("_")
    out = [parts[0].lower()]
    for part in parts[1:]:
        out.append(part.upper() if len(part) == 2 else part.title() if len(part) == 4
                   else part)
    return "_".join(out)


def catalogue_path(language: str, templates: str | Path | None = None) -> Path | None:
    """The ``.po`` file of ``language``: in the user's templates folder, else the package's;
    for a regional variant with no catalogue of its own (``fr_CA``), its base language's.
    A catalogue in the user's folder that is not a plain file inside it (a link leading
    out, a folder, a named pipe) is an error, never passed over in silence."""
    code = normalized(language)
    codes = [code] + ([code.split("_")[0]] if "_" in code else [])
    folders = ([Path(templates)] if templates else []) + [PACKAGE_TEMPLATES]
    for folder, relative in ((f, Path("locale") / c / "LC_MESSAGES" / f"{DOMAIN}.po")
                             for c in codes for f in folders):
        path = folder / relative
        if not (path.exists() or path.is_symlink()):
            continue
        try:
            inside = path.resolve().is_relative_to(folder.resolve())
        except OSError:
            inside = False
        if path.is_symlink() or not inside or not path.is_file():
            raise TemplateError(f"{path}: a message catalogue must be a plain file inside the "
                                "templates folder (not a link, a folder or a pipe).")
        return path
    return None


def translations(language: str = DEFAULT_LANGUAGE, templates: str | Path | None = None) -> Any:
    """The gettext translations of ``language`` (``babel.support.Translations``)."""
    if not _LANGUAGE.match(language):
        raise TemplateError(f"'{language}' is not a language code: use one such as en, fr or es.")
    path = catalogue_path(language, templates)
    if path is None:
        raise TemplateError(f"No message catalogue for the language '{language}': add "
                            f"locale/{language}/LC_MESSAGES/{DOMAIN}.po to your templates "
                            "folder (copy the English one and translate it).")
    stat = path.stat()
    if stat.st_size > MAX_CATALOGUE_BYTES:
        raise TemplateError(f"{path}: [catalogue-too-large] a message catalogue may have at "
                            f"most {MAX_CATALOGUE_BYTES // 2**20} MiB.")
    key = str(path.resolve())
    cached = _CATALOGUES.get(key)
    if cached is not None and cached[0] == (stat.st_mtime, stat.st_size):
        return cached[1]
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import PoFileError, read_po
    from babel.support import Translations

    _check_header(path)
    try:
        with open(path, "rb") as fh:
            catalog = read_po(fh, locale=language.replace("-", "_"), abort_invalid=True)
    except (PoFileError, ValueError, UnicodeDecodeError) as exc:
        raise TemplateError(f"{path}: the message catalogue cannot be read: {exc}") from None
    except Exception as exc:  # babel raises several kinds on a broken file  # noqa: BLE001
        raise TemplateError(f"{path}: the message catalogue cannot be read "
                            f"({type(exc).__name__}: {exc}).") from None
    for message in catalog:
        for text in (message.id, message.string):
            for one in (text if isinstance(text, (tuple, list)) else (text,)):
                if one and _BAD_PERCENT.search(one):
                    raise TemplateError(
                        f"{path}: line {message.lineno}: {one[:60]!r}: write a % sign as %% "
                        "and a placeholder as %(name)s, as the English does.")
    broken = [(message, errors) for message, errors in catalog.check() if errors]
    if broken:
        message, errors = broken[0]
        raise TemplateError(f"{path}: the translation of {message.id!r} (line "
                            f"{message.lineno}) does not fit its message: {errors[0]}. Use the "
                            "same %(name)s placeholders as the English.")
    try:
        buffer = io.BytesIO()
        write_mo(buffer, catalog, use_fuzzy=False)
        buffer.seek(0)
        result = Translations(buffer, domain=DOMAIN)
    except (ValueError, OverflowError, SyntaxError, RecursionError) as exc:
        raise TemplateError(f"{path}: the catalogue's Plural-Forms header cannot be used "
                            f"({exc}). Copy it from the English catalogue and change only the "
                            "numbers and the rule for your language.") from None
    _CATALOGUES[key] = ((stat.st_mtime, stat.st_size), result)
    return result


_PO_STRING = re.compile(r'^\s*(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+)?"(?:[^"\\]|\\.)*"\s*$')
_PO_KEYWORD = re.compile(r'^\s*(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\b|^\s*"')


_NPLURALS = re.compile(r"nplurals\s*=\s*(\d+)")
#: A % that is neither %% nor a named placeholder with a small width ("100 % sure",
#: "%(num)999999999s", "%s").
_BAD_PERCENT = re.compile(r"%(?!%|\([A-Za-z_]\w*\)[#0 +-]?\d{0,3}(?:\.\d{1,3})?[sdifr])")


def _check_header(path: Path) -> None:
    """What Babel would not stop: a string whose closing quote is missing is read as if
    its last character were the quote ("About us -> "About u"), and a Plural-Forms header
    declaring a billion forms pads every plural message to that many (gigabytes)."""
    try:
        data = path.read_bytes()
        lines = data.decode("utf-8").splitlines()
    except UnicodeDecodeError as exc:
        where = data[:exc.start].count(b"\n") + 1
        raise TemplateError(f"{path}:{where}: the message catalogue is not UTF-8 text (byte "
                            f"0x{exc.object[exc.start]:02x}). Save it as UTF-8.") from None
    for number, line in enumerate(lines, 1):
        if "plural" in line.lower():
            for m in _NPLURALS.finditer(line):
                if int(m.group(1)) > MAX_PLURAL_FORMS:
                    raise TemplateError(
                        f"{path}:{number}: [catalogue-too-large] nplurals={m.group(1)}: no "
                        f"language has more than {MAX_PLURAL_FORMS} plural forms.")
    for number, line in enumerate(lines, 1):
        if _PO_KEYWORD.match(line) and not _PO_STRING.match(line):
            raise TemplateError(f"{path}:{number}: the text on this line must be one string "
                                'in double quotes, with \\" for a quote inside it: '
                                f"{line.strip()[:80]}")




def messages(language: str = DEFAULT_LANGUAGE, templates: str | Path | None = None) -> Any:
    """The catalogue of ``language`` for Python-side text: ``.gettext(msg)``,
    ``.ngettext(singular, plural, n)``; the same catalogue the templates use."""
    return translations(language, templates)


def languages(templates: str | Path | None = None) -> list[str]:
    """The languages with a catalogue in the package or in ``templates``, sorted."""
    found = set()
    for folder in ([Path(templates)] if templates else []) + [PACKAGE_TEMPLATES]:
        locale = folder / "locale"
        try:
            entries = list(locale.iterdir()) if locale.is_dir() else []
        except OSError:
            entries = []
        for entry in entries:
            if _LANGUAGE.match(entry.name) and (entry / "LC_MESSAGES" / f"{DOMAIN}.po").is_file():
                found.add(entry.name)
    return sorted(found)


def check_language(language: str, templates: str | Path | None = None) -> str:
    """``language`` (normalized: ``fr-ca`` -> ``fr_CA``) when it has a catalogue, its own or
    its base language's (read and checked). A language with none, or
    text that is no language code, is a mistake in the command (UsageError, exit 2) whose
    message lists the languages there are; a broken catalogue is a TemplateError."""
    from .errors import UsageError

    there = ", ".join(languages(templates)) or DEFAULT_LANGUAGE
    if not isinstance(language, str) or not _LANGUAGE.match(language):
        raise UsageError(f"'{language}' is not a language code: choose one of {there}.")
    if catalogue_path(language, templates) is None:
        raise UsageError(f"There is no catalogue for the language '{language}': choose one of "
                         f"{there}, or add locale/{language}/LC_MESSAGES/{DOMAIN}.po to the "
                         "templates folder (see the README: adding a language).")
    language = normalized(language)
    translations(language, templates)
    return language


def _locale(language: str) -> Any:
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return Locale.parse(DEFAULT_LANGUAGE)


_NUMBER_CACHE: dict[tuple[int, str], str] = {}


def number(value: Any, language: str = DEFAULT_LANGUAGE) -> str:
    """A whole number as ``language`` writes it (Babel): 1,234 / 1 234 / 1.234."""
    if isinstance(value, bool) or not isinstance(value, int):
        return str(value)
    key = (value, language)
    out = _NUMBER_CACHE.get(key)
    if out is None:
        if language == DEFAULT_LANGUAGE:
            out = f"{value:,}"
        else:
            from babel.numbers import format_decimal

            out = format_decimal(value, locale=_locale(language))
        if len(_NUMBER_CACHE) < 100_000:
            _NUMBER_CACHE[key] = out
    return out


_VOWEL = re.compile(r"^[aeiouyhàâäéèêëîïôöùûüœæAEIOUYHÀÂÄÉÈÊËÎÏÔÖÙÛÜŒÆ]")


def of_state(state: str, language: str = DEFAULT_LANGUAGE, catalogue: Any = None) -> str:
    """"of" and the State as ``language`` joins them: "of the Republic of Arvenia", "de la
    République d'Arvénie", "du Bénin", "des Philippines", "d'Haïti", "del Perú". A
    language without a rule here says it as its catalogue's "of %(state)s" does."""
    base = language.replace("-", "_").split("_")[0].lower()
    lower = state.lower()
    if base == "fr":
        if lower.startswith("le "):
            return "du " + state[3:]
        if lower.startswith("les "):
            return "des " + state[4:]
        return ("d'" if _VOWEL.match(state) else "de ") + state
    if base == "es":
        return "del " + state[3:] if lower.startswith("el ") else "de " + state
    if base == "en" or catalogue is None:
        return "of " + state
    return str(catalogue.gettext(N_("of %(state)s")) % {"state": state})


def long_date(value: Any, language: str = DEFAULT_LANGUAGE) -> str:
    """A date as ``language`` writes it in full (Babel): "2 March 2026", "2 mars 2026",
    "2 de marzo de 2026" ("1er mars 2026": French writes the first as an ordinal). Text
    that is not an ISO date (YYYY-MM-DD) is returned as it is."""
    if isinstance(value, str):
        try:
            value = _date.fromisoformat(value.strip())
        except ValueError:
            return value
    if not isinstance(value, _date):
        return "" if value is None else str(value)
    from babel.dates import format_date

    if language == DEFAULT_LANGUAGE:
        # Babel's English is "March 2, 2026" (en_US); reports write day first
        return format_date(value, "d MMMM y", locale=_locale("en_GB"))
    text = format_date(value, format="long", locale=_locale(language))
    if value.day == 1 and language.replace("-", "_").split("_")[0].lower() == "fr" \
            and text.startswith("1 "):
        # French writes the first of the month as an ordinal: "1er mars 2026"
        text = "1er" + text[1:]
    return text
