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

from .limits import MAX_CATALOGUE_BYTES, MAX_MESSAGE_CHARS, MAX_PLURAL_FORMS
from .render.templating import PACKAGE_TEMPLATES, TemplateError

DOMAIN = "messages"
DEFAULT_LANGUAGE = "en"
#: A language and at most three subtags (zh_Hant_TW, ca_ES_valencia): 30 characters at
#: most, so that a code never makes a file name too long. Matched whole (fullmatch).
_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(?:[_-][A-Za-z0-9]{2,8}){0,3}")


def is_language_code(text: str) -> bool:
    """Whether ``text`` has the shape of a language code: en, fr, es, pt_BR, zh-Hant.

    >>> is_language_code("fr\\n"), is_language_code("abc" + "_abcdefgh" * 30)
    (False, False)
    """
    return isinstance(text, str) and bool(_LANGUAGE.fullmatch(text))


def _shown(language: object) -> str:
    """A language as an error message quotes it: at most 40 characters."""
    text = str(language)
    return text if len(text) <= 40 else text[:40] + "…"


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
    for folder, path in ((f, p) for c in codes for f in folders for p in _candidates(f, c)):
        try:
            inside = path.resolve().is_relative_to(folder.resolve())
        except OSError:
            inside = False
        if path.is_symlink() or not inside or not path.is_file():
            raise TemplateError(f"{path}: a message catalogue must be a plain file inside the "
                                "templates folder (not a link, a folder or a pipe).")
        return path
    return None


def _candidates(folder: Path, code: str) -> list[Path]:
    """The catalogue files of the language ``code`` (normalized) in ``folder``: under
    ``locale/<code>/``, else under a folder spelled otherwise (``pt-BR``, ``PT``) that
    :func:`languages` lists as the same language."""
    locale = folder / "locale"
    tail = Path("LC_MESSAGES") / f"{DOMAIN}.po"
    found = []
    try:
        exact = locale / code / tail
        if exact.exists() or exact.is_symlink():
            found.append(exact)
        entries = sorted(locale.iterdir()) if locale.is_dir() else []
    except OSError:
        entries = []
    for entry in entries:
        if entry.name != code and _LANGUAGE.fullmatch(entry.name) \
                and normalized(entry.name) == code:
            path = entry / tail
            try:
                if path.exists() or path.is_symlink():
                    found.append(path)
            except OSError:
                continue
    return found


def translations(language: str = DEFAULT_LANGUAGE, templates: str | Path | None = None) -> Any:
    """The gettext translations of ``language`` (``babel.support.Translations``)."""
    if not is_language_code(language):
        raise TemplateError(f"'{_shown(language)}' is not a language code: use one such as "
                            "en, fr or es.")
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
    from babel.support import Translations

    catalog = _read_catalogue(path, language)
    _check_messages(path, catalog)
    try:
        buffer = io.BytesIO()
        write_mo(buffer, catalog, use_fuzzy=False)
        buffer.seek(0)
        result = Translations(buffer, domain=DOMAIN)
    except (ValueError, OverflowError, SyntaxError, RecursionError) as exc:
        raise TemplateError(f"{path}: the catalogue's Plural-Forms header cannot be used "
                            f"({exc}). Copy it from the English catalogue and change only the "
                            "numbers and the rule for your language.") from None
    _check_plural_rule(path, catalog, result)
    _CATALOGUES[key] = ((stat.st_mtime, stat.st_size), result)
    return result


def _read_catalogue(path: Path, language: str) -> Any:
    """The catalogue at ``path``, read by Babel from its lines as UTF-8 text (a BOM left
    out, CR and CRLF line ends read as LF), its header checked when Babel reads it, before
    any message after it: a charset other than UTF-8, and a number of plural forms outside
    1..MAX_PLURAL_FORMS (as Babel reads it: ``1_000_000``, ``"7"``, ``NPLURALS``, a header
    split over several strings), stop the reading there."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import PoFileError, PoFileParser

    lines = _check_lines(path)

    class Guarded(Catalog):  # type: ignore[misc]
        header_line: int | None = None

        def __setitem__(self, id: Any, message: Any) -> None:
            if id == "":
                self.header_line = message.lineno
            super().__setitem__(id, message)

        def _set_mime_headers(self, headers: Any) -> None:
            where = f"{path}:{self.header_line}" if self.header_line else f"{path}"
            try:
                super()._set_mime_headers(headers)
            except (ValueError, TypeError, LookupError) as exc:
                raise TemplateError(
                    f"{where}: the catalogue's header cannot be read ({exc}). Copy the header "
                    "of the English catalogue and change only its Language and "
                    "Plural-Forms lines.") from None
            charset = (self.charset or "").strip().lower()
            if charset not in ("utf-8", "utf8"):
                raise TemplateError(
                    f"{where}: the catalogue's header says charset={charset[:40]}; catalogues "
                    "are read as UTF-8 only. Save the file as UTF-8 and write "
                    "'Content-Type: text/plain; charset=UTF-8' in its header.")
            plurals = self._num_plurals
            if plurals is not None and not 1 <= plurals <= MAX_PLURAL_FORMS:
                code = "[catalogue-too-large] " if plurals > MAX_PLURAL_FORMS else ""
                raise TemplateError(
                    f"{where}: {code}the Plural-Forms header declares nplurals={plurals}; a "
                    f"language has between 1 and {MAX_PLURAL_FORMS} plural forms.")

    try:
        catalog = Guarded(locale=language.replace("-", "_"))
        PoFileParser(catalog, abort_invalid=True).parse(lines)
    except TemplateError:
        raise
    except PoFileError as exc:
        line = exc.lineno + 1 if isinstance(exc.lineno, int) else None
        where = f"{path}:{line}" if line else f"{path}"
        said = str(exc).rsplit(" on ", 1)[0]
        raise TemplateError(f"{where}: the message catalogue cannot be read: {said}.") \
            from None
    except Exception as exc:  # babel raises several kinds on a broken file  # noqa: BLE001
        raise TemplateError(f"{path}: the message catalogue cannot be read "
                            f"({type(exc).__name__}: {exc}).") from None
    return catalog


#: Characters a message may not hold: control characters but tab and line feed (a carriage
#: return too: line ends are \n), DEL and the C1 controls, and the two non-characters
#: XML refuses (a Word document cannot hold them).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")
#: A named placeholder, or a %% (group 1 is None).
_PLACEHOLDER = re.compile(r"%(?:%|\(([A-Za-z_]\w*)\))")
#: The count of a plural message, which a form may leave out ("une organisation").
_COUNT = "num"


def _names(text: str) -> set[str]:
    return {m.group(1) for m in _PLACEHOLDER.finditer(text) if m.group(1)}


def _as_list(value: Any) -> list[str]:
    return [v or "" for v in value] if isinstance(value, (tuple, list)) else [value or ""]


def _check_messages(path: Path, catalog: Any) -> None:
    """Every message, at its line: no control character, no translation longer than
    MAX_MESSAGE_CHARS, a % written %% or as a placeholder, and the placeholders of its
    English text: none more, none fewer (a form of a plural message may leave out the
    count, %(num)s); then Babel's own checks."""
    for message in catalog:
        if not message.id:
            continue  # the header
        where = f"{path}:{message.lineno}"
        ids = _as_list(message.id)
        strings = _as_list(message.string)
        for text in ids + strings + ([message.context] if message.context else []):
            bad = _CONTROL.search(text)
            if bad:
                raise TemplateError(
                    f"{where}: the message holds a control character (U+{ord(bad.group()):04X}),"
                    " which a report cannot show; delete it (a line break is written \\n).")
        for text in strings:
            if len(text) > MAX_MESSAGE_CHARS:
                raise TemplateError(
                    f"{where}: [catalogue-message-too-long] a translation of {len(text):,} "
                    f"characters; one message may have at most {MAX_MESSAGE_CHARS:,}.")
        for text in ids + strings:
            if _BAD_PERCENT.search(text):
                raise TemplateError(
                    f"{where}: {text[:60]!r}: write a % sign as %% and a placeholder as "
                    "%(name)s, as the English does.")
        wanted = set().union(*(_names(i) for i in ids))
        for index, text in enumerate(strings):
            if not text:
                continue  # untranslated: the English is used
            have = _names(text)
            extra = sorted(have - wanted)
            missing = sorted(wanted - have - ({_COUNT} if len(ids) > 1 else set()))
            if extra or missing:
                form = f" (msgstr[{index}])" if len(ids) > 1 else ""
                said = "; ".join(
                    ([f"it adds {', '.join(f'%({n})s' for n in extra)}"] if extra else [])
                    + ([f"it leaves out {', '.join(f'%({n})s' for n in missing)}"]
                       if missing else []))
                raise TemplateError(
                    f"{where}: the translation{form} of {ids[0][:60]!r} does not keep its "
                    f"placeholders: {said}. Use the same %(name)s placeholders as the English"
                    + (" (a plural form may leave out %(num)s)." if len(ids) > 1 else "."))
    broken = [(message, errors) for message, errors in catalog.check() if errors]
    if broken:
        message, errors = broken[0]
        raise TemplateError(f"{path}:{message.lineno}: the translation of {message.id!r} does "
                            f"not fit its message: {errors[0]}. Use the same %(name)s "
                            "placeholders as the English.")


#: The plural rule is tried on these counts when the catalogue is read.
_PLURAL_PROBE = range(0, 201)


def _check_plural_rule(path: Path, catalog: Any, result: Any) -> None:
    """The Plural-Forms rule gives, for every count tried, a form the catalogue has: a rule
    that divides by zero, or gives a form past the last, is an error at the header's line,
    not a template error later (nor English text in silence)."""
    line = getattr(catalog, "header_line", None)
    where = f"{path}:{line}" if line else f"{path}"
    forms = catalog.num_plurals
    for n in _PLURAL_PROBE:
        try:
            index = result.plural(n)
        except Exception as exc:  # noqa: BLE001 (a rule may fail in several ways)
            raise TemplateError(
                f"{where}: the Plural-Forms rule plural={catalog.plural_expr[:80]} fails for "
                f"n={n} ({type(exc).__name__}). Copy the rule for your language from the GNU "
                "gettext manual.") from None
        if not isinstance(index, int) or not 0 <= index < forms:
            raise TemplateError(
                f"{where}: the Plural-Forms rule plural={catalog.plural_expr[:80]} gives form "
                f"{index} for n={n}, but nplurals={forms} (forms 0 to {forms - 1}). Copy the "
                "rule for your language from the GNU gettext manual.")


_PO_STRING = re.compile(r'^\s*(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+)?"(?:[^"\\]|\\.)*"\s*$')
_PO_KEYWORD = re.compile(r'^\s*(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\b|^\s*"')


#: A % that is neither %% nor a named placeholder with a small width ("100 % sure",
#: "%(num)999999999s", "%s").
_BAD_PERCENT = re.compile(r"%(?!%|\([A-Za-z_]\w*\)[#0 +-]?\d{0,3}(?:\.\d{1,3})?[sdifr])")


def _check_lines(path: Path) -> list[str]:
    """The catalogue's lines as UTF-8 text (a BOM left out; CRLF and CR read as line
    ends), after what Babel would not stop: a control character on a line, and a string
    whose closing quote is missing, read by Babel as if its last character were the quote
    ("About us -> "About u")."""
    try:
        data = path.read_bytes()
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        where = data[:exc.start].count(b"\n") + 1
        raise TemplateError(f"{path}:{where}: the message catalogue is not UTF-8 text (byte "
                            f"0x{exc.object[exc.start]:02x}). Save it as UTF-8.") from None
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    for number, line in enumerate(lines, 1):
        bad = _CONTROL.search(line.replace("\t", " "))
        if bad:
            raise TemplateError(f"{path}:{number}: a control character (U+{ord(bad.group()):04X})"
                                " on this line, which a report cannot show; delete it.")
        if _PO_KEYWORD.match(line) and not _PO_STRING.match(line):
            raise TemplateError(f"{path}:{number}: the text on this line must be one string "
                                'in double quotes, with \\" for a quote inside it: '
                                f"{line.strip()[:80]}")
    return lines


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
            try:
                if _LANGUAGE.fullmatch(entry.name) \
                        and (entry / "LC_MESSAGES" / f"{DOMAIN}.po").is_file():
                    found.add(normalized(entry.name))
            except OSError:
                continue
    return sorted(found)


def check_language(language: str, templates: str | Path | None = None) -> str:
    """``language`` (normalized: ``fr-ca`` -> ``fr_CA``) when it has a catalogue, its own or
    its base language's (read and checked). A language with none, or
    text that is no language code, is a mistake in the command (UsageError, exit 2) whose
    message lists the languages there are; a broken catalogue is a TemplateError."""
    from .errors import UsageError

    there = ", ".join(languages(templates)) or DEFAULT_LANGUAGE
    if not is_language_code(language):
        raise UsageError(f"'{_shown(language)}' is not a language code: choose one of "
                         f"{there}.")
    if catalogue_path(language, templates) is None:
        raise UsageError(f"There is no catalogue for the language '{language}': choose one of "
                         f"{there}, or add locale/{language}/LC_MESSAGES/{DOMAIN}.po to the "
                         "templates folder (see the README: adding a language).")
    language = normalized(language)
    translations(language, templates)
    return language


def _known_locale(language: str) -> Any:
    """Babel's locale of ``language``, else of its base language (``fr`` for ``fr_XX``),
    else None (a language Babel does not know, such as one a user added)."""
    from babel import Locale, UnknownLocaleError

    code = language.replace("-", "_")
    for each in dict.fromkeys((code, code.split("_")[0])):
        try:
            return Locale.parse(each)
        except (UnknownLocaleError, ValueError, TypeError):
            continue
    return None


def _locale(language: str) -> Any:
    from babel import Locale

    return _known_locale(language) or Locale.parse(DEFAULT_LANGUAGE)


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

    known = None if language == DEFAULT_LANGUAGE else _known_locale(language)
    if known is None:
        # Babel's English is "March 2, 2026" (en_US); reports write day first, and so
        # does a language Babel does not know
        return format_date(value, "d MMMM y", locale=_locale("en_GB"))
    text = format_date(value, format="long", locale=known)
    if value.day == 1 and language.replace("-", "_").split("_")[0].lower() == "fr" \
            and text.startswith("1 "):
        # French writes the first of the month as an ordinal: "1er mars 2026"
        text = "1er" + text[1:]
    return text


_ORDINALS = {
    "first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
    "fifth": 5, "5th": 5, "sixth": 6, "6th": 6,
    "premier": 1, "1er": 1, "deuxième": 2, "deuxieme": 2, "2e": 2,
    "troisième": 3, "troisieme": 3, "3e": 3, "quatrième": 4, "quatrieme": 4, "4e": 4,
    "cinquième": 5, "cinquieme": 5, "5e": 5,
    "primer": 1, "primero": 1, "segundo": 2, "tercer": 3, "tercero": 3, "cuarto": 4,
    "quinto": 5, "sexto": 6,
}
_CYCLE_WORD = r"(?:upr\s+|epu\s+)?(?:cycle|ciclo)(?:\s+(?:de\s+l'?\s*)?(?:upr|epu|del\s+epu))?"
_CYCLE_TEXT = re.compile(
    rf"^\s*(?:(?P<ord>[^\W\d_]+|\d+(?:st|nd|rd|th|er|e|º|°)?)\s+{_CYCLE_WORD}"
    rf"|{_CYCLE_WORD}\s+(?P<num>\d{{1,2}}))"
    r"\s*(?:[,(–—-]\s*(?P<year>(?:19|20)\d\d)\s*\)?)?\s*$", re.IGNORECASE)


def review_cycle(text: str) -> tuple[int, str | None] | None:
    """A review's cycle as a file writes it, read as (number, year) so that a report in any
    language can say it in its own words; None when the text says something else (it is
    then shown as written).

    >>> review_cycle("third cycle, 2021"), review_cycle("Cycle 2 (2016)"), review_cycle("2016")
    ((3, '2021'), (2, '2016'), None)
    >>> review_cycle("troisième cycle"), review_cycle("tercer ciclo, 2021")
    ((3, None), (3, '2021'))
    """
    found = _CYCLE_TEXT.match(str(text)[:80])
    if not found:
        return None
    if found["num"]:
        n = int(found["num"])
    else:
        word = found["ord"].lower().rstrip("º°")
        n = _ORDINALS.get(word) or (int(re.sub(r"\D", "", word)) if word[:1].isdigit() else 0)
    return (n, found["year"]) if 1 <= n <= 20 else None
