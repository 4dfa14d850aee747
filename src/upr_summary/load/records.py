"""One record per finding as read from any format, before submissions are merged.

Spreadsheet rows (CSV and XLSX) go through :func:`read_table`, which finds the header,
matches the columns and turns every non-blank row into a :class:`Record`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..config import Config
from ..limits import MAX_CELL_CHARS, MAX_COLUMNS, MAX_VALUES_PER_CELL
from ..model import REQUIRED_FIELDS, Location, Problem
from ..problems import problem
from ..textutil import clean_cell, clean_text, match_key, shorten, split_list
from .columns import HeaderMatch, confidentiality_header, match_header, suggest_field

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
    finding_id: str | None = None
    contact_email: str | None = None
    #: A contact person ("Name", "Submitted by"): private, never output.
    contact_name: str | None = None
    confidential: str | None = None
    #: YAML: the line of each field; spreadsheets: empty (the row says it all).
    lines: dict[str, int] = field(default_factory=dict)
    #: The sheet's own columns that are no field (a coordinator's ID, reviewer, note...):
    #: header -> value, kept for classify's working file.
    extra: dict[str, str] = field(default_factory=dict)

    def at(self, name: str) -> Location:
        loc = self.location
        return Location(loc.file, self.lines.get(name, loc.row), name, loc.sheet)


def cleaning_problems(removed: int, bidi: int, where: Location) -> list[Problem]:
    """What cleaning a value took out of it (the reader changed the text: it says so)."""
    problems = []
    if removed:
        problems.append(problem("control-character", where, count=removed))
    if bidi:
        problems.append(problem("bidi-control", where, count=bidi))
    return problems


def read_table(
    rows: Iterable[tuple[int, list[str]]],
    file: str,
    config: Config,
    problems: list[Problem],
    sheet: str | None = None,
    undecodable: bool = False,
    dropdowns: frozenset[int] = frozenset(),
) -> list[Record]:
    """Turn numbered rows of cells into records, reporting every problem found on the way.

    ``undecodable`` says the file had bytes its encoding could not read (shown as U+FFFD).
    ``dropdowns``: the columns (0-based) that carry a yes/no dropdown (a workbook's data
    validation): one whose header is not recognised is read as the confidentiality flag.

    An untitled or unrecognised column (not listed under ``columns: ignore``) that holds
    only yes/no answers, one of them yes, is an error: it may be the flag, renamed or
    cleared, and confidentiality is never guessed.
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
            problems.append(problem("empty-file", Location(file, None, None, sheet),
                                    what="The sheet" if sheet else "The file"))
            return []
        # No row looks like a header: take the first and say which columns are missing.
        number, cells = head[0]
        header = (number, cells, match_header(cells, config.columns))
        pending: list[tuple[int, list[str]]] = head[1:]
    else:
        pending = []
    header_row, header_cells, match = header
    header_loc = Location(file, header_row, None, sheet)
    # A title above the header that says the sheet is confidential ("CONFIDENTIAL - do not
    # publish"): the flag is read row by row only, so the sheet is not read as it stands.
    for number, cells in head:
        if number >= header_row:
            break
        said = next((c.strip() for c in cells if says_confidential(c)), None)
        if said is not None:
            problems.append(problem("confidential-elsewhere", Location(file, number, None, sheet),
                                    what=f"The row above the header says {shorten(said, 80)!r}",
                                    where="in a Confidential column, on each row"))
    if len(header_cells) > MAX_COLUMNS:
        problems.append(problem("too-many-columns", header_loc,
                                what=f"The header has {len(header_cells):,} columns"))
        return []

    missing = [f for f in REQUIRED_FIELDS if f not in match.fields]
    for fname in missing:
        found = ", ".join(c.strip() for c in header_cells if c.strip()) or "none"
        problems.append(problem("missing-column", header_loc.with_field(fname), column=fname,
                                found=found))
    for col in match.unclear_confidential:
        problems.append(problem(
            "unrecognised-confidential-column", header_loc.with_field(header_cells[col].strip()),
            what=f"Column {header_cells[col].strip()!r}",
            why="is not read as one (it is negated, asks whether to publish, is misspelt, or "
            "another column is mapped to 'confidential' in upr-summary.yaml)"))
    flags = match.fields.get("confidential", [])
    if len(flags) > 1:
        names = " and ".join(repr(header_cells[c].strip()) for c in flags)
        problems.append(problem("duplicate-confidential-column",
                                header_loc.with_field("confidential"), names=names))
    for fname, cols in match.fields.items():
        if fname == "confidential":
            continue
        if len(cols) > 1 and fname not in config.columns:
            names = " and ".join(repr(header_cells[c].strip()) for c in cols)
            problems.append(problem("duplicate-column", header_loc.with_field(fname),
                                    names=names, field=fname))
    for col in match.unknown:
        guess = suggest_field(header_cells[col])
        if guess and guess not in match.fields:
            problems.append(problem("unknown-column",
                                    header_loc.with_field(header_cells[col].strip()),
                                    column=header_cells[col].strip(), guess=guess))
    if missing:
        return []
    # Columns that may be a renamed or cleared flag: untitled, or a header read as nothing.
    ignored = {match_key(h) for h in config.ignore_columns}
    used = {c for cols in match.fields.values() for c in cols} | set(match.unclear_confidential)
    suspects = [c for c in range(len(header_cells)) if c not in used
                and (c in match.unknown or not match_key(header_cells[c]))
                and not (match_key(header_cells[c]) and match_key(header_cells[c]) in ignored)]
    for col in sorted(dropdowns):
        if col in suspects and "confidential" not in match.fields and \
                "confidential" not in config.columns:
            match.fields["confidential"] = [col]
            suspects.remove(col)
            problems.append(problem("confidential-column-by-dropdown",
                                    header_loc.with_field(_column_name(header_cells, col)),
                                    what=_column_title(header_cells, col)))
    from .assemble import read_flag  # (assemble imports this module)

    yeses = dict.fromkeys(suspects, 0)  # column -> how many yes; dropped at a non-answer

    # The sheet's own columns (no field, not a flag): kept as they are, by header.
    taken = {c for cols in match.fields.values() for c in cols} | set(match.unclear_confidential)
    extra_cols: dict[int, str] = {}
    ignored_cols = {c for c in range(len(header_cells))
                    if match_key(header_cells[c]) and match_key(header_cells[c]) in ignored}
    for col in match.unknown:
        title = " ".join(header_cells[col].split())
        if col in taken or not title:
            continue
        name, n = title, 2
        while name in extra_cols.values():
            name, n = f"{title} ({n})", n + 1
        extra_cols[col] = name
    # Fields whose second column holding other text would lose it (see duplicate-column).
    lost_fields = {f for f in ("finding", "recommendation", "quote")
                   if len(match.fields.get(f, [])) > 1 and f not in config.columns}
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
                problems.append(problem("wrong-delimiter", row_loc, separator=other))
                continue
        if len(cells) > width and any(c.strip() for c in cells[width:]):
            problems.append(problem("extra-cells", row_loc, count=len(cells), width=width))
            continue
        for col in [c for c in yeses if c < len(cells) and cells[c].strip()]:
            flag = read_flag(cells[col])
            if flag is None:
                # "Yes please", "Yes, absolutely", "No thanks": an answer all the same.
                # (a word of two letters or more: "X-1" or "Y2" is an ID, not an answer)
                first = re.split(r"[\s,.;:!()]+", cells[col].strip(), maxsplit=1)[0]
                flag = read_flag(first) if len(first) >= 2 and first.isalpha() and \
                    len(cells[col]) <= 200 else None
            if flag is None:
                del yeses[col]  # not a yes/no answer: not a flag
            elif flag:
                yeses[col] += 1
        values: dict[str, str] = {}
        recommendations: list[str] = []
        oversized = False
        for fname, cols in match.fields.items():
            col = cols[0]
            raw = cells[col] if col < len(cells) else ""
            if len(raw) > MAX_CELL_CHARS:
                problems.append(problem("cell-too-large", row_loc.with_field(fname),
                                        what="cell", count=len(raw)))
                oversized = True
                continue
            if raw.startswith("'") and raw[1:2] in FORMULA_GUARDED:
                raw = raw[1:]  # the guard our own CSV exports put before a formula character
            if fname == "recommendation":  # one recommendation per line of the cell
                recommendations = [clean_text(line)[0] for line in raw.splitlines()]
                recommendations = [r for r in recommendations if r]
            text, removed, bidi = clean_cell(raw)
            problems += cleaning_problems(removed, bidi, row_loc.with_field(fname))
            if undecodable and "\ufffd" in text:
                problems.append(problem(
                    "undecodable-text", row_loc.with_field(fname),
                    what="Some bytes in this cell (shown as �) are", check="this cell"))
            if text:
                values[fname] = text
        if oversized:
            continue
        for fname in [f for f in lost_fields if f in values]:
            # A second Finding column whose text differs: it would be lost, so not a warning.
            used = match.fields[fname][0]
            other = next((c for c in match.fields[fname][1:] if c < len(cells)
                          and cells[c].strip() and cells[c].strip() != cells[used].strip()),
                         None)
            if other is not None:
                lost_fields.discard(fname)  # said once per sheet
                names = f"{header_cells[used].strip()!r} and {header_cells[other].strip()!r}"
                problems.append(problem("duplicate-column", row_loc.with_field(fname), "error",
                                        names=names, field=fname))
        rec = Record(location=row_loc)
        rec.submission = values.get("submission")
        rec.organization = values.get("organization")
        rec.city = values.get("city")
        rec.type = values.get("type")
        rec.issue_areas = split_list(values.get("issue_area", ""), separator)
        organizations = len(split_list(values.get("organization", ""), ";"))
        if max(len(rec.issue_areas), organizations) > MAX_VALUES_PER_CELL:
            many = len(rec.issue_areas) > MAX_VALUES_PER_CELL
            problems.append(problem(
                "too-many-values", row_loc,
                count=len(rec.issue_areas) if many else organizations,
                what="issue areas in one cell" if many else "organizations in one cell"))
            continue
        rec.suggested = split_list(values.get("suggested_issue_area", ""), ";")
        rec.finding = values.get("finding")
        rec.recommendations = recommendations
        rec.quote = values.get("quote")
        rec.quote_by = values.get("quote_by")
        rec.url = values.get("url")
        rec.finding_id = values.get("finding_id")
        rec.contact_email = values.get("contact_email")
        rec.contact_name = values.get("contact_name")
        rec.confidential = values.get("confidential")
        for col, name in extra_cols.items():
            raw = cells[col] if col < len(cells) else ""
            if raw.strip() and len(raw) <= MAX_CELL_CHARS:
                rec.extra[name] = clean_cell(raw)[0]
                if col not in ignored_cols and says_confidential(raw):
                    # A "Notes" column saying "confidential, do not name us": never ignored.
                    problems.append(problem(
                        "confidential-elsewhere", row_loc.with_field(name),
                        what=f"Column {name!r} says {shorten(raw.strip(), 80)!r}",
                        where="in the Confidential column of this row"))
        records.append(rec)
    for col, yes in yeses.items():
        if yes:
            title = header_cells[col].strip()
            problems.append(problem(
                "unclear-confidential-column",
                header_loc.with_field(_column_name(header_cells, col)),
                what=_column_title(header_cells, col), count=yes,
                header=title if title else "‹the header you give it›"))
    problems += named_confidential(records, file, sheet)
    return records


#: Words that ask not to be named ("do not publish", "ne pas", "keep us out").
_ASKING = r"\bdo not\b|\bdon'?t\b|\bne pas\b|\bno publi|\bno nombr|\bkeep\b.*\bout\b"
_ASKS = re.compile(_ASKING, re.IGNORECASE)
#: A sheet's name asks for confidentiality only in so many words, or says "confidential",
#: "embargoed", "restricted" ("Private", "Anonymous survey" do not).
_STRONG = re.compile(_ASKING + r"|confiden|\bembargo|\brestrict", re.IGNORECASE)


def asks_in_words(text: str) -> bool:
    """Whether a text asks in so many words ("do not publish", "ne pas", "keep us out")
    or is marked in capitals (CONFIDENTIAL, CONFIDENCIAL)."""
    return bool(_ASKS.search(text) or re.search(r"\bCONFIDEN[CT]I", text))


def named_confidential(records: list[Record], file: str, sheet: str | None = None
                       ) -> list[Problem]:
    """An error where the sheet's name ("CONFIDENTIAL", "Do not publish") or the file's
    ("confidential-do-not-publish.csv"; not "invalid-confidential.csv") asks for
    confidentiality and not every row read from it carries a yes in the flag: a name is
    not a flag."""
    from .assemble import read_flag  # (assemble imports this module)

    names = [("sheet", sheet)] if sheet else []
    stem = Path(file).name.rsplit(".", 1)[0]
    names.append(("file", stem.replace("-", " ").replace("_", " ")))
    for kind, name in names:
        # A sheet titled "Confidential" says so of its rows; a file's name must ask in so many
        # words ("CONFIDENTIAL-do-not-publish.csv", not "invalid-confidential.csv").
        strong = _STRONG if kind == "sheet" else _ASKS
        if name and strong.search(name) and says_confidential(name) and records and not all(
                r.confidential and read_flag(r.confidential) for r in records):
            return [problem("confidential-elsewhere", Location(file, None, None, sheet),
                            what=f"The {kind}'s name {name!r}",
                            where="in a Confidential column, on each row")]
    return []


def says_confidential(text: str) -> bool:
    """Whether a text outside the flag column asks for confidentiality ("Confidential",
    "Please do not publish our name", "Anonymous"): a short text as a whole, a longer one
    sentence by sentence (a note that ends "Please keep our submission confidential.").

    >>> says_confidential("Met the ministry twice. " * 20 + "Please keep us confidential.")
    True
    """
    if not text.strip():
        return False
    if len(text) <= 300:
        return confidentiality_header(text) == "flag"
    return any(part.strip() and confidentiality_header(part) == "flag"
               for part in _pieces(text[:MAX_CELL_CHARS]))


def _pieces(text: str) -> Iterator[str]:
    """A long note's sentences and lines; one longer than 300 characters (a run-on note,
    sentences without spaces after their stops) as overlapping windows of 300 characters,
    150 apart and cut at spaces, so that any request of up to 150 characters is read whole
    in one of them."""
    for part in _SENTENCE_END.split(text):
        if len(part) <= 300:
            yield part
            continue
        for start in range(0, len(part) - 150, 150):
            window = part[start:start + 300]
            if start and not part[start - 1].isspace() and " " in window:
                window = window.split(" ", 1)[1]  # (a word cut at the start)
            if start + 300 < len(part) and not part[start + 300].isspace() and " " in window:
                window = window.rsplit(" ", 1)[0]  # (and at the end)
            yield window


#: Where a sentence or a line of a long note ends.
_SENTENCE_END = re.compile(r"(?<=[.!?;:\u3002\u2026])\s+|\s*\n\s*")


_ASIDE = re.compile(r"[(\[{]([^)\]}]{1,200})[)\]}]|\s[-\u2013\u2014:/]\s*(.{1,200})$")


def asides(value: str, whole: bool = False) -> list[str]:
    """The parts of a name that may be a remark rather than the name: what is in brackets,
    or after a dash or colon ("Harbour Union (CONFIDENTIAL)", "Harbour Union - do not name
    us"); ``whole``: the value itself too (a city is never an "Anonymous ..." name).

    >>> asides("Rainbow Defenders (CONFIDENTIAL - do not publish)")
    ['CONFIDENTIAL - do not publish']
    """
    found = [a or b for a, b in _ASIDE.findall(value[:2000])]
    return ([value] if whole else []) + [f for f in found if f]


def _letter(col: int) -> str:
    """Column letter of a 0-based column: 0 -> A, 26 -> AA."""
    out = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        out = chr(65 + rest) + out
    return out


def _column_name(cells: list[str], col: int) -> str:
    return cells[col].strip() or f"column {_letter(col)}"


def _column_title(cells: list[str], col: int) -> str:
    """How a message names a column: 'Column L ("Discrétion")', 'Column L (untitled)'."""
    title = cells[col].strip()
    return f"Column {_letter(col)} ({title!r})" if title else f"Column {_letter(col)} (untitled)"


def _chain(first: list[tuple[int, list[str]]], rest: Iterable[tuple[int, list[str]]]
           ) -> Iterable[tuple[int, list[str]]]:
    yield from first
    yield from rest
