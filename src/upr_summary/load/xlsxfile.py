"""Read the sheets of an Excel workbook (.xlsx, .xlsm) of findings.

Every visible sheet that has a recognisable header is read (or only ``--sheet``); hidden
and very hidden sheets are skipped with a warning unless ``--include-hidden-sheets`` is
given, and chart sheets are passed over. Merged cells count as filled with their top-left
value, the way a reader sees them. Values are turned into the text Excel shows: 12 rather
than 12.0, dates as 2025-03-01. A formula is read through the value Excel saved with it; a
formula saved without a value (written by a tool that does not calculate) is an error at
its cell, never an empty cell.

The workbook is read in a bounded way: each sheet's XML is streamed, only cells that hold
a value are kept, and the reader refuses to build more than the limits of
:mod:`upr_summary.limits` allow (rows, cells, columns, merged ranges and merged area),
whatever the workbook's own ``<dimension>`` claims. A lone cell at XFD1048576 or a merged
range over the whole sheet therefore costs nothing but an error.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ..config import Config
from ..limits import (
    MAX_COLUMNS,
    MAX_DENSE_PART_FROM,
    MAX_MERGED_CELLS,
    MAX_MERGED_RANGES,
    MAX_SHARED_STRING_CHARS,
    MAX_SHARED_STRINGS,
    MAX_SHEET_CELLS,
    MAX_SHEET_CHARS,
    MAX_SHEET_ROWS,
    MAX_WORKBOOK_RATIO,
    MAX_WORKBOOK_UNCOMPRESSED,
    size_text,
)
from ..model import Location, Problem
from ..problems import problem
from ..textutil import match_key
from .columns import match_header
from .records import HEADER_SEARCH_ROWS, Record, read_table

#: Helper sheets of an intake workbook that hold no findings (names as match keys), in
#: English, French and Spanish (the intake workbook `init --language` writes has them).
HELPER_SHEETS = {"notes", "instructions", "lists", "readme", "help", "howto", "guidance",
                 "listes", "aide", "lisezmoi", "consignes", "modedemploi", "guide",
                 "liste", "listesderoulantes", "remarques",
                 "notas", "listas", "instrucciones", "ayuda", "leeme", "guia", "lista",
                 "listasdesplegables"}

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_ROW, _CELL, _FORMULA, _VALUE = _MAIN + "row", _MAIN + "c", _MAIN + "f", _MAIN + "v"
_SHEET_DATA, _MERGES, _MERGE = _MAIN + "sheetData", _MAIN + "mergeCells", _MAIN + "mergeCell"
_COLS, _COL = _MAIN + "cols", _MAIN + "col"
_STRING, _TEXT, _RUN = _MAIN + "si", _MAIN + "t", _MAIN + "r"
#: Data validation (dropdown lists): Excel's own element, and the 2010 extension one
#: (``x14:dataValidation``, with ``xm:sqref`` and ``xm:f``) Excel writes for a list on
#: another sheet.
_VALIDATION = "}dataValidation"
_X14 = "{http://schemas.microsoft.com/office/spreadsheetml/2009/9/main}"
_XM = "{http://schemas.microsoft.com/office/excel/2006/main}"
#: Dropdowns read per sheet (more are not looked at), cells of a list read per dropdown.
MAX_DROPDOWNS = 200
MAX_LIST_CELLS = 1000

Rows = list[tuple[int, list[str]]]
#: What a damaged workbook is saved again as.
_FORMATS = "Excel (.xlsx)"


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


class SheetTooLarge(Exception):
    """A sheet goes over one of the reader's limits; ``problem`` says which."""

    def __init__(self, problem: Problem):
        super().__init__(problem.message)
        self.problem = problem


@dataclass
class Sheet:
    """One worksheet as read: its rows (row number, cell texts; rows with no value left
    out), the formula cells saved without a value and the hidden rows and columns that
    hold data."""

    name: str
    rows: Rows = field(default_factory=list)
    formulas_without_value: list[tuple[int, int]] = field(default_factory=list)
    hidden_rows: list[int] = field(default_factory=list)
    hidden_columns: list[int] = field(default_factory=list)
    #: The list dropdowns (data validation) of the sheet: (cell ranges, list source), at
    #: most MAX_DROPDOWNS of them.
    dropdowns: list[tuple[str, str]] = field(default_factory=list)

    @property
    def has_content(self) -> bool:
        return bool(self.formulas_without_value) or any(
            any(c.strip() for c in cells) for _, cells in self.rows)


def open_workbook(path: str, file: str, problems: list[Problem]) -> Any | None:
    """The workbook opened for streaming (openpyxl read-only mode), or None with a problem.
    Close it with ``.close()``."""
    where = Location(file)
    dense: zipfile.ZipInfo | None = None
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            unpacked = sum(info.file_size for info in infos)
            # A part that unpacks to much more than any sheet of text does (a 1 MB file of
            # blanks that expands a thousandfold): minutes and gigabytes for nothing.
            dense = next((i for i in infos if i.file_size > MAX_DENSE_PART_FROM and
                          i.file_size > MAX_WORKBOOK_RATIO * max(i.compress_size, 1)), None)
    except Exception:  # zipfile raises many kinds on a damaged archive
        unpacked = 0  # openpyxl reports the damage below
    if dense is not None:
        problems.append(problem(
            "file-too-large", where, what=f"This workbook's part {dense.filename}, unpacked,",
            size=f"{size_text(dense.file_size)} ({dense.file_size // max(dense.compress_size, 1):,} "
            "times its packed size)",
            limit=f"{MAX_WORKBOOK_RATIO} times the packed size for a part over "
            f"{size_text(MAX_DENSE_PART_FROM)}"))
        return None
    if unpacked > MAX_WORKBOOK_UNCOMPRESSED:
        problems.append(problem("file-too-large", where, what="This workbook, unpacked,",
                                size=size_text(unpacked),
                                limit=size_text(MAX_WORKBOOK_UNCOMPRESSED)))
        return None
    try:
        reader = _bounded_reader()(path, read_only=True, data_only=True, keep_links=False)
        reader.read()
        return reader.wb
    except SheetTooLarge as exc:
        problems.append(exc.problem)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, EOFError) as exc:
        problems.append(problem("unreadable-file", where, what="This workbook",
                                why=f"it is damaged or not an Excel .xlsx file "
                                f"({type(exc).__name__})", formats=_FORMATS))
    except Exception as exc:  # openpyxl raises many kinds on damaged files
        problems.append(problem("unreadable-file", where, what="This workbook",
                                why=f"it is damaged ({type(exc).__name__})", formats=_FORMATS))
    return None


def _bounded_reader() -> type:
    """openpyxl's workbook reader (read-only mode: sheets are streamed later), with the
    shared strings read by :func:`_read_strings` (bounded, and some twenty times faster)."""
    from openpyxl.reader.excel import SHARED_STRINGS, ExcelReader

    class BoundedReader(ExcelReader):  # type: ignore[misc]
        def read_strings(self) -> None:
            part = self.package.find(SHARED_STRINGS)
            if part is not None:
                with self.archive.open(part.PartName[1:]) as src:
                    self.shared_strings = _read_strings(src, self.archive.filename or "")

    return BoundedReader


def _read_strings(source: Any, file: str) -> list[str]:
    """The workbook's shared strings table, within MAX_SHARED_STRINGS strings and
    MAX_SHARED_STRING_CHARS characters (the text of <t> and of rich-text runs, as Excel
    shows it; phonetic guides left out)."""
    from openpyxl.xml.functions import iterparse

    strings: list[str] = []
    chars = 0
    root = None
    for event, element in iterparse(source, events=("start", "end")):
        if event == "start":
            if root is None:
                root = element
            continue
        if element.tag != _STRING:
            continue
        plain = element.find(_TEXT)
        parts = [plain.text or ""] if plain is not None else []
        for run in element.findall(_RUN):
            text = run.find(_TEXT)
            if text is not None:
                parts.append(text.text or "")
        value = "".join(parts).replace("x005F_", "")  # as openpyxl reads it
        chars += len(value)
        strings.append(value)
        if len(strings) > MAX_SHARED_STRINGS or chars > MAX_SHARED_STRING_CHARS:
            raise SheetTooLarge(problem("too-many-strings", Location(file),
                                        chars=MAX_SHARED_STRING_CHARS))
        if root is not None:
            root.remove(element)  # keep memory flat
    return strings


def worksheets(workbook: Any) -> list[Any]:
    """The worksheets of a workbook, chart sheets left out."""
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    return [ws for ws in workbook.worksheets if isinstance(ws, ReadOnlyWorksheet)]


def read_sheet(ws: Any, file: str) -> Sheet:
    """Stream one worksheet of a workbook opened by :func:`open_workbook`.

    Raises :class:`SheetTooLarge` when the sheet goes over a limit, ValueError (and the
    like) when its XML is damaged.
    """
    from openpyxl.utils.cell import range_boundaries
    from openpyxl.worksheet._reader import WorkSheetParser
    from openpyxl.xml.functions import iterparse

    book = ws.parent
    name = ws.title
    # openpyxl's cell parser turns one <c> element into a typed value (shared strings,
    # dates from the number format, booleans); the walk over the XML is ours.
    parser = WorkSheetParser(None, ws._shared_strings, data_only=True, epoch=book.epoch,
                             date_formats=book._date_formats,
                             timedelta_formats=book._timedelta_formats)
    values: dict[int, dict[int, Any]] = {}
    sheet = Sheet(name)
    hidden_rows: set[int] = set()
    hidden_cols = bytearray(MAX_COLUMNS + 1)  # 1 where a column is hidden
    merges: list[tuple[int, int, int, int]] = []
    cells_seen = 0
    chars_seen = 0
    row_hidden = False
    parents: dict[str, Any] = {}

    def too_large(code: str, row: int | None = None, /, **fields: object) -> SheetTooLarge:
        return SheetTooLarge(problem(code, Location(file, row, None, name), **fields))

    source = ws._get_source()
    try:
        for event, element in iterparse(source, events=("start", "end")):
            tag = element.tag
            if event == "start":
                if tag == _ROW:
                    number = element.get("r")
                    parser.row_counter = int(float(number)) if number else parser.row_counter + 1
                    parser.col_counter = 0
                    # Hidden, or squeezed to nothing (a height of 0 hides a row as well).
                    row_hidden = element.get("hidden") in ("1", "true") or \
                        _zero(element.get("ht"))
                    parents["row"] = element
                elif tag in (_SHEET_DATA, _MERGES, _COLS):
                    parents[tag] = element
                continue
            if tag == _CELL:
                cells_seen += 1
                if cells_seen > MAX_SHEET_CELLS:
                    raise too_large("sheet-too-large",
                                    what=f"has more than {MAX_SHEET_CELLS:,} cells",
                                    limit=f"{MAX_SHEET_CELLS:,} cells")
                has_formula = element.find(_FORMULA) is not None
                # An empty <v> is a value only for a text result ("" from =IF(...,"",...));
                # tools that do not calculate (openpyxl among them) write <v></v> or none.
                saved = element.find(_VALUE)
                kind = element.get("t")
                cached = kind == "inlineStr" or (saved is not None and (
                    bool(saved.text) or kind == "str"))
                cell = parser.parse_cell(element)
                row, col, value = cell["row"], cell["column"], cell["value"]
                if has_formula and not cached:
                    sheet.formulas_without_value.append((row, col))
                elif value is not None and value != "":
                    if col > MAX_COLUMNS:
                        raise too_large("too-many-columns", row,
                                        what=f"This sheet has a value in column {col:,}")
                    values.setdefault(row, {})[col] = value
                    if isinstance(value, str):
                        # One long shared text referenced in every row (1.2 MB of workbook,
                        # gigabytes of text): bounded as the sheet's text is expanded.
                        chars_seen += len(value)
                        if chars_seen > MAX_SHEET_CHARS:
                            raise too_large("sheet-too-large",
                                            what=f"holds more than {MAX_SHEET_CHARS:,} "
                                            "characters of text",
                                            limit=f"{MAX_SHEET_CHARS:,} characters")
                    if row_hidden:
                        hidden_rows.add(row)
                parent = parents.get("row")
                if parent is not None:
                    parent.remove(element)  # keep memory flat: the row holds one cell at most
            elif tag == _ROW:
                parents.pop("row", None)
                if _SHEET_DATA in parents:
                    parents[_SHEET_DATA].remove(element)
                if len(values) > MAX_SHEET_ROWS:
                    raise too_large("sheet-too-large",
                                    what=f"has more than {MAX_SHEET_ROWS:,} rows with data",
                                    limit=f"{MAX_SHEET_ROWS:,} rows with data")
            elif tag == _MERGE:
                if len(merges) >= MAX_MERGED_RANGES:
                    raise too_large("too-many-merged-ranges")
                ref = element.get("ref") or ""
                if ":" in ref:
                    merges.append(range_boundaries(ref))
                if _MERGES in parents:
                    parents[_MERGES].remove(element)
            elif isinstance(tag, str) and tag.endswith(_VALIDATION):
                if element.get("type") == "list" and len(sheet.dropdowns) < MAX_DROPDOWNS:
                    ranges = element.get("sqref") or element.findtext(_XM + "sqref") or ""
                    first = element.find(_MAIN + "formula1")
                    if first is None:
                        first = element.find(_X14 + "formula1")
                    listed = "" if first is None else (
                        first.text or first.findtext(_XM + "f") or "")
                    if ranges and listed:
                        sheet.dropdowns.append((ranges[:1000], listed[:1000]))
                element.clear()
            elif tag == _COL:
                if element.get("hidden") in ("1", "true") or _zero(element.get("width")):
                    low = max(int(element.get("min", 1)), 1)
                    high = min(int(element.get("max", low)), MAX_COLUMNS)
                    if low <= high:
                        hidden_cols[low:high + 1] = b"\x01" * (high - low + 1)
                if _COLS in parents:
                    parents[_COLS].remove(element)
    finally:
        source.close()

    if not values:
        return sheet
    used_rows = max(values)
    used_cols = max(max(row) for row in values.values())
    _fill_merges(values, merges, used_rows, used_cols, too_large)
    width = max(max(row) for row in values.values())
    if len(values) * width > MAX_SHEET_CELLS:
        raise too_large("sheet-too-large",
                        what=f"would make {len(values):,} rows of {width:,} columns",
                        limit=f"{MAX_SHEET_CELLS:,} cells")
    for number in sorted(values):
        row = values[number]
        sheet.rows.append((number, [cell_text(row.get(c)) for c in range(1, width + 1)]))
    sheet.hidden_rows = sorted(hidden_rows)
    if any(hidden_cols):
        filled = {c for row in values.values() for c in row}
        sheet.hidden_columns = sorted(c for c in filled if c <= MAX_COLUMNS and hidden_cols[c])
    return sheet


def _fill_merges(values: dict[int, dict[int, Any]], merges: list[tuple[int, int, int, int]],
                 used_rows: int, used_cols: int, too_large: Any) -> None:
    """Fill each merged range with its top-left value, within the used part of the sheet
    (a range that runs past the data fills nothing there)."""
    area = 0
    fills = []
    for min_col, min_row, max_col, max_row in merges:
        top_left = values.get(min_row, {}).get(min_col)
        if top_left is None:
            continue
        max_row, max_col = min(max_row, used_rows), min(max_col, used_cols)
        area += (max_row - min_row + 1) * (max_col - min_col + 1)
        if area > MAX_MERGED_CELLS:
            raise too_large("too-many-merged-cells")
        fills.append((min_row, max_row, min_col, max_col, top_left))
    for min_row, max_row, min_col, max_col, top_left in fills:
        for r in range(min_row, max_row + 1):
            row = values.setdefault(r, {})
            for c in range(min_col, max_col + 1):
                row[c] = top_left


def _column_letter(col: int) -> str:
    from openpyxl.utils.cell import get_column_letter

    return get_column_letter(col)


def read_xlsx(path: str, file: str, config: Config, problems: list[Problem],
              sheet: str | None = None) -> list[Record]:
    """Records from the sheets of one workbook; problems are appended to ``problems``."""
    workbook = open_workbook(path, file, problems)
    if workbook is None:
        return []
    unread: list[tuple[str, list[Record]]] = []
    try:
        records = _read_workbook(workbook, file, config, problems, sheet, unread)
    finally:
        workbook.close()
    problems += _hidden_confidential(unread, records, file)
    return records


def _zero(size: str | None) -> bool:
    """Whether a row height or column width attribute is (about) nothing."""
    if not size:
        return False
    try:
        return float(size) < 0.5
    except ValueError:
        return False


def _hidden_confidential(unread: list[tuple[str, list[Record]]], records: list[Record],
                         file: str) -> list[Problem]:
    """An error for each submission that a hidden sheet (not read) flags as confidential
    (or flags unclearly) while the sheets read name it without the flag: the flagged rows
    hidden, an unflagged copy visible."""
    from .assemble import read_flag

    flagged: dict[str, tuple[str, Record]] = {}
    for name, rows in unread:
        for rec in rows:
            if rec.confidential and read_flag(rec.confidential) is not False:
                for key in (rec.submission, rec.organization, *rec.members):
                    if key and match_key(key):
                        flagged.setdefault(match_key(key), (name, rec))
    if not flagged:
        return []
    out: list[Problem] = []
    told: set[int] = set()
    for rec in records:
        if rec.confidential and read_flag(rec.confidential):
            continue
        for key in (rec.submission, rec.organization, *rec.members):
            hit = flagged.get(match_key(key)) if key else None
            if hit is not None and id(hit[1]) not in told:
                told.add(id(hit[1]))
                name, hidden = hit
                out.append(problem("confidential-in-hidden-sheet",
                                   Location(file, hidden.location.row, "confidential", name),
                                   code=hidden.submission or key))
                break
    return out


def _read(ws: Any, file: str, problems: list[Problem]) -> Sheet | None:
    try:
        return read_sheet(ws, file)
    except SheetTooLarge as exc:
        problems.append(exc.problem)
    except Exception as exc:  # damaged sheet XML: openpyxl and the XML parser raise many kinds
        problems.append(problem("unreadable-file", Location(file, None, None, ws.title),
                                what="This sheet", why=f"the workbook is damaged "
                                f"({type(exc).__name__})", formats=_FORMATS))
    return None


def _read_workbook(workbook: Any, file: str, config: Config, problems: list[Problem],
                   sheet: str | None, unread: list[tuple[str, list[Record]]]) -> list[Record]:
    """The records of the workbook's sheets; ``unread`` gets the records of the hidden
    sheets that have a header (not read into the data)."""
    where = Location(file)
    sheets = {ws.title: ws for ws in worksheets(workbook)}
    wanted = sheet or config.sheet
    if wanted is not None and wanted not in sheets:
        problems.append(problem("missing-sheet", where, sheet=wanted,
                                sheets=", ".join(sheets) or "none"))
        return []
    names = [wanted] if wanted else list(sheets)
    include_hidden = config.include_hidden_sheets
    records: list[Record] = []
    data_sheets = 0
    skipped: list[str] = []
    candidates: list[Sheet] = []
    lists: dict[str, Sheet | None] = {}  # sheets read for the values of a dropdown
    for name in names:
        ws = sheets[name]
        if not wanted and ws.sheet_state != "visible" and not include_hidden:
            # Not read. Said only if it looks like data: an intake workbook's hidden lists
            # for drop-downs are no news.
            hidden = _read(ws, file, [])
            if hidden is None or _has_header(hidden.rows, config) or (
                    hidden.has_content and match_key(name) not in HELPER_SHEETS):
                problems.append(problem(
                    "hidden-sheet", Location(file, None, None, name),
                    very="very " if ws.sheet_state == "veryHidden" else ""))
            if hidden is not None and _has_header(hidden.rows, config):
                unread.append((name, read_table(
                    hidden.rows, file, config, [], sheet=name,
                    dropdowns=_yes_no_dropdowns(hidden, sheets, file, lists))))
            continue
        read = _read(ws, file, problems)
        if read is None:
            data_sheets += 1  # reported; not "no data"
            continue
        if not wanted and not _has_header(read.rows, config):
            if read.has_content:
                candidates.append(read)
                if match_key(name) not in HELPER_SHEETS:
                    skipped.append(name)
            continue
        data_sheets += 1
        records += _table(read, file, config, problems,
                          _yes_no_dropdowns(read, sheets, file, lists))
    if not data_sheets:
        # No sheet has a header we know: report it on the first sheet with content.
        if not candidates:
            problems.append(problem("empty-file", where, what="The workbook"))
        else:
            records += _table(candidates[0], file, config, problems)
        return records
    for name in skipped:
        problems.append(problem("skipped-sheet", Location(file, None, None, name)))
    return records


_RANGE = re.compile(r"^=?(?:'((?:[^']|'')+)'|([^'!]+))?!?\$?([A-Za-z]{1,3})\$?(\d{1,7})"
                    r"(?::\$?([A-Za-z]{1,3})\$?(\d{1,7}))?$")


def _yes_no_dropdowns(read: Sheet, sheets: dict[str, Any], file: str,
                      lists: dict[str, Sheet | None]) -> frozenset[int]:
    """The columns (0-based) of ``read`` that carry a dropdown whose list is a yes and a no
    (the intake sheet's Confidential dropdown, in any language the flag is read in): a list
    written in the rule ("oui,non") or a range of cells ('Listes'!$C$2:$C$3)."""
    from openpyxl.utils.cell import column_index_from_string, range_boundaries

    from .assemble import read_flag

    found: set[int] = set()
    for ranges, source in read.dropdowns:
        source = source.strip()
        if source.startswith('"'):
            values = [v.strip() for v in source.strip('"').split(",")]
        else:
            ref = _RANGE.match(source.replace(" ", ""))
            if ref is None:
                continue  # a defined name or a formula: not followed
            name = (ref.group(1) or "").replace("''", "'") or ref.group(2) or read.name
            if name != read.name and name not in lists:
                ws = sheets.get(name)
                lists[name] = None if ws is None else _read(ws, file, [])
            listed = read if name == read.name else lists.get(name)
            if listed is None:
                continue
            try:
                low_col = column_index_from_string(ref.group(3).upper())
                high_col = column_index_from_string((ref.group(5) or ref.group(3)).upper())
            except ValueError:
                continue
            low_row, high_row = int(ref.group(4)), int(ref.group(6) or ref.group(4))
            if (high_col - low_col + 1) * (high_row - low_row + 1) > MAX_LIST_CELLS:
                continue
            values = [cells[c - 1] for number, cells in listed.rows if low_row <= number <= high_row
                      for c in range(low_col, high_col + 1) if c <= len(cells)]
        answers = {read_flag(v) for v in values if v.strip()}
        if answers != {True, False}:
            continue
        for part in ranges.split()[:100]:
            try:
                low, _, high, _ = range_boundaries(part)
            except (ValueError, TypeError):
                continue
            if low is not None and high is not None and high - low < MAX_COLUMNS:
                found.update(range(low - 1, high))
    return frozenset(found)


def _table(read: Sheet, file: str, config: Config, problems: list[Problem],
           dropdowns: frozenset[int] = frozenset()) -> list[Record]:
    """The records of a sheet, with its formula cells and hidden data reported."""
    columns = _column_fields(read.rows, config)
    for row, col in read.formulas_without_value:
        problems.append(problem("formula-without-value",
                                Location(file, row, columns.get(col, _column_letter(col)),
                                         read.name), cell=f"{_column_letter(col)}{row}"))
    if read.hidden_rows or read.hidden_columns:
        shown = [str(r) for r in read.hidden_rows[:5]] + \
                [_column_letter(c) for c in read.hidden_columns[:5]]
        problems.append(problem("hidden-cells", Location(file, None, None, read.name),
                                rows=len(read.hidden_rows), columns=len(read.hidden_columns),
                                shown=", ".join(shown)))
    return read_table(read.rows, file, config, problems, sheet=read.name, dropdowns=dropdowns)


def _column_fields(rows: Rows, config: Config) -> dict[int, str]:
    """Column number (1-based) -> the field its header names, from the sheet's header row."""
    seen = 0
    for _, cells in rows:
        if not any(c.strip() for c in cells):
            continue
        match = match_header(cells, config.columns)
        if match.is_header:
            return {col + 1: fname for fname, cols in match.fields.items() for col in cols}
        seen += 1
        if seen >= HEADER_SEARCH_ROWS:
            break
    return {}


def _has_header(rows: Rows, config: Config) -> bool:
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


def first_sheet_rows(path: str, file: str, problems: list[Problem]) -> Rows:
    """The rows of a workbook's first worksheet, read within the same limits (for files
    that are one table, such as earlier recommendations)."""
    workbook = open_workbook(path, file, problems)
    if workbook is None:
        return []
    try:
        found = worksheets(workbook)
        if not found:
            return []
        read = _read(found[0], file, problems)
    finally:
        workbook.close()
    if read is None:
        return []
    for row, col in read.formulas_without_value:
        problems.append(problem("formula-without-value",
                                Location(file, row, _column_letter(col), read.name),
                                cell=f"{_column_letter(col)}{row}"))
    return read.rows


def sheet_rows(ws: Any) -> Iterator[tuple[int, list[str]]]:
    """Rows of a worksheet of a workbook opened by :func:`open_workbook`, as (row number,
    cell texts), merged cells filled in; raises :class:`SheetTooLarge` over a limit."""
    yield from read_sheet(ws, ws.title).rows
