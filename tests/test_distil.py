"""Issue 12: the summary distils (concerns, key concerns, a word budget), the compilation
keeps everything, the JSON says the same as the documents."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from docx import Document

from upr_summary.build import build
from upr_summary.cli import cli
from upr_summary.config import Config, load_config, parse_config
from upr_summary.distil import DEFAULT_MAX_WORDS, body_words, concerns_of, count_words, facts
from upr_summary.load import load
from upr_summary.model import Cited
from upr_summary.privacy import neutral_codes

from .conftest import SAMPLE
from .docx_reading import read_footnotes

SCHEMA = Path(__file__).parents[1] / "src" / "upr_summary" / "schema" / "executive-summary.schema.json"
ALL = ["docx", "md", "compilation", "json"]


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    out = tmp_path_factory.mktemp("distil")
    config = load_config([str(SAMPLE)])
    result = build([SAMPLE], out, config, ALL)
    return out, result, load([SAMPLE], config)


def docx_body_words(path: Path) -> int:
    """The budget's counter, applied to the Word file as python-docx reads it back: the
    paragraphs up to the first annex heading, without the contents, captions and tables."""
    doc = Document(str(path))
    total = 0
    for p in doc.paragraphs:
        if p.style.name.startswith("Heading") and p.text.startswith("Annex"):
            break
        if p.style.name in ("Caption", "TOC Heading") or p.style.name.startswith("toc "):
            continue
        if any(child.tag.endswith("}fldSimple") or child.tag.endswith("}fldChar")
               for child in p._p.iter()):
            continue  # the contents field
        total += count_words(p.text)
    return total


def test_sample_summary_has_key_concerns_leads_and_stays_in_budget(sample):
    out, result, _ = sample
    summary = result.summary
    md = (out / "executive-summary.md").read_text(encoding="utf-8")
    assert "## Key concerns" in md
    assert 3 <= len(summary.key_concerns) <= 10
    for n, concern in enumerate(summary.key_concerns, 1):
        assert concern.key == n and concern.organizations >= 2 and concern.in_summary
        assert f"**{n}\\. " in md
    # ranked by breadth
    orgs = [c.organizations for c in summary.key_concerns]
    assert orgs == sorted(orgs, reverse=True)
    for section in summary.sections:
        ranks = [(c.organizations, len(c.sources)) for c in section.concerns]
        assert ranks == sorted(ranks, reverse=True)
        assert "raised this theme" in md.split(f"## {section.title}\n", 1)[1][:200]
        if section.concerns:
            assert section.concerns[0].in_summary  # every theme keeps its top concern
    budget = summary.budget
    assert budget.max_words == DEFAULT_MAX_WORDS
    assert budget.minimum <= budget.words <= budget.max_words
    assert body_words(result.document) == budget.words
    # Read back by python-docx, the body has the same number of words.
    assert docx_body_words(out / "executive-summary.docx") == budget.words


def test_every_contributing_submission_is_cited_in_the_summary(sample):
    out, result, data = sample
    published = neutral_codes(data.submissions.values())
    contributing = {published[f.submission] for f in data.counted if f.issue_areas}
    notes = read_footnotes(Document(str(out / "executive-summary.docx")))
    cited = {code for note in notes for code in re.split(r"; (?:also raised by )?", note.text)}
    assert contributing <= cited
    assert result.summary.budget.uncited == []


def test_each_concern_cites_the_union_of_its_findings_and_no_finding_is_lost(sample):
    out, result, data = sample
    published = neutral_codes(data.submissions.values())
    by_id = {f.id: f for f in data.findings}
    seen: list[int] = []
    for section in result.summary.sections:
        for c in section.concerns:
            ids = c.finding_ids
            seen += ids
            assert set(c.sources) == {published[by_id[i].submission] for i in ids}
            assert set(c.stated_by) <= set(c.sources)
            assert c.text == c.findings[0].text
            for f in c.facts:
                assert f in c.findings[1:]
    included = [f.id for f in data.counted if f.issue_areas]
    assert sorted(seen) == sorted(included)  # each finding in exactly one concern
    compilation = (out / "compilation.md").read_text(encoding="utf-8")
    for section in result.summary.sections:
        for c in section.concerns:
            for f in c.findings:
                assert result.document.words(f.text).replace("*", "\\*")[:60] in compilation
    assert "305 in the compilation as" in compilation


def test_compilation_docx_cites_every_finding(sample):
    out, result, _ = sample
    notes = read_footnotes(Document(str(out / "compilation.docx")))
    distinct = sum(len(c.findings) for s in result.summary.sections for c in s.concerns)
    recommendations = sum(len(c.recommendations) for s in result.summary.sections
                          for c in s.concerns)
    quotes = sum(len(c.quotes) for s in result.summary.sections for c in s.concerns)
    assert len(notes) == distinct + recommendations + quotes


def test_json_follows_its_schema_and_agrees_with_the_documents(sample):
    jsonschema = pytest.importorskip("jsonschema")
    out, result, _ = sample
    data = json.loads((out / "executive-summary.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, json.loads(SCHEMA.read_text(encoding="utf-8")))
    md = (out / "executive-summary.md").read_text(encoding="utf-8")
    docx_text = "\n".join(p.text for p in Document(str(out / "executive-summary.docx")).paragraphs)
    assert [t["title"] for t in data["themes"]] == [s.title for s in result.summary.sections]
    by_number = {c["number"]: c for t in data["themes"] for c in t["concerns"]}
    for theme in data["themes"]:
        for number in theme["in_summary"]:
            concern = by_number[number]
            assert concern["in_summary"]
            words = result.document.words(concern["text"])
            assert words in docx_text
            assert words.replace("*", "\\*") in md
    keys = [by_number[n] for n in data["key_concerns"]]
    assert [k["key_concern"] for k in keys] == list(range(1, len(keys) + 1))
    assert data["budget"]["words"] == result.summary.budget.words
    r = data["reconciliation"]
    assert (r["read"], r["in_compilation"], r["excluded"]) == (307, 305, {"untagged": 2})
    assert f"{r['concerns_in_summary']} concerns in the summary ({r['words']:,} words)" in md
    # Every finding's origin is its published code and row, never a file name.
    for c in by_number.values():
        for f in c["findings"]:
            for ref in f["from"]:
                assert set(ref) <= {"submission", "row", "id"} and isinstance(ref["row"], int)
    assert ".csv" not in json.dumps(data) and ".xlsx" not in json.dumps(data)


def test_budget_below_minimum_is_refused_before_anything_is_written(runner, tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(cli, ["build", str(SAMPLE), "-o", str(out), "--max-words", "300"])
    assert result.exit_code == 2, result.output
    minimum = int(re.search(r"at least ([\d,]+)", result.output).group(1).replace(",", ""))
    assert minimum > 300
    assert not out.exists() or not any(out.iterdir())
    ok = runner.invoke(cli, ["build", str(SAMPLE), "-o", str(out), "--max-words", str(minimum),
                             "--format", "md,compilation,json"])
    assert ok.exit_code == 0, ok.output
    data = json.loads((out / "executive-summary.json").read_text(encoding="utf-8"))
    assert data["budget"]["words"] <= minimum and data["budget"]["minimum"] == minimum
    # every theme with findings still has its top concern
    assert all(t["in_summary"][:1] == [t["concerns"][0]["number"]] for t in data["themes"]
               if t["concerns"])


def test_a_larger_budget_states_more_and_stays_within_it(tmp_path):
    config = load_config([str(SAMPLE)])
    small = build([SAMPLE], tmp_path / "a", config, ["md"]).summary
    config.max_words = 4000
    large = build([SAMPLE], tmp_path / "b", config, ["md"]).summary
    assert small.counts.concerns_shown < large.counts.concerns_shown
    assert large.budget.words <= 4000 and large.budget.max_words == 4000


def test_max_words_and_themes_in_the_project_file():
    cfg = parse_config("max_words: 3,000\nthemes: [Housing, Health]\nexclude_themes: COVID-19\n")
    assert (cfg.max_words, cfg.themes, cfg.exclude_themes) == (3000, ["Housing", "Health"],
                                                             ["COVID-19"])
    from upr_summary.errors import ConfigError

    for bad in ("max_words: lots\n", "max_words: -5\n", "max_words: 0\n", "themes: {a: b}\n"):
        with pytest.raises(ConfigError):
            parse_config(bad)


def test_themes_choose_what_is_in_the_report(runner, tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(cli, ["build", str(SAMPLE), "-o", str(out), "--format", "json",
                                 "--themes", "housing, Health"])
    assert result.exit_code == 0, result.output
    data = json.loads((out / "executive-summary.json").read_text(encoding="utf-8"))
    assert [t["title"] for t in data["themes"]] == ["Housing", "Health"]
    assert data["reconciliation"]["excluded"]["theme"] > 0
    result = runner.invoke(cli, ["build", str(SAMPLE), "-o", str(out), "--format", "json",
                                 "--exclude-themes", "Housing"])
    assert result.exit_code == 0, result.output
    data = json.loads((out / "executive-summary.json").read_text(encoding="utf-8"))
    assert "Housing" not in [t["title"] for t in data["themes"]]
    result = runner.invoke(cli, ["build", str(SAMPLE), "-o", str(out), "--themes", "Housng"])
    assert result.exit_code == 2 and "Housng" in result.output


def test_format_can_leave_the_compilation_out(tmp_path):
    config = load_config([str(SAMPLE)])
    written = build([SAMPLE], tmp_path, config, ["md", "docx"]).written
    assert sorted(Path(p).name for p in written) == [
        "executive-summary.docx", "executive-summary.md", "executive-summary.png"]
    written = build([SAMPLE], tmp_path / "c", config, ["md", "compilation"]).written
    assert "compilation.md" in [Path(p).name for p in written]
    assert "compilation.docx" not in [Path(p).name for p in written]


# -- the concern's stated sentence ----------------------------------------------------------
def _concern(texts_sources: list[tuple[str, tuple[str, ...]]]):
    merged = [Cited(t, s, (i,)) for i, (t, s) in enumerate(texts_sources)]
    return concerns_of(merged, [list(range(len(merged)))], [0],
                       lambda ids: len(list(ids)), lambda codes: tuple(sorted(codes)), "T")[0]


def test_a_concern_is_stated_by_a_sentence_every_source_can_stand_behind():
    c = _concern([("Evictions rose to 19,800 in 2024 in Granton.", ("A",)),
                  ("Evictions for rent arrears keep rising.", ("B", "C")),
                  ("Evictions rose by 12 per cent last year.", ("D",))])
    assert c.text == "Evictions for rent arrears keep rising."
    assert c.sources == ("A", "B", "C", "D") and c.also_by == ("A", "D")
    assert c.stated_by == ("B", "C")
    # its other findings' facts follow, each cited to its own source
    assert [f.sources for f in c.facts] == [("A",), ("D",)]


def test_where_every_sentence_has_its_own_facts_the_footnote_says_who_gave_it():
    c = _concern([("Evictions rose to 19,800 in 2024.", ("A",)),
                  ("Evictions rose by 12 per cent in Granton.", ("B",))])
    assert c.stated_by == ("A",) and c.also_by == ("B",)
    from upr_summary.document import concern_citation

    assert concern_citation(c, "also raised by") == "A; also raised by B"


def test_facts_are_figures_and_names_inside_a_sentence():
    assert facts("Police in Eastmere detained 38 people in March 2024.") == frozenset(
        {"eastmere", "38", "march", "2024"})
    assert facts("Police detained people.") == frozenset()
    assert count_words("Rents rose by 38 per cent in 2,025 flats (JS3's figure).") == 11


def test_json_names_each_finding_by_code_row_and_the_inputs_own_id(tmp_path, write):
    path = write("s.csv", "submission,organization,issue_area,finding,Finding ID,confidential\n"
                 "A,Open Door,Housing,Rents rose by 30 per cent.,F-001,no\n"
                 "RDC,Rainbow Defenders,Housing,Evictions of Rainbow Defenders staff.,"
                 "F-002 ask x@y.org,yes\n")
    build([path], tmp_path / "o", Config(), ["json"], codebook="none")
    text = (tmp_path / "o" / "executive-summary.json").read_text(encoding="utf-8")
    data = json.loads(text)
    refs = sorted((r["submission"], r["row"], r.get("id")) for t in data["themes"]
                  for c in t["concerns"] for f in c["findings"] for r in f["from"])
    assert refs == [("A", 2, "F-001"), ("C1", 3, "F-002 ask [e-mail withheld]")]
    assert "Rainbow" not in text and "RDC" not in text and "x@y.org" not in text
    assert "\ue002" not in text and "\ue003" not in text and "s.csv" not in text


def test_theme_options_that_leave_nothing_are_mistakes(runner, tmp_path):
    for args in (["--themes", ","], ["--themes", ""], ["--exclude-themes", " , "],
                 ["--themes", "Housing", "--exclude-themes", "housing"]):
        result = runner.invoke(cli, ["build", str(SAMPLE), "-o", str(tmp_path / "o"), *args])
        assert result.exit_code == 2, (args, result.output)
        assert not (tmp_path / "o").exists()


def test_opposite_claims_are_never_one_finding_nor_one_concern(tmp_path, write):
    path = write("s.csv", "submission,organization,issue_area,finding\n"
                 "AAA,Alder Advocacy,Death penalty,The government announced in its 2024 plan that "
                 "the death penalty will be abolished for all crimes including terrorism.\n"
                 "BBB,Birch Rights,Death penalty,The government announced in its 2024 plan that "
                 "the death penalty will be reinstated for all crimes including terrorism.\n"
                 "CCC,Cedar Centre,Housing,Evictions of tenants in Lowmere rose sharply in 2024 "
                 "after the moratorium expired.\n"
                 "DDD,Dune Defenders,Housing,Evictions of tenants in Lowmere fell sharply in 2024 "
                 "after the moratorium expired.\n"
                 "EEE,Elm Watch,Health,Waiting lists for children exceed 18 months in the north.\n"
                 "FFF,Fir Trust,Health,Waiting lists for children exceed 18 months in the south.\n"
                 "GGG,Gorse Group,Housing,**\n"
                 "HHH,Heath House,Housing,!!!???\n")
    result = build([path], tmp_path / "o", Config(), ["json", "compilation", "md"],
                   codebook="none")
    for section in result.summary.sections:
        for concern in section.concerns:
            if section.title == "Health":  # one concern (waiting lists), two places: each
                # sentence cited to its own submission, the other one "also raised by"
                assert len(concern.stated_by) == 1
                assert [f.text for f in concern.facts] != []
                continue
            assert len(concern.sources) == 1, (concern.text, concern.sources)
    compilation = (tmp_path / "o" / "compilation.md").read_text(encoding="utf-8")
    for word in ("abolished", "reinstated", "rose", "fell", "north", "south"):
        assert word in compilation


@pytest.mark.parametrize(("given", "code"), [("2,200", 0), ("2 200", 0), ("0", 2), ("-5", 2),
                                             ("1e9", 2), ("abc", 2), ("9999999999", 2)])
def test_max_words_is_read_as_people_write_numbers(runner, tmp_path, given, code):
    result = runner.invoke(cli, ["build", str(SAMPLE), "-o", str(tmp_path / "o"), "--format",
                                 "json", "-q", "--max-words", given])
    assert result.exit_code == code, result.output
