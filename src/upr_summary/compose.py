"""Word the summary: render the document templates, in the sandbox, with the message
catalogue of the report's language, and parse what they print into the document tree
that every renderer walks (:mod:`upr_summary.document`).

Templates come from the user's folder (``--templates``, the project's ``templates/``)
first, then from the package (``src/upr_summary/templates/``); so does the catalogue,
``locale/<language>/LC_MESSAGES/messages.po`` under either folder, read with Babel at run
time (no compiling step) and kept in memory while the file is unchanged.

>>> from upr_summary.load import load                     # doctest: +SKIP
>>> from upr_summary.summarize import summarize           # doctest: +SKIP
>>> doc = compose(summarize(load(["data/submissions"])))  # doctest: +SKIP
>>> doc.blocks[0]                                         # doctest: +SKIP
Heading(level=1, content=[Run(text='Executive summary of civil society submissions', ...)])
"""

from __future__ import annotations

import io
import re
import secrets
import sys
from pathlib import Path
from typing import Any

from . import document
from .document import Blocks, Document, DocumentError, Values
from .limits import MAX_CATALOGUE_BYTES, MAX_PLURAL_FORMS
from .model import Summary
from .render.templating import PACKAGE_TEMPLATES, TemplateError, render_bounded, sandbox

MAIN_TEMPLATE = "summary.md.j2"
COMPILATION_TEMPLATE = "compilation.md.j2"
#: The Markdown-only template of earlier versions: refused rather than silently ignored.
OLD_TEMPLATE = "executive-summary.md.j2"
DOMAIN = "messages"
DEFAULT_LANGUAGE = "en"
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}([_-][A-Za-z0-9]{2,8})*$")


class Markdown(str):
    """Markup a template wrote (a macro's output, or text passed through ``raw``): put into
    the document as markup, where any other printed value is text."""


# -- the message catalogue ------------------------------------------------------------------
_CATALOGUES: dict[str, tuple[tuple[float, int], Any]] = {}


def catalogue_path(language: str, templates: str | Path | None = None) -> Path | None:
    """The ``.po`` file of ``language``: in the user's templates folder, else the package's.
    A catalogue in the user's folder that is not a plain file inside it (a link leading
    out, a folder, a named pipe) is an error, never passed over in silence."""
    relative = Path("locale") / language.replace("-", "_") / "LC_MESSAGES" / f"{DOMAIN}.po"
    for folder in ([Path(templates)] if templates else []) + [PACKAGE_TEMPLATES]:
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


# -- the environment ----------------------------------------------------------------------------
def _model_types() -> frozenset[type]:
    from . import model

    return frozenset({model.Summary, model.Counts, model.Group, model.Section, model.Cited,
                      model.QuoteBlock, model.Contributor, model.Excluded, model.Earlier,
                      model.EarlierQuote, model.EarlierOverview, model.Concern, model.Budget,
                      model.FindingRef})


def number(value: Any) -> str:
    """A whole number as the report writes it: 1,234."""
    if isinstance(value, bool) or not isinstance(value, int):
        return str(value)
    return f"{value:,}"


def environment(values: Values, templates: str | Path | None = None,
                language: str = DEFAULT_LANGUAGE) -> Any:
    """The sandboxed environment that prints into ``values``: every value printed with
    ``{{ ... }}`` becomes a token (text, never markup), except :class:`Markdown`."""

    def finalize(value: Any) -> Any:
        if isinstance(value, Markdown):
            return value
        if value is None:
            return ""
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        if not isinstance(value, (str, Blocks)):
            # Made text here, inside the render: an undefined or forbidden value fails at
            # its template line.
            value = str(value)
        return values.add(value)

    env = sandbox(templates, finalize=finalize, fast_types=_model_types(),
                  macro_result=Markdown)
    env.add_extension("jinja2.ext.i18n")
    env.policies["ext.i18n.trimmed"] = True
    env.install_gettext_translations(translations(language, templates), newstyle=True)
    env.filters["paragraphs"] = document.cited_paragraphs
    env.filters["bullets"] = document.cited_bullets
    env.filters["quotes"] = document.quote_blocks
    env.filters["compilation"] = document.compilation_blocks
    env.filters["concern_citation"] = document.concern_citation
    env.filters["number"] = number
    env.filters["raw"] = Markdown  # for trusted text the coordinator wrote in Markdown
    return env


def compose(summary: Summary, templates: str | Path | None = None,
            language: str = DEFAULT_LANGUAGE, template: str = MAIN_TEMPLATE) -> Document:
    """The document tree of ``summary``, worded by the templates in ``language``."""
    import jinja2
    from jinja2.exceptions import SecurityError

    if templates is not None:
        folder = Path(templates)
        if not folder.is_dir():
            raise TemplateError(f"Templates folder not found: {templates}")
        if (folder / OLD_TEMPLATE).exists() and not (folder / template).exists():
            raise TemplateError(
                f"{folder / OLD_TEMPLATE}: this template is no longer used: the Word and the "
                f"Markdown reports are now both made from {template} (and sentences.j2). "
                "Copy them from a new project (upr-summary init) into this folder, move your "
                f"edits into them, and delete {OLD_TEMPLATE}.")
    values = Values(secrets.token_hex(4))
    env = environment(values, templates, language)
    try:
        main = env.get_template(template)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"{exc.filename or exc.name}:{exc.lineno}: template syntax error: "
                            f"{exc.message}") from None
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(exc.message if exc.message and exc.message != exc.name
                            else f"Template not found: {exc.name}") from None
    try:
        markup = render_bounded(main, summary=summary)
    except jinja2.TemplateSyntaxError as exc:  # in an included or imported template
        raise TemplateError(f"{exc.filename or exc.name}:{exc.lineno}: template syntax error: "
                            f"{exc.message}") from None
    except (jinja2.TemplateError, SecurityError, TypeError, ValueError, AttributeError,
            KeyError, IndexError, ZeroDivisionError, RecursionError, OverflowError,
            MemoryError) as exc:
        name, line = _template_line()
        where = f"{name}:{line}: " if name else f"{main.filename or template}: "
        if isinstance(exc, SecurityError):
            kind = "not allowed"
        elif isinstance(exc, jinja2.TemplateNotFound):
            kind = "cannot include a file outside the templates folder"
        else:
            kind = "error"
        described, hint = _describe(exc), _hint(exc)
        if hint and not described.endswith("."):
            described += "."
        raise TemplateError(f"{where}template {kind}: {described}{hint}") from None
    try:
        return document.parse(markup, values)
    except DocumentError as exc:
        raise TemplateError(f"{main.filename or template}: {exc}") from None


def _template_line() -> tuple[str | None, int | None]:
    """The template file and line of the error being handled (Jinja2 rewrites the
    traceback so that template frames carry the template's file name)."""
    tb = sys.exc_info()[2]
    found: tuple[str | None, int | None] = (None, None)
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name.endswith(".j2"):
            found = (name, tb.tb_lineno)
        tb = tb.tb_next
    return found


_NO_ATTRIBUTE = re.compile(r"has no attribute '([^']+)'|'([^']+)' is undefined")


def _hint(exc: BaseException) -> str:
    """For a misspelt name: the names the templates can use that are close to it."""
    import dataclasses
    import difflib

    m = _NO_ATTRIBUTE.search(str(exc))
    if not m:
        return ""
    wrong = m.group(1) or m.group(2)
    names = {"summary", "_", "gettext", "ngettext", "s", "issue_area", "findings",
             "submissions", "organizations"}
    for kind in _model_types():
        names.update(f.name for f in dataclasses.fields(kind))
    close = difflib.get_close_matches(wrong, sorted(names), n=3, cutoff=0.7)
    where = " The names a template can use are listed in the README (\"Templates\")."
    if close:
        return f" Did you mean {' or '.join(repr(c) for c in close)}?{where}"
    return where


def _describe(exc: BaseException) -> str:
    """What went wrong, never an empty message (a MemoryError has none)."""
    if isinstance(exc, MemoryError):
        return ("the template ran out of memory. Look for a number, text or list that grows "
                "in a loop (multiplied or joined again and again).")
    if isinstance(exc, RecursionError):
        return ("a macro calls itself, or a value nests in itself, too deep. Look for a "
                "macro that calls itself without end.")
    text = str(exc).strip()
    return text or f"{type(exc).__name__} (no message). Look at the template's line."


__all__ = ["Blocks", "Markdown", "MAIN_TEMPLATE", "catalogue_path", "compose", "environment",
           "number", "translations"]
