"""classify: both modes through the CLI, the output CSV loads back, build --auto-tag."""

from __future__ import annotations

import csv
import io

import pytest

from upr_summary.classify import KeywordClassifier, classify
from upr_summary.cli import cli
from upr_summary.codebook import load_codebook
from upr_summary.config import Config
from upr_summary.load import load

from .conftest import SAMPLE


def _rows(path):
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


@pytest.mark.parametrize("text,areas", [
    ("Evictions of tenants rose as rents doubled.", ("Housing",)),
    ("Children were held in immigration detention, including infants.", ("Migrants", "Children")),
    ("Police used rubber bullets and tear gas against peaceful demonstrators.",
     ("Police violence", "Fundamental freedoms")),
    ("The Government did not publish its budget.", ()),
])
def test_keyword_classifier(text, areas):
    assert set(KeywordClassifier(load_codebook("ohchr")).suggest(text)[0]) == set(areas)


def test_classify_keywords_cli_and_output_loads_back(runner, tmp_path):
    out = tmp_path / "suggested.csv"
    result = runner.invoke(cli, ["classify", str(SAMPLE), "-o", str(out), "--mode", "keywords"])
    assert result.exit_code == 0, result.output
    assert result.stdout == ("keywords mode: issue areas suggested for 2 of the 2 finding(s) "
                             f"scored (307 read).\nwrote {out}\n")
    rows = _rows(out)
    assert len(rows) == 307
    assert list(rows[0]) == ["submission", "organization", "city", "type", "issue_area",
                             "finding", "recommendation", "quote", "quote_by", "url",
                             "confidential", "suggested_issue_area", "confidence", "reason",
                             "source"]
    suggested = [(r["submission"], r["suggested_issue_area"], r["reason"]) for r in rows
                 if r["suggested_issue_area"]]
    assert suggested == [
        ("EQW", "Administration of justice and fair trial", "keywords: legal aid"),
        ("DEM", "Fundamental freedoms", "keywords: civil society"),
    ]
    text = out.read_text(encoding="utf-8-sig")
    emails = [s.contact_email for s in load([SAMPLE]).submissions.values()]
    assert not any(e in text for e in emails) and "@" not in text
    # a confidential organization keeps its name and flag: the build from this file must
    # know it to withhold it (the file is a working file, as private as the input)
    assert "SWL,Sex Worker Legal Shelter,Port Alder" in text
    # Fed straight back: same findings, the suggestions taken where issue_area is empty.
    back = load([out], Config())
    original = load([SAMPLE])
    assert back.errors == [] and not [p for p in back.problems if p.code == "untagged"]
    assert [f.text for f in back.findings] == [f.text for f in original.findings]
    assert [f.recommendations for f in back.findings] == [f.recommendations for f in original.findings]
    assert sum(f.tagged_by == "suggested" for f in back.findings) == 2
    build = runner.invoke(cli, ["build", str(out), "-o", str(tmp_path / "r"), "--format", "md"])
    assert build.exit_code == 0, build.output
    md = (tmp_path / "r" / "executive-summary.md").read_text()
    assert "The issue areas of 2 findings were suggested automatically" in md
    assert "Sex Worker Legal Shelter" not in md


def test_classify_learning_cli_all_rows(runner, tmp_path):
    out = tmp_path / "scored.csv"
    result = runner.invoke(cli, ["classify", str(SAMPLE), "-o", str(out), "--mode", "learning",
                                 "--all"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("learning mode, learnt from 305 tagged findings: issue areas "
                                    "suggested for 307 of the 307 finding(s) scored")
    rows = _rows(out)
    assert all(r["suggested_issue_area"] and 0 <= float(r["confidence"]) <= 1 for r in rows)
    assert all(r["reason"].startswith("similar to ") for r in rows)
    # Scored by models that never saw the row: most suggestions still agree with the coder.
    agree = sum(bool(set(r["suggested_issue_area"].split("; ")) & set(r["issue_area"].split("; ")))
                for r in rows if r["issue_area"])
    assert agree / 305 > 0.6


def test_classify_learning_needs_tagged_data(runner, write, tmp_path):
    path = write("few.csv", "submission,organization,issue_area,finding\nA,Org A,Housing,x\nB,Org B,,y\n")
    result = runner.invoke(cli, ["classify", path, "-o", str(tmp_path / "o.csv"), "--mode", "learning"])
    assert result.exit_code == 1 and "needs at least 50 tagged findings" in result.stderr
    assert not (tmp_path / "o.csv").exists()
    auto = runner.invoke(cli, ["classify", path, "-o", str(tmp_path / "o.csv")])
    assert auto.exit_code == 0 and auto.stdout.startswith("keywords mode")


def test_learn_from_an_earlier_cycle(write):
    tagged = "\n".join(f"S{i},Org {i},{area},{text} number {i}."
                       for i in range(40)
                       for area, text in (("Housing", "Evictions and rents rose"),
                                          ("Health", "Hospital waiting lists grew")))
    earlier = write("earlier.csv", "submission,organization,issue_area,finding\n" + tagged + "\n")
    now = write("now.csv", "submission,organization,issue_area,finding\n"
                "N1,New Org,,Evictions and rents rose again this year.\n"
                "N2,New Org 2,,Hospital waiting lists grew longer.\n")
    data, previous = load([now], Config()), load([earlier], Config())
    result = classify(data, "learning", learn_from=previous)
    assert result.trained_on == 80
    assert [s.issue_areas for s in result.suggestions.values()] == [("Housing",), ("Health",)]


def test_keyword_mode_needs_a_codebook(runner, tmp_path):
    result = runner.invoke(cli, ["classify", str(SAMPLE), "-o", str(tmp_path / "o.csv"),
                                 "--mode", "keywords", "--codebook", "none"])
    assert result.exit_code == 1 and "needs a codebook" in result.stderr


def test_build_auto_tag(runner, tmp_path):
    result = runner.invoke(cli, ["build", str(SAMPLE), "-o", str(tmp_path), "--auto-tag",
                                 "--format", "md"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1].startswith(
        "307 findings read: 307 grouped into ")
    md = (tmp_path / "executive-summary.md").read_text()
    assert ("2 findings that came without an issue area were placed in a section by automatic "
            "tagging (keywords mode).") in md
    assert "307 findings read: 307 grouped into " in md


def test_classify_keeps_every_column_and_its_file_does_not_count_twice(tmp_path):
    """Issue 14, point 10: a coordinator's own columns survive the round trip; the working
    file in the submissions folder is not read by the next validate (named, it is read);
    --learn-from that cannot be used says so."""
    import csv
    import io

    from click.testing import CliRunner

    from upr_summary.cli import cli

    subs = tmp_path / "subs"
    subs.mkdir()
    (subs / "a.csv").write_text(
        "submission,organization,issue_area,finding,My ID,Reviewer,Note\n"
        "A1,Org A,,Rents rose by 30 per cent and evictions doubled.,X-1,Ana,check\n"
        "A2,Org B,Health,Two hospitals closed in the north.,X-2,Ben,\n", encoding="utf-8")
    runner = CliRunner()
    out = subs / "suggested.csv"
    assert runner.invoke(cli, ["classify", str(subs), "-o", str(out)]).exit_code == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert [(r["My ID"], r["Reviewer"], r["Note"]) for r in rows] == [("X-1", "Ana", "check"),
                                                                     ("X-2", "Ben", "")]
    checked = runner.invoke(cli, ["validate", str(subs)])
    assert checked.exit_code == 0 and "working-file-skipped" in checked.output
    assert "2 finding(s)" in checked.output and "duplicate-finding" not in checked.output
    again = tmp_path / "again.csv"
    assert runner.invoke(cli, ["classify", str(out), "-o", str(again)]).exit_code == 0
    rows = list(csv.DictReader(io.StringIO(again.read_text(encoding="utf-8-sig"))))
    assert [r["My ID"] for r in rows] == ["X-1", "X-2"] and rows[0]["issue_area"] == "Housing"
    old = tmp_path / "old.csv"
    old.write_text("submission,organization,issue_area,finding\n"
                   "B1,Org X,Housing,Rents went up sharply.\n", encoding="utf-8")
    noted = runner.invoke(cli, ["classify", str(subs / "a.csv"), "-o", str(tmp_path / "l.csv"),
                                "--learn-from", str(old)])
    assert noted.exit_code == 0 and "--learn-from was not used" in noted.stderr
    assert "--mode learning" in noted.stderr
