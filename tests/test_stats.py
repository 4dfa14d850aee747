"""Counts on small hand-made data, checked by hand."""

from __future__ import annotations

from upr_summary.config import Config
from upr_summary.load import load
from upr_summary.stats import UNTAGGED, cooccurrence, count_by_issue_area, count_by_type, totals

DATA = """submission,organization,type,issue_area,finding,recommendation
JS1,Org A; Org B,,Housing; Children,Families wait 14 months in motels.,Build family housing.
JS1,,,Housing,Evictions doubled.,
HTU,Org A,,housing,Rents rose.,Cap rents.
NHRI,Commission,nhri,Children,Children held in police cells.,
NHRI,Commission,nhri,,Legal aid refused.,
"""


def _data(write):
    return load([write("s.csv", DATA)], Config())


def test_count_by_issue_area(write):
    rows = count_by_issue_area(_data(write))
    assert rows == [
        # 'housing' is counted with 'Housing' (the most used spelling); Org A counted once.
        {"issue_area": "Housing", "group": "Economic, social and cultural rights",
         "submissions": 2, "organizations": 2, "findings": 3, "recommendations": 2},
        {"issue_area": "Children", "group": "Rights of specific persons or groups",
         "submissions": 2, "organizations": 3, "findings": 2, "recommendations": 1},
        {"issue_area": UNTAGGED, "group": None, "submissions": 1, "organizations": 1,
         "findings": 1, "recommendations": 0},
    ]


def test_count_by_type_and_totals(write):
    data = _data(write)
    assert count_by_type(data) == [
        {"type": "joint", "submissions": 1, "organizations": 2, "findings": 2, "recommendations": 1},
        {"type": "nhri", "submissions": 1, "organizations": 1, "findings": 2, "recommendations": 0},
        {"type": "individual", "submissions": 1, "organizations": 1, "findings": 1,
         "recommendations": 1},
    ]
    assert totals(data) == {"submissions": 3, "organizations": 3, "findings": 5,
                            "recommendations": 2}


def test_cooccurrence(write):
    assert cooccurrence(_data(write)) == [
        {"issue_area": "Housing", "Housing": 3, "Children": 1},
        {"issue_area": "Children", "Housing": 1, "Children": 2},
    ]


def test_empty_data_counts_nothing():
    from upr_summary.model import Dataset

    assert count_by_issue_area(Dataset()) == [] and cooccurrence(Dataset()) == []


def test_stats_xlsx_is_a_workbook_of_every_table_and_formula_safe(tmp_path):
    """Issue 14, point 11: --format xlsx -o FILE, one sheet per table, totals rows, text
    that looks like a formula stored as text."""
    from click.testing import CliRunner
    from openpyxl import load_workbook

    from upr_summary.cli import cli

    (tmp_path / "s.csv").write_text(
        "submission,organization,issue_area,finding\n"
        'A1,Org A,"=HYPERLINK(""http://evil"")",Rents rose.\n'
        "A2,Org B,Housing,Evictions doubled.\n", encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(cli, ["stats", str(tmp_path / "s.csv"), "--format", "xlsx", "-o",
                                 str(tmp_path / "counts.xlsx"), "-q"])
    assert result.exit_code == 0, result.output
    wb = load_workbook(tmp_path / "counts.xlsx")
    assert wb.sheetnames == ["By issue area", "By type", "Issue areas together"]
    areas = wb["By issue area"]
    assert [c.value for c in areas[1]][:3] == ["Issue area", "Group", "Submissions"]
    assert [c.value for c in areas[areas.max_row]][:3] == ["Total (distinct)", None, 2]
    formula = next(c for row in areas.iter_rows() for c in row
                   if isinstance(c.value, str) and "HYPERLINK" in c.value)
    assert formula.data_type == "s"   # text, never a formula
    assert runner.invoke(cli, ["stats", str(tmp_path / "s.csv"), "--format", "xlsx"]
                         ).exit_code == 2
    assert runner.invoke(cli, ["stats", str(tmp_path / "s.csv"), "--format", "xlsx", "--cross",
                               "-o", str(tmp_path / "x.xlsx")]).exit_code == 2
    csv_out = runner.invoke(cli, ["stats", str(tmp_path / "s.csv"), "--format", "csv", "-q",
                                  "-o", str(tmp_path / "counts.csv")])
    assert csv_out.exit_code == 0 and csv_out.stdout == ""
    assert (tmp_path / "counts.csv").read_bytes().startswith(b"\xef\xbb\xbfIssue area,")
