"""Properties over generated submissions (hypothesis): nothing lost, every citation real,
counts agree, private data never output, builds reproducible."""

from __future__ import annotations

import csv
import io
import json
import zipfile

from docx import Document as DocxDocument
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from upr_summary.build import build
from upr_summary.config import Config
from upr_summary.distil import BudgetError, body_words
from upr_summary.load import load
from upr_summary.privacy import neutral_codes
from upr_summary.render.markdown import md_escape
from upr_summary.similar import exact_key
from upr_summary.stats import UNTAGGED, count_by_issue_area

THEMES = ["Housing", "Health", "Children", "Migrants", "Death penalty", "Food", "Tax justice",
          "housing rights", "Water & Sanitation"]
WORDS = ["rents", "rose", "evictions", "<b>", "*bold*", "[link](x)", "{{ 7*7 }}", "50%", "€",
         "Zürich", "مرحبا", "🏠", "a_b", "#1", "`code`", "$x$", "@cite", "|", "\\", "&amp;",
         "—", "per cent", "2024", "families", "police", "water", "children", "shelter"]

text = st.lists(st.sampled_from(WORDS), min_size=1, max_size=12).map(" ".join)
finding = st.tuples(text, st.lists(st.sampled_from(THEMES), max_size=3),
                    st.one_of(st.none(), text))
submission = st.tuples(
    st.lists(st.sampled_from(["Alpha", "Beta", "Gamma", "Delta", "Omega", "Sigma"]), min_size=2,
             max_size=3, unique=True).map(lambda ws: " ".join(ws) + " Collective"),
    st.booleans(),                       # joint
    st.booleans(),                       # confidential
    st.lists(finding, min_size=1, max_size=4),
)


def _write(tmp_path, subs) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["submission", "organization", "issue_area", "finding", "recommendation",
                     "contact_email", "confidential"])
    for i, (name, joint, confidential, findings) in enumerate(subs):
        code = f"JS{i}" if joint else f"ORG{i}"
        org = f"{name} {i}; Partner {i} Network" if joint else f"{name} {i}"
        for text_, areas, rec in findings:
            writer.writerow([code, org, "; ".join(areas), text_, rec or "",
                             f"contact{i}@secret{i}.example", "yes" if confidential else "no"])
    path = tmp_path / "subs.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return str(path)


def _all_text(folder) -> str:
    parts = [(folder / name).read_text(encoding="utf-8") for name in
             ("executive-summary.md", "compilation.md", "executive-summary.json")]
    for name in ("executive-summary.docx", "compilation.docx"):
        with zipfile.ZipFile(folder / name) as z:
            parts += [z.read(n).decode("utf-8") for n in z.namelist()
                      if n.endswith((".xml", ".rels"))]
    return "\n".join(parts)


FORMATS = ["md", "docx", "json", "compilation"]


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.lists(submission, min_size=1, max_size=6), st.integers(0, 400))
def test_report_properties(tmp_path_factory, subs, extra_words):
    tmp_path = tmp_path_factory.mktemp("prop")
    path = _write(tmp_path, subs)
    data = load([path], Config())
    assert data.errors == []
    # The minimum this network needs, then a budget at or above it.
    try:
        build([path], tmp_path / "probe", Config(max_words=1), FORMATS)
        minimum = 1
    except BudgetError as exc:
        minimum = exc.minimum
    budget = minimum + extra_words
    result = build([path], tmp_path / "a", Config(max_words=budget), FORMATS)
    report = result.summary
    md = (tmp_path / "a" / "executive-summary.md").read_text(encoding="utf-8")
    compilation = (tmp_path / "a" / "compilation.md").read_text(encoding="utf-8")

    # Within the budget, by the one counter.
    assert report.budget.minimum == minimum
    assert body_words(result.document) == report.budget.words <= budget

    # Every finding in exactly one concern (or excluded); a concern cites exactly the
    # submissions of its findings.
    published_codes = neutral_codes(data.submissions.values())
    by_id = {f.id: f for f in data.findings}
    in_concerns = [i for s in report.sections for c in s.concerns for i in c.finding_ids]
    assert sorted(in_concerns) == sorted(f.id for f in data.counted if f.issue_areas)
    for s in report.sections:
        for c in s.concerns:
            assert set(c.sources) == {published_codes[by_id[i].submission]
                                      for i in c.finding_ids}

    # The JSON says what the documents say.
    js = json.loads((tmp_path / "a" / "executive-summary.json").read_text(encoding="utf-8"))
    docx_text = "\n".join(p.text for p in
                          DocxDocument(str(tmp_path / "a" / "executive-summary.docx")).paragraphs)
    assert js["budget"]["words"] == report.budget.words
    numbers = [c["number"] for t in js["themes"] for c in t["concerns"]]
    assert len(numbers) == len(set(numbers)) == report.counts.concerns
    for t in js["themes"]:
        for c in t["concerns"]:
            assert c["in_summary"] == (c["number"] in t["in_summary"])
            if c["in_summary"] and not c["key_concern"]:
                words = result.document.words(c["text"])
                assert words in docx_text and md_escape(words) in md
            if c["key_concern"]:
                assert result.document.words(c["text"]) in docx_text

    # Nothing lost, each thing said once: each finding stated once, in the section of its
    # first issue area, which its other issue areas' sections point to; or in the excluded
    # list (by its submission's published code: C1, C2 ... for a confidential one).
    published = neutral_codes(data.submissions.values())
    sections = {s.title: s for s in report.sections}
    for f in data.counted:
        if not f.issue_areas:
            assert any(result.document.words(e.text) == f.text and e.submission == published[f.submission]
                       for e in report.excluded)
            continue
        holders = [c for s in report.sections for c in s.findings if f.id in c.finding_ids]
        assert len(holders) == 1
        home = [a for a in f.issue_areas if holders[0] in sections[a].findings]
        assert len(home) == 1  # stated in one of its own sections
        if f.issue_areas[0] != home[0]:  # another submission gave the same sentence there first
            assert any(g.id < f.id and exact_key(g.text) == exact_key(f.text)
                       and home[0] in g.issue_areas for g in data.counted)
        assert md_escape(result.document.words(holders[0].text)) in compilation
        for area in f.issue_areas:
            assert area == home[0] or home[0] in sections[area].also
    assert report.totals["findings"] + len(report.excluded) == len(data.counted)

    # Every footnote cites submissions that exist, by their published codes.
    codes = set(published.values())
    for number, citation in enumerate(result.document.footnotes(), 1):
        cited = {c.removeprefix("also raised by ") for c in citation.split("; ")}
        assert cited <= codes
        assert f"[^{number}]: {md_escape(citation)}" in md

    # stats counts the same as the report.
    for row in count_by_issue_area(data):
        if row["issue_area"] == UNTAGGED:
            continue
        s = sections[row["issue_area"]]
        assert (row["findings"], row["submissions"], row["organizations"]) == (
            s.finding_count, s.submissions, s.organizations)

    # Private data never reaches an output.
    everything = _all_text(tmp_path / "a")
    for sub in data.submissions.values():
        assert sub.contact_email and sub.contact_email not in everything
        if sub.confidential:
            for name in (sub.organization, *sub.members):
                if name:
                    assert name not in everything
            assert f"**{sub.code}**" not in everything and f"{sub.code}\t" not in everything

    # Same input, same bytes.
    build([path], tmp_path / "b", Config(max_words=budget), FORMATS)
    for name in ("executive-summary.md", "executive-summary.docx", "executive-summary.json",
                 "compilation.md", "compilation.docx"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
