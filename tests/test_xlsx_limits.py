"""The XLSX reader is bounded by what it builds, not by what the workbook claims, and it
never reads a formula without a value, a hidden sheet or a chart sheet as data.

The hostile workbooks themselves are cases of tests/bad_inputs/workbook/ (written by
tests/xlsx_cases.py); here: the limits one by one (lowered, so the workbooks stay small),
the --include-hidden-sheets option, and the cost of each hostile case measured in a child
process with a memory cap.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
import textwrap
import zipfile

import pytest

from upr_summary import limits
from upr_summary.cli import cli
from upr_summary.config import Config
from upr_summary.load import load, xlsxfile
from upr_summary.load.xlsxfile import read_xlsx

from . import xlsx_cases
from .conftest import BAD, codes
from .xlsx_cases import ROWS, SHEET, add_merges, add_rows, edit, inline, save, workbook

CASES = BAD / "workbook"


def _read(path, config=None):
    problems = []
    records = read_xlsx(str(path), "w.xlsx", config or Config(), problems)
    return records, problems


def test_far_cells_cost_nothing(tmp_path):
    path = CASES / "far-row.xlsx"
    records, problems = _read(path)
    assert problems == []
    assert [r.location.row for r in records] == [2, 3, 1048576]


@pytest.mark.parametrize("name, code", [
    ("far-cell.xlsx", "too-many-columns"),
    ("many-merges.xlsx", "too-many-merged-ranges"),
    ("merged-area.xlsx", "too-many-merged-cells"),
])
def test_each_limit_has_its_code(name, code):
    records, problems = _read(CASES / name)
    assert records == [] and codes(problems) == [code]
    assert problems[0].location.sheet == "Submissions"


def test_cells_and_rows_limits(tmp_path, monkeypatch):
    path = tmp_path / "w.xlsx"
    path.write_bytes(save(workbook(ROWS * 5)))
    monkeypatch.setattr(xlsxfile, "MAX_SHEET_ROWS", 5)
    assert codes(_read(path)[1]) == ["sheet-too-large"]
    monkeypatch.setattr(xlsxfile, "MAX_SHEET_ROWS", 500)
    monkeypatch.setattr(xlsxfile, "MAX_SHEET_CELLS", 20)
    assert codes(_read(path)[1]) == ["sheet-too-large"]
    monkeypatch.setattr(xlsxfile, "MAX_SHEET_CELLS", 500)
    records, problems = _read(path)
    assert problems == [] and len(records) == 10


def test_rows_times_used_columns_is_bounded(tmp_path, monkeypatch):
    """Few cells, but one far to the right in every row: the rows to build are counted
    with their width."""
    rows = "".join(f'<row r="{r}">' + inline(f"ALL{r}", "x") + "</row>" for r in range(4, 40))
    path = tmp_path / "w.xlsx"
    path.write_bytes(edit(save(workbook()), SHEET, lambda x: add_rows(x, rows)))
    monkeypatch.setattr(xlsxfile, "MAX_SHEET_CELLS", 10_000)
    assert codes(_read(path)[1]) == ["sheet-too-large"]


def test_merges_fill_within_the_table(tmp_path):
    path = tmp_path / "w.xlsx"
    wb = workbook([["HTU", "Harbour Tenants Union", "Housing", "Rents rose.", "no"],
                   [None, None, "Housing", "Evictions doubled.", "no"]])
    path.write_bytes(edit(save(wb), SHEET, lambda x: add_merges(x, ["A2:A3", "B2:B3", "F1:XFD9"])))
    records, problems = _read(path)
    assert problems == []
    assert [(r.submission, r.organization) for r in records] == [
        ("HTU", "Harbour Tenants Union")] * 2


def test_shared_strings_are_bounded(tmp_path, monkeypatch):
    from openpyxl import load_workbook

    # Excel writes text as shared strings: make a file that way by hand.
    strings = [*xlsx_cases.HEAD, *ROWS[0]]
    cells = [(1, col, i) for col, i in zip("ABCDE", range(5))] + \
            [(2, col, i) for col, i in zip("ABCDE", range(5, 10))] + [(3, "A", 10)]
    rows = {}
    for row, col, i in cells:
        rows.setdefault(row, []).append(f'<c r="{col}{row}" t="s"><v>{i}</v></c>')
    sheet_data = "<sheetData>" + "".join(
        f'<row r="{r}">' + "".join(c) + "</row>" for r, c in rows.items()) + "</sheetData>"
    data = edit(save(workbook([])), SHEET, lambda x: re.sub(
        r"<sheetData>.*</sheetData>|<sheetData/>", sheet_data, x))
    data = _add_part(data, "xl/sharedStrings.xml",
                     '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                     + "".join(f"<si><t>{s}</t></si>" for s in strings)
                     + '<si><r><t>x</t></r><r><t>y</t></r><rPh sb="0" eb="1"><t>z</t></rPh></si></sst>')
    path = tmp_path / "w.xlsx"
    path.write_bytes(data)
    records, problems = _read(path)
    assert [r.finding for r in records] == [ROWS[0][3], None]
    assert records[1].submission == "xy"
    assert load_workbook(path)["Submissions"]["A3"].value == "xy"  # as openpyxl reads it
    monkeypatch.setattr(xlsxfile, "MAX_SHARED_STRINGS", 5)
    assert codes(_read(path)[1]) == ["too-many-strings"]
    monkeypatch.setattr(xlsxfile, "MAX_SHARED_STRINGS", 500)
    monkeypatch.setattr(xlsxfile, "MAX_SHARED_STRING_CHARS", 20)
    assert codes(_read(path)[1]) == ["too-many-strings"]


def _add_part(data: bytes, name: str, body: str) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            part = src.read(info.filename)
            if info.filename == "[Content_Types].xml":
                part = part.replace(b"</Types>", (
                    f'<Override PartName="/{name}" ContentType="application/vnd.openxmlformats-'
                    'officedocument.spreadsheetml.sharedStrings+xml"/></Types>').encode())
            dst.writestr(info.filename, part)
        dst.writestr(name, body)
    return out.getvalue()


def test_hidden_sheets_are_read_only_when_asked(runner):
    path = str(CASES / "hidden-sheet.xlsx")
    loaded = load([path], Config())
    assert codes(loaded.problems) == ["hidden-sheet"]
    assert sorted(loaded.submissions) == ["HTU"]
    asked = load([path], Config(include_hidden_sheets=True))
    assert codes(asked.problems) == [] and sorted(asked.submissions) == ["HTU", "RDC"]
    named = load([path], Config(), sheet="Private")  # a sheet named on purpose is read
    assert sorted(named.submissions) == ["RDC"]
    for command in ("validate", "stats"):
        result = runner.invoke(cli, [command, path, "--include-hidden-sheets"])
        assert result.exit_code == 0, result.output
        assert "hidden-sheet" not in result.output
    result = runner.invoke(cli, ["validate", path])
    assert result.exit_code == 0 and "hidden-sheet" in result.output


def test_intake_workbook_hidden_lists_are_no_news(tmp_path, runner):
    """`init` writes an intake workbook with a hidden sheet of drop-down lists."""
    result = runner.invoke(cli, ["init", str(tmp_path / "p")])
    assert result.exit_code == 0, result.output
    intake = next((tmp_path / "p").rglob("*.xlsx"))
    problems = []
    read_xlsx(str(intake), "i.xlsx", Config(), problems)
    assert "hidden-sheet" not in codes(problems)


def test_formula_cached_value_is_read():
    records, problems = _read(CASES / "formula-with-value.xlsx")
    assert problems == [] and records[0].confidential == "yes"
    records, problems = _read(CASES / "formula-confidential.xlsx")
    assert codes(problems) == ["formula-without-value"]
    assert (problems[0].location.row, problems[0].location.field) == (2, "confidential")


def test_formula_returning_empty_text_is_a_value(tmp_path):
    """Excel saves =IF(...,"",...) giving "" as <v></v> with t="str": that is a value."""
    wb = workbook()
    wb.active["F2"] = '=""'
    path = tmp_path / "w.xlsx"
    path.write_bytes(edit(save(wb), SHEET, lambda x: x.replace(
        '<c r="F2"><f>""</f><v></v></c>', '<c r="F2" t="str"><f>""</f><v></v></c>')))
    assert codes(_read(path)[1]) == []


def test_earlier_recommendations_workbook_is_read_within_limits(tmp_path):
    from upr_summary.load.xlsxfile import first_sheet_rows

    problems = []
    assert first_sheet_rows(str(CASES / "far-cell.xlsx"), "f.xlsx", problems) == []
    assert codes(problems) == ["too-many-columns"]
    problems = []
    rows = first_sheet_rows(str(CASES / "chart-sheet.xlsx"), "c.xlsx", problems)
    assert problems == [] and rows[0] == (1, ["Submission", "Organization", "Issue area",
                                              "Key finding", "Confidential"])


MEASURE = textwrap.dedent("""
    import resource, sys, time
    resource.setrlimit(resource.RLIMIT_AS, (500 * 2**20, 500 * 2**20))
    from upr_summary.config import Config
    from upr_summary.load.xlsxfile import read_xlsx
    start = resource.getrusage(resource.RUSAGE_SELF).ru_utime
    for path in sys.argv[1:]:
        read_xlsx(path, path, Config(), [])
    print(resource.getrusage(resource.RUSAGE_SELF).ru_utime - start)
""")


@pytest.mark.skipif(sys.platform != "linux", reason="address-space limit is Linux's")
def test_hostile_workbooks_are_cheap():
    """Every workbook case together, under 500 MB of address space, in a few CPU seconds
    (before this, one of them took 2.5 minutes and 5.8 GB)."""
    paths = sorted(str(p) for p in CASES.glob("*.xlsx"))
    result = subprocess.run([sys.executable, "-c", MEASURE, *paths], capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert float(result.stdout) < 10  # CPU seconds for all of them


def test_limits_are_documented():
    doc = limits.__doc__ or ""
    for code in ("sheet-too-large", "too-many-merged-ranges", "too-many-merged-cells",
                 "too-many-strings"):
        assert code in doc


def test_a_row_or_column_squeezed_to_nothing_is_hidden(tmp_path):
    """A height of 0 hides a row, a width of 0 a column, as the hidden attribute does:
    read, with the same warning."""
    sheet = "xl/worksheets/sheet1.xml"
    for squeeze, change in (
            ("row", lambda x: x.replace('<row r="3">', '<row r="3" ht="0" customHeight="1">')),
            ("column", lambda x: x.replace("<sheetData>", '<cols><col min="5" max="5" '
                                           'width="0" customWidth="1"/></cols><sheetData>'))):
        path = tmp_path / f"{squeeze}.xlsx"
        path.write_bytes(edit(save(workbook()), sheet, change))
        records, problems = _read(path)
        assert codes(problems) == ["hidden-cells"], squeeze
        assert len(records) == len(ROWS)


def test_a_part_of_blanks_packed_a_thousandfold_is_refused_at_once(tmp_path):
    """Thirty-two megabytes of blanks between two rows pack to some 30 KB: refused from
    the zip's directory, before anything is parsed."""
    sheet = "xl/worksheets/sheet1.xml"
    blanks = " " * (32 * 1024 * 1024)
    data = edit(save(workbook()), sheet, lambda x: x.replace("</row>", "</row>" + blanks, 1))
    path = tmp_path / "w.xlsx"
    path.write_bytes(data)
    assert path.stat().st_size < 1 << 20
    records, problems = _read(path)
    assert records == [] and codes(problems) == ["file-too-large"]
    assert "times its packed size" in problems[0].message


def test_one_long_shared_text_in_every_row_is_bounded(tmp_path, monkeypatch):
    """A shared text used by every row: counted each time, refused past the limit (the
    hostile case: 1.2 MB of workbook, 4.8 billion characters, 3.5 minutes and 1.75 GB)."""
    monkeypatch.setattr("upr_summary.load.xlsxfile.MAX_SHEET_CHARS", 50_000)
    long = "Evictions rose. " * 1_000  # 16,000 characters, one shared string
    path = tmp_path / "w.xlsx"
    path.write_bytes(save(workbook([["HTU", "Harbour Tenants Union", "Housing", long, "no"]]
                                   * 5)))
    records, problems = _read(path)
    assert records == [] and codes(problems) == ["sheet-too-large"]
    assert "characters of text" in problems[0].message
