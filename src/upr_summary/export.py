"""Write tables of counts as JSON, CSV (safe to open in Excel) or Markdown.

>>> safe_cell("=HYPERLINK(\\"http://x\\")")
'\\'=HYPERLINK("http://x")'
>>> print(to_markdown([{"issue_area": "Housing", "findings": 3}]), end="")
| Issue area | Findings |
| --- | ---: |
| Housing | 3 |
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from .i18n import DEFAULT_LANGUAGE, N_, messages

#: The headers of the count tables (``stats``), as the catalogue translates them.
COLUMN_LABELS = {
    "issue_area": N_("Issue area"), "group": N_("Group"), "type": N_("Type"),
    "submissions": N_("Submissions"), "organizations": N_("Organizations"),
    "findings": N_("Findings"), "recommendations": N_("Recommendations"),
    "previous_recommendations": N_("Previous recommendations"), "supported": N_("Supported"),
    "noted": N_("Noted"), "gap": N_("Gap"),
}
TOTAL_LABEL = N_("Total (distinct)")
#: The sheets of ``stats --format xlsx``, one per view.
SHEET_TITLES = {"issue-area": N_("By issue area"), "type": N_("By type"),
                "cross": N_("Issue areas together"), "gaps": N_("Gaps")}
#: Words the count tables print as values.
VALUE_LABELS = {
    "(untagged)": N_("(untagged)"),
    "individual": N_("individual"), "joint": N_("joint"), "nhri": N_("NHRI"), "other": N_("other"),
    "raised by civil society, not in earlier recommendations":
        N_("raised by civil society, not in earlier recommendations"),
    "in earlier recommendations, raised by no submission":
        N_("in earlier recommendations, raised by no submission"),
}

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def safe_cell(value: Any) -> Any:
    """Neutralise text a spreadsheet would run as a formula by prefixing an apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def to_json(rows: Any) -> str:
    return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"


def to_csv(rows: Sequence[dict[str, Any]], columns: Sequence[str] | None = None,
           headers: Sequence[str] | None = None) -> str:
    """CSV text with a header (``headers``, else the column keys); every text cell
    neutralised against formula injection."""
    columns = list(columns or (rows[0].keys() if rows else []))
    lines = [",".join(_csv_field(safe_cell(c)) for c in (headers or columns))]
    for row in rows:
        lines.append(",".join(_csv_field(safe_cell("" if row.get(c) is None else row[c]))
                              for c in columns))
    return "".join(line + "\r\n" for line in lines)


def _csv_field(value: Any) -> str:
    """One CSV field, quoted when it holds a comma, a quote, a line break, a tab or a
    semicolon: Excel set to a semicolon-separated language (French, Spanish, German...)
    splits an unquoted field at its semicolons, and a piece starting with = would then be
    read as a formula.

    >>> print(_csv_field("Water; =2*21"), _csv_field('a "b" c'), _csv_field(12), "x")
    "Water; =2*21" "a ""b"" c" 12 x
    """
    text = str(value)
    if any(c in text for c in ',";\r\n\t'):
        return '"' + text.replace('"', '""') + '"'
    return text


def heading(key: str, language: str = DEFAULT_LANGUAGE,
            templates: str | Path | None = None) -> str:
    """'issue_area' -> 'Issue area' (in ``language``: 'Thème', 'Tema'; ``templates``: the
    project's folder, where a language the user added has its catalogue)."""
    label = COLUMN_LABELS.get(key)
    if label is None:
        return key.replace("_", " ").capitalize()
    return label if language == DEFAULT_LANGUAGE else \
        messages(language, templates).gettext(label)


def localized(rows: Sequence[dict[str, Any]], columns: Sequence[str],
              language: str = DEFAULT_LANGUAGE,
              name: Callable[[str], str] | None = None,
              templates: str | Path | None = None) -> tuple[list[dict[str, Any]], list[str]]:
    """The rows (same keys) and the headers of a count table as ``language`` writes them:
    headers and fixed values from the catalogue (the project's ``templates`` folder's, for
    a language the user added), issue areas and groups (and a matrix's columns, which are
    issue areas) by ``name``, the codebook's name in the language."""
    _ = messages(language, templates).gettext if language != DEFAULT_LANGUAGE \
        else (lambda m: m)
    rename = name or (lambda n: n)

    def value(key: str, v: Any) -> Any:
        if not isinstance(v, str):
            return v
        if v in VALUE_LABELS:
            return _(VALUE_LABELS[v])
        return rename(v) if key in ("issue_area", "group") else v

    headers = [heading(c, language, templates) if c in COLUMN_LABELS else rename(c)
               for c in columns]
    return [{c: value(c, row.get(c)) for c in columns} for row in rows], headers


def escape_markdown_cell(text: str) -> str:
    out = []
    for ch in str(text):
        if ch in "\\`*_{}[]<>|~^$":
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out).replace("\n", " ")


def to_markdown(rows: Sequence[dict[str, Any]], columns: Sequence[str] | None = None,
                headers: Sequence[str] | None = None) -> str:
    """A GitHub/pandoc pipe table; numbers right-aligned, text escaped; ``headers``: the
    header row (default: each column key as a heading)."""
    columns = list(columns or (rows[0].keys() if rows else []))
    titles = list(headers) if headers else [heading(c) for c in columns]
    if not columns:
        return ""
    numeric = [bool(rows) and all(isinstance(r.get(c), (int, float)) and not isinstance(r.get(c), bool)
                                  for r in rows)
               for c in columns]
    lines = [
        "| " + " | ".join(escape_markdown_cell(t) for t in titles) + " |",
        "| " + " | ".join("---:" if n else "---" for n in numeric) + " |",
    ]
    for row in rows:
        cells = ("" if row.get(c) is None else row[c] for c in columns)
        lines.append("| " + " | ".join(escape_markdown_cell(cell) for cell in cells) + " |")
    return "\n".join(lines) + "\n"


def to_xlsx(sheets: Sequence[tuple[str, list[str], list[dict[str, Any]], list[str]]]) -> bytes:
    """A workbook of count tables, one sheet per ``(title, headers, rows, columns)``, as
    .xlsx bytes: headers bold and frozen, numbers as numbers, every text cell stored as
    text (never run as a formula, whatever it starts with)."""
    import datetime as dt

    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.creator = "upr-summary"
    wb.properties.created = wb.properties.modified = dt.datetime(2026, 1, 1)
    taken: set[str] = set()
    for title, headers, rows, columns in sheets:
        name = _sheet_name(title, taken)
        ws = wb.create_sheet(name)
        for col, header in enumerate(headers, 1):
            _text_cell(ws.cell(1, col), header).font = Font(bold=True)
        for r, row in enumerate(rows, 2):
            for col, key in enumerate(columns, 1):
                value = row.get(key)
                cell = ws.cell(r, col)
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    cell.value = value
                elif value is not None:
                    _text_cell(cell, str(value))
        for col, header in enumerate(headers, 1):
            longest = max([len(str(header))] + [len(str(row.get(columns[col - 1]) or ""))
                                                 for row in rows])
            ws.column_dimensions[get_column_letter(col)].width = min(max(longest + 2, 8), 60)
        ws.freeze_panes = "B2"
    import io as _io

    out = _io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _text_cell(cell: Any, text: str) -> Any:
    """``text`` in ``cell`` as a string (openpyxl would store "=..." as a formula)."""
    cell.value = text
    cell.data_type = "s"
    return cell


def _sheet_name(title: str, taken: set[str]) -> str:
    """A sheet name Excel takes: at most 31 characters, none of : \\ / ? * [ ], unique."""
    base = "".join(" " if ch in ':\\/?*[]' else ch for ch in title).strip(" '")[:31] or "Sheet"
    name, n = base, 2
    while name.lower() in taken:
        suffix = f" ({n})"
        name, n = base[:31 - len(suffix)] + suffix, n + 1
    taken.add(name.lower())
    return name
