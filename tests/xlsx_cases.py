"""Write the hostile workbooks of tests/bad_inputs/workbook/ (run it from anywhere; the files are small
and committed, so this is only needed to change them):

    python tests/xlsx_cases.py

Each is a small ordinary workbook written by openpyxl, then edited at the XML level where
openpyxl cannot (or would take minutes and gigabytes to) write the hostile part.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference

HERE = Path(__file__).resolve().parent / "bad_inputs" / "workbook"
HEAD = ["Submission", "Organization", "Issue area", "Key finding", "Confidential"]
ROWS = [["HTU", "Harbour Tenants Union", "Housing", "Rents rose by 40% in two years.", "no"],
        ["PWJ", "Parents for Water Justice", "Water and sanitation",
         "Lead was found in the water of 41 schools.", "no"]]


def workbook(rows=ROWS) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = "Submissions"
    ws.append(HEAD)
    for row in rows:
        ws.append(row)
    return wb


def save(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def edit(data: bytes, part: str, change) -> bytes:
    """The workbook with one part's XML text changed by ``change(text) -> text``."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == part:
                body = change(body.decode("utf-8")).encode("utf-8")
            dst.writestr(info.filename, body)
    return out.getvalue()


SHEET = "xl/worksheets/sheet1.xml"


def add_rows(xml: str, rows: str) -> str:
    return xml.replace("</sheetData>", rows + "</sheetData>")


def add_merges(xml: str, refs: list[str]) -> str:
    merges = f'<mergeCells count="{len(refs)}">' + "".join(
        f'<mergeCell ref="{r}"/>' for r in refs) + "</mergeCells>"
    return xml.replace("</sheetData>", "</sheetData>" + merges)


def inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def cases() -> dict[str, bytes]:
    base = save(workbook())
    made: dict[str, bytes] = {}
    # A merged range over the rest of the sheet, from an empty cell under the table.
    made["huge-merge.xlsx"] = edit(base, SHEET, lambda x: add_merges(x, ["A5:XFD1048576"]))
    # The same from a cell that holds a note: filled only as far as the table goes.
    made["huge-merge-with-value.xlsx"] = edit(base, SHEET, lambda x: add_merges(
        add_rows(x, '<row r="4">' + inline("A4", "End of list") + "</row>"), ["A4:XFD1048576"]))
    # A lone cell at the last cell of a sheet: a value in column 16,384.
    made["far-cell.xlsx"] = edit(base, SHEET, lambda x: add_rows(
        x, '<row r="1048576">' + inline("XFD1048576", "x") + "</row>"))
    # A full finding in the last row of a sheet: read, without walking the rows between.
    made["far-row.xlsx"] = edit(base, SHEET, lambda x: add_rows(x, '<row r="1048576">' + "".join(
        inline(f"{c}1048576", v) for c, v in zip("ABCDE", ["HTU", "Harbour Tenants Union",
                                                           "Housing", "Evictions doubled.", "no"]))
        + "</row>"))
    # Formatting only (no value) in the far corner, as Excel writes for a styled cell.
    made["styled-far-cell.xlsx"] = edit(base, SHEET, lambda x: add_rows(
        x, '<row r="1048576"><c r="XFD1048576" s="0"/></row>'))
    # A <dimension> that claims the whole sheet over three rows.
    made["huge-dimension.xlsx"] = edit(base, SHEET, lambda x: re.sub(
        r'<dimension ref="[^"]*"/>', '<dimension ref="A1:XFD1048576"/>', x))
    # 10,001 small merged ranges (over the limit of 10,000).
    made["many-merges.xlsx"] = edit(base, SHEET, lambda x: add_merges(
        x, [f"F{r}:G{r}" for r in range(10, 10_011)]))
    # A merge over a whole column down to a value in the last row: 5 million cells to fill.
    made["merged-area.xlsx"] = edit(base, SHEET, lambda x: add_merges(add_rows(
        x, '<row r="1048576">' + inline("E1048576", "no") + "</row>"), ["A2:E1048576"]))
    # Hidden and very hidden sheets holding findings: not read, with a warning.
    for state, name in (("hidden", "hidden-sheet.xlsx"), ("veryHidden", "very-hidden-sheet.xlsx")):
        wb = workbook(ROWS[:1])
        private = wb.create_sheet("Private")
        private.append(HEAD)
        private.append(["RDC", "Rainbow Defenders Collective", "LGBTI persons",
                        "Police raided our office.", "yes"])
        private.sheet_state = state
        made[name] = save(wb)
    # The only sheet with findings is hidden: nothing to read.
    wb = workbook()
    wb.active.sheet_state = "hidden"
    notes = wb.create_sheet("Notes")
    notes.append(["Read me"])
    wb.active = 1
    made["only-hidden-sheet.xlsx"] = save(wb)
    # Hidden rows and a hidden column that hold data: read, with a warning.
    wb = workbook()
    wb.active.row_dimensions[3].hidden = True
    wb.active.column_dimensions["E"].hidden = True
    made["hidden-rows.xlsx"] = save(wb)
    # A chart sheet next to the data: passed over.
    wb = workbook()
    chart = BarChart()
    chart.add_data(Reference(wb.active, min_col=1, min_row=1, max_row=3))
    wb.create_chartsheet("Chart").add_chart(chart)
    made["chart-sheet.xlsx"] = save(wb)
    # Formulas saved without a value (openpyxl never calculates): an error at the cell.
    for column, field in (("E", "confidential"), ("D", "finding"), ("B", "organization")):
        wb = workbook()
        wb.active[f"{column}2"] = '=IF(1=1,"yes","no")'
        made[f"formula-{field}.xlsx"] = save(wb)
    # A formula saved with its value (as Excel does): the value is read.
    wb = workbook()
    wb.active["E2"] = '=IF(1=1,"yes","no")'
    made["formula-with-value.xlsx"] = edit(save(wb), SHEET, lambda x: x.replace(
        '<c r="E2"><f>IF(1=1,"yes","no")</f><v></v></c>',
        '<c r="E2" t="str"><f>IF(1=1,"yes","no")</f><v>yes</v></c>').replace(
        '<c r="E2"><f>IF(1=1,"yes","no")</f><v/></c>',
        '<c r="E2" t="str"><f>IF(1=1,"yes","no")</f><v>yes</v></c>'))
    return made


if __name__ == "__main__":
    for name, data in cases().items():
        (HERE / name).write_bytes(data)
        print(f"{name}: {len(data):,} bytes")
