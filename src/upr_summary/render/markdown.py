"""Render the report as Markdown from Jinja2 templates, in a sandbox.

One environment factory: sandboxed (a template cannot reach Python internals), with
StrictUndefined (a misspelt name is an error, not an empty string), and with every value
printed by ``{{ ... }}`` escaped for Markdown unless it is already :class:`Markdown`. Text
from submissions therefore cannot become a link, HTML, a pandoc raw block or a template
expression: ``{{ 7*7 }}`` in a finding is printed as it is.

>>> md_escape("<script>alert(1)</script> [x](javascript:y) {{ 7*7 }}")
'\\\\<script\\\\>alert(1)\\\\</script\\\\> \\\\[x\\\\](javascript\\\\:y) \\\\{\\\\{ 7\\\\*7 \\\\}\\\\}'
"""

from __future__ import annotations

import re
import sys
import urllib.parse
from pathlib import Path
from typing import Any

from ..model import Report
from .templating import PACKAGE_TEMPLATES, TemplateError, render_bounded, sandbox

__all__ = ["PACKAGE_TEMPLATES", "Markdown", "TemplateError", "make_environment", "md_escape",
           "render_markdown"]

MAIN_TEMPLATE = "executive-summary.md.j2"

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|~^$&@#])")
_LINE_START = re.compile(r"^(\s*)([-+=:>%]|\d+[.)])")
_NEEDS_SPACING = re.compile(r"\s\s|[^\S ]|^\s|\s$")
# Autolinks without angle brackets (GFM's extension, pandoc's autolink_bare_uris,
# markdown-it's linkify) need a scheme's colon ("https:", "mailto:") or a dot inside a
# domain name ("www.example.org", "example.org/path", "info@example.org"). A backslash
# before that colon or dot breaks every such pattern and prints nothing.
_SCHEME_COLON = re.compile(r"(?<![\w+.\-\\])([A-Za-z][A-Za-z0-9+.\-]*):(?=\S)")
_DOMAIN_DOT = re.compile(r"(?<=\w)\.(?=[^\W\d_])")


class Markdown(str):
    """Text that is already Markdown: printed by templates as it is."""


def md_escape(text: str) -> str:
    """Escape text so Markdown (GitHub and pandoc) shows it literally, on one line, and no
    URL, domain or e-mail address in it becomes a link.

    >>> md_escape("See https://example.org or www.example.org/a.")
    'See https\\\\://example\\\\.org or www\\\\.example\\\\.org/a.'
    """
    text = str(text)
    if _NEEDS_SPACING.search(text):
        text = " ".join(text.split())
    text = _SPECIAL.sub(r"\\\1", text)
    if ":" in text:
        text = _SCHEME_COLON.sub(r"\1\\:", text)
    if "." in text:
        text = _DOMAIN_DOT.sub(r"\\.", text)
    return _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


def _model_types() -> frozenset[type]:
    from .. import model

    return frozenset({model.Report, model.Group, model.Section, model.Cited, model.QuoteBlock,
                      model.Contributor, model.Excluded, model.Previous, model.PreviousQuote})


_MODEL_TYPES = _model_types()


def _finalize(value: Any) -> Any:
    if isinstance(value, Markdown):
        return value
    if isinstance(value, str):
        return md_escape(value)
    if value is None:
        return ""
    return value


def _url(value: Any) -> Markdown:
    return Markdown(urllib.parse.quote(str(value), safe="/:#?=&%"))


def make_environment(templates: str | Path | None = None) -> Any:
    """The Jinja2 environment: a user's templates folder first, then the built-in ones,
    in the bounded sandbox of :mod:`.templating`."""
    env = sandbox(templates, finalize=_finalize, fast_types=_MODEL_TYPES)
    env.filters["md"] = lambda v: Markdown(md_escape(v))
    env.filters["raw"] = Markdown  # for trusted text the coordinator wrote in Markdown
    env.filters["url"] = _url
    return env


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


def render_markdown(report: Report, templates: str | Path | None = None,
                    template: str = MAIN_TEMPLATE) -> str:
    """The report as Markdown text."""
    import jinja2
    from jinja2.exceptions import SecurityError

    env = make_environment(templates)
    try:
        main = env.get_template(template)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"{exc.filename or exc.name}:{exc.lineno}: template syntax error: "
                            f"{exc.message}") from None
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(exc.message if exc.message and exc.message != exc.name
                            else f"Template not found: {exc.name}") from None
    try:
        return render_bounded(main, report=report, Markdown=Markdown)
    except jinja2.TemplateSyntaxError as exc:  # in an included template
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
        raise TemplateError(f"{where}template {kind}: {_describe(exc)}") from None


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
