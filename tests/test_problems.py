"""The catalogue of problems (issue 11, point 4): every code declared once, raised by name,
the README's table written from it, and one message per code that reads right wherever the
code is raised."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import openpyxl
import pytest

from upr_summary.checks import check
from upr_summary.config import Config
from upr_summary.load import load
from upr_summary.model import Location
from upr_summary.problems import CATALOGUE, markdown_table, message, problem
from upr_summary.recommendations import load_recommendations

from .conftest import ROOT

SRC = ROOT / "src" / "upr_summary"
#: Functions whose first argument is a problem code.
RAISERS = {"problem", "message", "report", "note", "too_large", "YamlProblem", "_refuse"}
#: Kebab-case strings in src/ that are not problem codes.
NOT_CODES = {"upr-summary", "upr-info", "issue-area", "broken-link", "my-review",
             "upr-summary-pdf-",
             "withheld-name", "withheld-email", "withheld-phone",
             # output names of the project file
             "compilation-docx", "compilation-md", "compilation-pdf", "compilation-markdown", "compilation-word"}  # keys of the document's front matter
_KEBAB = re.compile(r"^[a-z]+(?:-[a-z]+)+$")


def _sources() -> list[tuple[Path, ast.Module]]:
    return [(p, ast.parse(p.read_text(encoding="utf-8"))) for p in sorted(SRC.rglob("*.py"))
            if p.name != "problems.py"]


def _name(func: ast.expr) -> str | None:
    return func.id if isinstance(func, ast.Name) else \
        func.attr if isinstance(func, ast.Attribute) else None


def _constants(node: ast.expr) -> list[str]:
    """The string constants an argument can be (``"a" if x else "b"`` gives both)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _constants(node.body) + _constants(node.orelse)
    return []


def _kebab_strings() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path, tree in _sources():
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                    and _KEBAB.match(node.value):
                found.setdefault(node.value, []).append(f"{path.name}:{node.lineno}")
    return found


def test_every_code_used_in_src_is_declared():
    undeclared = {code: where for code, where in _kebab_strings().items()
                  if code not in CATALOGUE and code not in NOT_CODES}
    assert not undeclared


def test_every_declared_code_is_raised_somewhere():
    used = {node.value for _, tree in _sources() for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)}
    assert sorted(set(CATALOGUE) - used) == []


def test_every_call_by_code_gives_the_fields_its_message_needs():
    """Statically, for every call that names its code: no unknown field, none missing."""
    calls = 0
    for path, tree in _sources():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or _name(node.func) not in RAISERS or not node.args:
                continue
            if any(kw.arg is None for kw in node.keywords):
                continue  # **fields passed on: checked where they are built
            given = {kw.arg for kw in node.keywords} - {"severity"}
            for code in _constants(node.args[0]):
                assert code in CATALOGUE, f"{path.name}:{node.lineno}: {code}"
                calls += 1
                kind = CATALOGUE[code]
                where = f"{path.name}:{node.lineno} ({code})"
                assert given <= kind.fields, where
                assert kind.fields - set(kind.defaults) <= given, where
    assert calls > 80


def test_an_unknown_code_or_field_is_a_programming_error():
    with pytest.raises(KeyError):
        problem("no-such-code", Location("a.csv"))
    with pytest.raises(KeyError, match="missing field what"):
        problem("empty-file", Location("a.csv"))
    with pytest.raises(KeyError, match="no field colour"):
        problem("empty-file", Location("a.csv"), what="The file", colour="red")
    with pytest.raises(ValueError):
        problem("untagged", Location("a.csv"), "error")
    assert problem("invalid-value", Location("a.csv"), "warning", what="The action category",
                   value="'7'", expected="use 1 to 5").severity == "warning"


def test_every_message_formats_with_every_field_given():
    for kind in CATALOGUE.values():
        text = kind.text(**{name: 9 for name in kind.fields if name not in kind.defaults})
        assert "{" not in text.replace("'{'", "") and "}" not in text, kind.code
        assert kind.severity in ("error", "warning")
        assert kind.meaning and not kind.meaning.endswith("."), kind.code


def test_readme_table_is_the_catalogue():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("| code | severity | meaning | how to fix |")
    end = readme.index("<!-- end of problems table -->")
    assert readme[start:end] == markdown_table()
    rows = [line for line in markdown_table().splitlines()[2:]]
    assert [r.split("`")[1] for r in rows] == list(CATALOGUE)


def test_the_table_is_printed_by_the_module():
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "upr_summary.problems", "--markdown"],
                         capture_output=True, text=True, check=True).stdout
    assert out == markdown_table()


# --- one message per code, read right by every reader that raises it ---------------------

def _messages(problems, code):
    return [p.message for p in problems if p.code == code]


def _well_formed(text: str) -> None:
    assert text[-1] in ".?", text
    for bad in ("..", "?.", "{", "‹", ": .", "  "):
        assert bad not in text, text


def _empty_workbook(path: Path) -> str:
    wb = openpyxl.Workbook()
    wb.save(path)
    return str(path)


def _load(paths):
    return load([str(p) for p in paths], Config(), codebook="none").problems


def test_empty_file_reads_right_for_each_reader(tmp_path, write):
    csv = write("empty.csv", "")
    yaml = write("empty.yaml", "# nothing\n")
    blank = write("blank.csv", "\ufeff\n\n")
    xlsx = _empty_workbook(tmp_path / "empty.xlsx")
    recs = write("recs.csv", "\n\n")
    got = {name: _messages(_load([path]), "empty-file") for name, path in
           [("csv", csv), ("yaml", yaml), ("blank", blank), ("xlsx", xlsx)]}
    got["recs"] = _messages(load_recommendations(recs, None).problems, "empty-file")
    assert got["csv"] == ["The file is empty. Write a header row and one row per finding in it."]
    assert got["blank"] == got["csv"]
    assert got["xlsx"] == ["The workbook is empty. Write a header row and one row per finding "
                           "in it."]
    assert got["yaml"] == ["The YAML file is empty. Write one submission (see the README for "
                           "the layout) in it."]
    assert got["recs"] == ["The recommendations file is empty. Write a header row and one row "
                           "per recommendation in it."]


def test_unreadable_file_reads_right_for_each_reader(tmp_path, write):
    binary = b"\x00\x01\x02\x03" * 100
    csv = write("b.csv", binary)
    yaml = write("b.yaml", binary)
    xlsx = write("b.xlsx", b"PK not a zip at all")
    recs = write("r.csv", binary)
    got = {name: _messages(_load([path]), "unreadable-file")
           for name, path in [("csv", csv), ("yaml", yaml), ("xlsx", xlsx)]}
    got["recs"] = _messages(load_recommendations(recs, None).problems, "unreadable-file")
    for name, (text,) in got.items():
        _well_formed(text)
        assert " cannot be read: " in text, name
    assert got["csv"][0].startswith("This file cannot be read: it is not text")
    assert "YAML submission is plain text" in got["yaml"][0]
    assert got["xlsx"][0].startswith("This workbook cannot be read: it is damaged or not an "
                                     "Excel .xlsx file")
    assert "Give the CSV or Excel (.xlsx) recommendations file itself" in got["recs"][0]


def test_missing_value_reads_right_for_each_place(write):
    sheet = write("s.csv", "submission,organization,finding\n"
                           ",Org,A finding.\n"
                           "X1,,A finding.\n"
                           "X2,Org2,\n"
                           "X2,Org2,Another.\n")
    yaml = write("y.yaml", "submission: Y1\norganization: Org\n")
    listed = write("z.yaml", "submission: Z1\norganization: Org\nfindings: []\n")
    recs = write("r.csv", "recommendation,recommending_state,response\n,France,noted\n"
                          "Do it.,Chile,noted\n")
    texts = _messages(_load([sheet, yaml, listed]), "missing-value")
    texts += _messages(load_recommendations(recs, None).problems, "missing-value")
    assert sorted(t.split(".")[0].split(":")[0] for t in texts) == sorted([
        "No submission code (the short code the report cites, e",
        "Submission X1 names no organization",
        "The finding is empty",
        "No findings",
        "The 'findings",
        "A recommendation without text"])
    for text in texts:
        _well_formed(text)
        assert "Fill it in, or delete the" in text
    assert sum(t.endswith("delete the file.") for t in texts) == 2


def test_invalid_value_reads_right_for_each_field(write):
    sheet = write("s.csv", "submission,organization,finding,type,confidential\n"
                           "A1,Org,A finding.,charity,no\n"
                           "B1,Org B,A finding.,individual,maybe\n")
    yaml = write("y.yaml", "submission: Y1\norganization: [A, B]\nconfidential:\n"
                           "findings: [One.]\n")
    recs = write("r.csv", "recommendation,recommending_state,response,action_category\n"
                          "Do it.,Chile,noted,7\n")
    problems = _load([sheet, yaml]) + load_recommendations(recs, None).problems
    texts = _messages(problems, "invalid-value")
    assert sorted(texts) == sorted([
        "The submission type is 'charity', which is not valid: use individual, joint, nhri "
        "or other.",
        "The confidential flag is 'maybe', which is not valid: write yes (keep the "
        "organization's name out of the report) or no; an unclear flag is never read as "
        "public.",
        "'organization' is a list, which is not valid: write a single text value.",
        "The confidential flag is empty, which is not valid: write yes (keep the "
        "organization's name out of the report) or no; an unclear flag is never read as "
        "public.",
        "The action category is '7', which is not valid: use 1 to 5; it is left out of the "
        "split."])
    assert sorted(p.severity for p in problems if p.code == "invalid-value") == ["error"] * 4 + [
        "warning"]


def test_unknown_issue_area_reads_right_with_and_without_a_codebook(write):
    rows = "submission,organization,finding,issue_area\n" + "".join(
        f"A{i},Org {i},Finding {i}.,Housing\n" for i in range(5)) + "B,Org B,Other.,Housign\n"
    path = write("s.csv", rows)
    with_book = load([path], Config(), codebook="ohchr")
    without = load([path], Config(), codebook="none")
    (first,) = _messages(check(with_book).problems, "issue-area-matched")
    (second,) = _messages(check(without).problems, "unknown-issue-area")
    odd = write("t.csv", "submission,organization,finding,issue_area\nC,Org,F.,Zzyzx qq\n")
    (third,) = _messages(check(load([odd], Config(), codebook="ohchr")).problems,
                         "unknown-issue-area")
    for text in (first, second, third):
        _well_formed(text)
        assert text.startswith("Issue area '")
    assert "read as 'Housing'" in first
    assert "is rare, and close to a spelling used more often. Did you mean 'Housing'?" in second
    assert "is not in the ohchr codebook: it keeps its own section" in third
    assert third.endswith("add it to the codebook (or to issue_areas in upr-summary.yaml).")


def test_limits_in_messages_are_the_limits(write):
    from upr_summary.limits import MAX_CELL_CHARS

    path = write("s.csv", "submission,organization,finding\nA,Org," + "x" * (MAX_CELL_CHARS + 1)
                 + "\n")
    (text,) = _messages(_load([path]), "cell-too-large")
    assert f"at most {MAX_CELL_CHARS:,} are read" in text


def test_a_codebook_error_carries_its_code_and_the_catalogue_message(tmp_path):
    from upr_summary.codebook import from_yaml
    from upr_summary.errors import ConfigError

    with pytest.raises(ConfigError) as info:
        from_yaml("themes: [" * 60, "deep.yaml")
    assert info.value.code == "yaml-too-deep"  # type: ignore[attr-defined]
    assert str(info.value) == "deep.yaml:1: " + message("yaml-too-deep")


def test_every_limit_names_a_declared_code():
    from upr_summary import limits

    named = set(re.findall(r"\| ([a-z]+(?:-[a-z]+)+)(?: \(|\s*\|)", limits.__doc__ or ""))
    assert named - set(CATALOGUE) == {"template-too-slow", "template-output-too-large",
                                      "template-value-too-large",
                                      "catalogue-too-large", "catalogue-message-too-long",
                                      "reference-too-large"}  # template errors: render/
