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

import functools
import re
import secrets
import sys
from pathlib import Path
from typing import Any

from . import document, i18n
from .document import Blocks, Document, DocumentError, Values
from .i18n import DEFAULT_LANGUAGE, catalogue_path, translations
from .model import Summary
from .render.templating import TemplateError, render_bounded, sandbox

MAIN_TEMPLATE = "summary.md.j2"
COMPILATION_TEMPLATE = "compilation.md.j2"
#: The Markdown-only template of earlier versions: refused rather than silently ignored.
OLD_TEMPLATE = "executive-summary.md.j2"


class Markdown(str):
    """Markup a template wrote (a macro's output, or text passed through ``raw``): put into
    the document as markup, where any other printed value is text."""


# -- the environment ----------------------------------------------------------------------------
def _model_types() -> frozenset[type]:
    from . import model

    return frozenset({model.Summary, model.Counts, model.Group, model.Section, model.Cited,
                      model.QuoteBlock, model.Contributor, model.Excluded, model.Earlier,
                      model.EarlierQuote, model.EarlierOverview, model.Concern, model.Budget,
                      model.FindingRef})


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
    catalogue = translations(language, templates)
    env.install_gettext_translations(catalogue, newstyle=True)
    # Translators: between the submission codes a footnote cites ("JS4; JS9; VAA") and
    # the names of a joint submission's members.
    sep = catalogue.gettext(i18n.N_("; "))
    env.filters["paragraphs"] = functools.partial(document.cited_paragraphs, sep=sep)
    env.filters["bullets"] = functools.partial(document.cited_bullets, sep=sep)
    env.filters["quotes"] = functools.partial(document.quote_blocks, sep=sep)
    env.filters["compilation"] = functools.partial(document.compilation_blocks, sep=sep)
    env.filters["concern_citation"] = functools.partial(document.concern_citation, sep=sep)
    env.filters["without_contacts"] = document.without_contacts
    env.filters["cite"] = sep.join  # {{ finding.sources | cite }}: "JS4; JS9; VAA"
    env.globals["separator"] = sep
    env.filters["of_state"] = functools.partial(i18n.of_state, language=language,
                                                catalogue=catalogue)
    env.filters["number"] = lambda value: i18n.number(value, language)
    env.filters["date"] = lambda value: i18n.long_date(value, language)
    # "third cycle, 2021" read as (3, "2021"), said in the report's language; None otherwise
    env.filters["review_cycle"] = i18n.review_cycle
    env.globals["language"] = language
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
           "translations"]
