"""Read the sheets of an Excel workbook (.xlsx, .xlsm) of findings.

Every sheet that has a recognisable header is read (or only ``--sheet``). Merged cells
count as filled with their top-left value, the way a reader sees them. Values are
turned into the text Excel shows: 12 rather than 12.0, dates as 2025-03-01.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Iterator
from typing import Any

from ..config import Config
from ..limits import MAX_WORKBOOK_UNCOMPRESSED, size_text
from ..model import Location, Problem
from ..textutil import match_key
from .columns import match_header
from .records import HEADER_SEARCH_ROWS, Record, read_table

#: Helper sheets of an intake workbook that hold no findings.
HELPER_SHEETS = {"notes", "instructions", "lists", "readme", "help", "howto", "guidance"}


def cell_text(value: Any) -> str:
    """The text of a cell value as Excel shows it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


def read_xlsx(path: str, file: str, config: Config, problems: list[Problem],
              sheet: str | None = None) -> list[Record]:
    """Records from the sheets of one workbook; problems are appended to ``problems``."""
    import openpyxl  # imported here: only workbook inputs need it

    where = Location(file)
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except Exception:  # zipfile raises many kinds on a damaged archive
        unpacked = 0  # openpyxl reports the damage below
    if unpacked > MAX_WORKBOOK_UNCOMPRESSED:
        problems.append(Problem(
            "file-too-large", f"This workbook unpacks to {size_text(unpacked)}; workbooks over "
            f"{size_text(MAX_WORKBOOK_UNCOMPRESSED)} are not read.", where))
        return []
    try:
        workbook = openpyxl.load_workbook(path, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, EOFError) as exc:
        problems.append(Problem(
            "unreadable-file",
            f"This workbook cannot be opened ({type(exc).__name__}): it is damaged or not an "
            "Excel .xlsx file. Open it in Excel and save it again as .xlsx.",
            where))
        return []
    except Exception as exc:  # openpyxl raises many kinds on damaged files
        problems.append(Problem(
            "unreadable-file",
            f"This workbook cannot be read ({type(exc).__name__}). Open it in Excel and save "
            "it again as .xlsx.",
            where))
        return []
    wanted = sheet or config.sheet
    if wanted is not None and wanted not in workbook.sheetnames:
        problems.append(Problem(
            "missing-sheet",
            f"No sheet named {wanted!r}; the sheets are: {', '.join(workbook.sheetnames)}.",
            where))
        return []
    names = [wanted] if wanted else list(workbook.sheetnames)
    records: list[Record] = []
    data_sheets = 0
    skipped: list[str] = []
    for name in names:
        ws = workbook[name]
        rows = list(sheet_rows(ws))
        if not wanted and not _has_header(rows, config):
            if any(any(c.strip() for c in cells) for _, cells in rows) and \
                    match_key(name) not in HELPER_SHEETS:
                skipped.append(name)
            continue
        data_sheets += 1
        records += read_table(rows, file, config, problems, sheet=name)
    if not data_sheets:
        # No sheet has a header we know: report it on the first sheet with content.
        first = next((n for n in names if any(any(c.strip() for c in cells)
                                               for _, cells in sheet_rows(workbook[n]))), None)
        if first is None:
            problems.append(Problem(
                "empty-file", "The workbook has no data. Add a header row and one row per "
                "finding.", where))
        else:
            records += read_table(sheet_rows(workbook[first]), file, config, problems, sheet=first)
        return records
    for name in skipped:
        problems.append(Problem(
            "skipped-sheet",
            "This sheet has no header row with the submission, organization and finding "
            "columns, so it was not read. Add the header, or ignore this if it holds notes.",
            Location(file, None, None, name), "warning"))
    return records


def _has_header(rows: list[tuple[int, list[str]]], config: Config) -> bool:
    seen = 0
    for _, cells in rows:
        if not any(c.strip() for c in cells):
            continue
        if match_header(cells, config.columns).is_header:
            return True
        seen += 1
        if seen >= HEADER_SEARCH_ROWS:
            return False
    return False


def sheet_rows(ws: Any) -> Iterator[tuple[int, list[str]]]:
    """Rows of a worksheet as (row number, cell texts), merged cells filled in."""
    merged: dict[tuple[int, int], Any] = {}
    for rng in ws.merged_cells.ranges:
        top_left = ws.cell(rng.min_row, rng.min_col).value
        for r in range(rng.min_row, rng.max_row + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                merged[(r, c)] = top_left
    for number, row in enumerate(
            ws.iter_rows(min_row=1, min_col=1, values_only=True), start=1):
        cells = list(row)
        if merged:
            for c in range(len(cells)):
                if (number, c + 1) in merged:
                    cells[c] = merged[(number, c + 1)]
        yield number, [cell_text(v) for v in cells]
