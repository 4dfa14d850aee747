"""Loading: formats, encodings, delimiters and the messy files users really have."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from upr_summary.config import Config, parse_config
from upr_summary.load import load
from upr_summary.load.encoding import decode_bytes

from .conftest import SAMPLE, codes

HEADER = "Submission;Organisation;Issue area(s);Key findings\r\n"


def test_sample_data_meets_the_brief():
    data = load([SAMPLE])
    assert data.errors == []
    subs = data.submissions.values()
    assert len(data.submissions) >= 60
    assert sum(s.type == "joint" for s in subs) >= 10
    assert all(s.members for s in subs if s.type == "joint")
    assert sum(s.type == "nhri" for s in subs) == 1
    assert sum(s.confidential for s in subs) == 1
    assert len(data.issue_areas) >= 15
    per_sub: dict[str, int] = {}
    for f in data.findings:
        per_sub[f.submission] = per_sub.get(f.submission, 0) + 1
    assert min(per_sub.values()) >= 3 and max(per_sub.values()) <= 9
    assert any(f.recommendations for f in data.findings)
    assert any(f.quote and f.quote_by for f in data.findings)
    assert all(s.contact_email for s in subs)
    formats = {f.rsplit(".", 1)[1] for f in data.files}
    assert formats == {"csv", "xlsx", "yaml"}


def test_folder_order_is_stable_and_natural():
    assert load([SAMPLE]).files == load([SAMPLE]).files
    files = load([SAMPLE]).files
    yaml_files = [f for f in files if f.endswith(".yaml")]
    assert yaml_files == sorted(yaml_files, key=str.casefold)


@pytest.mark.parametrize("encoding", ["cp1252", "mac_roman"])
@pytest.mark.parametrize("newline", ["\r\n", "\r", "\n"])
def test_legacy_encodings_are_detected_not_guessed_wrong(write, encoding, newline):
    text = HEADER.replace("\r\n", newline) + newline.join([
        "CRG;Centre des droits à Genève;Housing;Les loyers ont augmenté de 38 % à Genève.",
        "CRG;Centre des droits à Genève;Health;L’accès aux soins coûte cher – « trop cher ».",
    ]) + newline
    path = write("legacy.csv", text.encode(encoding))
    data = load([path], Config())
    assert codes(data.problems) == ["legacy-encoding"]
    assert data.problems[0].severity == "warning"
    assert [f.text for f in data.findings] == [
        "Les loyers ont augmenté de 38 % à Genève.",
        "L’accès aux soins coûte cher – « trop cher ».",
    ]
    assert data.submissions["CRG"].organization == "Centre des droits à Genève"


def test_real_mac_roman_words():
    raw = "Hissène Habré; Guaraní Kaiowá; vis-à-vis; lèse-majesté; Felsöszölnök\r".encode("mac_roman")
    decoded = decode_bytes(raw)
    assert decoded.encoding == "mac_roman"
    assert "Habré" in decoded.text and "Kaiowá" in decoded.text


def test_utf8_with_and_without_bom(write):
    body = "submission,organization,finding\r\nZÜR,Zürcher Mieterverband,Mieten stiegen um 20 %.\r\n"
    for name, data in (("a.csv", body.encode()), ("b.csv", b"\xef\xbb\xbf" + body.encode())):
        loaded = load([write(name, data)], Config())
        assert loaded.problems == []
        assert loaded.findings[0].text == "Mieten stiegen um 20 %."
        assert "ZÜR" in loaded.submissions


def test_excel_unicode_text_utf16_tab(write):
    body = "Submission\tOrganization\tFinding\r\nHTU\tHarbour Tenants Union\tRents rose – sharply.\r\n"
    path = write("export.txt", body.encode("utf-16"))
    data = load([path], Config())
    assert data.problems == []
    assert data.findings[0].text == "Rents rose – sharply."


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_delimiters(write, delimiter):
    rows = [["submission", "organization", "issue_area", "finding"],
            ["HTU", "Harbour Tenants Union", "Housing; Children", "Rents rose, sharply; again."]]
    import csv

    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows(rows)
    data = load([write("d.csv", out.getvalue())], Config())
    assert data.errors == []
    assert data.findings[0].text == "Rents rose, sharply; again."
    assert data.findings[0].issue_areas == ("Housing", "Children")


def test_quoted_line_breaks_blank_rows_spaces_and_na_values(write):
    text = (
        "submission , ORGANIZATION,Issue Area,finding,recommendation,quote_by\n"
        "\n"
        '  NA ,"No Organisation\nName" ,Housing ,"First line\nsecond line",N/A,null\n'
        ",,,,,\n"
        'NO,Norwegian Refugee Aid,Housing,"NO",NA,NULL\n'
    )
    data = load([write("m.csv", text)], Config())
    assert data.errors == []
    first, second = data.findings
    assert first.submission == "NA" and first.text == "First line second line"
    assert first.recommendations == ("N/A",) and first.quote_by == "null"
    assert first.location.row == 3  # the header is row 1, the blank row 2
    assert data.submissions["NA"].organization == "No Organisation Name"
    assert second.submission == "NO" and second.text == "NO" and second.location.row == 5


def test_header_synonyms_and_title_rows(write):
    text = ("UPR intake sheet\n\n"
            "Code,Organisation,Theme,Key finding(s),Key recommendations,Contact e-mail,Confidential\n"
            "HTU,Harbour Tenants Union,Housing,Rents rose.,Cap rents.,a@b.org,no\n")
    data = load([write("s.csv", text)], Config())
    assert data.errors == []
    f = data.findings[0]
    assert (f.submission, f.issue_areas, f.recommendations) == ("HTU", ("Housing",), ("Cap rents.",))
    assert f.location.row == 4
    assert data.submissions["HTU"].contact_email == "a@b.org"


def test_column_mapping_from_project_file(write):
    config = parse_config("columns:\n  finding: Main concern\n  issue_area: Cluster\n"
                          "separators:\n  issue_area: ','\n")
    text = "submission,organization,Cluster,Main concern\nHTU,Harbour Tenants Union,\"Housing,Food\",Rents rose.\n"
    data = load([write("c.csv", text)], config)
    assert data.errors == []
    assert data.findings[0].issue_areas == ("Housing", "Food")


def test_one_column_may_feed_two_fields(write):
    config = parse_config("columns:\n  submission: From\n  organization: From\n  finding: Text\n")
    data = load([write("u.csv", "From,Text\nNorway,Ratify ICESCR.\n")], config)
    assert data.errors == []
    assert data.submissions["Norway"].organization == "Norway"


def test_rows_of_one_submission_merge_across_files(write):
    a = write("a.csv", "submission,organization,type,finding\nJS1,Org A; Org B,,Rents rose.\n")
    b = write("b.csv", "submission,organization,finding\njs1,Org B;Org A,Evictions doubled.\nJS1,,Shelters full.\n")
    data = load([a, b], Config())
    assert data.errors == []
    sub = data.submissions["JS1"]
    assert sub.type == "joint" and sub.members == ("Org A", "Org B") and sub.organization is None
    assert [f.submission for f in data.findings] == ["JS1"] * 3


def test_conflicting_organization_is_reported_where_it_differs(write):
    a = write("a.csv", "submission,organization,finding\nHTU,Harbour Tenants Union,Rents rose.\n")
    b = write("b.csv", "submission,organization,finding\nHTU,Other Name,Evictions.\n")
    data = load([a, b], Config())
    (problem,) = data.errors
    assert problem.code == "conflicting-organization"
    assert (problem.location.file, problem.location.row, problem.location.field) == (b, 2, "organization")


def test_default_type_and_members(write):
    text = ("submission,organization,finding\nJS3,Org A; Org B; Org C,x\nHRW,Rights Watch,y\n"
            "JS9,Single Coalition Name,z\n")
    data = load([write("t.csv", text)], Config())
    assert data.submissions["JS3"].type == "joint"
    assert data.submissions["JS3"].organizations == ("Org A", "Org B", "Org C")
    assert data.submissions["HRW"].type == "individual"
    assert codes(data.problems) == ["joint-without-members"]


def _workbook(sheets: dict[str, list[list]], merge: str | None = None) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
        if merge and title == next(iter(sheets)):
            ws.merge_cells(merge)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_xlsx_all_sheets_merged_cells_numbers_and_notes(write):
    head = ["Submission", "Organization", "Issue area(s)", "Key finding", "Confidential"]
    data = _workbook({
        "Batch 1": [["Network intake"], [], head,
                    ["HTU", "Harbour Tenants Union", "Housing", "Rents rose.", False],
                    [None, None, "Housing", "Evictions doubled.", None],
                    [2024, "Org 2024", "Food", 12.0, "NO"]],
        "Batch 2": [head, ["PWJ", "Parents for Water Justice", "Water", "Lead in pipes.", "yes"]],
        "Notes": [["Column", "What to write"], ["Submission", "Your code"]],
    }, merge="A4:B5")
    path = write("w.xlsx", data)
    loaded = load([path], Config())
    assert loaded.errors == [] and codes(loaded.problems) == []
    assert [(f.submission, f.text, f.location.sheet, f.location.row) for f in loaded.findings] == [
        ("HTU", "Rents rose.", "Batch 1", 4),
        ("HTU", "Evictions doubled.", "Batch 1", 5),
        ("2024", "12", "Batch 1", 6),
        ("PWJ", "Lead in pipes.", "Batch 2", 2),
    ]
    assert loaded.submissions["PWJ"].confidential and not loaded.submissions["2024"].confidential
    only = load([path], Config(), sheet="Batch 2")
    assert [f.submission for f in only.findings] == ["PWJ"]
    missing = load([path], Config(), sheet="Nope")
    assert codes(missing.problems) == ["missing-sheet"]


def test_xlsx_sheet_without_header_is_reported(write):
    data = _workbook({"Data": [["submission", "organization", "finding"], ["A", "Org A", "x"]],
                      "Scratch": [["some", "numbers"], [1, 2]]})
    loaded = load([write("w.xlsx", data)], Config())
    assert codes(loaded.problems) == ["skipped-sheet"]
    assert loaded.problems[0].location.sheet == "Scratch"


YAML_SUBMISSION = """\
# a comment
submission: JS2
organization: Coalition for Water
members:
  - Clean Water for Rural Arvenia
  - Rural Arvenia Network
type: joint
confidential: NO
contact_email: upr@water.example.org
issue_areas: Water and sanitation
findings:
  - Boil-water notices have been in force for 600 days.
  - finding: Lead was found in the water of 41 schools.
    issue_areas: [Water and sanitation, Children]
    recommendations:
      - Replace all lead pipes.
      - Test every school.
    quote: We boil every cup.
    quote_by: a parent
  - text: null
"""


def test_yaml_submission_with_lines(write):
    data = load([write("js2.yaml", YAML_SUBMISSION)], Config())
    sub = data.submissions["JS2"]
    assert sub.type == "joint" and sub.organization == "Coalition for Water"
    assert sub.members == ("Clean Water for Rural Arvenia", "Rural Arvenia Network")
    assert sub.confidential is False
    first, second = data.findings
    assert first.issue_areas == ("Water and sanitation",) and first.location.row == 12
    assert second.issue_areas == ("Water and sanitation", "Children")
    assert second.recommendations == ("Replace all lead pipes.", "Test every school.")
    assert second.location.row == 13
    (problem,) = data.problems
    assert (problem.code, problem.location.row, problem.location.field) == ("missing-value", 20, "finding")


def test_yaml_keeps_no_and_null_as_text(write):
    text = "submission: NO\norganization: 'null'\nfindings:\n  - N/A\n  - 'NA'\n"
    data = load([write("no.yaml", text)], Config())
    assert data.errors == []
    assert data.submissions["NO"].organization == "null"
    assert [f.text for f in data.findings] == ["N/A", "NA"]


def test_yaml_unknown_key_warns_with_line(write):
    text = "submission: A\norganisation: Org A\nfindngs:\n  - x\n"
    data = load([write("a.yaml", text)], Config())
    assert ("unknown-key", 3) in [(p.code, p.location.row) for p in data.problems]
    assert ("missing-value", 1) in [(p.code, p.location.row) for p in data.problems]


def test_example_row_of_the_intake_sheet_is_skipped(tmp_path):
    from upr_summary.scaffold import create_project

    paths = create_project(str(tmp_path / "proj"))
    data = load([paths[1]], Config())
    assert codes(data.problems) == ["example-row"]
    assert data.findings == []


def test_folder_skips_hidden_lock_and_config_files_and_reports_others(tmp_path, write):
    write("subs/a.csv", "submission,organization,finding\nA,Org A,x\n")
    write("subs/.hidden.csv", "garbage")
    write("subs/~$a.xlsx", "lock")
    write("subs/upr-summary.yaml", "title: x\n")
    write("subs/report.pdf", "%PDF")
    data = load([tmp_path / "subs"], Config())
    assert [f.rsplit("/", 1)[1] for f in data.files] == ["a.csv"]
    assert codes(data.problems) == ["skipped-file"]


def test_symlink_loop_is_read_once(tmp_path, write):
    write("subs/inner/a.csv", "submission,organization,finding\nA,Org A,x\n")
    (tmp_path / "subs" / "inner" / "loop").symlink_to(tmp_path / "subs")
    data = load([tmp_path / "subs"], Config())
    assert len(data.findings) == 1
    assert "symlink-loop" in codes(data.problems)


def test_missing_path(tmp_path):
    data = load([tmp_path / "nope"], Config())
    assert codes(data.problems) == ["missing-file"]


def test_a_second_finding_column_with_other_text_is_an_error_not_a_lost_finding(write):
    """Two Finding columns: a warning while they agree, an error at the first row where
    the second holds another finding (it would be lost)."""
    same = write("same.csv", "submission,organization,issue_area,finding,Key finding\n"
                 "HTU,Harbour Tenants Union,Housing,Rents rose.,Rents rose.\n")
    assert codes(load([same], Config()).problems) == ["duplicate-column"]
    assert not load([same], Config()).errors
    other = write("other.csv", "submission,organization,issue_area,finding,Key finding\n"
                  "HTU,Harbour Tenants Union,Housing,Rents rose.,Rents rose.\n"
                  "ABC,A Body,Housing,Evictions.,Shelters are full.\n"
                  "DEF,D Body,Housing,Water.,Schools closed.\n")
    errors = load([other], Config()).errors
    assert [(p.code, p.location.row) for p in errors] == [("duplicate-column", 3)]
