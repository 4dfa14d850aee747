"""The document tree: one summary, built once, that every renderer walks.

The templates word the report in a small Markdown subset (the *document markup*); this
module parses what they print into a tree of typed nodes, and the Word and Markdown
renderers (and any later one) differ only in how they write each kind of node.

Values a template prints with ``{{ ... }}`` never become markup: the template environment
puts each value in a side table and prints a token for it (:class:`Values`), so the text
of a submission (``**``, ``#``, ``^[``, ``|``, ``{{ 7*7 }}``) is always literal text in the
tree, whatever it holds. Long lists of cited findings come from filters that build their
nodes directly (:func:`cited_paragraphs`, :func:`cited_bullets`, :func:`quote_blocks`):
a report of 100,000 findings is not printed and parsed again one line at a time.

The markup, block by block (blank lines separate blocks):

- ``---`` / ``key: value`` lines / ``---`` at the very top: the document's properties and
  labels (title, subject, author, keywords, comments, the chart's labels, the words that
  stand for a withheld name or e-mail address);
- ``#`` to ``####``: the title (one ``#``) and headings; ``{.new-page}`` at the end of a
  heading starts it on a new page, ``{.unlisted}`` keeps it out of the contents;
- ``- item``: a bullet list; ``> text``: a block quote; ``| a | b |`` rows with a
  ``| --- | ---: |`` line: a table; ``![caption](chart)`` alone: the figure;
- ``::: subtitle``, ``::: contributors``, ``::: contents`` ... ``:::``: a styled block;
- inline: ``**bold**``, ``*italic*``, ``^[footnote text]``, ``\\`` before a character to
  print it as it is.

>>> values = Values()
>>> markup = "# " + values.add("Report *1*") + "\\n\\nRents rose.^[" + values.add("JS1; JS4") + "]\\n"
>>> doc = parse(markup, values)
>>> [type(b).__name__ for b in doc.blocks]
['Heading', 'Paragraph']
>>> plain(doc.blocks[0].content), plain(doc.blocks[1].content[-1].content)
('Report *1*', 'JS1; JS4')
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from .errors import UprSummaryError
from .limits import MAX_DOCUMENT_LINES

#: Stand in the summary's texts for a withheld name and a withheld e-mail address until the
#: templates give the words (``withheld-name`` and ``withheld-email`` in the front matter).
WITHHELD_NAME = "\ue002"
WITHHELD_EMAIL = "\ue003"
WITHHELD_PHONE = "\ue004"
_WITHHELD = {WITHHELD_NAME: "withheld-name", WITHHELD_EMAIL: "withheld-email",
             WITHHELD_PHONE: "withheld-phone"}
_TOKEN_OPEN, _TOKEN_CLOSE = "\ue000", "\ue001"


class DocumentError(UprSummaryError):
    """The templates printed markup the document cannot be built from."""


# -- nodes ---------------------------------------------------------------------------------
@dataclass(slots=True)
class Run:
    """Text in one style."""

    text: str
    bold: bool = False
    italic: bool = False


@dataclass(slots=True)
class Note:
    """A footnote at this point of the text."""

    content: list[Run]


Inline = Run | Note


@dataclass(slots=True)
class Heading:
    """Level 1 is the document's title; 2 to 4 are its headings."""

    level: int
    content: list[Inline]
    new_page: bool = False
    listed: bool = True
    #: Starts the annexes: the summary's word budget counts no further.
    annex: bool = False


@dataclass(slots=True)
class Paragraph:
    content: list[Inline]
    style: str | None = None  # None, "subtitle"


@dataclass(slots=True)
class BulletList:
    items: list[list[Inline]]
    style: str | None = None  # None, "contributors" (code, then the entry, hanging)


@dataclass(slots=True)
class Quote:
    content: list[Inline]


@dataclass(slots=True)
class Table:
    header: list[list[Inline]]
    rows: list[list[list[Inline]]]
    align: list[str]  # "left" or "right", per column


@dataclass(slots=True)
class Figure:
    """A picture the build makes (today only ``chart``), with its caption."""

    target: str
    caption: list[Inline]


@dataclass(slots=True)
class Contents:
    """The table of contents, with its title."""

    title: list[Inline]


Block = Heading | Paragraph | BulletList | Quote | Table | Figure | Contents


@dataclass
class Document:
    meta: dict[str, str] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)

    def words(self, text: str) -> str:
        """Data text with the withheld marks in the template's words (for outputs drawn
        beside the document, such as the chart)."""
        if any(mark in text for mark in _WITHHELD):
            for mark, key in _WITHHELD.items():
                text = text.replace(mark, self.meta.get(key) or "[\u2026]")
        return text

    def footnotes(self) -> list[str]:
        """The texts of the footnotes, in the order they are numbered."""
        return [plain(item.content) for content in walk_inline(self.blocks)
                for item in content if isinstance(item, Note)]


class Blocks(list):  # type: ignore[type-arg]
    """Nodes built by a filter, printed by a template on a line of its own."""


def plain(content: Iterable[Inline], notes: bool = False) -> str:
    """The text of inline content (footnotes left out unless ``notes``)."""
    out = []
    for item in content:
        if isinstance(item, Run):
            out.append(item.text)
        elif notes:
            out.append(plain(item.content))
    return "".join(out)


def walk_inline(blocks: Iterable[Block]) -> Iterator[list[Inline]]:
    """Every piece of inline content, in reading order (table cells row by row)."""
    for block in blocks:
        if isinstance(block, (Heading, Paragraph, Quote)):
            yield block.content
        elif isinstance(block, BulletList):
            yield from block.items
        elif isinstance(block, Table):
            yield from block.header
            for row in block.rows:
                yield from row
        elif isinstance(block, (Figure, Contents)):
            yield block.caption if isinstance(block, Figure) else block.title


# -- nodes built from the summary's data -------------------------------------------------
#: Between the submission codes a footnote cites ("JS4; JS9; VAA"); the language's own
#: where the report is in another (French: a no-break space before the semicolon).
SEPARATOR = "; "


def _cited(text: str, sources: Sequence[str], sep: str = SEPARATOR) -> list[Inline]:
    return [Run(text), Note([Run(sep.join(sources))])]


def cited_paragraphs(items: Iterable[Any], sep: str = SEPARATOR) -> Blocks:
    """Findings (``text`` and ``sources``) as paragraphs, each with its footnote."""
    return Blocks(Paragraph(_cited(i.text, i.sources, sep)) for i in items)


def cited_bullets(items: Iterable[Any], sep: str = SEPARATOR) -> Blocks:
    """Recommendations as one bullet list, each item with its footnote."""
    items = list(items)
    return Blocks([BulletList([_cited(i.text, i.sources, sep) for i in items])] if items
                  else [])


#: Where one sentence ends and the next begins: an end mark (and a closing quote or
#: bracket), spaces, then a capital letter or an opening mark ("tel. 555" and
#: "3.5" are not ends; "Contact: tel. [withheld]." is a sentence of its own).
_SENTENCE_END = re.compile("(?:(?<=[.!?])|(?<=[.!?][\"'\u201d\u00bb)\\]]))\\s+"
                           "(?=[A-Z\u00c0-\u00dd\u00bf\u00a1\"\u201c\u00ab(])")


def without_contacts(text: str) -> str:
    """``text`` without its sentences that hold a withheld e-mail or telephone number
    ("Contact: tel. [phone number withheld]."): in the summary they say nothing but that
    something was withheld; the compilation keeps the finding whole. A text that is all
    such sentences stays as it is.

    >>> without_contacts("Evictions rose. Call us on \ue004 for details.")
    'Evictions rose.'
    """
    if WITHHELD_EMAIL not in text and WITHHELD_PHONE not in text:
        return text
    parts = _SENTENCE_END.split(text)
    kept = [p for p in parts if WITHHELD_EMAIL not in p and WITHHELD_PHONE not in p]
    if not kept or not "".join(kept).strip():
        return text
    return " ".join(p.strip() for p in kept)


def concern_citation(concern: Any, also: str, sep: str = SEPARATOR) -> str:
    """A concern's footnote: the submissions that gave the sentence stated, then (after
    ``also``, the template's words: "also raised by") the other submissions in it."""
    text = sep.join(concern.stated_by)
    if concern.also_by:
        text += f"{sep}{also} " + sep.join(concern.also_by)
    return text


def compilation_blocks(concerns: Iterable[Any], also: str = "also raised by",
                       recommendations: str = "Recommendations:", key: str = "key concern",
                       in_summary: str = "in the summary", sep: str = SEPARATOR) -> Blocks:
    """The compilation's concerns: each as a paragraph (its number in bold, the sentence
    that states it, its footnote citing every submission in it), its other findings as
    bullets each with its own footnote, its quotes, and its recommendations."""
    out = Blocks()
    for c in concerns:
        mark = [Run(f"({key} {c.key}) ", italic=True)] if c.key else \
            [Run(f"({in_summary}) ", italic=True)] if c.in_summary else []
        out.append(Paragraph([Run(f"{c.number}.", bold=True), Run(" "), *mark, Run(c.text),
                              Note([Run(concern_citation(c, also, sep))])]))
        if len(c.findings) > 1:
            out.append(BulletList([_cited(f.text, f.sources, sep) for f in c.findings[1:]]))
        out.extend(quote_blocks(c.quotes, sep))
        if c.recommendations:
            out.append(Paragraph([Run(recommendations, italic=True)]))
            out.append(BulletList([_cited(r.text, r.sources, sep) for r in c.recommendations]))
    return out


def quote_blocks(items: Iterable[Any], sep: str = SEPARATOR) -> Blocks:
    """Quotes as block quotes: the words, a dash and who said them, the footnote."""
    out = Blocks()
    for q in items:
        content: list[Inline] = [Run(q.text)]
        if q.by:
            content += [Run(" \u2014 "), Run(q.by, italic=True)]
        content.append(Note([Run(sep.join(q.sources))]))
        out.append(Quote(content))
    return out


# -- values printed by templates --------------------------------------------------------------
class Values:
    """The side table of the values a template prints: each is replaced in the markup by a
    token that the parser turns back into the value, as literal text or as nodes.

    A token carries a random key of the render, so text in a submission can never stand
    for a token. A value may be a sentence the template put together from words and other
    printed values (``_("%(state)s received ...", state=...)``): its tokens are resolved
    as text too, and its line breaks are spaces."""

    def __init__(self, key: str = "") -> None:
        self.items: list[Any] = []
        self.key = key
        self.token = re.compile(f"{_TOKEN_OPEN}{re.escape(key)}:(\\d+){_TOKEN_CLOSE}")

    def add(self, value: Any) -> str:
        self.items.append(value)
        return f"{_TOKEN_OPEN}{self.key}:{len(self.items) - 1}{_TOKEN_CLOSE}"

    def get(self, index: int) -> Any:
        if index >= len(self.items):
            raise DocumentError(f"the template printed a token it did not make ({index}): "
                                "remove private-use characters from the template.")
        return self.items[index]

    def text(self, value: Any, depth: int = 0) -> str:
        """A printed value as plain text (a list of nodes as an ellipsis)."""
        if isinstance(value, Blocks):
            return "\u2026"
        text = str(value)
        if _TOKEN_OPEN not in text or depth > 20:
            return text
        out, pos = [], 0
        for m in self.token.finditer(text):
            out.append(_SPACES.sub(" ", text[pos:m.start()]))
            out.append(self.text(self.get(int(m.group(1))), depth + 1))
            pos = m.end()
        out.append(_SPACES.sub(" ", text[pos:]))
        return "".join(out)


# -- the parser ------------------------------------------------------------------------------
_HEADING = re.compile(r"^(#{1,4})[ \t]+(.*)$")
_HEADING_ATTRS = re.compile(r"[ \t]\{([^{}]*)\}$")
_BULLET = re.compile(r"^[-*+][ \t]+(.*)$")
_FIGURE = re.compile(r"^!\[(.*)\]\(([\w.-]+)\)[ \t]*$")
_TABLE_RULE = re.compile(r"^\|?[ \t]*:?-{3,}:?[ \t]*(\|[ \t]*:?-{3,}:?[ \t]*)*\|?[ \t]*$")
_SPACES = re.compile(r"[ \t]*\n\s*")
_META = re.compile(r"^([A-Za-z][\w-]*)[ \t]*:[ \t]?(.*)$")
_DIVS = ("subtitle", "contributors", "contents")
_HEADING_CLASSES = (".new-page", ".unlisted", ".annex")


class _Parser:
    def __init__(self, markup: str, values: Values) -> None:
        self.lines = markup.replace("\r\n", "\n").split("\n")
        if len(self.lines) > MAX_DOCUMENT_LINES:
            raise DocumentError(
                f"[template-output-too-large] the templates printed {len(self.lines):,} lines; "
                f"a report's markup has at most {MAX_DOCUMENT_LINES:,} (its long lists of "
                "findings come from | paragraphs, | quotes and | bullets, which do not count). "
                "Look for a loop that prints headings or paragraphs again and again.")
        self.values = values
        token = f"{_TOKEN_OPEN}{re.escape(values.key)}:(\\d+){_TOKEN_CLOSE}"
        self.block_token = re.compile(f"^[ \\t]*{token}[ \\t]*$")
        self.inline_pattern = re.compile(
            f"\\\\([!-/:-@\\[-`{{-~])|{token}|(\\*\\*|\\*|\\^\\[|\\])")
        self.doc = Document()
        self.div: str | None = None
        self.div_line = 0
        self.div_start = 0

    def fail(self, number: int, what: str) -> DocumentError:
        text = self.lines[number].strip() if number < len(self.lines) else ""
        text = self.values.text(text) if text else ""
        shown = f' ("{text[:60]}{"..." if len(text) > 60 else ""}")' if text else ""
        return DocumentError(f"line {number + 1} of the printed document{shown}: {what}")

    # inline ----------------------------------------------------------------------------
    def inline(self, text: str, number: int) -> list[Inline]:
        out: list[Inline] = []
        target: list[Any] = out  # the paragraph's content, or a footnote's while inside one
        bold = italic = False
        note: Note | None = None
        pos = 0

        def add(piece: str) -> None:
            if not piece:
                return
            last = target[-1] if target else None
            if isinstance(last, Run) and last.bold == bold and last.italic == italic:
                last.text += piece
            else:
                target.append(Run(piece, bold, italic))

        for m in self.inline_pattern.finditer(text):
            add(text[pos:m.start()])
            pos = m.end()
            escaped, token, mark = m.groups()
            if escaped is not None:
                add(escaped)
            elif token is not None:
                value = self.values.get(int(token))
                if isinstance(value, Blocks):
                    raise self.fail(number, "a list of findings, quotes or recommendations "
                                    "must be printed on a line of its own.")
                add(self.resolve(self.values.text(value)))
            elif mark == "**":
                bold = not bold
            elif mark == "*":
                italic = not italic
            elif mark == "^[":
                if note is None:
                    note = Note([])
                    target.append(note)
                    target = note.content
                    saved = (bold, italic)
                    bold = italic = False
                else:
                    add(mark)
            elif note is not None:  # "]" closes the footnote
                note = None
                target = out
                bold, italic = saved
            else:
                add(mark)
        add(text[pos:])
        return out

    def resolve(self, text: str) -> str:
        """Data text with the withheld marks in the template's words."""
        return self.doc.words(text)

    # blocks ----------------------------------------------------------------------------
    def parse(self) -> Document:
        i = self.front_matter()
        lines = self.lines
        para: list[str] = []
        para_at = 0

        def flush() -> None:
            if para:
                self.paragraph(" ".join(s.strip() for s in para), para_at)
                para.clear()

        while i < len(lines):
            line = lines[i]
            stripped = line.strip()
            if not stripped:
                flush()
                i += 1
                continue
            token = self.block_token.match(line)
            if token:
                flush()
                value = self.values.get(int(token.group(1)))
                if isinstance(value, Blocks):
                    self.add_blocks(value, i)
                else:
                    para.append(line)
                    para_at = i
                i += 1
                continue
            if stripped.startswith(":::"):
                flush()
                self.fence(stripped[3:].strip(), i)
                i += 1
                continue
            heading = _HEADING.match(line)
            if heading and not para:
                marks, text = heading.groups()
                text = text.rstrip()
                attrs = _HEADING_ATTRS.search(text)
                classes = attrs.group(1).split() if attrs else []
                if attrs:
                    text = text[:attrs.start()].rstrip()
                for c in classes:
                    if c not in _HEADING_CLASSES:
                        raise self.fail(i, f"unknown heading class {c!r}; use "
                                        f"{' or '.join(_HEADING_CLASSES)}.")
                self.add(Heading(len(marks), self.inline(text, i), ".new-page" in classes,
                                 ".unlisted" not in classes, ".annex" in classes), i)
                i += 1
                continue
            if _BULLET.match(line) and not para:
                i = self.bullets(i)
                continue
            if stripped.startswith(">") and not para:
                i = self.quote(i)
                continue
            if stripped.startswith("|") and not para and i + 1 < len(lines) \
                    and _TABLE_RULE.match(lines[i + 1].strip()):
                i = self.table(i)
                continue
            if not para:
                para_at = i
            para.append(line)
            i += 1
        flush()
        if self.div is not None:
            raise self.fail(self.div_line, f"'::: {self.div}' is never closed with ':::'.")
        return self.doc

    def front_matter(self) -> int:
        lines = self.lines
        if not lines or lines[0].strip() != "---":
            return 0
        found: list[tuple[int, str, str]] = []
        for i in range(1, len(lines)):
            line = lines[i].strip()
            if line == "---":
                # The words for withheld names first: the other values may hold the marks.
                found.sort(key=lambda f: f[1] not in _WITHHELD.values())
                for number, key, value in found:
                    self.doc.meta[key] = plain(self.inline(value, number)).strip()
                return i + 1
            if not line:
                continue
            m = _META.match(line)
            if not m:
                raise self.fail(i, "the front matter holds 'key: value' lines only.")
            found.append((i, m.group(1), m.group(2)))
        raise self.fail(0, "the front matter that starts with '---' never ends with '---'.")

    def fence(self, name: str, i: int) -> None:
        if not name:
            if self.div is None:
                raise self.fail(i, "':::' closes nothing.")
            if self.div == "contents":
                content = [c for b in self.doc.blocks[self.div_start:] for c in
                           (b.content if isinstance(b, Paragraph) else [])]
                del self.doc.blocks[self.div_start:]
                self.doc.blocks.append(Contents(content))
            self.div = None
            return
        name = name.strip("{} .")
        if self.div is not None:
            raise self.fail(i, f"'::: {name}' inside '::: {self.div}': close it first.")
        if name not in _DIVS:
            raise self.fail(i, f"unknown block '::: {name}'; use one of {', '.join(_DIVS)}.")
        self.div, self.div_line, self.div_start = name, i, len(self.doc.blocks)

    def add(self, block: Block, i: int) -> None:
        if self.div == "subtitle" and isinstance(block, Paragraph):
            block.style = "subtitle"
        elif self.div == "contributors" and isinstance(block, BulletList):
            block.style = "contributors"
        elif self.div is not None and not isinstance(block, Paragraph):
            raise self.fail(i, f"'::: {self.div}' (opened {i - self.div_line} lines before) "
                            f"holds paragraphs"
                            f"{' and a bullet list' if self.div == 'contributors' else ''} only: "
                            "is its closing ':::' missing?")
        self.doc.blocks.append(block)

    def add_blocks(self, blocks: Blocks, i: int) -> None:
        for block in blocks:
            for content in walk_inline((block,)):
                for item in content:
                    for run in (item.content if isinstance(item, Note) else (item,)):
                        if any(mark in run.text for mark in _WITHHELD):
                            run.text = self.resolve(run.text)
            self.add(block, i)

    def paragraph(self, text: str, i: int) -> None:
        figure = _FIGURE.match(text)
        if figure:
            self.add(Figure(figure.group(2), self.inline(figure.group(1), i)), i)
        else:
            self.add(Paragraph(self.inline(text, i)), i)

    def bullets(self, i: int) -> int:
        items: list[str] = []
        start = i
        lines = self.lines
        while i < len(lines):
            m = _BULLET.match(lines[i])
            if m:
                items.append(m.group(1))
            elif lines[i].startswith((" ", "\t")) and lines[i].strip() and items:
                items[-1] += " " + lines[i].strip()
            elif not lines[i].strip() and i + 1 < len(lines) and _BULLET.match(lines[i + 1]):
                pass  # a loose list: a blank line between items
            else:
                break
            i += 1
        self.add(BulletList([self.inline(t.strip(), start) for t in items]), start)
        return i

    def quote(self, i: int) -> int:
        parts: list[str] = []
        start = i
        while i < len(self.lines) and self.lines[i].strip().startswith(">"):
            parts.append(self.lines[i].strip()[1:].strip())
            i += 1
        self.add(Quote(self.inline(" ".join(p for p in parts if p), start)), start)
        return i

    def table(self, i: int) -> int:
        def cells(line: str) -> list[str]:
            line = line.strip()
            if line.startswith("|"):
                line = line[1:]
            if line.endswith("|") and not line.endswith("\\|"):
                line = line[:-1]
            return [c.strip() for c in re.split(r"(?<!\\)\|", line)]

        start = i
        header = cells(self.lines[i])
        align = ["right" if c.endswith(":") else "left" for c in cells(self.lines[i + 1])]
        if len(align) != len(header):
            raise self.fail(i, f"the table's header has {len(header)} cells and its rule line "
                            f"{len(align)}.")
        rows = []
        i += 2
        while i < len(self.lines) and self.lines[i].strip().startswith("|"):
            row = cells(self.lines[i])
            if len(row) != len(header):
                raise self.fail(i, f"a table row has {len(row)} cells where the header has "
                                f"{len(header)}.")
            rows.append([self.inline(c, i) for c in row])
            i += 1
        self.add(Table([self.inline(c, start) for c in header], rows, align), start)
        return i


def parse(markup: str, values: Values) -> Document:
    """The document tree of ``markup``, with ``values`` for its tokens."""
    return _Parser(markup, values).parse()
