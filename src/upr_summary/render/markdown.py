"""Write the document tree (:mod:`upr_summary.document`) as Markdown (GitHub's and
pandoc's): footnotes as ``[^n]`` with their texts at the end, tables as pipe tables, the
chart as a picture beside the file.

All text in the tree is literal: it is escaped here, so text from submissions cannot
become a link, HTML, a pandoc raw block or a template expression.

>>> md_escape("<script>alert(1)</script> [x](javascript:y) {{ 7*7 }}")
'\\\\<script\\\\>alert(1)\\\\</script\\\\> \\\\[x\\\\](javascript\\\\:y) \\\\{\\\\{ 7\\\\*7 \\\\}\\\\}'
"""

from __future__ import annotations

import re
import urllib.parse

from ..document import (
    Block,
    BulletList,
    Document,
    Figure,
    Heading,
    Inline,
    Note,
    Paragraph,
    Quote,
    Table,
    plain,
)

__all__ = ["md_escape", "render_markdown"]

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|~^$&@#])")
_LINE_START = re.compile(r"^(\s*)([-+=:>%]|\d+(?=[.)]))")
# White space other than a space, or spaces doubled or at an end: made single spaces. A
# no-break space (U+00A0, U+202F: French typography, "«\u00a0", "\u00a0:") is kept.
_SPACE_RUN = re.compile(r"[^\S\u00a0\u202f]+")
_NEEDS_SPACING = re.compile(r"[^\S\u00a0\u202f]{2}|[^\S \u00a0\u202f]|^[^\S\u00a0\u202f]|"
                            r"[^\S\u00a0\u202f]$")
# Autolinks without angle brackets (GFM's extension, pandoc's autolink_bare_uris,
# markdown-it's linkify) need a scheme's colon ("https:", "mailto:") or a dot inside a
# domain name ("www.example.org", "example.org/path", "info@example.org"). A backslash
# before that colon or dot breaks every such pattern and prints nothing.
_SCHEME_COLON = re.compile(r"(?<![\w+.\-\\])([A-Za-z][A-Za-z0-9+.\-]*):(?=\S)")
_DOMAIN_DOT = re.compile(r"(?<=\w)\.(?=[^\W\d_])")


def md_escape(text: str) -> str:
    """Escape text so Markdown (GitHub and pandoc) shows it literally, on one line, and no
    URL, domain or e-mail address in it becomes a link.

    >>> md_escape("See https://example.org or www.example.org/a.")
    'See https\\\\://example\\\\.org or www\\\\.example\\\\.org/a.'
    """
    text = str(text)
    if _NEEDS_SPACING.search(text):
        text = _one_line(text)
    text = _SPECIAL.sub(r"\\\1", text)
    if ":" in text:
        text = _SCHEME_COLON.sub(r"\1\\:", text)
    if "." in text:
        text = _DOMAIN_DOT.sub(r"\\.", text)
    # "1." at the start would begin a list: the dot is escaped ("1\\."; a backslash before a
    # digit is no escape in CommonMark), a dash or a ">" itself.
    return _LINE_START.sub(lambda m: m.group(1) + (m.group(2) + "\\" if m.group(2)[0].isdigit()
                                                   else "\\" + m.group(2)), text)


def _one_line(text: str) -> str:
    """``text`` with each run of white space one space (no-break spaces kept), trimmed."""
    return _SPACE_RUN.sub(" ", text).strip(" ")


def _text(text: str, first: bool) -> str:
    """A run's text escaped, its white space made single spaces (a leading or trailing
    space kept: it separates the run from the next)."""
    if not text:
        return ""
    lead = " " if _SPACE_RUN.match(text) and not first else ""
    tail = " " if _SPACE_RUN.match(text[-1]) else ""
    inner = _one_line(text)
    if not inner:
        return lead or tail
    escaped = md_escape(inner)
    if not first:  # only the start of a line can begin a list, a quote or a heading
        escaped = _LINE_START_ESCAPED.sub(r"\1\2", escaped)
    return lead + escaped + tail


_LINE_START_ESCAPED = re.compile(r"^(\s*)\\([-+=:>%])")


class _Writer:
    def __init__(self, chart_file: str | None) -> None:
        self.chart_file = chart_file
        self.notes: list[str] = []

    def inline(self, content: list[Inline]) -> str:
        parts: list[str] = []
        for item in content:
            if isinstance(item, Note):
                self.notes.append(md_escape(plain(item.content)))
                parts.append(f"[^{len(self.notes)}]")
                continue
            text = _text(item.text, not parts)
            core = text.strip(" ")
            if (item.bold or item.italic) and core:
                mark = "***" if item.bold and item.italic else "**" if item.bold else "*"
                lead = text[:len(text) - len(text.lstrip(" "))]
                tail = text[len(text.rstrip(" ")):]
                text = f"{lead}{mark}{core}{mark}{tail}"
            parts.append(text)
        return "".join(parts).strip()

    def block(self, block: Block) -> str | None:
        if isinstance(block, Heading):
            return f"{'#' * block.level} {self.inline(block.content)}"
        if isinstance(block, Paragraph):
            text = self.inline(block.content)
            return f"**{text}**" if block.style == "subtitle" and text else text
        if isinstance(block, BulletList):
            return "\n".join(f"- {self.inline(item)}" for item in block.items)
        if isinstance(block, Quote):
            return f"> {self.inline(block.content)}"
        if isinstance(block, Table):
            rule = ["---:" if a == "right" else "---" for a in block.align]
            rows = [block.header, *block.rows]
            lines = [f"| {' | '.join(self.inline(c) or ' ' for c in row)} |" for row in rows]
            lines.insert(1, f"| {' | '.join(rule)} |")
            return "\n".join(lines)
        if isinstance(block, Figure):
            if self.chart_file is None or block.target != "chart":
                return None
            target = urllib.parse.quote(self.chart_file, safe="/:#?=&%")
            return f"![{self.inline(block.caption)}]({target})"
        return None  # the contents: a Markdown reader makes its own

    def write(self, doc: Document) -> str:
        chunks = [text for b in doc.blocks if (text := self.block(b))]
        out = "\n\n".join(chunks) + "\n"
        if self.notes:
            out += "\n" + "".join(f"[^{i}]: {text}\n" for i, text in enumerate(self.notes, 1))
        return out


def render_markdown(doc: Document, chart_file: str | None = None) -> str:
    """The document as Markdown text; ``chart_file``: the chart's file name beside it
    (None: no chart)."""
    return _Writer(chart_file).write(doc)
