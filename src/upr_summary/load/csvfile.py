"""Read a CSV (or tab-separated text) file of findings.

The encoding is detected (see :mod:`.encoding`), the delimiter chosen among comma,
semicolon, tab and bar by which one makes the header recognisable, and line ends may be
LF, CRLF or a bare CR. Every value is kept as text: ``NA`` stays ``"NA"``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from ..config import Config
from ..model import Location, Problem
from .columns import match_header
from .encoding import decode_reporting, looks_binary
from .records import Record, read_table

DELIMITERS = (",", ";", "\t", "|")
csv.field_size_limit(2**31 - 1)


def read_csv(data: bytes, file: str, config: Config, problems: list[Problem]) -> list[Record]:
    """Records from the bytes of one CSV file; problems are appended to ``problems``."""
    where = Location(file)
    if not data.strip():
        problems.append(Problem("empty-file",
                                "The file is empty. Add a header row and one row per finding.",
                                where))
        return []
    if looks_binary(data):
        problems.append(Problem(
            "unreadable-file",
            "This is not a text file (it holds binary data). Save the sheet as CSV or XLSX.",
            where))
        return []
    decoded = decode_reporting(data, file, config.encoding, problems)
    text = decoded.text
    if "\x00" in text:
        problems.append(Problem(
            "control-character", "NUL characters removed from the file.", where, "warning"))
        text = text.replace("\x00", "")
    delimiter = sniff_delimiter(text, config)
    return read_table(_rows(text, delimiter), file, config, problems,
                      undecodable=decoded.invalid_bytes > 0)


def _rows(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """Rows numbered as a spreadsheet program numbers them (the header is row 1)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    yield from enumerate(reader, start=1)


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
