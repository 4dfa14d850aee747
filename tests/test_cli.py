"""The commands, end to end through click's CliRunner: exit codes and exact output."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from upr_summary import __version__
from upr_summary.cli import cli
from upr_summary.config import load_config
from upr_summary.load import load
from upr_summary.recommendations import load_recommendations
from upr_summary.stats import cooccurrence, count_by_issue_area, count_by_type

from .conftest import BAD, BAD_MANIFEST, SAMPLE, case_args

BAD_CASES = [(name, case["exit"], [tuple(p) for p in case["problems"]])
             for name, case in BAD_MANIFEST.items()]


@pytest.mark.parametrize("name,exit_code,expected", BAD_CASES, ids=[c[0] for c in BAD_CASES])
def test_validate_bad_files(runner, name, exit_code, expected):
    path = str(BAD / name)
    result = runner.invoke(cli, ["validate", "--json", *case_args(name), path])
    assert result.exit_code == exit_code, result.output
    problems = json.loads(result.stdout)
    assert [(p["code"], p["row"], p["field"]) for p in problems] == expected
    assert all(p["file"] == path or p["file"].startswith(path + "/") for p in problems)
    assert "Traceback" not in result.output


@pytest.mark.parametrize("name", [c[0] for c in BAD_CASES if c[1] == 0 and c[2]])
def test_strict_makes_warnings_fail(runner, name):
    result = runner.invoke(cli, ["validate", "--strict", *case_args(name), str(BAD / name)])
    assert result.exit_code == 1


def test_rare_spelling_did_you_mean_without_codebook(runner):
    result = runner.invoke(cli, ["validate", "--json", "--codebook", "none",
                                 str(BAD / "unknown-area.csv")])
    assert result.exit_code == 0
    (problem,) = json.loads(result.stdout)
    assert (problem["code"], problem["row"]) == ("unknown-issue-area", 7)
    assert "Did you mean 'Housing'?" in problem["message"]


def test_validate_text_output_names_file_row_field_and_code(runner):
    path = str(BAD / "missing-finding.csv")
    result = runner.invoke(cli, ["validate", path])
    assert result.exit_code == 1
    assert result.stdout == (
        f"{path}:2:finding: error [missing-value] The finding is empty. Fill it in, "
        "or delete the row.\n"
        "1 file(s), 1 submission(s), 0 finding(s): 1 error, 0 warnings.\n"
    )


def test_validate_sample(runner):
    result = runner.invoke(cli, ["validate", str(SAMPLE)])
    assert result.exit_code == 0, result.output
    # the earlier recommendations the project file names are checked as the build reads them
    assert result.stdout.splitlines()[-1] == (
        "29 file(s), 66 submission(s), 307 finding(s): 0 errors, 2 warnings. "
        "Earlier recommendations: 0 errors, 2 warnings.")
    assert result.stdout.count("[untagged]") == 2
    assert result.stdout.count("[duplicate-recommendation]") == 2
    quiet = runner.invoke(cli, ["validate", "-q", str(SAMPLE)])
    assert quiet.exit_code == 0 and quiet.stdout.splitlines() == result.stdout.splitlines()[-1:]
    strict = runner.invoke(cli, ["validate", "--strict", "-q", str(SAMPLE)])
    assert strict.exit_code == 1


def test_validate_all_bad_files_at_once_reports_every_problem(runner):
    top = [name for name in BAD_MANIFEST if "/" not in name]  # the class folders have their own tests
    result = runner.invoke(cli, ["validate", "--json", *(str(BAD / n) for n in top)])
    assert result.exit_code == 1
    found = {p["code"] for p in json.loads(result.stdout)}
    expected = {code for name, _, problems in BAD_CASES for code, _, _ in problems if name in top}
    assert expected - {"no-findings"} <= found


def test_stats_json_equals_library(runner):
    result = runner.invoke(cli, ["stats", "--format", "json", str(SAMPLE)])
    assert result.exit_code == 0, result.output
    config = load_config([str(SAMPLE)])
    data = load([SAMPLE], config)
    previous = load_recommendations(config.relative(config.recommendations), data.codebook,
                                    config.state)
    rows = json.loads(result.stdout)
    assert rows == count_by_issue_area(data, previous)
    assert all(list(r) == ["issue_area", "group", "submissions", "organizations", "findings",
                           "recommendations", "previous_recommendations", "supported", "noted"]
               for r in rows)
    bare = runner.invoke(cli, ["stats", "--format", "json", "-q", "--config",
                               str(BAD.parent / "data" / "empty-config.yaml"), str(SAMPLE)])
    assert json.loads(bare.stdout) == count_by_issue_area(data)
    assert all(len(r) == 6 for r in json.loads(bare.stdout))
    tagged = [r["findings"] for r in rows if r["findings"]]
    assert tagged == sorted(tagged, reverse=True)
    assert result.stderr == "2 warning(s); run `upr-summary validate` to see them.\n"


def test_stats_by_type_and_cross_equal_library(runner):
    data = load([SAMPLE], load_config([str(SAMPLE)]))
    by_type = runner.invoke(cli, ["stats", "--by", "type", "--format", "json", "-q", str(SAMPLE)])
    assert json.loads(by_type.stdout) == count_by_type(data)
    assert {r["type"] for r in count_by_type(data)} == {"individual", "joint", "nhri"}
    cross = runner.invoke(cli, ["stats", "--cross", "--format", "json", "-q", str(SAMPLE)])
    matrix = json.loads(cross.stdout)
    assert matrix == cooccurrence(data)
    diagonal = {r["issue_area"]: r[r["issue_area"]] for r in matrix}
    counts = {r["issue_area"]: r["findings"] for r in count_by_issue_area(data)}
    assert all(diagonal[a] == counts[a] for a in diagonal)
    assert all(r[o] == next(m for m in matrix if m["issue_area"] == o)[r["issue_area"]]
               for r in matrix for o in diagonal)


def test_stats_formats(runner):
    for fmt, check in (
        ("csv", lambda out: out.startswith("\ufeff") and next(csv.reader(io.StringIO(out[1:])))
         == ["Issue area", "Group", "Submissions", "Organizations", "Findings",
             "Recommendations", "Previous recommendations", "Supported", "Noted"]
         and out.splitlines()[-1] == "Total (distinct),,66,60,307,142,68,32,36"),
        ("markdown", lambda out: out.startswith("| Issue area | Group | Submissions |")
         and out.splitlines()[-1].startswith("| Total (distinct) |  | 66 | 60 | 307 |")),
        ("table", lambda out: "Total (distinct)" in out and "Housing" in out),
    ):
        result = runner.invoke(cli, ["stats", "--format", fmt, "-q", str(SAMPLE)])
        assert result.exit_code == 0 and check(result.stdout), result.output


def test_stats_csv_neutralises_formulas(runner, write):
    path = write("f.csv", "submission,organization,issue_area,finding\n"
                 'A,Org A,=HYPERLINK("http://evil"),x\nB,Org B,+cmd,y\nC,Org C,@SUM(1),z\n')
    result = runner.invoke(cli, ["stats", "--format", "csv", "-q", path])
    assert result.exit_code == 0
    cells = [row[0] for row in csv.reader(io.StringIO(result.stdout.lstrip("\ufeff")))][1:-1]
    assert sorted(cells) == sorted(["'=HYPERLINK(\"http://evil\")", "'+cmd", "'@SUM(1)"])


def test_stats_on_invalid_data_exits_1_without_counts(runner):
    result = runner.invoke(cli, ["stats", "--format", "json", str(BAD / "missing-finding.csv")])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "[missing-value]" in result.stderr and "nothing counted" in result.stderr


def test_private_fields_never_printed(runner, write):
    path = write("p.csv", "submission,organization,contact_email,confidential,issue_area,finding\n"
                 "SWL,Secret Shelter,hidden@secret.example.org,yes,Sex workers,x\n"
                 "SWL,Secret Shelter Two,hidden@secret.example.org,yes,Sex workers,y\n"
                 "SWL,,not-an-email,yes,Sex workers,z\n")
    for args in (["validate", path], ["validate", "--json", path],
                 ["stats", "--format", "json", path], ["stats", path]):
        result = runner.invoke(cli, args)
        assert "hidden@secret" not in result.output and "not-an-email" not in result.output
        assert "Secret Shelter" not in result.output


def test_usage_errors_exit_2(runner):
    assert runner.invoke(cli, ["validate"]).exit_code == 2
    assert runner.invoke(cli, ["stats", "--format", "xml", str(SAMPLE)]).exit_code == 2
    assert runner.invoke(cli, ["nope"]).exit_code == 2


def test_version_and_help(runner):
    result = runner.invoke(cli, ["--version"])
    assert result.exit_code == 0 and result.stdout == f"upr-summary, version {__version__}\n"
    for command in ([], ["validate"], ["stats"], ["init"]):
        result = runner.invoke(cli, [*command, "--help"])
        assert result.exit_code == 0 and "Usage:" in result.stdout


def test_config_error_exits_2_with_file_and_line(runner, write):
    config = write("bad-config.yaml", "title: x\ncolumns:\n  findng: Text\n")
    result = runner.invoke(cli, ["validate", "--config", config, str(SAMPLE)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {config}:3: unknown field 'findng'")


def test_internal_errors_have_no_traceback_unless_debug(runner, monkeypatch):
    import upr_summary.checks as checks_module

    def boom(*args, **kwargs):
        raise RuntimeError("kaput")

    monkeypatch.setattr(checks_module, "check", boom)
    result = runner.invoke(cli, ["validate", str(SAMPLE)])
    assert result.exit_code == 1
    assert "Internal error: RuntimeError: kaput" in result.stderr
    assert "Traceback" not in result.output
    debug = runner.invoke(cli, ["validate", "--debug", str(SAMPLE)])
    assert isinstance(debug.exception, RuntimeError)


def test_init_creates_a_project_and_refuses_to_overwrite(runner, tmp_path):
    target = tmp_path / "my-review"
    result = runner.invoke(cli, ["init", str(target)])
    assert result.exit_code == 0, result.output
    assert (target / "upr-summary.yaml").is_file() and (target / "submissions").is_dir()
    config = load_config(explicit=str(target / "upr-summary.yaml"))
    assert config.title == "Executive summary of civil society submissions"
    again = runner.invoke(cli, ["init", str(target)])
    assert again.exit_code == 2 and "already exist" in again.stderr
    assert runner.invoke(cli, ["init", "--force", str(target)]).exit_code == 0
    # The returned folder validates once a member's sheet is in it.
    empty = runner.invoke(cli, ["validate", str(target / "submissions")])
    assert empty.exit_code == 1 and "[no-input]" in empty.stdout


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_init_intake_workbook(tmp_path, language):
    from openpyxl import load_workbook

    from upr_summary.i18n import messages
    from upr_summary.scaffold import INTAKE_COLUMNS, _theme_names, create_project

    _ = messages(language).gettext
    paths = create_project(str(tmp_path / "p"), language=language)
    wb = load_workbook(paths[1])
    assert wb.sheetnames == [_("Submissions"), _("Lists"), _("Notes")]
    ws = wb[_("Submissions")]
    headers = [c.value for c in ws[1]]
    assert [h.rstrip(" *") for h in headers] == [_(c[0]) for c in INTAKE_COLUMNS]
    assert ws["A2"].value == _("EXAMPLE")
    areas = _theme_names(language)
    validations = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}
    assert validations["E2:E2000"] == f"='{_('Lists')}'!$A$2:$A${len(areas) + 1}"
    assert [c.value for c in wb[_("Lists")]["A"][1:]] == areas
    notes = [row[0] for row in wb[_("Notes")].iter_rows(min_row=2, max_row=len(INTAKE_COLUMNS) + 1,
                                                          values_only=True)]
    assert notes == [_(c[0]) for c in INTAKE_COLUMNS]
    config = (tmp_path / "p" / "upr-summary.yaml").read_text(encoding="utf-8")
    assert f"\nlanguage: {language}\n" in config
    import yaml

    assert yaml.safe_load(config)["language"] == language


@pytest.mark.parametrize("language, codebook", [("en", None), ("fr", None), ("es", None),
                                               ("fr", "upr-info"), ("es", "upr-info")])
def test_an_intake_sheet_filled_in_from_the_dropdowns_validates(tmp_path, runner, language,
                                                                codebook):
    """A member fills in the sheet init wrote, with the dropdowns' values (a theme, a type,
    a confidential answer) and the sheet's own headers: validate accepts it, and each
    theme resolves to the codebook theme it names."""
    from openpyxl import load_workbook

    from upr_summary.i18n import messages
    from upr_summary.load import load
    from upr_summary.scaffold import TYPE_VALUES, YES_NO, _theme_names

    _ = messages(language).gettext
    chosen = ["--codebook", codebook] if codebook else []
    made = runner.invoke(cli, ["init", str(tmp_path / "p"), "--language", language, *chosen])
    assert made.exit_code == 0, made.output
    book = tmp_path / "p" / "submissions.xlsx"
    wb = load_workbook(book)
    ws = wb[_("Submissions")]
    ws.delete_rows(2)
    areas = _theme_names(language, codebook or "ohchr")
    assert [c.value for c in wb[_("Lists")]["A"][1:]] == areas
    organizations = ("Organization A", "Organization B; Organization C", "Organization D",
                     "Organization E")
    for i, area in enumerate(areas):
        k = i % 4  # one submission per type of the dropdown
        ws.append([f"ORG{k}", organizations[k], "Port Alder", _(TYPE_VALUES[k]), area,
                   f"Finding number {i} about the issue, with a figure of {i} per cent.",
                   "Do something.", None, None, None, None, _(YES_NO[1 if k == 3 else 0])])
    target = tmp_path / "p" / "submissions" / "filled.xlsx"
    wb.save(target)
    # validate reads the project file init wrote (its codebook) beside the submissions
    result = runner.invoke(cli, ["validate", "--strict", str(tmp_path / "p" / "submissions")])
    assert result.exit_code == 0, result.output
    from upr_summary.config import load_config

    data = load([str(target)], load_config([str(tmp_path / "p" / "submissions")]))
    assert len(data.findings) == len(areas)
    themes = [data.codebook.lookup(a) for a in areas]
    assert all(t is not None for t in themes)
    assert len({t.id for t in themes}) == len(areas)  # each name its own theme


def test_init_with_a_codebook_sets_it_and_offers_its_themes(tmp_path, runner):
    from openpyxl import load_workbook

    none = runner.invoke(cli, ["init", str(tmp_path / "free"), "--codebook", "none"])
    assert none.exit_code == 0, none.output
    assert "\ncodebook: none\n" in (tmp_path / "free" / "upr-summary.yaml").read_text()
    ws = load_workbook(tmp_path / "free" / "submissions.xlsx").worksheets[0]
    assert "E2:E2000" not in {str(dv.sqref) for dv in ws.data_validations.dataValidation}
    mine = tmp_path / "books" / "mine.yaml"
    mine.parent.mkdir()
    mine.write_text("name: mine\nthemes:\n  - name: Land\n  - name: Water\n", encoding="utf-8")
    own = runner.invoke(cli, ["init", str(tmp_path / "own"), "--codebook", str(mine)])
    assert own.exit_code == 0, own.output
    assert "\ncodebook: ../books/mine.yaml\n" in (tmp_path / "own" / "upr-summary.yaml").read_text()
    lists = load_workbook(tmp_path / "own" / "submissions.xlsx").worksheets[1]
    assert [c.value for c in lists["A"][1:] if c.value] == ["Land", "Water"]
    missing = runner.invoke(cli, ["init", str(tmp_path / "x"), "--codebook", "nope.yaml"])
    assert missing.exit_code == 2 and not (tmp_path / "x").exists()


def test_python_m_entry_point():
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "upr_summary", "--version"], capture_output=True,
                         text=True, check=True)
    assert out.stdout.strip() == f"upr-summary, version {__version__}"


def test_validate_reads_a_folder_given_with_trailing_files(runner, tmp_path):
    (tmp_path / "a.csv").write_text("submission,organization,issue_area,finding\nA,Org A,Food,x\n")
    result = runner.invoke(cli, ["validate", str(tmp_path), str(Path(tmp_path) / "a.csv")])
    assert result.exit_code == 0
    assert "1 file(s), 1 submission(s), 1 finding(s)" in result.stdout
