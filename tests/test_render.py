"""Renderers in detail: footnotes part, escaping, templates, reference documents."""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Cm

from upr_summary.build import build
from upr_summary.cli import cli
from upr_summary.config import Config
from upr_summary.render.footnotes import Footnotes
from upr_summary.render.markdown import md_escape

from .docx_reading import read_footnotes

HOSTILE = [
    "{{ 7*7 }} and {% for x in y %}loop{% endfor %}",
    "<script>alert('x')</script> and <b>bold</b>",
    "[click here](javascript:alert(1)) and ![img](http://evil.example/x.png)",
    "```{=openxml}\n<w:p><w:r><w:t>injected</w:t></w:r></w:p>\n```",
    "`<w:p/>`{=openxml} and $x^2$ and @smith2020 and [^1]",
    "=HYPERLINK(\"http://evil.example\",\"click\")",
    "# Not a heading",
    "- not a list",
    "1. not a list either",
    "::: {.warning}",
    "| not | a | table |",
    "AT&amp;T &copy; *not emphasis* _nor this_ ~~nor this~~",
]


def _hostile_csv(write):
    rows = ["submission,organization,issue_area,finding,recommendation"]
    for i, text in enumerate(HOSTILE):
        quoted = '"' + text.replace('"', '""') + '"'
        rows.append(f"S{i},Org {i},Housing,{quoted},{quoted}")
    return write("hostile.csv", "\n".join(rows) + "\n")


def _walk(node, kinds):
    found = []
    if isinstance(node, dict):
        if node.get("t") in kinds:
            found.append(node)
        for value in node.values():
            found += _walk(value, kinds)
    elif isinstance(node, list):
        for value in node:
            found += _walk(value, kinds)
    return found


def test_md_escape_examples():
    assert md_escape("# x") == "\\# x"
    assert md_escape("- x") == "\\- x"
    assert md_escape("12. x") == "12\\. x"  # CommonMark escapes punctuation only
    assert md_escape("a\nb\tc") == "a b c"
    assert md_escape("50% of 3 + 4") == "50% of 3 + 4"


def test_hostile_text_is_printed_not_interpreted(tmp_path, write):
    result = build([_hostile_csv(write)], tmp_path / "out", Config(), ["md", "docx"])
    md = (tmp_path / "out" / "executive-summary.md").read_text()
    assert "49" not in md.split("## Annex")[0].replace("[^", "")  # {{ 7*7 }} never evaluated
    assert "\\{\\{ 7\\*7 \\}\\}" in md
    texts = [f.text for s in result.summary.sections for f in s.findings]
    assert "{{ 7*7 }} and {% for x in y %}loop{% endfor %}" in texts
    if shutil.which("pandoc"):
        ast = json.loads(subprocess.run(["pandoc", "-f", "markdown", "-t", "json"], input=md,
                                        capture_output=True, text=True, check=True).stdout)
        kinds = {"RawBlock", "RawInline", "Link", "Image", "Math", "Cite", "Emph", "Strikeout",
                 "BulletList", "OrderedList", "Div", "Table", "Code", "CodeBlock"}
        found = {n["t"] for n in _walk(ast["blocks"], kinds)}
        # Our own structure has a table, bullet lists, the chart image, emphasis for quote
        # attributions; nothing else may appear, and none of it from the hostile text.
        assert found <= {"Table", "BulletList", "Image", "Emph"}
        images = _walk(ast["blocks"], {"Image"})
        assert [i["c"][2][0] for i in images] == ["executive-summary.png"]
        plain = subprocess.run(["pandoc", "-f", "markdown", "-t", "plain"], input=md,
                               capture_output=True, text=True, check=True).stdout
        assert "{{ 7*7 }}" in plain and "<script>" in plain and "@smith2020" in plain
    # In Word, the text is text: no field codes, hyperlinks or injected paragraphs.
    with zipfile.ZipFile(tmp_path / "out" / "executive-summary.docx") as z:
        body = z.read("word/document.xml").decode()
    assert "<w:hyperlink" not in body and "HYPERLINK" not in body.replace("=HYPERLINK(", "")
    assert "injected" in body and "<w:t>injected</w:t>" not in body
    assert body.count("<w:instrText") == 1  # the table of contents only


def test_xml_forbidden_characters_are_dropped_not_crashing(tmp_path, write):
    path = write("v.csv", "submission,organization,issue_area,finding\n"
                 "A,Org\x0b A,Housing,Rents\x0b rose\x01 sharply.\n")
    result = build([path], tmp_path / "out", Config(), ["docx", "md"])
    assert [p.code for p in result.problems] == ["control-character", "control-character"]
    doc = Document(str(tmp_path / "out" / "executive-summary.docx"))
    assert "Rents rose sharply." in [p.text for p in doc.paragraphs]


def test_footnotes_part_is_well_formed(tmp_path):
    from upr_summary.document import Document as Tree
    from upr_summary.document import Note, Paragraph, Run
    from upr_summary.render.docx import render_docx

    tree = Tree(blocks=[Paragraph([Run(f"Finding {i}."), Note([Run(f"S{i}; JS1")])])
                        for i in range(3)])
    path = tmp_path / "n.docx"
    path.write_bytes(render_docx(tree))
    with zipfile.ZipFile(path) as z:
        types = z.read("[Content_Types].xml").decode()
        rels = z.read("word/_rels/document.xml.rels").decode()
        part = z.read("word/footnotes.xml").decode()
        settings = z.read("word/settings.xml").decode()
        styles = z.read("word/styles.xml").decode()
    assert 'PartName="/word/footnotes.xml"' in types
    assert "wordprocessingml.footnotes+xml" in types
    assert "relationships/footnotes" in rels
    assert 'w:type="separator" w:id="-1"' in part and 'w:type="continuationSeparator" w:id="0"' in part
    assert part.count("<w:footnoteRef/>") == 3
    assert "<w:footnotePr>" in settings and settings.index("<w:footnotePr>") < settings.index("<w:compat>")
    assert 'w:styleId="FootnoteText"' in styles and 'w:styleId="FootnoteReference"' in styles
    reopened = Document(str(path))
    assert [(n.id, n.text) for n in read_footnotes(reopened)] == [
        (1, "S0; JS1"), (2, "S1; JS1"), (3, "S2; JS1")]
    # A document that already has footnotes: its notes are replaced, numbering restarts.
    again = Footnotes(reopened)
    assert again.add("X") == 1 and b"S0; JS1" not in again.blob()


def _reference_docx(path):
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(14.8), Cm(21)  # A5
    section.header.paragraphs[0].text = "Network letterhead"
    section.footer.paragraphs[0].text = "Confidential draft"
    doc.styles["Heading 1"].font.name = "Courier New"
    doc.add_paragraph("Template body text that must not appear in the report.")
    doc.save(str(path))


def test_reference_docx_gives_its_look(tmp_path, runner):
    from .conftest import SAMPLE

    ref = tmp_path / "ref.docx"
    _reference_docx(ref)
    result = runner.invoke(cli, ["build", str(SAMPLE), "-o", str(tmp_path / "o"), "-q",
                                 "--format", "docx", "--reference-docx", str(ref)])
    assert result.exit_code == 0, result.output
    doc = Document(str(tmp_path / "o" / "executive-summary.docx"))
    section = doc.sections[-1]
    assert abs(section.page_width - Cm(14.8)) < 1000 and abs(section.page_height - Cm(21)) < 1000
    assert section.header.paragraphs[0].text == "Network letterhead"
    assert section.footer.paragraphs[0].text == "Confidential draft"
    assert doc.styles["Heading 1"].font.name == "Courier New"
    assert not any("Template body text" in p.text for p in doc.paragraphs)
    assert len(read_footnotes(doc)) > 30
    # the reference's table style is its own look: no borders of ours laid over it
    assert doc.tables and all(t._tbl.tblPr.find(qn("w:tblBorders")) is None for t in doc.tables)
    bad = runner.invoke(cli, ["build", str(SAMPLE), "-o", str(tmp_path / "x"),
                              "--reference-docx", str(tmp_path / "missing.docx")])
    assert bad.exit_code == 2 and "Reference document not found" in bad.stderr
    notdocx = tmp_path / "fake.docx"
    notdocx.write_bytes(b"not a zip")
    bad = runner.invoke(cli, ["build", str(SAMPLE), "-o", str(tmp_path / "x"),
                              "--reference-docx", str(notdocx)])
    assert bad.exit_code == 2 and "reference document" in bad.stderr
    assert "Traceback" not in bad.output and not (tmp_path / "x").exists()


def test_user_templates_override_the_shipped_ones(tmp_path, runner):
    from .conftest import SAMPLE

    mine = tmp_path / "tpl"
    mine.mkdir()
    (mine / "summary.md.j2").write_text(
        "# Read {{ summary.counts.read }}\n{% for s in summary.sections %}- {{ s.title }}\n"
        "{% endfor %}")
    out = tmp_path / "o"
    result = runner.invoke(cli, ["build", str(SAMPLE), "-o", str(out), "--format", "md",
                                 "--templates", str(mine), "-q"])
    assert result.exit_code == 0, result.output
    assert (out / "executive-summary.md").read_text().startswith(
        "# Read 307\n\n- Equality and non-discrimination\n")


@pytest.mark.parametrize("body, words", [
    ("{{ summary.__class__ }}", ["not allowed", "__class__"]),
    ("{{ summary.counts.__class__.__mro__ }}", ["not allowed", "__class__"]),
    ("{{ cycler.__init__.__globals__ }}", ["not allowed", "'__init__'", "unsafe"]),
    ("{{ joiner.__init__.__globals__ }}", ["not allowed", "'__init__'", "unsafe"]),
    ("{{ lipsum.__globals__['os'] }}", ["not allowed", "'__globals__'", "unsafe"]),
    ("{{ summary.sections[0].__dict__ }}", ["not allowed", "'__dict__'", "unsafe"]),
    ("{{ ''.__class__.__subclasses__() }}", ["not allowed", "__class__"]),
    ("{% for x in summary.sections %}", ["syntax error"]),
    ("{{ summary.nope }}", ["error", "nope"]),
    ("{% include '/etc/passwd' %}", ["outside the templates folder"]),
    ("{% include '../../../../etc/passwd' %}", ["outside the templates folder",
                                                "../../../../etc/passwd"]),
    ("{{ 1/0 }}", ["error", "division"]),
])
def test_a_failing_user_template_is_refused_at_its_line(tmp_path, runner, body, words):
    """Each way a template can fail: exit 1, the template's file and line, the reason's
    own words, no traceback, nothing written."""
    from .conftest import SAMPLE

    mine = tmp_path / "tpl"
    mine.mkdir()
    (mine / "summary.md.j2").write_text("line one\n" + body + "\n")
    target = tmp_path / "bad"
    result = runner.invoke(cli, ["build", str(SAMPLE), "-o", str(target), "--format", "md",
                                 "--templates", str(mine)])
    assert result.exit_code == 1, (body, result.output)
    assert "summary.md.j2:2:" in result.stderr, (body, result.stderr)
    for word in words:
        assert word in result.stderr, (word, result.stderr)
    assert "Traceback" not in result.output and "/etc/passwd:" not in result.output
    assert "root:" not in result.output
    assert not target.exists()


def test_quotes_are_indented_block_quotes_with_their_attribution_and_footnote(tmp_path):
    """Issue 14, point 3: a quote of the compilation, in Word, in the Quote style indented
    on both sides, its words, a dash and who said them, then its footnote."""
    from docx import Document
    from docx.shared import Cm

    from upr_summary.build import build
    from upr_summary.config import load_config

    from .conftest import SAMPLE
    from .docx_reading import read_footnotes

    build([SAMPLE], tmp_path, load_config([str(SAMPLE)]), formats=["docx", "compilation"])
    doc = Document(str(tmp_path / "compilation.docx"))
    quotes = [p for p in doc.paragraphs if p.style.name == "Quote"]
    assert quotes
    style = doc.styles["Quote"].paragraph_format
    assert abs(style.left_indent - Cm(1)) < 1000 and abs(style.right_indent - Cm(1)) < 1000
    # who said it, except for a confidential submission's quote (its speaker would name it)
    build_result = build([SAMPLE], tmp_path / "again", load_config([str(SAMPLE)]), formats=["md"])
    confidential = sum(1 for s in build_result.summary.sections for q in s.quotes if not q.by)
    said = [" \u2014 " in q.text for q in quotes if q.runs]
    assert said.count(False) == confidential and said.count(True) > confidential
    assert all("footnoteReference" in q._p.xml for q in quotes)
    assert read_footnotes(doc)


def test_the_chart_is_sorted_by_size_and_at_most_half_a_page(tmp_path):
    from PIL import Image

    from upr_summary.render.chart import render_chart, shown

    rows = [{"issue_area": f"Area {i}", "findings": i % 7, "submissions": 1,
             "organizations": i % 3} for i in range(40)]
    drawn, left = shown(rows)
    counts = [r["findings"] for r in drawn]
    assert counts == sorted(counts, reverse=True) and left == 0
    png = render_chart(rows)
    (tmp_path / "c.png").write_bytes(png)
    with Image.open(tmp_path / "c.png") as im:
        assert im.size[1] / 200 * 2.54 <= 12.0   # cm at 200 dpi


def test_page_numbers_in_the_footer_unless_the_reference_has_a_footer(tmp_path):
    """Issue 14, point 1: the page number, centred in the footer, by default; a reference
    document's own footer wins."""
    from docx import Document

    from upr_summary.build import build
    from upr_summary.config import load_config

    from .conftest import SAMPLE

    build([SAMPLE], tmp_path / "a", load_config([str(SAMPLE)]), formats=["docx"])
    footer = Document(str(tmp_path / "a" / "executive-summary.docx")).sections[0].footer
    assert 'w:instr=" PAGE "' in footer._element.xml
    reference = Document()
    reference.sections[0].footer.paragraphs[0].text = "Draft for members"
    reference.save(str(tmp_path / "ref.docx"))
    build([SAMPLE], tmp_path / "b", load_config([str(SAMPLE)]), formats=["docx"],
          reference_docx=str(tmp_path / "ref.docx"))
    footer = Document(str(tmp_path / "b" / "executive-summary.docx")).sections[0].footer
    assert footer.paragraphs[0].text == "Draft for members"
    assert "PAGE" not in footer._element.xml


def test_table_widths_leave_the_names_room_and_keep_header_words_whole():
    """A column of prose (the States an annex lists) shares the width with the names
    instead of taking its longest cell whole; every header's longest word fits its column,
    in each language's header words."""
    from upr_summary.document import Run, Table
    from upr_summary.render.docx import _CELL_MARGINS, _HEADER_CHAR, _widths

    states = ", ".join(["Oristan", "Tervia", "Baltora", "Quenland", "Sarvia"] * 6)
    for header in (["Issue area", "Total", "Supported", "Noted", "States"],
                   ["Thème", "Total", "Acceptées", "Notées", "États"],
                   ["Tema", "Total", "Apoyadas", "Anotadas", "Estados"]):
        rows = [[[Run("Rights of lesbian, gay, bisexual, transgender and intersex persons")],
                 [Run("120")], [Run("80")], [Run("40")], [Run(states)]]] * 3
        table = Table([[Run(h)] for h in header], rows, ["left"] + ["right"] * 3 + ["left"])
        total = 9_000
        widths, size = _widths(table, total)
        assert sum(widths) <= total
        scale = {None: 1.0, 18: 0.82, 16: 0.73}[size]
        for word, width in zip(header, widths, strict=True):
            assert width >= int(len(word) * _HEADER_CHAR * scale) + _CELL_MARGINS, (word, widths)
        assert widths[0] >= total // 4, widths  # the names are not squeezed to a sliver


def _reference(path, change=None) -> None:
    """A reference document made from python-docx's own, its styles part changed."""
    import io

    buffer = io.BytesIO()
    Document().save(buffer)
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(path, "a") as out:
        for name in src.namelist():
            data = src.read(name)
            if name == "word/styles.xml" and change is not None:
                data = change(data)
            out.writestr(name, data)


def test_a_reference_style_without_an_id_is_given_one(tmp_path, write):
    """Hostile trial: a reference whose "Heading 1" has no w:styleId stopped the build
    (KeyError); the report's paragraphs must name styles that exist."""
    reference = tmp_path / "ref.docx"
    _reference(reference, lambda d: d.replace(b' w:styleId="Heading1"', b"", 1))
    path = write("s.csv", "submission,organization,issue_area,finding\n"
                 "HTU,Harbour Tenants Union,Housing,Rents rose.\n")
    build([path], tmp_path / "out", Config(), ["docx"], codebook="none",
          reference_docx=str(reference))
    with zipfile.ZipFile(tmp_path / "out" / "executive-summary.docx") as z:
        styles, body = z.read("word/styles.xml").decode(), z.read("word/document.xml").decode()
    import re

    ids = set(re.findall(r'w:styleId="([^"]*)"', styles))
    used = set(re.findall(r'<w:pStyle w:val="([^"]*)"', body))
    assert used and used <= ids and "None" not in ids


def test_a_reference_behind_gigabytes_is_not_read_whole(tmp_path):
    """Hostile trial: a valid Word file after 2 GiB of zeros (a sparse file, a few KB on
    disk) was read whole to know it: gigabytes of memory for a document's look."""
    import os
    import resource

    from upr_summary.render.docx import _prepared

    from .limited import in_child

    reference = tmp_path / "ref.docx"
    with open(reference, "wb") as f:
        f.truncate(2 << 30)
    _reference(reference)

    def work(fd: int) -> None:
        status = open("/proc/self/status").read()
        size = int(next(line.split()[1] for line in status.splitlines()
                        if line.startswith("VmSize:"))) * 1024
        resource.setrlimit(resource.RLIMIT_AS, (size + (768 << 20), size + (768 << 20)))
        try:
            _prepared(str(reference))
            os.write(fd, b"ok")
        except MemoryError:
            os.write(fd, b"MemoryError")

    answer, signalled, _ = in_child(work)
    assert (answer, signalled) == (b"ok", None)
