"""Issue areas not in the codebook (issue 14, point 8): read as a theme only when they are
a misspelling of one of its names or its words, "did you mean" only when likely, in every
language of the codebook; otherwise no theme is offered. The cases are
bench/suggest_cases.py (written by hand; the thresholds were chosen on them)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from upr_summary.codebook import edit_distance, load_codebook

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from suggest_cases import CASES  # noqa: E402

BOOKS = {name: load_codebook(name) for name in ("ohchr", "upr-info")}


@pytest.mark.parametrize("book, label, meant", CASES,
                         ids=[f"{b}:{label}" for b, label, _ in CASES])
def test_an_issue_area_is_read_or_offered_only_as_the_theme_meant(book, label, meant):
    found = BOOKS[book].resolve(label)
    got = found.theme or found.suggestion
    assert (got.name if got else None) == meant


@pytest.mark.parametrize("book, label, wrong", [
    ("ohchr", "Égalité des droits", "Women's rights"),
    ("upr-info", "LGBTI persons", "Enforced disappearances"),
    ("upr-info", "incarceration", "Migrants"),
    ("ohchr", "Other", "Torture and ill-treatment"),
    ("ohchr", "Persons", "Detention conditions"),
])
def test_the_suggestions_the_trial_found_wrong_are_gone(book, label, wrong):
    found = BOOKS[book].resolve(label)
    got = found.theme or found.suggestion
    assert got is None or got.name != wrong


def test_edit_distance_counts_swaps_and_stops_at_its_limit():
    assert edit_distance("housnig", "housing", 5) == 1       # a swap is one
    assert edit_distance("logment", "logement", 5) == 1
    assert edit_distance("persons", "prisons", 5) == 2
    assert edit_distance("a" * 200, "b" * 200, 3) == 3       # cut short at the limit


def test_validate_says_when_no_theme_is_close_and_how_an_area_was_read(tmp_path):
    from click.testing import CliRunner

    from upr_summary.cli import cli

    (tmp_path / "s.csv").write_text(
        "submission,organization,issue_area,finding\n"
        "A1,Org,Tourism,Hotels evicted fishing families.\n"
        "A2,Org B,Droits des personnes âgées,Les pensions ont baissé.\n", encoding="utf-8")
    out = CliRunner().invoke(cli, ["validate", str(tmp_path)]).output
    tourism = next(line for line in out.splitlines() if "'Tourism'" in line)
    assert "No theme of the codebook is close" in tourism and "Did you mean" not in tourism
    older = next(line for line in out.splitlines() if "personnes âgées" in line)
    assert "it was read as 'Older persons', by its words" in older
    assert "Did you mean" not in older  # not a question about what was already done
