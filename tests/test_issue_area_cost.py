"""Many different issue areas cost a bounded amount of work (issue 10, bounded cost): a
limit on the different areas of a run, a bounded number of look-ups for a close spelling,
and a co-occurrence table over the areas with most findings only."""

from __future__ import annotations

import difflib
import importlib
import random
import string

import pytest

from upr_summary import codebook as codebook_module
from upr_summary import limits
from upr_summary.codebook import NearNames, load_codebook
from upr_summary.config import Config
from upr_summary.load import load
from upr_summary.stats import cooccurrence

assemble_module = importlib.import_module("upr_summary.load.assemble")


def _csv(rows: list[tuple[str, str]]) -> str:
    lines = ["submission,organization,issue_area,finding"]
    for i, (areas, finding) in enumerate(rows, 1):
        lines.append(f'S{i},Org {i},"{areas}",{finding}')
    return "\n".join(lines) + "\n"


def test_more_different_areas_than_the_limit_are_refused_before_matching(write, monkeypatch):
    monkeypatch.setattr(assemble_module, "MAX_ISSUE_AREAS", 10)
    calls = []
    real = codebook_module.Codebook.resolve
    monkeypatch.setattr(codebook_module.Codebook, "resolve",
                        lambda self, label: calls.append(label) or real(self, label))
    rows = [("; ".join(f"Topic {i * 4 + j}" for j in range(4)), "A finding.") for i in range(3)]
    data = load([write("s.csv", _csv(rows))], Config())
    found = [(p.code, p.location.row, p.location.field) for p in data.problems
             if p.severity == "error"]
    assert found == [("too-many-issue-areas", 4, "issue_area")]
    assert calls == []  # nothing was compared with the codebook
    assert not any(p.code == "unknown-issue-area" for p in data.problems)


def test_spellings_of_one_area_count_once_towards_the_limit(write, monkeypatch):
    monkeypatch.setattr(assemble_module, "MAX_ISSUE_AREAS", 2)
    rows = [("Housing; HOUSING; housing", "A."), ("Héalth; Health", "B.")]
    data = load([write("s.csv", _csv(rows))], Config())
    assert not any(p.code == "too-many-issue-areas" for p in data.problems)


def test_close_spellings_are_looked_for_a_bounded_number_of_times(write, monkeypatch):
    monkeypatch.setattr(codebook_module, "MAX_FUZZY_LABELS", 2)
    monkeypatch.setattr(assemble_module, "MAX_FUZZY_LABELS", 2)
    rows = [("Housnig", "A."), ("Zzqx one", "B."), ("Educaton", "C."), ("Qqzv two", "D.")]
    data = load([write("s.csv", _csv(rows))], Config())
    got = {(p.code, p.location.row) for p in data.problems}
    assert ("issue-area-matched", 2) in got  # Housnig: looked at, read as Housing
    assert ("unknown-issue-area", 4) in got  # Educaton: over the budget, unknown
    skipped = [p for p in data.problems if p.code == "fuzzy-matching-skipped"]
    assert len(skipped) == 1 and skipped[0].severity == "warning"
    assert skipped[0].location.row == 4 and "2 were not compared" in skipped[0].message
    assert [f.issue_areas for f in data.findings][0] == ("Housing",)


def test_exact_and_word_matches_do_not_use_the_budget(write, monkeypatch):
    monkeypatch.setattr(codebook_module, "MAX_FUZZY_LABELS", 0)
    monkeypatch.setattr(assemble_module, "MAX_FUZZY_LABELS", 0)
    data = load([write("s.csv", _csv([("Housing; Derecho a la vivienda", "A.")]))], Config())
    assert data.findings[0].issue_areas == ("Housing",)
    assert not any(p.code == "fuzzy-matching-skipped" for p in data.problems)


@pytest.mark.parametrize("book", ["ohchr", "upr-info"])
def test_near_names_finds_what_difflib_finds_among_the_candidates(book):
    names = load_codebook(book)._names
    rng = random.Random(7)
    labels = [rng.choice(names.names) for _ in range(150)]
    labels = ["".join(c if rng.random() > 0.15 else rng.choice(string.ascii_lowercase)
                      for c in label) for label in labels]
    labels += ["".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(3, 40)))
               for _ in range(150)]
    for label in labels:
        candidates = [names.names[i] for i in names.candidates(label)]
        for cutoff in (0.6, 0.85):
            assert names.close(label, cutoff) == difflib.get_close_matches(
                label, candidates, n=1, cutoff=cutoff), label


def test_near_names_on_a_short_list():
    assert NearNames(["housing", "health"]).close("helth", 0.6) == ["health"]
    assert NearNames(["housing"]).close("xyz", 0.6) == []


def test_cooccurrence_table_has_the_areas_with_most_findings_only(write, monkeypatch):
    rows = [("Housing; Health; Topic A", "A."), ("Housing; Topic B", "B."), ("Housing", "C."),
            ("Health; Topic C", "D.")]
    data = load([write("s.csv", _csv(rows))], Config())
    table = cooccurrence(data, limit=2)
    assert [r["issue_area"] for r in table] == ["Housing", "Health"]
    assert table == [{"issue_area": "Housing", "Housing": 3, "Health": 1},
                     {"issue_area": "Health", "Housing": 1, "Health": 2}]
    assert limits.MAX_CROSS_AREAS == 100


def test_cross_names_the_areas_left_out(write, monkeypatch):
    from click.testing import CliRunner

    from upr_summary.cli import cli

    monkeypatch.setattr(limits, "MAX_CROSS_AREAS", 2)
    monkeypatch.setattr("upr_summary.stats.MAX_CROSS_AREAS", 2)
    path = write("s.csv", _csv([("Housing; Health; Education", "A."), ("Housing", "B.")]))
    result = CliRunner().invoke(cli, ["stats", path, "--cross", "--format", "csv", "-q"])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "\ufeffIssue area,Housing,Education"
    assert "1 more are left out" in result.stderr


def test_without_a_codebook_rare_spellings_still_get_a_hint(write):
    rows = [("Housing", "A."), ("Housing", "B."), ("Housing", "C."), ("Housign", "D.")]
    data = load([write("s.csv", _csv(rows))], Config(), codebook="none")
    from upr_summary.checks import content_problems as check

    hints = [p.message for p in check(data, Config()) if p.code == "unknown-issue-area"]
    assert hints == ["Issue area 'Housign' is rare, and close to a spelling used more often. "
                     "Did you mean 'Housing'? Correct it, or add it to issue_areas in "
                     "upr-summary.yaml."]


def test_without_a_codebook_the_project_list_gives_the_hint(write):
    config = Config()
    config.issue_areas = ["Housing", "Health"]
    data = load([write("s.csv", _csv([("Helth", "A.")]))], config, codebook="none")
    from upr_summary.checks import content_problems as check

    hints = [p.message for p in check(data, config) if p.code == "unknown-issue-area"]
    assert hints == ["Issue area 'Helth' is not in the project's issue_areas "
                     "(upr-summary.yaml). Did you mean 'Health'? Correct it, or add it to "
                     "issue_areas in upr-summary.yaml."]


def test_new_codes_are_in_the_limits_table_and_the_readme():
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    for code in ("too-many-issue-areas", "fuzzy-matching-skipped"):
        assert code in (limits.__doc__ or "") and f"`{code}`" in readme
