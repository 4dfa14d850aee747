"""Read a CSV (or tab-separated text) file of findings.

The encoding is detected (see :mod:`.encoding`), the delimiter chosen among comma,
semicolon, tab and bar by which one makes the header recognisable, and line ends may be
LF, CRLF or a bare CR. Every value is kept as text: ``NA`` stays ``"NA"``.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator

from ..config import Config
from ..limits import MAX_CELL_LINE_BREAKS
from ..model import Location, Problem
from ..problems import problem
from .columns import match_header
from .encoding import decode_reporting, looks_binary
from .records import Record, read_table

DELIMITERS = (",", ";", "\t", "|")
csv.field_size_limit(2**31 - 1)
#: Broken quotes after which a file is no longer re-read (each re-read costs a pass).
MAX_QUOTE_RECOVERIES = 10


def read_csv(data: bytes, file: str, config: Config, problems: list[Problem]) -> list[Record]:
    """Records from the bytes of one CSV file; problems are appended to ``problems``."""
    where = Location(file)
    if not data.strip():
        problems.append(problem("empty-file", where, what="The file"))
        return []
    if looks_binary(data):
        problems.append(problem("unreadable-file", where, what="This file",
                                why="it is not text (it holds binary data)"))
        return []
    decoded = decode_reporting(data, file, config.encoding, problems)
    text = decoded.text
    if "\x00" in text:
        problems.append(problem("control-character", where, count=text.count("\x00"),
                                example="NUL, in the file"))
        text = text.replace("\x00", "")
    delimiter = sniff_delimiter(text, config)
    return read_table(_rows(text, delimiter, file, problems), file, config, problems,
                      undecodable=decoded.invalid_bytes > 0)


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")


def _lines(text: str) -> list[str]:
    """The physical lines of the text, each with its line end (CRLF, LF or a bare CR)."""
    lines = _LINE.findall(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def _from(lines: list[str], start: int) -> Iterator[str]:
    """The lines from ``start`` on, without copying the list."""
    return (lines[i] for i in range(start, len(lines)))


def _rows(text: str, delimiter: str, file: str = "", problems: list[Problem] | None = None
          ) -> Iterator[tuple[int, list[str]]]:
    """Rows numbered as a spreadsheet program numbers them (the header is row 1).

    A quoted cell that never closes (``unclosed-quote``), or that holds lines shaped like
    rows of the sheet (``swallowed-rows``), is an error at the row where its quote opened;
    that row is dropped and reading starts again on the next line, so the rows it swallowed
    are read (and checked) as rows. A quoted cell with more than
    :data:`~upr_summary.limits.MAX_CELL_LINE_BREAKS` line breaks is an error too
    (``swallowed-rows``); its lines are reported unread. After
    :data:`MAX_QUOTE_RECOVERIES` such errors the rest of the file is reported unread.
    """
    sink: list[Problem] = problems if problems is not None else []
    lines = _lines(text)
    start = 0          # index of the line the current reader started at
    number = 0         # the last row number given
    width = 0          # the widest well-formed row so far (the header, usually)
    restarts = 0

    def swallowed(cells: list[str], first: int, end: int) -> tuple[str, str, int] | None:
        """The problem of a row read from lines first..end that swallowed other rows."""
        why = _swallowed(cells, delimiter, width, heads) if end - first > 1 else None
        if not why:
            return None
        return ("swallowed-rows", f"{_span(first, end)}: {why[0]}", first + 1 if why[1] else end)

    heads: set[str] = set()  # the first values of the rows read so far, case-folded

    def counted(cells: list[str]) -> int:
        """The number of a row read whole (and the sheet's width, from rows with text)."""
        nonlocal number, width
        number += 1
        if any(c.strip() for c in cells):
            width = max(width, len(cells))
            if cells[0].strip() and len(heads) < 100_000:
                heads.add(cells[0].strip().casefold())
        return number

    while start < len(lines):
        reader = csv.reader(_from(lines, start), delimiter=delimiter, strict=True)
        consumed = 0   # lines the reader had consumed before the current row
        broken: tuple[str, str, int] | None = None
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                first = start + consumed
                if "end of data" in str(exc):
                    broken = ("unclosed-quote", _span(first, len(lines)), first + 1)
                    break
                # A quote closed before other text ('"abc" ,' or '"abc"def'): read the row
                # as Excel does, unless it swallowed other rows.
                loose = csv.reader(_from(lines, first), delimiter=delimiter)
                cells = next(loose)
                span = loose.line_num
                broken = swallowed(cells, first, first + span)
                if broken:
                    break
                yield counted(cells), cells
                start, consumed = first + span, 0
                reader = csv.reader(_from(lines, start), delimiter=delimiter, strict=True)
                continue
            first = start + consumed
            consumed = reader.line_num
            broken = swallowed(cells, first, start + consumed)
            if broken:
                break
            yield counted(cells), cells
        number += 1
        code, detail, resume = broken
        restarts += 1
        more = restarts <= MAX_QUOTE_RECOVERIES
        if not more:
            then = "The row and every line after it were NOT read."
        elif resume == first + 1:
            then = "The row was not read" + ("; the lines after it were read as rows again."
                                             if resume < len(lines) else ".")
        else:
            then = "These lines were not read."
        sink.append(problem(code, Location(file, number), detail=detail, then=then))
        if not more:
            return
        start = resume


def sniff_delimiter(text: str, config: Config) -> str:
    """The delimiter under which the header is best recognised, then the most regular."""
    sample = text[:65536]
    best: tuple[tuple[int, float, int], str] | None = None
    for delimiter in DELIMITERS:
        rows = []
        reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
        try:
            for cells in reader:
                if any(c.strip() for c in cells):
                    rows.append(cells)
                if len(rows) >= 20:
                    break
        except csv.Error:
            continue
        if not rows:
            continue
        recognised = max(match_header(r, config.columns).recognised for r in rows[:10])
        width = len(rows[0])
        regular = sum(1 for r in rows if len(r) == width) / len(rows) if width > 1 else 0.0
        score = (recognised, regular, width)
        if best is None or score > best[0]:
            best = (score, delimiter)
    return best[1] if best else ","


def _span(first: int, end: int) -> str:
    """Lines ``first``..``end`` (0-based, end excluded) as a message says them."""
    return f"line {end}" if end - first <= 1 else f"lines {first + 1}-{end}"


def _swallowed(cells: list[str], delimiter: str, width: int,
               heads: set[str] | frozenset[str] = frozenset()) -> tuple[str, bool] | None:
    """Why a row spanning several lines looks like a quote that swallowed other rows, and
    whether the lines it holds should be read again as rows (they look like rows)."""
    for cell in cells:
        breaks = cell.count("\n") + cell.count("\r") - cell.count("\r\n")
        if breaks > MAX_CELL_LINE_BREAKS:
            return (f"one cell holds {breaks:,} line breaks, more than the "
                    f"{MAX_CELL_LINE_BREAKS} a cell may have", False)
        if not breaks or width < 3:
            continue
        inner = cell.replace("\r\n", "\n").replace("\r", "\n").split("\n")[1:]
        rows = sum(1 for line in inner if _looks_like_row(line, delimiter, width, heads))
        if rows:
            return f"one cell holds {rows} line(s) shaped like rows of this sheet", True
    return None


def _looks_like_row(line: str, delimiter: str, width: int,
                    heads: set[str] | frozenset[str] = frozenset()) -> bool:
    """A line inside a cell that starts the way a row of this sheet starts: a code-like
    first value (``RDC``, ``JS12``), or the first value of a row already read (``htu``),
    then at least two separators (a whole row, or the first part of a row swallowed up to
    a quote in its middle); or a space-free first value then a row's worth of separators,
    on a sheet of six columns or more, or of three or more where the values after it do
    not start with a space as a list in prose does ("Water, food, housing, health")."""
    head, sep, rest = line.partition(delimiter)
    head = head.strip()
    if not sep or not 0 < len(head) <= 24 or " " in head:
        return False
    count = line.count(delimiter)
    if count >= 2 and (_CODE_LIKE.match(head) or head.casefold() in heads):
        return True
    if count < width - 1:
        return False
    if width >= 6:
        return True
    cells = rest.split(delimiter)
    spaced = sum(1 for c in cells if c[:1].isspace())
    return _ANY_CASE_CODE.match(head) is not None and spaced * 2 < len(cells)


#: A first value that could be a code in any case (``htu``, ``js12``, ``Rdc``).
_ANY_CASE_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{1,23}$")

#: A first value that looks like a submission code: capitals and digits, with a capital
#: (``HTU``, ``JS1``, ``C-2``); ``UN`` or ``OK`` are too short to tell.
_CODE_LIKE = re.compile(r"^(?=.*[A-Z])(?=[A-Z0-9._/-]{3,24}$|[A-Z]+[0-9]+$)[A-Z0-9._/-]+$")
