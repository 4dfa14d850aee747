"""Bounded fuzzing (hypothesis) of every loader and of the Markdown escaping. The property
each test checks, asserted explicitly: the loader returns records (each located in the
file it read) and problems whose codes the catalogue declares, and raises nothing but our
own errors (an exception of another kind fails the test as it propagates); the escaping
prints text as text. About 30 s in all."""

from __future__ import annotations

import io
import json
import random
import shutil
import subprocess

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from upr_summary.codebook import from_qdc, from_yaml
from upr_summary.compose import environment
from upr_summary.config import Config, parse_config
from upr_summary.document import Values, plain
from upr_summary.document import parse as parse_document
from upr_summary.errors import UprSummaryError
from upr_summary.load.csvfile import read_csv
from upr_summary.load.xlsxfile import read_xlsx
from upr_summary.load.yamlfile import read_yaml
from upr_summary.problems import CATALOGUE
from upr_summary.recommendations import load_recommendations
from upr_summary.render.markdown import md_escape

FAST = settings(max_examples=1500, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
SLOW = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

CSV_ALPHABET = "abcXYZ ,;\t|\"'\r\n=+-@#<>{}[]*_\\é€🏠\x00\x0b\x85\ufeff0123456789"
csv_text = st.text(alphabet=CSV_ALPHABET, max_size=400)


def _reported(records, problems, file: str) -> None:
    """The loader's contract: records of that file, problems of declared codes."""
    assert isinstance(records, list)
    assert all(r.location.file == file for r in records)
    assert all(p.code in CATALOGUE and p.message for p in problems), \
        [p.code for p in problems if p.code not in CATALOGUE]


header = st.sampled_from(["submission,organization,issue_area,finding\n",
                          "Code;Organisation;Theme;Key findings\r\n", ""])
YAML_ALPHABET = "abc :-[]{}&*!|>#'\"\n\t,?%@`0123456789é"


@FAST
@given(st.binary(max_size=3000))
def test_csv_loader_on_random_bytes(data):
    problems = []
    _reported(read_csv(data, "f.csv", Config(), problems), problems, "f.csv")


@FAST
@given(header, csv_text, st.sampled_from(["utf-8", "utf-16", "cp1252", "mac_roman"]))
def test_csv_loader_on_csv_like_text(head, body, encoding):
    data = (head + body).encode(encoding, errors="replace")
    problems = []
    records = read_csv(data, "f.csv", Config(), problems)
    _reported(records, problems, "f.csv")
    assert all(r.location.row >= 2 for r in records)  # the header is row 1 at least


@FAST
@given(st.text(alphabet=YAML_ALPHABET, max_size=300))
def test_yaml_loader_on_random_text(text):
    for name, data in (("f.yaml", "submission: A\n" + text), ("g.yaml", text)):
        problems = []
        _reported(read_yaml(data.encode("utf-8"), name, Config(), problems), problems, name)


@SLOW
@given(st.binary(max_size=2000))
def test_xlsx_loader_on_random_bytes(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("x") / "f.xlsx"
    path.write_bytes(data)
    problems = []
    read_xlsx(str(path), "f.xlsx", Config(), problems)
    assert problems and problems[0].code in ("unreadable-file", "empty-file")


@SLOW
@given(st.integers(min_value=0, max_value=2**32), st.integers(min_value=1, max_value=20))
def test_xlsx_loader_on_damaged_workbooks(tmp_path_factory, seed, flips):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["submission", "organization", "finding"])
    wb.active.append(["A", "Org A", "Rents rose."])
    buffer = io.BytesIO()
    wb.save(buffer)
    data = bytearray(buffer.getvalue())
    rng = random.Random(seed)
    for _ in range(flips):
        data[rng.randrange(len(data))] = rng.randrange(256)
    path = tmp_path_factory.mktemp("x") / "f.xlsx"
    path.write_bytes(bytes(data))
    problems = []
    records = read_xlsx(str(path), "f.xlsx", Config(), problems)
    _reported(records, problems, "f.xlsx")
    assert records or problems  # the finding is read, or why not is said


@FAST
@given(st.text(alphabet=YAML_ALPHABET, max_size=300))
def test_project_file_and_codebook_parsers(text):
    for parse in (parse_config, from_yaml):
        try:
            result = parse(text)
        except UprSummaryError as error:
            assert str(error)  # our own error, saying what is wrong
        else:
            assert result is not None


@FAST
@given(st.binary(max_size=1500))
def test_qdc_parser(data):
    try:
        book = from_qdc(b"<CodeBook xmlns='urn:QDA-XML:codebook:1.0'><Codes>" + data, "f.qdc")
    except UprSummaryError as error:
        assert str(error)
    else:
        assert all(t.name for t in book.themes)


@SLOW
@given(st.text(alphabet=CSV_ALPHABET, max_size=400))
def test_recommendations_loader(tmp_path_factory, body):
    path = tmp_path_factory.mktemp("r") / "r.csv"
    path.write_text("To,Text,From,Response,Action,Issue,Session\n" + body, encoding="utf-8")
    try:
        recs = load_recommendations(path, None, state="A")
    except UprSummaryError as error:
        assert str(error)
    else:
        assert all(p.code in CATALOGUE for p in recs.problems)


printable = st.text(st.characters(blacklist_categories=("Cs",)), max_size=200)


@FAST
@given(printable)
def test_markdown_escaping_prints_text_never_evaluates_it(text):
    escaped = md_escape(text)
    for i, ch in enumerate(escaped):
        if ch in "`*_{}[]<>|~^$&@#\\":
            backslashes = len(escaped[:i]) - len(escaped[:i].rstrip("\\"))
            assert backslashes % 2 == 1 or ch == "\\", (text, escaped)
    # A template that prints the text puts it in the document as text, whatever it holds
    # (but the characters U+E000-U+E00F the document keeps for its own marks, which the
    # loader removes from every value it reads: tests/test_document.py checks that).
    text = "".join(ch for ch in text if not "\ue000" <= ch <= "\ue00f")
    values = Values("k3y")
    markup = environment(values).from_string("{{ value }}").render(value=text)
    blocks = parse_document(markup, values).blocks
    if text:
        assert len(blocks) == 1 and plain(blocks[0].content) == text


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is not installed")
@settings(max_examples=100, deadline=None)
@given(printable)
def test_pandoc_reads_escaped_text_as_plain_text(text):
    escaped = md_escape(text)
    ast = json.loads(subprocess.run(["pandoc", "-f", "markdown", "-t", "json"], input=escaped,
                                    capture_output=True, text=True, check=True).stdout)
    dumped = json.dumps(ast["blocks"])
    for kind in ("RawBlock", "RawInline", "Link", "Image", "Math", "Cite", "Code", "Note",
                 "BulletList", "OrderedList", "Header", "Div", "Span", "Emph", "Strong",
                 "Strikeout", "Superscript", "Subscript", "BlockQuote", "Table"):
        assert f'"t": "{kind}"' not in dumped, (kind, text, escaped)
