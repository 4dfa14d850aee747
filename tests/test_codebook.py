"""Codebooks: the built-in ones, normalisation of real-world spellings, .qdc round trips."""

from __future__ import annotations

import pytest

from upr_summary.cli import cli
from upr_summary.codebook import (
    BUILTIN_NAMES,
    from_qdc,
    from_yaml,
    load_codebook,
    to_qdc,
    to_yaml,
)
from upr_summary.config import Config
from upr_summary.errors import ConfigError
from upr_summary.load import load

from .conftest import SAMPLE, codes

# How members really write issue areas -> the ohchr theme, and how it was matched.
SPELLINGS = [
    ("Housing", "Housing", "exact"),
    ("housing rights", "Housing", "exact"),
    ("Homelessness", "Housing", "exact"),
    ("Derecho a la vivienda", "Housing", "exact"),
    ("Logement", "Housing", "exact"),
    ("  HOUSING ", "Housing", "exact"),
    ("Housnig", "Housing", "fuzzy"),
    ("Housing and homelessness", "Housing", "words"),
    ("Water & Sanitation", "Water and sanitation", "exact"),
    ("WASH", "Water and sanitation", "exact"),
    ("Right to food", "Food", "exact"),
    ("Racism", "Systemic racism", "exact"),
    ("Racial justice", "Systemic racism", "exact"),
    ("Criminal justice reform", "Mass incarceration", "exact"),
    ("Police brutality", "Police violence", "exact"),
    ("Capital punishment", "Death penalty", "exact"),
    ("Immigration", "Migrants", "exact"),
    ("Asylum seekers", "Refugees and asylum seekers", "exact"),
    ("GBV", "Violence against women", "exact"),
    ("Violence Against Women & Girls", "Violence against women", "fuzzy"),
    ("Domestic violence", "Violence against women", "exact"),
    ("Children's rights", "Children", "exact"),
    ("Rights of the Child", "Children", "exact"),
    ("Sex work", "Sex workers", "exact"),
    ("COVID 19", "COVID-19", "exact"),
    ("Coronavirus", "COVID-19", "exact"),
    ("Pueblos indígenas", "Indigenous Peoples", "exact"),
    ("Indigenous rights", "Indigenous Peoples", "exact"),
    ("LGBTQ+", "LGBTI persons", "exact"),
    ("SOGIESC", "LGBTI persons", "exact"),
    ("Disability", "Persons with disabilities", "exact"),
    ("Voting", "Voting rights", "exact"),
    ("Climate change", "Environment", "exact"),
    ("Santé", "Health", "exact"),
    ("Mental health", "Health", "exact"),
    ("HIV - Aids", "Health", "exact"),
    ("Labor rights", "Work", "exact"),
]


@pytest.mark.parametrize("label,theme,how", SPELLINGS)
def test_real_world_spellings(label, theme, how):
    found = load_codebook("ohchr").resolve(label)
    assert (found.theme.name if found.theme else None, found.how) == (theme, how)


@pytest.mark.parametrize("label,suggestion", [
    ("Tax justice", "Administration of justice and fair trial"),
    ("Children and education", None),  # two themes named: neither is the likely one
    ("Xyzzy", None),
])
def test_unmatched_areas_get_a_suggestion_or_none(label, suggestion):
    found = load_codebook("ohchr").resolve(label)
    assert found.theme is None
    assert (found.suggestion.name if found.suggestion else None) == suggestion


@pytest.mark.parametrize("name", BUILTIN_NAMES)
def test_builtin_codebooks_load_and_are_consistent(name):
    book = load_codebook(name)
    assert book.name == name and book.groups
    assert all(t.group in book.groups for t in book.themes)
    assert all(t.keywords or t.name == "Other" for t in book.themes)
    for theme in book.themes:  # every name and alias leads back to its own theme
        for label in (theme.id, theme.name):
            assert book.lookup(label) is theme, label


def test_upr_info_codebook_has_the_54_issues_and_maps_onto_ohchr():
    upr, ohchr = load_codebook("upr-info"), load_codebook("ohchr")
    assert len(upr.themes) == 54
    mapped = {t.name: t.maps_to("ohchr") for t in upr.themes}
    assert all(ohchr.theme(target) for target in mapped.values() if target)
    assert mapped["Right to housing"] == "housing"
    assert mapped["Rights of the Child"] == "children"
    assert sum(1 for v in mapped.values() if v is None) <= 6
    # ...and ohchr reads the UPR Info labels directly.
    assert ohchr.resolve("Asylum-seekers - refugees").theme.id == "refugees"


@pytest.mark.parametrize("name", BUILTIN_NAMES)
def test_qdc_and_yaml_round_trip(name):
    book = load_codebook(name)
    back = from_qdc(to_qdc(book), f"{name}.qdc")
    assert back.groups == book.groups
    assert [(t.id, t.name, t.group, t.aliases, t.keywords, t.maps, t.names)
            for t in back.themes] == \
           [(t.id, t.name, t.group, t.aliases, t.keywords, t.maps, t.names)
            for t in book.themes]
    assert back.group_names == book.group_names
    again = from_yaml(to_yaml(book))
    assert again.themes == book.themes and again.groups == book.groups
    assert again.group_names == book.group_names


def test_qdc_from_another_program():
    """A codebook as QDA programs write it: nested codes, no aliases."""
    qdc = b"""<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="QualCoder">
  <Codes>
    <Code guid="1" name="Economic rights" isCodable="false">
      <Code guid="2" name="Housing" isCodable="true" color="#ff0000">
        <Description>Homes, rents, evictions</Description>
        <Code guid="3" name="Evictions" isCodable="true"/>
      </Code>
      <Code guid="4" name="Food" isCodable="true"/>
    </Code>
    <Code guid="5" name="Miscellaneous" isCodable="true"/>
  </Codes>
</CodeBook>"""
    book = from_qdc(qdc, "coders.qdc")
    assert book.groups == ["Economic rights"]
    assert [(t.name, t.group) for t in book.themes] == [
        ("Housing", "Economic rights"), ("Evictions", "Economic rights"),
        ("Food", "Economic rights"), ("Miscellaneous", None)]
    assert book.themes[0].description == "Homes, rents, evictions"


def test_bad_codebooks_are_reported_with_file_and_line(tmp_path):
    with pytest.raises(ConfigError, match="no-such.yaml"):
        load_codebook(str(tmp_path / "no-such.yaml"))
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nthemes:\n  - id: a\n    name: A\n  - id: a\n    name: B\n")
    with pytest.raises(ConfigError, match="used twice"):
        load_codebook(str(bad))
    bad.write_text("name: x\nthemes:\n  - id: a\n    aliases: [b\n")
    with pytest.raises(ConfigError, match=r"bad.yaml:\d+"):
        load_codebook(str(bad))
    broken = tmp_path / "broken.qdc"
    broken.write_bytes(b"<CodeBook><Codes>")
    with pytest.raises(ConfigError, match="broken.qdc"):
        load_codebook(str(broken))


def test_loading_normalises_and_reports(write):
    path = write("a.csv", "submission,organization,issue_area,finding\n"
                 "A,Org A,housing rights; Housnig,x\nB,Org B,Tax justice,y\nC,Org C,Housnig,z\n")
    data = load([path], Config())
    assert [f.issue_areas for f in data.findings] == [("Housing",), ("Tax justice",), ("Housing",)]
    assert codes(data.problems) == ["issue-area-matched", "unknown-issue-area"]
    assert "(2 uses)" in data.problems[0].message
    assert "Did you mean 'Administration of justice and fair trial'?" in data.problems[1].message
    plain = load([path], Config(), codebook="none")
    assert [f.issue_areas for f in plain.findings] == [
        ("housing rights", "Housnig"), ("Tax justice",), ("Housnig",)]


def test_project_issue_areas_customise_the_codebook(write):
    config = Config(issue_areas=["Immigration", "Housing", "Tax justice"],
                    groups={"Immigration": "People on the move", "Housing": "People on the move"})
    path = write("a.csv", "submission,organization,issue_area,finding\n"
                 "A,Org A,Migrants,x\nB,Org B,Tax justice,y\nC,Org C,housing rights,z\nD,Org D,Health,w\n")
    data = load([path], config)
    assert [f.issue_areas for f in data.findings] == [
        ("Immigration",), ("Tax justice",), ("Housing",), ("Health",)]
    assert codes(data.problems) == []
    from upr_summary.summarize import summarize

    report = summarize(data, config)
    assert [(g.title, g.other, [s.title for s in g.sections]) for g in report.groups] == [
        ("People on the move", False, ["Immigration", "Housing"]),
        ("Economic, social and cultural rights", False, ["Health"]),
        (None, True, ["Tax justice"]),  # the templates word it: "Other issues"
    ]


def test_codebook_show_export_import(runner, tmp_path):
    shown = runner.invoke(cli, ["codebook", "show", str(SAMPLE)])
    assert shown.exit_code == 0, shown.output
    assert "Economic, social and cultural rights" in shown.stdout
    assert "Housing  (39 findings, 14 submissions)" in shown.stdout
    plain = runner.invoke(cli, ["codebook", "show", "--codebook", "upr-info"])
    assert plain.exit_code == 0 and "Right to housing" in plain.stdout
    qdc = tmp_path / "ohchr.qdc"
    result = runner.invoke(cli, ["codebook", "export", str(qdc)])
    assert result.exit_code == 0 and result.stdout == f"wrote {qdc} (49 themes in 6 groups)\n"
    assert qdc.read_bytes().startswith(b'<?xml version="1.0" encoding="utf-8"?>\n<CodeBook')
    yaml_file = tmp_path / "mine.yaml"
    assert runner.invoke(cli, ["codebook", "import", str(qdc), str(yaml_file)]).exit_code == 0
    again = runner.invoke(cli, ["validate", "--codebook", str(yaml_file), str(SAMPLE)])
    assert again.exit_code == 0 and "0 errors, 2 warnings" in again.stdout
    missing = runner.invoke(cli, ["codebook", "show", "--codebook", "nope"])
    assert missing.exit_code == 2 and "Codebook not found: nope" in missing.stderr


def test_codebook_show_prints_names_literally(runner, tmp_path):
    book = tmp_path / "mine.yaml"
    book.write_text("name: mine\nthemes:\n  - id: a\n    name: '[bold]Housing[/bold]'\n"
                    "    group: '[red]Rights'\n")
    result = runner.invoke(cli, ["codebook", "show", "--codebook", str(book)])
    assert result.exit_code == 0, result.output
    assert "[bold]Housing[/bold]" in result.stdout and "[red]Rights" in result.stdout
