"""One document, written once: the Word and Markdown reports say the same thing, every
word of them comes from the templates, and an edited template changes both."""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document

from upr_summary.build import build
from upr_summary.compose import MAIN_TEMPLATE, compose
from upr_summary.config import load_config
from upr_summary.document import (
    Blocks,
    BulletList,
    Heading,
    Note,
    Paragraph,
    Table,
    Values,
    parse,
    plain,
)
from upr_summary.render.templating import PACKAGE_TEMPLATES, TemplateError

from .conftest import SAMPLE
from .docx_reading import read_footnotes

CATALOGUE = Path("locale") / "en" / "LC_MESSAGES" / "messages.po"
needs_pandoc = pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is not installed")


def _space(text: str) -> str:
    return " ".join(text.split())


# --- what the Word file and the Markdown say, read back by real readers ------------------------

def _docx_reading(path: Path) -> tuple[list[str], list[str], list[list[str]], list[str]]:
    """(headings, other paragraphs, table rows, footnotes) of a DOCX, in order, as Word
    shows them (the contents list left out: a Markdown reader makes its own)."""
    doc = Document(str(path))
    headings, paragraphs = [], []
    for p in doc.paragraphs:
        style = p.style.name
        if style.startswith("toc") or style == "TOC Heading" or not p.text.strip():
            continue
        (headings if style.startswith("Heading") or style == "Title" else paragraphs).append(
            _space(p.text))
    rows = [[_space(c.text) for c in row.cells] for t in doc.tables for row in t.rows]
    return headings, paragraphs, rows, [_space(n.text) for n in read_footnotes(doc)]


def _pandoc_text(inlines: list) -> str:
    out = []
    for node in inlines:
        kind = node["t"]
        if kind == "Str":
            out.append(node["c"])
        elif kind in ("Space", "SoftBreak", "LineBreak"):
            out.append(" ")
        elif kind in ("Emph", "Strong", "Underline", "SmallCaps", "Strikeout"):
            out.append(_pandoc_text(node["c"]))
        elif kind == "Quoted":
            out.append(_pandoc_text(node["c"][1]))
        elif kind == "Span":
            out.append(_pandoc_text(node["c"][1]))
        elif kind == "Image":
            out.append(_pandoc_text(node["c"][1]))
        elif kind == "Code":
            out.append(node["c"][1])
    return "".join(out)


def _md_reading(path: Path) -> tuple[list[str], list[str], list[list[str]], list[str]]:
    ast = json.loads(subprocess.run(["pandoc", "-f", "gfm", "-t", "json", str(path)],
                                    capture_output=True, text=True, check=True).stdout)
    headings: list[str] = []
    paragraphs: list[str] = []
    rows: list[list[str]] = []
    notes: list[str] = []

    def collect_notes(node):
        if isinstance(node, dict):
            if node.get("t") == "Note":
                notes.append(_space(" ".join(_pandoc_text(b["c"]) for b in node["c"])))
                return
            for value in node.values():
                collect_notes(value)
        elif isinstance(node, list):
            for value in node:
                collect_notes(value)

    def cell_text(cell) -> str:
        return _space(" ".join(_pandoc_text(b["c"]) for b in cell[4]))

    def walk(blocks):
        for block in blocks:
            kind = block["t"]
            if kind == "Header":
                headings.append(_space(_pandoc_text(block["c"][2])))
                collect_notes(block)
            elif kind in ("Para", "Plain"):
                text = _space(_pandoc_text(block["c"]))
                if text:
                    paragraphs.append(text)
                collect_notes(block)
            elif kind == "Figure":  # pandoc >= 3: a picture alone is a figure
                walk(block["c"][2])
            elif kind in ("BulletList", "OrderedList"):
                for item in block["c"] if kind == "BulletList" else block["c"][1]:
                    walk(item)
            elif kind in ("BlockQuote", "Div"):
                walk(block["c"] if kind == "BlockQuote" else block["c"][1])
            elif kind == "Table":
                head, bodies = block["c"][3], block["c"][4]
                for row in head[1]:
                    rows.append([cell_text(c) for c in row[1]])
                for body in bodies:
                    for row in body[3]:
                        rows.append([cell_text(c) for c in row[1]])
                collect_notes(block)

    walk(ast["blocks"])
    return headings, paragraphs, rows, notes


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    result = build([SAMPLE], out, load_config([str(SAMPLE)]))
    return out, result


@needs_pandoc
def test_word_and_markdown_say_the_same_thing(sample):
    out, result = sample
    word = _docx_reading(out / "executive-summary.docx")
    markdown = _md_reading(out / "executive-summary.md")
    for name, a, b in zip(("headings", "paragraphs", "table rows", "footnotes"), word, markdown):
        assert a == b, name
    headings, paragraphs, rows, notes = word
    assert len(headings) > 40 and len(paragraphs) > 100 and len(rows) > 30
    assert len(notes) == len(result.document.footnotes()) > 30
    assert "About this summary" in headings and "What this summary covers" in headings
    # The compilation, too, says the same in both.
    word = _docx_reading(out / "compilation.docx")
    markdown = _md_reading(out / "compilation.md")
    for name, a, b in zip(("headings", "paragraphs", "table rows", "footnotes"), word, markdown):
        assert a == b, f"compilation {name}"
    assert len(word[3]) > 250


def test_the_tree_has_every_kind_of_node(sample):
    _, result = sample
    from upr_summary.compose import COMPILATION_TEMPLATE, compose

    compilation = compose(result.summary, None, "en", COMPILATION_TEMPLATE)
    kinds = {type(b).__name__ for b in result.document.blocks + compilation.blocks}
    assert kinds == {"Heading", "Paragraph", "BulletList", "Quote", "Table", "Figure",
                     "Contents"}
    assert result.document.meta["keywords"].startswith("Universal Periodic Review")


# --- an edited template changes both reports ------------------------------------------------

def _copy_templates(folder: Path) -> Path:
    shutil.copytree(PACKAGE_TEMPLATES, folder)
    return folder


def _reports(out: Path) -> tuple[str, str]:
    doc = Document(str(out / "executive-summary.docx"))
    word = "\n".join(p.text for p in doc.paragraphs)
    return word, (out / "executive-summary.md").read_text(encoding="utf-8")


def test_an_edited_template_changes_the_word_file_and_the_markdown(tmp_path):
    mine = _copy_templates(tmp_path / "templates")
    main = mine / MAIN_TEMPLATE
    main.write_text(main.read_text().replace('_("About this summary")', '_("How we worked")'))
    words = mine / "sentences.j2"
    text = words.read_text()
    assert text.count("This summary distils") == 2
    words.write_text(text.replace("This summary distils", "Our network brought together"))
    build([SAMPLE], tmp_path / "out", load_config([str(SAMPLE)]), templates=str(mine))
    for report in _reports(tmp_path / "out"):
        assert "How we worked" in report and "About this summary" not in report
        assert "Our network brought together 305 findings from 66 submissions" in report
        assert "This summary distils" not in report


def test_a_template_without_the_sentences_file_falls_back_to_the_shipped_one(tmp_path):
    mine = tmp_path / "templates"
    mine.mkdir()
    (mine / MAIN_TEMPLATE).write_text(
        (PACKAGE_TEMPLATES / MAIN_TEMPLATE).read_text().replace('_("At a glance")', '_("Overview")'))
    build([SAMPLE], tmp_path / "out", load_config([str(SAMPLE)]), templates=str(mine))
    for report in _reports(tmp_path / "out"):
        assert "Overview" in report and "This summary distils" in report


# --- every word of the report comes from the catalogue ------------------------------------

def _pseudo_catalogue(folder: Path) -> None:
    """The English catalogue with every message wrapped in brackets."""
    from babel.messages.pofile import read_po, write_po

    with open(PACKAGE_TEMPLATES / CATALOGUE, "rb") as fh:
        catalog = read_po(fh, locale="en")
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            message.string = tuple(f"\u27e6{form}\u27e7" for form in message.id)
        else:
            message.string = f"\u27e6{message.id}\u27e7"
    target = folder / CATALOGUE
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "wb") as fh:
        write_po(fh, catalog)


def _data_strings(summary, document) -> list[str]:
    """Every text the summary holds: the data, never the report's own words."""
    found: set[str] = set()

    def walk(value):
        if isinstance(value, str):
            if value.strip():
                found.add(_space(document.words(value)))
        elif dataclasses.is_dataclass(value):
            for f in dataclasses.fields(value):
                walk(getattr(value, f.name))
        elif isinstance(value, dict):
            for k, v in value.items():
                walk(k)
                walk(v)
        elif isinstance(value, (list, tuple)):
            for v in value:
                walk(v)

    walk(summary)
    # the date, as Babel writes it in the report's language (its month names are Babel's)
    from upr_summary.i18n import long_date

    if summary.date:
        found.add(long_date(summary.date))
    return sorted(found, key=len, reverse=True)


_MARKED = re.compile("\u27e6[^\u27e6\u27e7]*\u27e7")
_LETTER = re.compile(r"[^\W\d_]")


def _unmarked(text: str, data: list[str]) -> str:
    text = _space(text)
    while True:
        stripped = _MARKED.sub(" ", text)
        if stripped == text:
            break
        text = stripped
    for value in data:
        if value in text:
            text = text.replace(value, " ")
    return text if _LETTER.search(text) else ""


def test_every_word_of_the_report_comes_from_the_catalogue(tmp_path):
    mine = tmp_path / "templates"
    mine.mkdir()
    _pseudo_catalogue(mine)
    result = build([SAMPLE], tmp_path / "out", load_config([str(SAMPLE)]), templates=str(mine))
    data = _data_strings(result.summary, result.document)
    doc = Document(str(tmp_path / "out" / "executive-summary.docx"))
    texts = [p.text for p in doc.paragraphs]
    texts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
    texts += [n.text for n in read_footnotes(doc)]
    props = doc.core_properties
    texts += [props.keywords, props.comments]
    left = [(t, u) for t in texts if (u := _unmarked(t, data))]
    assert not left, left[:10]
    assert any("\u27e6" in t for t in texts)
    md = (tmp_path / "out" / "executive-summary.md").read_text(encoding="utf-8")
    # The Markdown, less its escapes, its markup and its footnote marks.
    lines = [re.sub(r"\\(.)", r"\1", line) for line in md.splitlines()]
    lines = [re.sub(r"\[\^\d+\]:?|^#+ |^[-*>] |\*\*|\*|\||---:?|!\[|\]\([^)]*\)", " ", line)
             for line in lines]
    left = [(t, u) for t in lines if (u := _unmarked(t, data))]
    assert not left, left[:10]
    # The chart's legend and the withheld marks come from the catalogue too.
    assert result.document.meta["chart-findings"] == "\u27e6Findings\u27e7"
    assert result.document.meta["withheld-name"] == "\u27e6[name withheld]\u27e7"


def test_the_english_catalogue_holds_every_message_of_the_templates():
    root = Path(__file__).resolve().parent.parent
    script = root / "tools" / "extract_messages.py"
    if not script.exists():
        pytest.skip("tools/ is not part of this installation")
    pytest.importorskip("babel")
    result = subprocess.run([sys.executable, str(script), "--check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


# --- the markup -----------------------------------------------------------------------------

def _doc(markup: str, *values):
    table = Values("t")
    for value in values:
        table.add(value)
    return parse(markup, table)


def test_printed_values_are_text_whatever_they_hold():
    hostile = "# not a heading **not bold** ^[not a note] | not | a table |\n\n- no list"
    doc = _doc("\ue000t:0\ue001\n", hostile)
    assert len(doc.blocks) == 1 and isinstance(doc.blocks[0], Paragraph)
    assert plain(doc.blocks[0].content) == hostile
    # A submission cannot forge a token: it does not know the render's random key.
    doc = _doc("x \ue000t:0\ue001\n", "\ue0001\ue001 and \ue000other:1\ue001", "SECRET")
    assert "SECRET" not in plain(doc.blocks[0].content)


def test_markup_the_template_writes():
    doc = _doc("---\ntitle: T\n---\n# Title\n\n## Part {.new-page}\n\nSome **bold** and "
               "*italic*.^[JS1; JS2]\n\n- one\n- two^[X]\n\n> said\n\n| A | B |\n| --- | ---: |"
               "\n| a | 1 |\n\n![cap](chart)\n\n::: contents\nContents\n:::\n")
    kinds = [type(b).__name__ for b in doc.blocks]
    assert kinds == ["Heading", "Heading", "Paragraph", "BulletList", "Quote", "Table",
                     "Figure", "Contents"]
    assert doc.meta == {"title": "T"}
    part = doc.blocks[1]
    assert isinstance(part, Heading) and part.level == 2 and part.new_page
    para = doc.blocks[2].content
    assert [(r.text, r.bold, r.italic) for r in para[:4]] == [
        ("Some ", False, False), ("bold", True, False), (" and ", False, False),
        ("italic", False, True)]
    assert isinstance(para[-1], Note) and plain(para[-1].content) == "JS1; JS2"
    assert isinstance(doc.blocks[3], BulletList) and len(doc.blocks[3].items) == 2
    assert isinstance(doc.blocks[5], Table) and doc.blocks[5].align == ["left", "right"]
    assert doc.footnotes() == ["JS1; JS2", "X"]


@pytest.mark.parametrize("markup, words", [
    ("::: nothing\nx\n:::\n", "unknown block"),
    ("::: subtitle\nx\n", "never closed"),
    (":::\n", "closes nothing"),
    ("## x {.shiny}\n", "unknown heading class"),
    ("---\ntitle: x\n", "never ends"),
    ("| a | b |\n| --- |\n", "rule line"),
    ("text \ue000t:0\ue001\n", "line of its own"),
])
def test_markup_mistakes_are_clear_errors(markup, words):
    from upr_summary.document import DocumentError

    with pytest.raises(DocumentError, match=words):
        _doc(markup, Blocks())


def test_a_template_mistake_in_the_markup_names_the_template(tmp_path):
    from upr_summary.config import Config
    from upr_summary.load import load
    from upr_summary.summarize import summarize

    mine = tmp_path / "templates"
    mine.mkdir()
    (mine / MAIN_TEMPLATE).write_text("# {{ summary.counts.read }}\n\n::: boxed\nx\n:::\n")
    with pytest.raises(TemplateError, match=f"{MAIN_TEMPLATE}.*unknown block"):
        compose(summarize(load([SAMPLE]), Config()), mine)


def test_an_unknown_language_or_a_broken_catalogue_is_a_clear_error(tmp_path):
    from upr_summary.compose import translations

    with pytest.raises(TemplateError, match="No message catalogue"):
        translations("xx", tmp_path)
    with pytest.raises(TemplateError, match="not a language code"):
        translations("../../etc", tmp_path)
    bad = tmp_path / "locale" / "zz" / "LC_MESSAGES" / "messages.po"
    bad.parent.mkdir(parents=True)
    for data, words in ((b'msgid "a"\nmsgid "b"\n', "cannot be read"),
                        (b"\xff\xfe\x00garbage", "not UTF-8"),
                        (b'msgid "%(n)s found"\nmsgstr "%(m)s found"\n', "placeholders")):
        bad.write_bytes(data)
        with pytest.raises(TemplateError, match=words):
            translations("zz", tmp_path)
    bad.write_bytes(b"#" * (11 * 2**20))
    with pytest.raises(TemplateError, match="catalogue-too-large"):
        translations("zz", tmp_path)


def test_a_translator_s_missing_quote_stops_the_build(tmp_path):
    from upr_summary.compose import translations

    target = tmp_path / CATALOGUE
    target.parent.mkdir(parents=True)
    text = (PACKAGE_TEMPLATES / CATALOGUE).read_text(encoding="utf-8")
    broken = text.replace('msgid "About this summary"\nmsgstr ""',
                          'msgid "About this summary"\nmsgstr "About us')
    assert broken != text
    target.write_text(broken, encoding="utf-8")
    with pytest.raises(TemplateError, match=r"messages.po:\d+: the text on this line"):
        translations("en", tmp_path)


def test_a_misspelt_name_gets_a_suggestion(tmp_path):
    from upr_summary.config import Config
    from upr_summary.load import load
    from upr_summary.summarize import summarize

    mine = tmp_path / "templates"
    mine.mkdir()
    (mine / MAIN_TEMPLATE).write_text("# {{ summary.cuonts.read }}\n")
    with pytest.raises(TemplateError, match="Did you mean 'counts'"):
        compose(summarize(load([SAMPLE]), Config()), mine)
    (mine / MAIN_TEMPLATE).write_text("# x\n\n::: contents\nContents\n\n## About\n")
    with pytest.raises(TemplateError, match="is its closing ':::' missing"):
        compose(summarize(load([SAMPLE]), Config()), mine)


def _catalogue_with(tmp_path, old: str, new: str) -> Path:
    target = tmp_path / CATALOGUE
    target.parent.mkdir(parents=True, exist_ok=True)
    text = (PACKAGE_TEMPLATES / CATALOGUE).read_text(encoding="utf-8")
    assert old in text
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    return target


@pytest.mark.parametrize("old, new, words", [
    ("plural=(n != 1)", "plural=(n != 1 ? 0 : )", "Plural-Forms"),
    ("nplurals=2", "nplurals=1000000000", "catalogue-too-large"),
    ('msgid "About this summary"\nmsgstr ""', 'msgid "About this summary"\nmsgstr "100 % sure"',
     "write a % sign as %%"),
    ('msgid "%(num)s finding read"', 'msgid "%(num)999999999s finding read"', "write a % sign"),
])
def test_hostile_catalogues_are_refused_clearly(tmp_path, old, new, words):
    from upr_summary.compose import translations

    _catalogue_with(tmp_path, old, new)
    with pytest.raises(TemplateError, match=re.escape(words)):
        translations("en", tmp_path)


@pytest.mark.parametrize("kind", ["link", "folder", "fifo"])
def test_a_catalogue_that_is_not_a_plain_file_is_an_error(tmp_path, kind):
    import os

    from upr_summary.compose import translations

    target = tmp_path / CATALOGUE
    target.parent.mkdir(parents=True)
    if kind == "link":
        (tmp_path / "elsewhere.po").write_bytes((PACKAGE_TEMPLATES / CATALOGUE).read_bytes())
        target.symlink_to(tmp_path / "elsewhere.po")
    elif kind == "folder":
        target.mkdir()
    else:
        os.mkfifo(target)
    with pytest.raises(TemplateError, match="must be a plain file"):
        translations("en", tmp_path)


def test_spaces_in_a_heading_cost_no_time():
    import time

    start = time.process_time()
    doc = _doc("## a" + " " * 300_000 + "b {.unlisted}\n")
    assert time.process_time() - start < 5  # quadratic backtracking took minutes
    assert isinstance(doc.blocks[0], Heading) and not doc.blocks[0].listed


def test_a_template_that_prints_a_million_lines_is_stopped():
    from upr_summary.document import DocumentError

    with pytest.raises(DocumentError, match="template-output-too-large"):
        _doc("## h\n" * 600_000)


def test_withheld_words_apply_in_the_front_matter_too():
    doc = _doc("---\ntitle: \ue000t:0\ue001\nwithheld-name: [name withheld]\n---\n# x\n",
               "Report of \ue002")
    assert doc.meta["title"] == "Report of [name withheld]"


def test_reserved_and_surrogate_characters_never_reach_the_report(tmp_path, write):
    path = write("s.csv", "submission,organization,issue_area,finding\n"
                 "HTU,Harbour Tenants Union,Housing \ue000,Rents \ue002 rose \ue000k:0\ue001.\n")
    result = build([path], tmp_path / "out", load_config([path]), ["md", "docx"])
    md = (tmp_path / "out" / "executive-summary.md").read_text(encoding="utf-8")
    assert not re.search("[\ue000-\ue00f]", md) and "withheld" not in md
    assert result.problems and {p.code for p in result.problems} >= {"control-character"}


def test_a_footnote_in_a_table_cell_is_in_both_formats(tmp_path):
    from upr_summary.render.docx import render_docx
    from upr_summary.render.markdown import render_markdown

    doc = _doc("| Area | N |\n| --- | ---: |\n| **Housing**^[JS1] | 3 |\n\nAfter.^[HTU]\n")
    path = tmp_path / "t.docx"
    path.write_bytes(render_docx(doc))
    word = Document(str(path))
    assert [n.text for n in read_footnotes(word)] == ["JS1", "HTU"] == doc.footnotes()
    cell = word.tables[0].rows[1].cells[0].paragraphs[0]
    assert cell.text == "Housing" and cell.runs[0].bold
    md = render_markdown(doc)
    assert "| **Housing**[^1] | 3 |" in md and "[^1]: JS1" in md and "[^2]: HTU" in md
