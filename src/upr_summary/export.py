"""Write tables of counts as JSON, CSV (safe to open in Excel) or Markdown.

>>> safe_cell("=HYPERLINK(\\"http://x\\")")
'\\'=HYPERLINK("http://x")'
>>> print(to_markdown([{"issue_area": "Housing", "findings": 3}]), end="")
| Issue area | Findings |
| --- | ---: |
| Housing | 3 |
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def safe_cell(value: Any) -> Any:
    """Neutralise text a spreadsheet would run as a formula by prefixing an apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def to_json(rows: Any) -> str:
    return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"


def to_csv(rows: Sequence[dict[str, Any]], columns: Sequence[str] | None = None) -> str:
    """CSV text with a header; every text cell neutralised against formula injection."""
    columns = list(columns or (rows[0].keys() if rows else []))
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_cell(c) for c in columns])
    for row in rows:
        writer.writerow([safe_cell("" if row.get(c) is None else row[c]) for c in columns])
    return out.getvalue()


def heading(key: str) -> str:
    """'issue_area' -> 'Issue area'."""
    return key.replace("_", " ").capitalize()


def escape_markdown_cell(text: str) -> str:
    out = []
    for ch in str(text):
        if ch in "\\`*_{}[]<>|~^$":
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out).replace("\n", " ")


def to_markdown(rows: Sequence[dict[str, Any]], columns: Sequence[str] | None = None) -> str:
    """A GitHub/pandoc pipe table; numbers right-aligned, text escaped."""
    columns = list(columns or (rows[0].keys() if rows else []))
    if not columns:
        return ""
    numeric = [bool(rows) and all(isinstance(r.get(c), (int, float)) and not isinstance(r.get(c), bool)
                                  for r in rows)
               for c in columns]
    lines = [
        "| " + " | ".join(escape_markdown_cell(heading(c)) for c in columns) + " |",
        "| " + " | ".join("---:" if n else "---" for n in numeric) + " |",
    ]
    for row in rows:
        cells = ("" if row.get(c) is None else row[c] for c in columns)
        lines.append("| " + " | ".join(escape_markdown_cell(cell) for cell in cells) + " |")
    return "\n".join(lines) + "\n"
