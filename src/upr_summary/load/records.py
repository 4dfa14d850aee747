"""One record per finding as read from any format, before submissions are merged.

Spreadsheet rows (CSV and XLSX) go through :func:`read_table`, which finds the header,
matches the columns and turns every non-blank row into a :class:`Record`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ..config import Config
from ..limits import MAX_CELL_CHARS, MAX_COLUMNS, MAX_VALUES_PER_CELL
from ..model import REQUIRED_FIELDS, Location, Problem
from ..textutil import BIDI_MESSAGE, clean_cell, clean_text, split_list
from .columns import HeaderMatch, match_header, suggest_field

#: First characters our CSV exports guard with an apostrophe (see export.safe_cell).
FORMULA_GUARDED = ("=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20")

#: How many rows at the top of a sheet may come before the header (a title, a note).
HEADER_SEARCH_ROWS = 10


@dataclass
class Record:
    """A finding as read, with the submission details given alongside it."""

    location: Location
    submission: str | None = None
    organization: str | None = None
    members: list[str] = field(default_factory=list)
    city: str | None = None
    type: str | None = None
    issue_areas: list[str] = field(default_factory=list)
    finding: str | None = None
    recommendations: list[str] = field(default_factory=list)
    #: Issue areas suggested by `upr-summary classify`, used where issue_area is empty.
    suggested: list[str] = field(default_factory=list)
    quote: str | None = None
    quote_by: str | None = None
    url: str | None = None
    contact_email: str | None = None
    confidential: str | None = None
    #: YAML: the line of each field; spreadsheets: empty (the row says it all).
    lines: dict[str, int] = field(default_factory=dict)

    def at(self, name: str) -> Location:
        loc = self.location
        return Location(loc.file, self.lines.get(name, loc.row), name, loc.sheet)


def read_table(
    rows: Iterable[tuple[int, list[str]]],
    file: str,
    config: Config,
    problems: list[Problem],
    sheet: str | None = None,
    undecodable: bool = False,
) -> list[Record]:
    """Turn numbered rows of cells into records, reporting every problem found on the way.

    ``undecodable`` says the file had bytes its encoding could not read (shown as U+FFFD).
    """
    iterator = iter(rows)
    head: list[tuple[int, list[str]]] = []
    header: tuple[int, list[str], HeaderMatch] | None = None
    for number, cells in iterator:
        if not any(c.strip() for c in cells):
            continue
        head.append((number, cells))
        match = match_header(cells, config.columns)
        if match.is_header:
            header = (number, cells, match)
            break
        if len(head) >= HEADER_SEARCH_ROWS:
            break
    if header is None:
        if not head:
            problems.append(Problem(
                "empty-file", "The sheet has no rows. Add a header row and one row per finding.",
                Location(file, None, None, sheet)))
            return []
        # No row looks like a header: take the first and say which columns are missing.
        number, cells = head[0]
        header = (number, cells, match_header(cells, config.columns))
        pending: list[tuple[int, list[str]]] = head[1:]
    else:
        pending = []
    header_row, header_cells, match = header
    header_loc = Location(file, header_row, None, sheet)
    if len(header_cells) > MAX_COLUMNS:
        problems.append(Problem(
            "too-many-columns", f"The header has {len(header_cells):,} columns; at most "
            f"{MAX_COLUMNS:,} are read. Is this a submissions sheet?", header_loc))
        return []

    missing = [f for f in REQUIRED_FIELDS if f not in match.fields]
    for fname in missing:
        problems.append(Problem(
            "missing-column",
            f"No '{fname}' column. Headers found: {', '.join(c.strip() for c in header_cells if c.strip()) or 'none'}. "
            f"Name a column '{fname}', or map one in upr-summary.yaml under columns:.",
            header_loc.with_field(fname)))
    for col in match.unclear_confidential:
        problems.append(Problem(
            "unrecognised-confidential-column",
            f"Column {header_cells[col].strip()!r} looks like a confidentiality flag but is "
            "not read as one (it is negated, asks whether to publish, is misspelt, or another "
            "column is mapped to 'confidential' in upr-summary.yaml). Confidentiality is never "
            "guessed: give the sheet one column 'confidential' (yes = keep the organization's "
            "name out of the report, no = name it) and delete or rename this one.",
            header_loc.with_field(header_cells[col].strip())))
    flags = match.fields.get("confidential", [])
    if len(flags) > 1:
        names = " and ".join(repr(header_cells[c].strip()) for c in flags)
        problems.append(Problem(
            "duplicate-confidential-column",
            f"Both {names} are confidentiality flags: keep one column 'confidential' (yes = "
            "keep the organization's name out of the report) and delete the other.",
            header_loc.with_field("confidential")))
    for fname, cols in match.fields.items():
        if fname == "confidential":
            continue
        if len(cols) > 1 and fname not in config.columns:
            names = " and ".join(repr(header_cells[c].strip()) for c in cols)
            problems.append(Problem(
                "duplicate-column",
                f"Both {names} hold '{fname}'; the first is used. Rename or delete one.",
                header_loc.with_field(fname), "warning"))
    for col in match.unknown:
        guess = suggest_field(header_cells[col])
        if guess and guess not in match.fields:
            problems.append(Problem(
                "unknown-column",
                f"Column {header_cells[col].strip()!r} is not used; did you mean '{guess}'?",
                header_loc.with_field(header_cells[col].strip()), "warning"))
    if missing:
        return []

    separator = config.separators.get("issue_area", ";")
    width = len(header_cells)
    records: list[Record] = []
    for number, cells in _chain(pending, iterator):
        if not any(c.strip() for c in cells):
            continue
        row_loc = Location(file, number, None, sheet)
        filled = [c for c in cells if c.strip()]
        if width > 2 and len(filled) == 1 and len(cells) <= 1:
            other = next((d for d in (";", "\t", "|", ",") if d in filled[0]), None)
            if other is not None:
                problems.append(Problem(
                    "wrong-delimiter",
                    f"This row is one cell holding {other!r} separators, unlike the header: the "
                    "file mixes separators. Save the sheet again as CSV, with one separator.",
                    row_loc))
                continue
        if len(cells) > width and any(c.strip() for c in cells[width:]):
            problems.append(Problem(
                "extra-cells",
                f"This row has {len(cells)} cells but the header has {width}: a stray separator "
                "or a value beyond the last column. Put each value under its header.",
                row_loc))
            continue
        values: dict[str, str] = {}
        recommendations: list[str] = []
        oversized = False
        for fname, cols in match.fields.items():
            col = cols[0]
            raw = cells[col] if col < len(cells) else ""
            if len(raw) > MAX_CELL_CHARS:
                problems.append(Problem(
                    "cell-too-large", f"This cell holds {len(raw):,} characters; a cell may hold "
                    f"{MAX_CELL_CHARS:,} (as in Excel). Shorten it or split it over several "
                    "rows.", row_loc.with_field(fname)))
                oversized = True
                continue
            if raw.startswith("'") and raw[1:2] in FORMULA_GUARDED:
                raw = raw[1:]  # the guard our own CSV exports put before a formula character
            if fname == "recommendation":  # one recommendation per line of the cell
                recommendations = [clean_text(line)[0] for line in raw.splitlines()]
                recommendations = [r for r in recommendations if r]
            text, removed, bidi = clean_cell(raw)
            if removed:
                problems.append(Problem(
                    "control-character",
                    f"{removed} invisible control character(s) (e.g. a vertical tab pasted from "
                    "Excel) removed.",
                    row_loc.with_field(fname), "warning"))
            if bidi:
                problems.append(Problem("bidi-control", BIDI_MESSAGE.format(bidi),
                                        row_loc.with_field(fname), "warning"))
            if undecodable and "\ufffd" in text:
                problems.append(Problem(
                    "undecodable-text",
                    "Some bytes here are not valid text in the file's encoding (shown as �). "
                    "Save the file as UTF-8 (CSV UTF-8 in Excel) and check this cell.",
                    row_loc.with_field(fname)))
            if text:
                values[fname] = text
        if oversized:
            continue
        rec = Record(location=row_loc)
        rec.submission = values.get("submission")
        rec.organization = values.get("organization")
        rec.city = values.get("city")
        rec.type = values.get("type")
        rec.issue_areas = split_list(values.get("issue_area", ""), separator)
        if len(rec.issue_areas) > MAX_VALUES_PER_CELL or \
                len(split_list(values.get("organization", ""), ";")) > MAX_VALUES_PER_CELL:
            problems.append(Problem(
                "too-many-values", f"More than {MAX_VALUES_PER_CELL} issue areas or organizations "
                "in one cell: check the separator, or split the row.", row_loc))
            continue
        rec.suggested = split_list(values.get("suggested_issue_area", ""), ";")
        rec.finding = values.get("finding")
        rec.recommendations = recommendations
        rec.quote = values.get("quote")
        rec.quote_by = values.get("quote_by")
        rec.url = values.get("url")
        rec.contact_email = values.get("contact_email")
        rec.confidential = values.get("confidential")
        records.append(rec)
    return records


def _chain(first: list[tuple[int, list[str]]], rest: Iterable[tuple[int, list[str]]]
           ) -> Iterable[tuple[int, list[str]]]:
    yield from first
    yield from rest
