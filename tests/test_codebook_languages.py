"""Theme and group names in French and Spanish: the shipped codebooks, resolution of issue
areas written in either language, ``Codebook.label`` / ``theme_names``, the loader's checks
of ``names:``, round trips through YAML and .qdc, and ``codebook show --language``."""

from __future__ import annotations

import time

import pytest

from upr_summary.cli import cli
from upr_summary.codebook import (
    BUILTIN_NAMES,
    from_qdc,
    from_yaml,
    language_code,
    load_codebook,
    to_qdc,
    to_yaml,
)
from upr_summary.config import Config
from upr_summary.errors import ConfigError
from upr_summary.load import load
from upr_summary.textutil import fold, match_key

from .conftest import codes

LANGUAGES = ("fr", "es")


def _code(text: str, name: str = "mine.yaml") -> str:
    with pytest.raises(ConfigError) as info:
        from_yaml(text, name)
    return getattr(info.value, "code", "no code")


# --- the shipped codebooks ---------------------------------------------------------------


@pytest.mark.parametrize("name", BUILTIN_NAMES)
def test_every_theme_and_group_has_a_french_and_a_spanish_name(name):
    book = load_codebook(name)
    assert book.languages() == ["en", "es", "fr"]
    for theme in book.themes:
        names = dict(theme.names)
        assert set(names) == set(LANGUAGES), theme.id
        assert all(n.strip() == n and n for n in names.values()), theme.id
    for group in book.groups:
        assert set(book.group_names[group]) == set(LANGUAGES), group
    # the UN's own headings for the groups
    assert book.label("Economic, social and cultural rights", "fr") == \
        "Droits économiques, sociaux et culturels"
    assert book.label("Civil and political rights", "es") == "Derechos civiles y políticos"


@pytest.mark.parametrize("name", BUILTIN_NAMES)
def test_no_translated_name_is_another_themes_name_or_alias(name):
    """A French or Spanish name equal (case, accents, punctuation aside) to another theme's
    id, English name, alias or translated name would send an issue area to the wrong
    theme: none in the shipped codebooks."""
    book = load_codebook(name)
    owners: dict[str, set[str]] = {}
    for theme in book.themes:
        for text in (theme.id, theme.name, *theme.aliases, *(n for _, n in theme.names)):
            owners.setdefault(match_key(text), set()).add(theme.id)
    for theme in book.themes:
        for language, other in theme.names:
            assert owners[match_key(other)] == {theme.id}, (language, other)
    for language in LANGUAGES:  # and group headings are distinct in each language
        headings = [match_key(book.label(g, language)) for g in book.groups]
        assert len(set(headings)) == len(headings)


@pytest.mark.parametrize("name", BUILTIN_NAMES)
def test_translated_names_resolve_exactly_whatever_the_case_and_accents(name):
    book = load_codebook(name)
    for theme in book.themes:
        for _, other in theme.names:
            for form in (other, other.upper(), fold(other), " " + fold(other).title() + " ",
                         other.replace(" ", "  ").replace("'", "’")):
                found = book.resolve(form)
                assert (found.theme, found.how) == (theme, "exact"), form


@pytest.mark.parametrize("label,theme", [
    ("Logement", "Housing"), ("VIVIENDA", "Housing"), ("Eau et assainissement", "Water and sanitation"),
    ("Égalité et non-discrimination", "Equality and non-discrimination"),
    ("igualdad y no discriminacion", "Equality and non-discrimination"),
    ("Droits de l'homme et lutte antiterroriste", "Counter-terrorism"),
    ("Personnes handicapées", "Persons with disabilities"),
    ("Personas con discapacidad", "Persons with disabilities"),
    ("Violencia contra la mujer", "Violence against women"),
    ("Réfugiés et demandeurs d'asile", "Refugees and asylum seekers"),
    ("Personas de edad", "Older persons"), ("Apátridas", "Stateless persons"),
    # as members write them: "Droit à ...", "Derecho a ...", the usual short forms
    ("Droits de l'enfant", "Children"), ("Derechos del niño", "Children"),
    ("Droit à l'éducation", "Education"), ("Derecho a la educación", "Education"),
    ("Droit au travail", "Work"), ("Derecho al trabajo", "Work"),
    ("Droit à un logement convenable", "Housing"), ("Derecho a la salud", "Health"),
    ("Discrimination raciale", "Systemic racism"), ("Discriminación racial", "Systemic racism"),
    ("Violence domestique", "Violence against women"), ("Feminicidio", "Violence against women"),
    ("Changement climatique", "Environment"), ("Cambio climático", "Environment"),
    ("Défenseurs des droits humains", "Human rights defenders"),
    ("Liberté de réunion pacifique", "Fundamental freedoms"), ("Impunidad",
                                                                "Administration of justice and fair trial"),
    ("Adultos mayores", "Older persons"), ("Protección social", "Social security"),
])
def test_french_and_spanish_issue_areas_resolve(label, theme):
    assert load_codebook("ohchr").resolve(label).theme.name == theme


def test_a_misspelt_french_name_is_read_by_its_close_spelling():
    found = load_codebook("ohchr").resolve("Violences polcières")
    assert (found.theme.name, found.how) == ("Police violence", "fuzzy")


def test_issue_areas_in_french_and_spanish_load_as_their_theme(write):
    path = write("a.csv", "submission,organization,issue_area,finding\n"
                 "A,Org A,Logement; Santé,x\nB,Org B,Vivienda,y\n"
                 "C,Org C,DERECHOS DE LAS MUJERES,z\nD,Org D,Droit au logement,w\n")
    data = load([path], Config())
    assert [f.issue_areas for f in data.findings] == [
        ("Housing", "Health"), ("Housing",), ("Women's rights",), ("Housing",)]
    assert codes(data.problems) == []
    upr = load([path], Config(), codebook="upr-info")
    assert [f.issue_areas for f in upr.findings][:2] == [
        ("Right to housing", "Right to health"), ("Right to housing",)]


# --- label() and theme_names() -------------------------------------------------------------


def test_label_falls_back_on_the_canonical_name():
    book = load_codebook("ohchr")
    assert book.label("Housing", "fr") == "Logement"
    assert book.label("housing", "es") == "Vivienda"  # a theme's id works too
    assert book.label("Housing", "en") == "Housing"
    assert book.label("Housing", "de") == "Housing"  # no German names
    assert book.label("Housing", "fr_CA") == "Logement"  # a region falls back on its language
    assert book.label("Housing", "FR-ca") == "Logement"
    assert book.label("Tax justice", "fr") == "Tax justice"  # not a theme of the codebook
    assert book.label("Housing", "../x") == "Housing"  # not a language code
    assert book.label("Housing", "") == "Housing"
    assert book.label("Rights of specific persons or groups", "es") == \
        "Derechos de personas o grupos específicos"


def test_theme_names_follow_the_codebook_order_and_resolve_back():
    for name in BUILTIN_NAMES:
        book = load_codebook(name)
        for language in ("en", "fr", "es", "de"):
            names = book.theme_names(language)
            assert len(names) == len(book.themes)
            assert [book.resolve(n).theme for n in names] == book.themes
        assert book.theme_names("en") == [t.name for t in book.themes]
        assert book.theme_names("de") == book.theme_names("en")
    book = load_codebook("ohchr")
    book.theme_names("fr").clear()  # a copy: the caller may change it
    assert book.theme_names("fr")[0] == "Instruments internationaux"


def test_label_is_a_lookup_not_a_search():
    """A build calls label() once per section: it must not grow with the codebook."""
    themes = "".join(f"  - name: Theme {i}\n    names: {{fr: Thème {i}}}\n" for i in range(5_000))
    book = from_yaml("name: big\nthemes:\n" + themes)
    start = time.perf_counter()
    for _ in range(20_000):
        assert book.label("Theme 4999", "fr") == "Thème 4999"
    assert time.perf_counter() - start < 5  # generous: ~0.01 s on a laptop


def test_a_customised_codebook_keeps_the_names():
    book = load_codebook("ohchr").customised(["Logement", "Tax justice"], {})
    assert book.themes[0].name == "Logement"
    assert book.label("Logement", "es") == "Vivienda"
    assert book.label("Economic, social and cultural rights", "fr") == \
        "Droits économiques, sociaux et culturels"
    assert book.resolve("Vivienda").theme is book.themes[0]


def test_language_codes():
    assert language_code("fr") == "fr" and language_code("ES") == "es"
    assert language_code("pt-br") == "pt_BR" and language_code("zh_hans") == "zh_Hans"
    for bad in ("../x", "f", "français", "fr/../../x", "", "fr_", "e s", "123", "fr-" + "x" * 9):
        assert language_code(bad) is None, bad


# --- the loader's checks ---------------------------------------------------------------------

THEMES = """name: mine
themes:
  - name: Housing
    aliases: [homes]
  - name: Health
"""


def test_names_round_trip_and_reach_the_index():
    book = from_yaml("name: mine\ngroups:\n  - name: Rights\n    names: {fr: Droits}\n"
                     "  - Other things\nthemes:\n  - name: Housing\n    group: Rights\n"
                     "    names: {fr: Logement, es-MX: Vivienda}\n  - name: Health\n"
                     "    group: Other things\n")
    assert book.themes[0].names == (("fr", "Logement"), ("es_MX", "Vivienda"))
    assert book.group_names == {"Rights": {"fr": "Droits"}}
    assert book.groups == ["Rights", "Other things"]
    assert book.resolve("vivienda").theme.name == "Housing"
    assert book.label("Housing", "es") == "Housing"  # es_MX is not es: no fallback upwards
    assert book.label("Housing", "es_MX") == "Vivienda"
    for back in (from_yaml(to_yaml(book)), from_qdc(to_qdc(book), "mine.qdc")):
        assert [t.names for t in back.themes] == [t.names for t in book.themes]
        assert back.group_names == book.group_names and back.groups == book.groups


@pytest.mark.parametrize("names,code", [
    ("names: {'../x': Logement}", "codebook-bad-language"),
    ("names: {français: Logement}", "codebook-bad-language"),
    ("names: {fr: Logement, FR: Logis}", "codebook-bad-language"),
    ("names: {fr: Logement, fr: Logis}", "yaml-duplicate-key"),
    ("names: {1: Logement}", "codebook-bad-language"),
    ("names: {'': Logement}", "codebook-bad-language"),
    ("names: {fr: [Logement, Logis]}", "codebook-bad-name"),
    ("names: {fr: {a: b}}", "codebook-bad-name"),
    ("names: {fr: }", "codebook-bad-name"),
    ("names: {fr: '   '}", "codebook-bad-name"),
    ("names: {fr: \"\\u202e\\u0007\"}", "codebook-bad-name"),  # only controls: empty
    ("names: [fr, Logement]", "codebook-bad-name"),
    ("names: Logement", "codebook-bad-name"),
    ("names: {fr: Health}", "codebook-name-taken"),   # another theme's English name
    ("names: {fr: health}", "codebook-name-taken"),   # ... whatever the case
    ("names: {es: Salud}", "codebook-name-taken"),    # Health's alias below
])
def test_bad_names_are_refused_with_a_code(names, code):
    text = THEMES.replace("    aliases: [homes]\n", f"    aliases: [homes]\n    {names}\n") \
        + "    aliases: [salud]\n"
    assert _code(text) == code


def test_two_themes_may_not_share_a_translated_name():
    text = ("name: x\nthemes:\n  - name: A\n    names: {fr: Même}\n"
            "  - name: B\n    names: {fr: meme}\n")
    assert _code(text) == "codebook-name-taken"
    groups = ("name: x\ngroups:\n  - {name: A, names: {fr: Droits}}\n"
              "  - {name: B, names: {fr: DROITS}}\nthemes:\n  - name: T\n")
    assert _code(groups) == "codebook-name-taken"
    # ...but a theme's own alias or English name may be its translated name
    fine = from_yaml("name: x\nthemes:\n  - name: Migrants\n    aliases: [migrantes]\n"
                     "    names: {fr: Migrants, es: Migrantes}\n")
    assert fine.label("Migrants", "es") == "Migrantes"


def test_errors_name_the_file_and_line():
    with pytest.raises(ConfigError, match=r"mine\.yaml:6: .*'\.\./x'"):
        from_yaml(THEMES.replace("    aliases: [homes]\n",
                                 "    aliases: [homes]\n    names:\n      '../x': y\n"), "mine.yaml")
    with pytest.raises(ConfigError, match="a group given as a mapping needs a name"):
        from_yaml("name: x\ngroups:\n  - {names: {fr: A}}\nthemes:\n  - name: T\n")
    with pytest.raises(ConfigError, match="each group is a name"):
        from_yaml("name: x\ngroups:\n  - [a, b]\nthemes:\n  - name: T\n")


def test_a_name_is_cleaned_of_controls():
    book = from_yaml("name: x\nthemes:\n  - name: T\n    names: {fr: \"Lo\\u202egement\\u0007 \"}\n")
    assert book.label("T", "fr") == "Logement"


def test_a_huge_names_mapping_is_bounded(tmp_path):
    codes_ = [f"{a}{b}_{c}{d}" for a in "abcdefghij" for b in "abcdefghij"
              for c in "ABCDEFGHIJ" for d in "ABCDEFGHIJ"]  # 10,000 valid codes
    many = "".join(f"      {c}: n{i}\n" for i, c in enumerate(codes_))
    start = time.perf_counter()
    book = from_yaml(f"name: x\nthemes:\n  - name: T\n    names:\n{many}")
    assert len(book.languages()) == 10_001 and book.label("T", "jj_JJ") == "n9999"
    assert time.perf_counter() - start < 20
    # far more than a YAML file may hold: refused by the YAML limits, not read
    huge = "".join(f"      {c}{i}: n\n" for i in range(11) for c in codes_)
    assert _code(f"name: x\nthemes:\n  - name: T\n    names:\n{huge}") == "yaml-too-large"
    # codebook show lists a few languages, not ten thousand
    path = tmp_path / "many.yaml"
    path.write_text(f"name: x\nthemes:\n  - name: T\n    names:\n{many}", encoding="utf-8")
    from click.testing import CliRunner

    result = CliRunner().invoke(cli, ["codebook", "show", "--codebook", str(path),
                                      "--language", "de"])
    assert result.exit_code == 2 and "and 9981 more" in result.output
    assert len(result.output) < 2_000


def test_qdc_names_are_checked_too():
    qdc = """<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>
  <Code guid="1" name="Rights" isCodable="false"><Description>name-fr: Droits</Description>
    <Code guid="2" name="Housing" isCodable="true"><Description>Homes.
name-fr: Logement
name-{lang}: Vivienda</Description></Code>
    <Code guid="3" name="Health" isCodable="true"/>
  </Code></Codes></CodeBook>"""
    book = from_qdc(qdc.format(lang="es").encode(), "c.qdc")
    assert book.label("Housing", "es") == "Vivienda" and book.label("Rights", "fr") == "Droits"
    assert book.themes[0].description == "Homes." and book.themes[0].maps == ()
    for lang, code in (("x" * 12, "codebook-bad-language"), ("fr", "codebook-bad-language")):
        with pytest.raises(ConfigError) as info:
            from_qdc(qdc.format(lang=lang).encode(), "c.qdc")
        assert info.value.code == code  # type: ignore[attr-defined]
    with pytest.raises(ConfigError) as info:
        from_qdc(qdc.replace("Vivienda", "Health").format(lang="es").encode(), "c.qdc")
    assert info.value.code == "codebook-name-taken"  # type: ignore[attr-defined]


# --- the command line ----------------------------------------------------------------------


def test_codebook_show_in_french_and_spanish(runner):
    shown = runner.invoke(cli, ["codebook", "show", "--language", "fr"])
    assert shown.exit_code == 0, shown.output
    assert "Droits économiques, sociaux et culturels  [Economic, social and cultural rights]" \
        in shown.stdout
    assert "Logement  [Housing]" in shown.stdout
    assert "│   ├── Corruption\n" in shown.stdout  # the same in both: shown once
    spanish = runner.invoke(cli, ["codebook", "show", "--language", "ES", "--codebook", "upr-info"])
    assert spanish.exit_code == 0 and "Derecho a la vivienda  [Right to housing]" in spanish.stdout
    english = runner.invoke(cli, ["codebook", "show", "--language", "en"])
    assert english.exit_code == 0 and "[" not in english.stdout.split("\n", 1)[1]


def test_codebook_show_takes_the_project_files_language(runner, tmp_path):
    (tmp_path / "upr-summary.yaml").write_text("language: fr\n", encoding="utf-8")
    shown = runner.invoke(cli, ["codebook", "show", str(tmp_path)])
    assert shown.exit_code == 0, shown.output
    assert "Logement  [Housing]" in shown.stdout
    assert "Logement" not in runner.invoke(cli, ["codebook", "show", str(tmp_path), "--language",
                                                 "en"]).stdout
    # a language the codebook has no names in (one added for the report's words): English
    (tmp_path / "upr-summary.yaml").write_text("language: pt\n", encoding="utf-8")
    shown = runner.invoke(cli, ["codebook", "show", str(tmp_path)])
    assert shown.exit_code == 0, shown.output
    assert "Housing" in shown.stdout and "[" not in shown.stdout.split("\n", 1)[1]


@pytest.mark.parametrize("language", ["de", "../x", "x" * 300])
def test_codebook_show_refuses_a_language_it_lacks(runner, language):
    result = runner.invoke(cli, ["codebook", "show", "--language", language])
    assert result.exit_code == 2
    assert "it has: en, es, fr" in result.output and "Traceback" not in result.output


def test_export_and_import_keep_the_names(runner, tmp_path):
    mine = tmp_path / "mine.yaml"
    mine.write_text("name: mine\ngroups:\n  - name: Rights\n    names: {fr: Droits, es: Derechos}\n"
                    "themes:\n  - name: Housing\n    group: Rights\n"
                    "    names: {fr: Logement, es: Vivienda}\n", encoding="utf-8")
    qdc, back = tmp_path / "mine.qdc", tmp_path / "back.yaml"
    assert runner.invoke(cli, ["codebook", "export", "--codebook", str(mine), str(qdc)]).exit_code == 0
    assert runner.invoke(cli, ["codebook", "import", str(qdc), str(back)]).exit_code == 0
    book = load_codebook(str(back))
    assert book.label("Housing", "es") == "Vivienda" and book.label("Rights", "fr") == "Droits"
    shown = runner.invoke(cli, ["codebook", "show", "--codebook", str(back), "--language", "es"])
    assert "Derechos  [Rights]" in shown.stdout and "Vivienda  [Housing]" in shown.stdout


def test_a_group_named_in_another_language_is_the_codebooks_group(tmp_path):
    """issue_areas: [{Droits civils et politiques: [Logement]}] puts Logement under the
    codebook's group, named once, not under a second heading of the same name."""
    from upr_summary.build import build
    from upr_summary.config import parse_config

    (tmp_path / "s.csv").write_text(
        "submission,organization,issue_area,finding\n"
        "A1,Org A,Logement,Les loyers ont augmenté de 30 % en trois ans.\n"
        "A2,Org B,Liberté d'expression,Trois journalistes ont été arrêtés en 2025.\n",
        encoding="utf-8")
    config = parse_config("issue_areas:\n  - droits CIVILS et politiques: [Logement]\n",
                          str(tmp_path / "upr-summary.yaml"))
    build([str(tmp_path / "s.csv")], tmp_path / "out", config, formats=["md"], language="fr")
    md = (tmp_path / "out" / "executive-summary.md").read_text(encoding="utf-8")
    assert md.count("## Droits civils et politiques") == 1
    assert "droits CIVILS" not in md
    body = md.split("## Droits civils et politiques")[1]
    assert "### Logement" in body.split("\n## ")[0]
    assert "### Libertés fondamentales" in body.split("\n## ")[0]


def test_codebook_none_shows_the_datas_own_issue_areas_with_counts(runner, tmp_path):
    (tmp_path / "s.csv").write_text("submission,organization,issue_area,finding\n"
                                    "A1,Org,Logement,Les loyers ont augmenté.\n"
                                    "A2,Org B,Logement,Les expulsions ont doublé.\n"
                                    "A2,Org B,Santé,Deux hôpitaux ont fermé.\n", encoding="utf-8")
    shown = runner.invoke(cli, ["codebook", "show", "--codebook", "none", str(tmp_path)])
    assert shown.exit_code == 0, shown.output
    assert "Logement  (2 findings, 2 submissions)" in shown.stdout
    assert "Santé  (1 finding, 1 submission)" in shown.stdout   # one, not "1 findings"
    assert shown.stdout.index("Logement") < shown.stdout.index("Santé")
    alone = runner.invoke(cli, ["codebook", "show", "--codebook", "none"])
    assert alone.exit_code == 2 and "give the submissions" in alone.output
