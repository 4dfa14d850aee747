"""`build`: the report files, read back by their real readers."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from docx import Document

from upr_summary.build import build
from upr_summary.cli import cli
from upr_summary.config import Config, load_config
from upr_summary.errors import ConfigError
from upr_summary.load import load

from .conftest import BAD, SAMPLE
from .docx_reading import read_footnotes

GOLDEN = Path(__file__).parent / "data" / "golden" / "executive-summary.md"


@pytest.fixture(scope="module")
def sample_build(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    config = load_config([str(SAMPLE)])
    result = build([SAMPLE], out, config)
    return out, result


def _package_xml(docx: Path) -> str:
    with zipfile.ZipFile(docx) as z:
        return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist()
                         if n.endswith((".xml", ".rels")))


def test_markdown_matches_golden_file(sample_build):
    out, _ = sample_build
    text = (out / "executive-summary.md").read_text(encoding="utf-8")
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8")


def test_build_writes_docx_markdown_and_chart(sample_build):
    out, result = sample_build
    assert sorted(p.name for p in out.iterdir()) == [
        "compilation.docx", "compilation.md", "executive-summary.docx", "executive-summary.md",
        "executive-summary.png"]
    counts = result.summary.counts
    assert (counts.read, counts.findings, counts.excluded) == (307, 305, {"untagged": 2})
    md = (out / "executive-summary.md").read_text()
    assert (f"307 findings read: 305 in the compilation as {counts.concerns} concerns; "
            f"{counts.concerns_shown} concerns in the summary ({counts.words:,} words); 2 excluded "
            "(2 untagged).") in md
    assert ("![Figure 1. Findings, submissions and organizations per issue area]"
            "(executive-summary.png)") in md
    assert (out / "executive-summary.png").read_bytes().startswith(b"\x89PNG")


def test_docx_headings_footnotes_and_annex(sample_build):
    out, result = sample_build
    report = result.summary
    doc = Document(str(out / "executive-summary.docx"))
    paragraphs = doc.paragraphs
    headings = [(p.style.name, p.text) for p in paragraphs if p.style.name.startswith("Heading")]
    assert paragraphs[0].style.name == "Title" and paragraphs[0].text == report.title == \
        "Executive summary of civil society submissions"
    h1 = [t for s, t in headings if s == "Heading 1"]
    assert h1 == ["About this summary", "Key concerns", "At a glance", "Cross-cutting issues",
                  "Civil and political rights", "Economic, social and cultural rights",
                  "Rights of specific persons or groups", "Annex: Contributors",
                  "Annex: Issue areas at a glance", "Annex: Previous recommendations",
                  "Annex: Gaps", "What this summary covers"]
    h2 = [t for s, t in headings if s == "Heading 2"]
    assert h2 == [s.title for s in report.sections]
    # Kept out of the contents: a style based on Heading 2, body text in the outline.
    assert [t for s, t in headings if s == "Heading 2 (unlisted)"] == [
        "Individual submissions", "Joint submissions", "National human rights institution",
        "Raised by civil society, not in earlier recommendations",
        "In earlier recommendations, raised by no submission"]
    # One real footnote per cited sentence, in order, with the codes of its sources.
    notes = read_footnotes(doc)
    cited = sum(len(s.summary_concerns) + sum(len(c.supporting) for c in s.summary_concerns
                                              if not c.key)
                + len(s.shown_recommendations) for s in report.sections) \
        - sum(1 for c in report.key_concerns if c.key) + len(report.key_concerns)
    assert len(notes) == cited == len(result.document.footnotes())
    assert 30 < cited < 120
    assert [n.text for n in notes] == result.document.footnotes()
    body = doc.element.body.xml
    assert body.count("<w:footnoteReference ") == cited
    # Concerns cite all their sources.
    merged = [c for s in report.sections for c in s.summary_concerns if len(c.sources) > 1]
    assert merged and all("; " in c.citation for c in merged)
    # The annex lists every submission once, by code.
    def heading_at(text):
        return next(i for i, p in enumerate(paragraphs)
                    if p.text == text and p.style.name == "Heading 1")

    annex_start = heading_at("Annex: Contributors")
    annex_end = heading_at("Annex: Previous recommendations")
    annex = [p.text for p in paragraphs[annex_start:annex_end]
             if not p.style.name.startswith("Heading")]
    codes = sorted(p.split("\t")[0] for p in annex if "\t" in p)
    # Published codes: the confidential SWL is listed under its neutral code.
    assert codes == sorted({*load([SAMPLE]).submissions} - {"SWL"} | {"C1"})
    assert "C1\tConfidential submission" in annex and not any("SWL" in p for p in annex)
    js1 = next(p for p in annex if p.startswith("JS1\t"))
    assert "Members: Harbour Tenants Union; Housing Coops of Arvenia" in js1
    # A table and a picture at a glance; document properties.
    assert len(doc.tables) == 2 and len(doc.tables[0].rows) == len(report.glance) + 1
    assert len(doc.tables[1].rows) == len(report.earlier) + 1
    assert len(doc.inline_shapes) == 1
    props = doc.core_properties
    assert props.title == report.title and props.author == "Arvenian Human Rights Network"
    assert "Republic of Arvenia" in props.subject
    # Built-in styles, so that a reference document can restyle everything.
    used = {p.style.name for p in paragraphs}
    assert {"Title", "Subtitle", "Heading 1", "Heading 2", "List Bullet",
            "Caption", "TOC Heading", "Normal"} <= used
    compilation = Document(str(out / "compilation.docx"))
    assert "Quote" in {p.style.name for p in compilation.paragraphs}
    assert 'TOC \\o "1-2"' in body


def test_no_email_or_confidential_name_anywhere(sample_build):
    out, _ = sample_build
    data = load([SAMPLE])
    emails = {s.contact_email for s in data.submissions.values() if s.contact_email}
    secret = [s.organization for s in data.submissions.values() if s.confidential]
    assert secret == ["Sex Worker Legal Shelter"]
    texts = [_package_xml(out / "executive-summary.docx"),
             (out / "executive-summary.md").read_text()]
    for text in texts:
        assert not any(e in text for e in emails)
        assert not any(name in text for name in secret)
        assert "example.org" not in text


def test_confidential_names_are_withheld_even_inside_other_text(tmp_path, write):
    path = write("s.csv", "submission,organization,confidential,contact_email,issue_area,finding,quote,quote_by\n"
                 "SAFE,Safe Haven Shelter,yes,a@safe.example.org,Housing,Evictions rose.,,\n"
                 "HTU,Harbour Tenants Union,no,b@htu.example.org,Housing,"
                 "Safe Haven Shelter reports 40 evictions.,We trust SAFE HAVEN SHELTER.,staff of Safe Haven Shelter\n")
    result = build([path], tmp_path / "out", Config())
    for name in ("executive-summary.md", "executive-summary.docx"):
        data = (tmp_path / "out" / name).read_bytes()
        text = _package_xml(tmp_path / "out" / name) if name.endswith("docx") else data.decode()
        assert "safe haven" not in text.lower()
        assert "a@safe" not in text and "b@htu" not in text
    assert "[name withheld] reports 40 evictions." in [
        result.document.words(f.text) for s in result.summary.sections for f in s.findings]


def test_two_builds_are_byte_identical(tmp_path):
    config = load_config([str(SAMPLE)])
    build([SAMPLE], tmp_path / "a", config)
    build([SAMPLE], tmp_path / "b", config)
    for name in ("executive-summary.docx", "executive-summary.md", "executive-summary.png"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_failed_build_writes_nothing_and_keeps_the_previous_report(runner, tmp_path):
    out = tmp_path / "out"
    assert runner.invoke(cli, ["build", str(SAMPLE), "-o", str(out), "-q"]).exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    result = runner.invoke(cli, ["build", str(SAMPLE), str(BAD / "missing-finding.csv"),
                                 "-o", str(out)])
    assert result.exit_code == 1
    assert "[missing-value]" in result.stderr and "nothing was written" in result.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    fresh = tmp_path / "fresh"
    result = runner.invoke(cli, ["build", str(BAD / "binary.csv"), "-o", str(fresh)])
    assert result.exit_code == 1 and not fresh.exists()


def test_strict_and_show_excluded(runner, tmp_path):
    result = runner.invoke(cli, ["build", str(SAMPLE), "-o", str(tmp_path / "o"), "--strict"])
    assert result.exit_code == 1
    assert "2 finding(s) would be left out" in result.stderr
    assert not (tmp_path / "o").exists()
    shown = runner.invoke(cli, ["build", str(SAMPLE), "-o", str(tmp_path / "o"), "--show-excluded"])
    assert shown.exit_code == 0
    lines = shown.stdout.splitlines()
    assert [line for line in lines if line.startswith("excluded")] == [
        f"excluded (untagged): EQW {SAMPLE}/intake-2026.xlsx[Batch 1]:48: Budget cuts to legal "
        "aid since 2020 mean that 60 per cent of applicants for civil legal aid are now refused.",
        f"excluded (untagged): DEM {SAMPLE}/yaml/dem.yaml:29: The Government did not consult "
        "civil society on its national report for this review.",
    ]
    assert lines[-1].startswith("307 findings read: 305 in the compilation as ")
    assert lines[-1].endswith(" words); 2 excluded (2 untagged)")


def test_cli_build_output_and_formats(runner, tmp_path):
    out = tmp_path / "o"
    result = runner.invoke(cli, ["build", str(SAMPLE), "-o", str(out), "--format", "md"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[:2] == [f"wrote {out}/executive-summary.png", f"wrote {out}/executive-summary.md"]
    assert lines[2].startswith("the 2 findings left out are listed in ")
    assert lines[2].endswith("excluded.csv (a working file, not for publication)")
    assert lines[3].startswith("concerns grouped by ")
    assert lines[4].startswith("307 findings read: 305 grouped into ") and len(lines) == 5
    # how many of the members' recommendations the budget let in, and where the rest are
    assert "1 of the members' 71 recommendations" in lines[4]
    assert "leaves most of the members' recommendations to the compilation" in result.stderr
    assert runner.invoke(cli, ["build", str(SAMPLE), "--format", "odt"]).exit_code == 2


def test_output_names_from_project_file(tmp_path, write):
    path = write("s.csv", "submission,organization,issue_area,finding\nA,Org A,Food,Prices rose.\n")
    config = Config(output={"markdown": "summary.md", "docx": "summary.docx"})
    result = build([path], tmp_path / "o", config)
    assert sorted(Path(p).name for p in result.written) == [
        "compilation.docx", "compilation.md", "executive-summary.png", "summary.docx",
        "summary.md"]
    config = Config(output={"compilation-markdown": "record.md", "json": "data.json"})
    result = build([path], tmp_path / "p", config, ["md", "json", "compilation"])
    assert sorted(Path(p).name for p in result.written) == [
        "data.json", "executive-summary.md", "executive-summary.png", "record.md"]


def test_pdf_without_libreoffice_says_how_to_install(runner, tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    result = runner.invoke(cli, ["build", str(SAMPLE), "-o", str(tmp_path / "o"), "--format", "pdf"])
    assert result.exit_code == 1
    assert "libreoffice-writer-nogui" in result.stderr
    assert not (tmp_path / "o").exists()


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_converts_the_docx(sample_build, tmp_path):
    out, _ = sample_build
    docx = tmp_path / "report.docx"
    shutil.copy(out / "executive-summary.docx", docx)
    subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
                    "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(docx)],
                   check=True, capture_output=True, timeout=300)
    pdf = tmp_path / "report.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True,
                                       text=True, check=True).stdout.split())
        assert "Executive summary of civil society submissions" in text
        assert "Annex: Contributors" in text and "Confidential submission" in text
        assert "Sex Worker Legal Shelter" not in text


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_build_format_pdf(runner, tmp_path):
    result = runner.invoke(cli, ["build", str(SAMPLE), "-o", str(tmp_path), "--format", "pdf", "-q"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "executive-summary.pdf").read_bytes().startswith(b"%PDF")


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is not installed")
def test_pandoc_parses_the_markdown_and_counts_its_footnotes(sample_build):
    out, result = sample_build
    ast = json.loads(subprocess.run(["pandoc", "-f", "markdown", "-t", "json",
                                     str(out / "executive-summary.md")],
                                    capture_output=True, text=True, check=True).stdout)
    notes, headers = [], []

    def walk(node):
        if isinstance(node, dict):
            if node.get("t") == "Note":
                notes.append(node)
            if node.get("t") == "Header":
                headers.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(ast["blocks"])
    assert len(notes) == len(result.document.footnotes()) > 30
    assert sum(1 for h in headers if h["c"][0] == 3) >= len(result.summary.sections)
    # GitHub-flavoured Markdown reads the same footnotes.
    gfm = subprocess.run(["pandoc", "-f", "gfm", "-t", "json", str(out / "executive-summary.md")],
                         capture_output=True, text=True, check=True).stdout
    assert gfm.count('"t":"Note"') == len(notes)


def test_installed_package_builds_with_its_templates_and_codebooks(tmp_path):
    """Run the installed tool in a fresh process (not the source tree): templates and
    codebooks must ship inside the package."""
    import sys

    result = subprocess.run([sys.executable, "-m", "upr_summary", "build", str(SAMPLE), "-o",
                             str(tmp_path), "--format", "md,docx", "-q", "--no-cache"],
                            capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "executive-summary.md").read_text().startswith("# Executive summary")


def test_negations_and_comparisons_are_never_merged(write, tmp_path):
    from upr_summary.similar import group_similar

    texts = ["Corporal punishment is prohibited in schools.",
             "Corporal punishment is not prohibited in schools.",
             "Corporal punishment is still not prohibited in schools.",
             "More shelters opened in 2024.", "Less shelters opened in 2024."]
    assert group_similar(texts) == [[0], [1, 2], [3], [4]]


@pytest.mark.parametrize("output", [
    {"chart": "executive-summary.docx"},                       # equal to another's default
    {"markdown": "report.md", "pdf": "report.md"},               # equal to each other
    {"markdown": "Executive-Summary.DOCX"},                     # one file on Windows and macOS
    {"markdown": "r\u00e9sum\u00e9.md", "docx": "re\u0301sume\u0301.md"},  # NFC and NFD forms
    {"png": "EXECUTIVE-SUMMARY.md"},
])
def test_colliding_output_names_are_refused_before_anything_is_written(tmp_path, write, output):
    path = write("s.csv", "submission,organization,issue_area,finding\nA,Org A,Food,Prices rose.\n")
    with pytest.raises(ConfigError, match="would be the same file"):
        build([path], tmp_path / "o", Config(output=output))
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("name", [
    "a/b.md", "..", "", "a\\b.md", "a:b.md", "what?.md", "CON.md", "nul", "lpt1.docx",
    "trailing.", " spaced.md", ".upr-summary-staging", ".UPR-SUMMARY-commit", "tab\there.md",
    "x" * 251 + ".docx", "\u00e9" * 130 + ".md",
])
def test_output_names_that_no_file_system_takes_are_refused(tmp_path, write, name):
    path = write("s.csv", "submission,organization,issue_area,finding\nA,Org A,Food,Prices rose.\n")
    with pytest.raises(ConfigError, match="output: markdown"):
        build([path], tmp_path / "o", Config(output={"markdown": name}))
    assert not (tmp_path / "o").exists()


def test_collision_in_the_project_file_exits_2_and_names_the_file(runner, tmp_path, write):
    data = write("p/s.csv", "submission,organization,issue_area,finding\nA,Org A,Food,Prices rose.\n")
    write("p/upr-summary.yaml", "output:\n  chart: executive-summary.docx\n")
    result = runner.invoke(cli, ["build", data, "-o", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert f"{tmp_path / 'p' / 'upr-summary.yaml'}: output: docx 'executive-summary.docx' and chart" \
        in result.stderr
    assert not (tmp_path / "o").exists()


BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e"


@pytest.mark.parametrize("case", ["rlo-unclosed.csv", "rlo-organization.csv", "rlo.yaml",
                                  "embedding-closed.csv", "isolate-unclosed.csv"])
def test_bidi_controls_never_reach_the_report(runner, tmp_path, case):
    """Text after an unclosed right-to-left override (its footnote number included) would
    display reversed: the controls are gone from every output, the text is kept."""
    result = runner.invoke(cli, ["build", str(BAD / "text" / case), "-o", str(tmp_path), "-q"])
    assert result.exit_code == 0, result.output
    md = (tmp_path / "executive-summary.md").read_text(encoding="utf-8")
    xml = _package_xml(tmp_path / "executive-summary.docx")
    for text in (md, xml):
        assert not any(ch in text for ch in BIDI_CONTROLS)
        # isolates only in matched pairs
        assert text.count("\u2069") == sum(text.count(ch) for ch in "\u2066\u2067\u2068")
    if case == "rlo-unclosed.csv":
        assert "Rents rose by 40% since 2020 in the capital.[^1]" in md


def test_right_to_left_text_and_closed_isolates_are_kept(runner, tmp_path):
    result = runner.invoke(cli, ["build", str(BAD / "text" / "marks-kept.csv"), "-o", str(tmp_path),
                                 "-q"])
    assert result.exit_code == 0, result.output
    md = (tmp_path / "executive-summary.md").read_text(encoding="utf-8")
    assert "Rents rose \u200f\u0645\u0631\u0643\u0632\u200e by 40% \u2066inside\u2069.[^1]" in md


def test_strip_bidi_variants():
    from upr_summary.textutil import clean_cell, strip_bidi

    assert strip_bidi("plain") == ("plain", 0)
    assert strip_bidi("\u2067a\u2066b\u2069c") == ("a\u2066b\u2069c", 1)  # the outer one left open
    assert strip_bidi("\u2069\u2069\u2067x\u2069") == ("\u2067x\u2069", 2)
    assert strip_bidi("\u202b\u202ex\u202c\u202c") == ("x", 4)
    assert clean_cell("  a\u202e\x0b b  ") == ("a b", 1, 1)
    # right-to-left marks and Arabic letter mark are not controls that reorder later text
    assert strip_bidi("\u200fa\u200eb\u061c") == ("\u200fa\u200eb\u061c", 0)


def _links(ast) -> list:
    found = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("t") == "Link":
                found.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(ast["blocks"])
    return found


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is not installed")
def test_urls_in_submissions_never_become_links(runner, tmp_path):
    """Every shape of URL, in GitHub-flavoured Markdown (autolinks extension), pandoc's
    Markdown (also with autolink_bare_uris) and CommonMark with extensions; the text reads
    the same once rendered."""
    result = runner.invoke(cli, ["build", str(BAD / "text" / "urls.csv"), "-o", str(tmp_path), "-q"])
    assert result.exit_code == 0, result.output
    plain = ""
    for md in (tmp_path / "executive-summary.md", tmp_path / "compilation.md"):
        for flavour in ("gfm", "markdown", "markdown+autolink_bare_uris",
                        "commonmark_x+autolink_bare_uris", "markdown_mmd"):
            ast = json.loads(subprocess.run(["pandoc", "-f", flavour, "-t", "json", str(md)],
                                            capture_output=True, text=True, check=True).stdout)
            assert _links(ast) == [], (md.name, flavour)
        plain += subprocess.run(["pandoc", "-f", "gfm", "-t", "plain", "--wrap=none", str(md)],
                                capture_output=True, text=True, check=True).stdout
    for text in ("https://example.org/report?id=1&x=2 shows", "www.example.org/housing",
                 "mailto:[e-mail withheld]", "Bare example.org/path and sub.example.co.uk",
                 "[link](https://example.org)", "javascript:alert(1)"):
        assert text in plain
    assert "<w:hyperlink" not in _package_xml(tmp_path / "executive-summary.docx")


@pytest.mark.parametrize("text", [
    "https://example.org", "http://a.b/c", "ftp://x.org", "www.example.org", "WwW.Example.Org",
    "mailto:a@b.org", "xmpp:a@b.org", "a@b.org", "example.org/path", "sub.example.co.uk",
    "münchen.de", "//example.org", "HTTPS://EXAMPLE.ORG", "http://[::1]/x", "www.x",
    "see:https://example.org", "a_b.example.org", "data:text/html,hi",
])
def test_md_escape_breaks_every_autolink_pattern(text):
    from upr_summary.render.markdown import md_escape

    escaped = md_escape(text)
    # a backslash before each scheme colon and each dot between a word and a letter
    import re

    assert not re.search(r"(?<!\\)[:]//", escaped)
    assert not re.search(r"\w(?<!\\)\.[^\W\d_]", escaped)
    assert escaped.replace("\\", "") == text.replace("\\", "")


@pytest.mark.parametrize("inside", ["folder", "file"])
def test_report_is_never_written_beside_the_inputs(runner, tmp_path, inside):
    """A report folder is copied or uploaded whole: it must not hold members' raw files."""
    subs = tmp_path / "subs"
    subs.mkdir()
    shutil.copy(BAD / "untagged.csv", subs / "a.csv")
    source = subs if inside == "folder" else subs / "a.csv"
    result = runner.invoke(cli, ["build", str(source), "-o", str(subs)])
    assert result.exit_code == 2, result.output
    assert "beside the members' own files" in result.stderr
    assert sorted(p.name for p in subs.iterdir()) == ["a.csv"]
    fine = runner.invoke(cli, ["build", str(subs), "-o", str(subs / "out"), "-q"])
    assert fine.exit_code == 0, fine.output


def test_each_finding_is_stated_once_in_its_first_issue_area(tmp_path, write):
    """A finding, its recommendation and its quote appear in the section of its first
    issue area; its other issue areas count it and point to that section; the same
    recommendation from two rows in two sections is one bullet citing both."""
    path = write("s.csv", "submission,organization,issue_area,finding,recommendation,quote\n"
                 "HTU,Harbour Tenants Union,Housing; Children,Evictions of families rose by "
                 "30 per cent.,Stop evicting families with children.,We had three days.\n"
                 "CRA,Child Rights Arvenia,Children,Child poverty rose to 21 per cent.,"
                 "Stop evicting families with children.,\n")
    result = build([path], tmp_path / "out", Config(), ["md", "docx", "compilation"],
                   codebook="none")
    sections = {s.title: s for s in result.summary.sections}
    housing, children = sections["Housing"], sections["Children"]
    assert [f.text for f in housing.findings] == ["Evictions of families rose by 30 per cent."]
    assert [f.text for f in children.findings] == ["Child poverty rose to 21 per cent."]
    assert [q.text for q in housing.quotes] == ["We had three days."] and not children.quotes
    assert children.also == ["Housing"] and housing.also == []
    assert children.finding_count == 2 and children.submissions == 2  # it still counts
    recs = [(r.text, r.sources) for s in result.summary.sections for r in s.recommendations]
    assert recs == [("Stop evicting families with children.", ("CRA", "HTU"))]
    md = (tmp_path / "out" / "executive-summary.md").read_text(encoding="utf-8")
    assert md.count("Evictions of families") == 1
    assert "Also raised under this theme: see Housing." in md
    compilation = (tmp_path / "out" / "compilation.md").read_text(encoding="utf-8")
    assert compilation.count("Evictions of families") == 1
    assert compilation.count("We had three days") == 1


def test_a_build_of_fewer_formats_says_what_it_left_from_the_earlier_one(tmp_path, runner):
    out = tmp_path / "out"
    first = runner.invoke(cli, ["build", str(SAMPLE), "-o", str(out), "-q"])
    assert first.exit_code == 0, first.output
    second = runner.invoke(cli, ["build", str(SAMPLE), "-o", str(out), "--language", "fr",
                                 "--format", "md", "-q"])  # said even with -q
    assert second.exit_code == 0, second.output
    assert "output-from-earlier-build" in second.output
    assert "executive-summary.docx" in second.output and "compilation.md" in second.output
    again = runner.invoke(cli, ["build", str(SAMPLE), "-o", str(out)])
    assert again.exit_code == 0 and "output-from-earlier-build" not in again.output


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice (soffice) or pdftotext is not installed")
@pytest.mark.parametrize("language, words", [
    ("en", ["Supported", "Noted", "States"]),
    ("fr", ["Acceptées", "Notées", "Autres", "États"]),
    ("es", ["Apoyadas", "Anotadas", "Otras", "Estados"]),
])
def test_table_headers_are_whole_words_in_every_language(tmp_path, language, words):
    """Issue 14, point 2: the earlier-recommendations annex, converted by LibreOffice: each
    header word on one line (the widths come from this build's headers, in the language;
    a table too wide is set smaller rather than break a word)."""
    build([SAMPLE], tmp_path, load_config([str(SAMPLE)]), formats=["docx"], language=language)
    subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
                    "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(tmp_path / "executive-summary.docx")],
                   check=True, capture_output=True, timeout=300)
    lines = subprocess.run(["pdftotext", "-layout", str(tmp_path / "executive-summary.pdf"), "-"],
                           capture_output=True, text=True, check=True).stdout.splitlines()
    # every header word whole, on one line: the table's header row
    assert any(all(w in line for w in words) for line in lines), words
    with zipfile.ZipFile(tmp_path / "executive-summary.docx") as z:
        body = z.read("word/document.xml").decode("utf-8")
    assert "<w:tblHeader/>" in body and "<w:cantSplit/>" in body


@pytest.mark.page_layout
def test_the_contents_field_never_asks_word_to_update(tmp_path):
    """A Word file alone (no PDF): its contents list has the page numbers where LibreOffice
    is installed, and never asks Word to update the field."""
    from docx import Document

    build([SAMPLE], tmp_path, load_config([str(SAMPLE)]), formats=["docx"])
    with zipfile.ZipFile(tmp_path / "executive-summary.docx") as z:
        body = z.read("word/document.xml").decode("utf-8")
    assert " TOC " in body and 'w:dirty="true"' not in body
    if shutil.which("soffice"):
        doc = Document(str(tmp_path / "executive-summary.docx"))
        entries = [p.text.split("\t") for p in doc.paragraphs if p.style.name.startswith("toc")]
        assert len(entries) > 10 and all(len(e) == 2 and e[1].isdigit() for e in entries)


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice (soffice) or pdftotext is not installed")
def test_the_contents_list_has_the_page_numbers_libreoffice_lays_out(tmp_path):
    """Issue 14, point 1: the DOCX's contents list pre-filled with page numbers, and the
    PDF's contents too; each number is the page its heading is on in the PDF."""
    from docx import Document

    build([SAMPLE], tmp_path, load_config([str(SAMPLE)]), formats=["docx", "pdf"])
    doc = Document(str(tmp_path / "executive-summary.docx"))
    entries = [p.text.split("\t") for p in doc.paragraphs if p.style.name.startswith("toc")]
    assert entries and all(len(e) == 2 and e[1].isdigit() for e in entries)
    pdf = tmp_path / "executive-summary.pdf"
    # pdftotext marks each page's end with a form feed
    pages = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                           check=True).stdout.split("\f")
    for title, number in entries[:12]:
        page = pages[int(number) - 1]
        assert title in page.splitlines(), (title, number)
    contents = " ".join(pages[0].split())
    assert "About this summary" in contents and any(ch.isdigit() for ch in contents)
    # The headings kept out of the contents ({.unlisted}) stay out of the PDF's too, which
    # LibreOffice refreshes (as Word's Update Field would): their style is not a heading.
    assert "Annex: Contributors" in contents and "Individual submissions" not in contents
    assert "Individual submissions" in "".join(pages[1:])
    assert [e for e in entries if e[0] in ("Individual submissions", "Joint submissions")] == []
    unlisted = [p for p in doc.paragraphs if p.text == "Individual submissions"]
    assert unlisted and unlisted[0].style.name == "Heading 2 (unlisted)"
    assert unlisted[0].style.base_style.name == "Heading 2"


def test_the_findings_left_out_go_to_a_working_file_beside_the_project_file(tmp_path, runner):
    """Issue 14, point 6: excluded.csv beside the project file (UTF-8 with a BOM, formulas
    neutralised), never in the report; the next validate of the folder does not read it."""
    project = tmp_path / "p"
    (project / "subs").mkdir(parents=True)
    (project / "upr-summary.yaml").write_text("title: Ours\n", encoding="utf-8")
    (project / "subs" / "s.csv").write_text(
        "submission,organization,issue_area,finding\n"
        "A1,Org A,Housing,Rents rose by 30 per cent.\n"
        "A2,Org B,,=HYPERLINK(\"http://x\") evictions doubled.\n", encoding="utf-8")
    result = runner.invoke(cli, ["build", str(project / "subs"), "-o", str(tmp_path / "out"),
                                 "--format", "md"])
    assert result.exit_code == 0, result.output
    listed = project / "excluded.csv"
    data = listed.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfleft out by upr-summary (reason),submission,file,row")
    text = data.decode("utf-8-sig")
    assert "untagged,A2," in text and "subs/s.csv,3," in text and "'=HYPERLINK" in text
    assert "excluded.csv" in result.output
    assert not (tmp_path / "out" / "excluded.csv").exists()
    assert "HYPERLINK" not in (tmp_path / "out" / "executive-summary.md").read_text()
    shutil.copy(listed, project / "subs" / "excluded.csv")   # a careless copy
    checked = runner.invoke(cli, ["validate", str(project / "subs")])
    assert "working-file-skipped" in checked.output and "2 finding(s)" in checked.output


def test_tables_are_ruled_between_rows_and_the_chart_keeps_its_caption(tmp_path):
    """Issue 14, points 2 and 3: our tables ruled between rows, no banding (LibreOffice
    draws a banded style as boxes around every other row); the text before the chart, the
    chart and its caption kept on one page."""
    build([SAMPLE], tmp_path, load_config([str(SAMPLE)]), formats=["docx"])
    with zipfile.ZipFile(tmp_path / "executive-summary.docx") as z:
        body = z.read("word/document.xml").decode("utf-8")
    tables = re.findall(r"<w:tblPr>.*?</w:tblPr>", body)
    assert len(tables) >= 2
    for props in tables:
        assert '<w:insideH w:val="single"' in props and '<w:insideV w:val="nil"/>' in props
        assert 'w:noHBand="1"' in props
    drawing = body.index("<w:drawing>")
    before = body.rfind("<w:p>", 0, drawing)
    assert "<w:keepNext/>" in body[before:drawing]
    caption = body.index("</w:p>", drawing)
    assert 'w:val="Caption"' in body[caption:body.index("</w:p>", caption + 6)]


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice (soffice) or pdftotext is not installed")
def test_the_compilation_as_pdf_with_its_quotes_and_each_states_answer(tmp_path):
    """Issue 14, points 3 and 4, in a PDF: --format pdf,compilation writes compilation.pdf,
    its contents with page numbers, member quotes and earlier recommendations with each
    State's own answer."""
    result = build([SAMPLE], tmp_path, load_config([str(SAMPLE)]), formats=["pdf", "compilation"])
    assert sorted(Path(p).name for p in result.written) == ["compilation.pdf",
                                                            "executive-summary.pdf"]
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "compilation.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "— Oristan (noted); Tervia (supported)" in " ".join(text.split())
    assert "— a 19-year-old man arrested in Port Alder" in " ".join(text.split())
    contents = text[:text.index("About this compilation", 200)]
    assert re.search(r"Housing\.{5,}\s*\d+", contents)
