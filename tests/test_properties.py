"""Properties over generated submissions (hypothesis): nothing lost, every citation real,
counts agree, private data never output, builds reproducible."""

from __future__ import annotations

import csv
import io
import zipfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from upr_summary.build import build
from upr_summary.config import Config
from upr_summary.load import load
from upr_summary.privacy import neutral_codes
from upr_summary.render.markdown import md_escape
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
    parts = [(folder / "executive-summary.md").read_text(encoding="utf-8")]
    with zipfile.ZipFile(folder / "executive-summary.docx") as z:
        parts += [z.read(n).decode("utf-8") for n in z.namelist() if n.endswith((".xml", ".rels"))]
    return "\n".join(parts)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.lists(submission, min_size=1, max_size=6))
def test_report_properties(tmp_path_factory, subs):
    tmp_path = tmp_path_factory.mktemp("prop")
    path = _write(tmp_path, subs)
    data = load([path], Config())
    assert data.errors == []
    result = build([path], tmp_path / "a", Config(), ["md", "docx"])
    report = result.summary
    md = (tmp_path / "a" / "executive-summary.md").read_text(encoding="utf-8")

    # Nothing lost, each thing said once: each finding stated once, in the section of its
    # first issue area, which its other issue areas' sections point to; or in the excluded
    # list (by its submission's published code: C1, C2 ... for a confidential one).
    published = neutral_codes(data.submissions.values())
    sections = {s.title: s for s in report.sections}
    for f in data.findings:
        if not f.issue_areas:
            assert any(result.document.words(e.text) == f.text and e.submission == published[f.submission]
                       for e in report.excluded)
            continue
        holders = [c for s in report.sections for c in s.findings if f.id in c.finding_ids]
        assert len(holders) == 1
        assert holders[0] in sections[f.issue_areas[0]].findings
        assert md_escape(result.document.words(holders[0].text)) in md
        for area in f.issue_areas[1:]:
            assert area == f.issue_areas[0] or f.issue_areas[0] in sections[area].also
    assert report.totals["findings"] + len(report.excluded) == len(data.findings)

    # Every footnote cites submissions that exist, by their published codes.
    codes = set(published.values())
    for number, citation in enumerate(result.document.footnotes(), 1):
        assert set(citation.split("; ")) <= codes
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
    build([path], tmp_path / "b", Config(), ["md", "docx"])
    for name in ("executive-summary.md", "executive-summary.docx"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
