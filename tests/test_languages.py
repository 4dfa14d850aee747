"""Reports in French and Spanish (issue 13): every fixed word of every output in the
language, numbers and dates as Babel writes them, text from submissions as written."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from docx import Document

from upr_summary.build import build
from upr_summary.config import load_config
from upr_summary.i18n import long_date, messages, number
from upr_summary.render.templating import PACKAGE_TEMPLATES

from .conftest import SAMPLE
from .docx_reading import read_footnotes
from .test_document import _data_strings, _space

GOLDEN = Path(__file__).parent / "data" / "golden"
ENGLISH = PACKAGE_TEMPLATES / "locale" / "en" / "LC_MESSAGES" / "messages.po"
_PLACEHOLDER = re.compile(r"%\([A-Za-z_]\w*\)[#0 +-]?\d*(?:\.\d+)?[sdifr]|%%")
_MARKUP = re.compile(r"[*_#>`|\[\]{}]|\\")


def _intentionally_same() -> set[str]:
    try:
        from .test_catalogues import INTENTIONALLY_SAME
    except ImportError:
        return set()
    return {msgid for same in INTENTIONALLY_SAME.values() for msgid in same}


def english_fragments() -> list[str]:
    """The fixed text of the English catalogue, as it can appear in an output: each message
    cut at its placeholders and markup, the pieces of two or more words, and the messages
    that are one word (those the languages write the same excepted)."""
    from babel.messages.pofile import read_po

    with open(ENGLISH, "rb") as fh:
        catalog = read_po(fh, locale="en")
    same = _intentionally_same()
    found: set[str] = set()
    for message in catalog:
        if not message.id:
            continue
        for form in (message.id if isinstance(message.id, tuple) else (message.id,)):
            if form in same:
                continue
            pieces = [p.strip(" .,;:()\u2026-\u2013\u2014\"'\u201c\u201d") for p in
                      _MARKUP.sub(" ", _PLACEHOLDER.sub("\n", form)).split("\n")]
            for piece in pieces:
                piece = _space(piece)
                words = re.findall(r"[^\W\d_]{2,}", piece)
                if len(words) >= 2 or (len(words) == 1 and piece == form.strip(" .:")):
                    found.add(piece)
    return sorted(found, key=len, reverse=True)


@pytest.fixture(scope="module", params=["fr", "es"])
def built(request, tmp_path_factory):
    out = tmp_path_factory.mktemp(f"out-{request.param}")
    result = build([SAMPLE], out, load_config([str(SAMPLE)]),
                   formats=["docx", "md", "compilation", "json"], language=request.param)
    return request.param, out, result


def _docx_texts(path: Path) -> list[str]:
    doc = Document(str(path))
    texts = [p.text for p in doc.paragraphs]
    texts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
    texts += [n.text for n in read_footnotes(doc)]
    props = doc.core_properties
    texts += [props.title, props.subject, props.keywords, props.comments]
    return [_space(t) for t in texts if t and t.strip()]


def _without_data(texts: list[str], data: list[str]) -> list[str]:
    out = []
    for text in texts:
        for value in data:
            if len(value) > 3 and value in text:
                text = text.replace(value, " \u2022 ")
        out.append(text)
    return out


def test_no_english_message_in_french_or_spanish_outputs(built):
    language, out, result = built
    # the data's texts (findings, names, places); not the lower-case keys of its tables
    data = sorted((d for d in _data_strings(result.summary, result.document)
                   if " " in d or not d.islower()), key=len, reverse=True)
    texts = _docx_texts(out / "executive-summary.docx") + _docx_texts(out / "compilation.docx")
    for name in ("executive-summary.md", "compilation.md"):
        md = (out / name).read_text(encoding="utf-8")
        texts += [_space(re.sub(r"\\(.)", r"\1", line)) for line in md.splitlines()]
    texts = _without_data(texts, data)
    left = []
    for fragment in english_fragments():
        pattern = re.compile(r"(?<!\w)" + re.escape(fragment) + r"(?!\w)")
        hits = [t for t in texts if pattern.search(t)]
        if hits:
            left.append((fragment, hits[0][:120]))
    assert not left, left[:15]


def test_json_labels_in_the_language(built):
    import json

    language, out, result = built
    data = json.loads((out / "executive-summary.json").read_text(encoding="utf-8"))
    assert data["language"] == language
    # the title as the report prints it: the project file's text in this language
    assert data["title"] == Document(str(out / "executive-summary.docx")).core_properties.title
    assert data["title"] == {"fr": "Résumé des communications de la société civile",
                             "es": "Resumen de las comunicaciones de la sociedad civil"}[language]
    assert data["themes"][0]["title"] == result.summary.sections[0].title


def test_docx_properties_and_proofing_language(built):
    language, out, _ = built
    doc = Document(str(out / "executive-summary.docx"))
    assert doc.core_properties.language.startswith(language)
    with zipfile.ZipFile(out / "executive-summary.docx") as z:
        styles = z.read("word/styles.xml").decode("utf-8")
    assert f'w:lang w:val="{language}-' in styles


def test_the_date_and_numbers_as_babel_writes_them(built):
    from babel.dates import format_date
    from babel.numbers import format_decimal

    language, out, result = built
    md = (out / "executive-summary.md").read_text(encoding="utf-8")
    import datetime as dt

    day = dt.date.fromisoformat(result.summary.date)
    assert format_date(day, format="long", locale=language) in md
    for n in (7, 1234, 56789, 1234567):
        assert number(n, language) == format_decimal(n, locale=language)
    assert long_date("2026-03-02", "fr") == "2 mars 2026"
    assert long_date("2026-03-02", "es") == "2 de marzo de 2026"
    assert long_date("2026-03-02", "en") == "2 March 2026"
    assert number(1234, "en") == "1,234"
    assert number(1234567, "fr") == "1\u202f234\u202f567"
    assert long_date("not a date", "fr") == "not a date"


def test_the_number_filter_of_the_templates_follows_the_language():
    from upr_summary.compose import environment
    from upr_summary.document import Values

    for language, expected in (("en", "12,345"), ("fr", "12\u202f345"), ("es", "12.345")):
        env = environment(Values("x"), None, language)
        assert env.filters["number"](12345) == expected
        assert env.filters["date"]("2026-12-01") == long_date("2026-12-01", language)


def test_text_from_submissions_is_never_translated(built):
    language, out, result = built
    md = (out / "executive-summary.md").read_text(encoding="utf-8")
    compilation = (out / "compilation.md").read_text(encoding="utf-8")
    english = (GOLDEN / "executive-summary.md").read_text(encoding="utf-8")
    # a finding stated in the English report is stated, word for word, in the compilation
    finding = "Only 35 per cent of train stations are accessible to wheelchair users."
    assert finding in english
    assert finding in compilation
    # and a member's name as the member wrote it
    assert "Domestic Workers Association, Port Alder" in md


@pytest.mark.parametrize("language", ["fr", "es"])
def test_markdown_matches_golden_file_per_language(tmp_path, language):
    import os

    build([SAMPLE], tmp_path, load_config([str(SAMPLE)]), formats=["md"], language=language)
    text = (tmp_path / "executive-summary.md").read_text(encoding="utf-8")
    golden = GOLDEN / f"executive-summary.{language}.md"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def test_a_language_a_user_adds(tmp_path):
    """A catalogue copied into the project's templates folder and partly translated: read
    at once, no compiling; what is not translated stays English; numbers and dates in the
    language; a broken one stops the build with its file and line; an unknown one exits 2."""
    from babel.messages.pofile import read_po, write_po
    from click.testing import CliRunner

    from upr_summary.cli import cli

    folder = tmp_path / "templates" / "locale" / "pt" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with open(ENGLISH, "rb") as fh:
        catalog = read_po(fh, locale="pt")
    catalog["Key concerns"].string = "Preocupações principais"
    catalog["Issue area"].string = "Área temática"
    with open(folder / "messages.po", "wb") as fh:
        write_po(fh, catalog)
    # stats reads it too, from the project's templates folder (language: in the project file)
    (tmp_path / "upr-summary.yaml").write_text("language: pt\n", encoding="utf-8")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "s.csv").write_text("submission,organization,issue_area,finding\n"
                                             "A1,Org,Housing,Rents rose.\n", encoding="utf-8")
    counted = CliRunner().invoke(cli, ["stats", str(tmp_path / "data"), "--format", "csv"])
    assert counted.exit_code == 0, counted.output
    assert counted.stdout.splitlines()[0].startswith("\ufeffÁrea temática,")
    out = tmp_path / "out"
    build([SAMPLE], out, load_config([str(SAMPLE)]), formats=["md"], language="pt",
          templates=str(tmp_path / "templates"))
    md = (out / "executive-summary.md").read_text(encoding="utf-8")
    assert "## Preocupações principais" in md and "Key concerns" not in md
    assert "## At a glance" in md  # not translated: English
    assert "2 de março de 2026" in md
    runner = CliRunner()
    unknown = runner.invoke(cli, ["build", str(SAMPLE), "-o", str(tmp_path / "o2"),
                                  "--language", "pt", "-q"])
    assert unknown.exit_code == 2 and "choose one of en, es, fr" in unknown.output
    text = (folder / "messages.po").read_text(encoding="utf-8")
    (folder / "messages.po").write_text(text.replace('msgstr "Preocupações principais"',
                                                     'msgstr "Preocupações principais'),
                                        encoding="utf-8")
    broken = runner.invoke(cli, ["build", str(SAMPLE), "-o", str(tmp_path / "o3"), "-q",
                                 "--language", "pt", "--templates", str(tmp_path / "templates")])
    assert broken.exit_code == 1 and "messages.po:" in broken.output
    assert not (tmp_path / "o3").exists() or not any((tmp_path / "o3").iterdir())


@pytest.mark.parametrize("language", ["fr", "es"])
def test_stats_headers_and_theme_names_in_the_language(language):
    import csv
    import io
    import json

    from click.testing import CliRunner

    from upr_summary.cli import cli
    from upr_summary.codebook import load_codebook

    _ = messages(language).gettext
    book = load_codebook("ohchr")
    runner = CliRunner()
    out = runner.invoke(cli, ["stats", str(SAMPLE), "--format", "csv", "-q", "--language",
                              language])
    assert out.exit_code == 0, out.output
    assert out.stdout.startswith("\ufeff")  # Excel reads the accents
    rows = list(csv.reader(io.StringIO(out.stdout[1:])))
    assert rows[0][:3] == [_("Issue area"), _("Group"), _("Submissions")]
    assert rows[-1][0] == _("Total (distinct)") and rows[-1][2] == "66"
    assert book.label("Housing", language) in {r[0] for r in rows[1:]}
    assert book.label("Civil and political rights", language) in {r[1] for r in rows[1:]}
    md = runner.invoke(cli, ["stats", str(SAMPLE), "--by", "type", "--format", "markdown",
                             "-q", "--language", language]).stdout
    assert md.startswith(f"| {_('Type')} | {_('Submissions')} |")
    assert f"| {_('joint')} |" in md
    table = runner.invoke(cli, ["stats", str(SAMPLE), "-q", "--language", language]).stdout
    assert _("Total (distinct)") in table
    # JSON is data: the same keys and values in every language
    data = json.loads(runner.invoke(cli, ["stats", str(SAMPLE), "--format", "json", "-q",
                                          "--language", language]).stdout)
    english = json.loads(runner.invoke(cli, ["stats", str(SAMPLE), "--format", "json",
                                             "-q"]).stdout)
    assert data == english


# --- the project file's own words, per language ------------------------------------------

def test_the_project_files_texts_in_the_reports_language(built):
    language, out, result = built
    md = (out / "executive-summary.md").read_text(encoding="utf-8")
    state = {"fr": "la République d'Arvénie", "es": "la República de Arvenia"}[language]
    network = {"fr": "Réseau arvénien des droits de l'homme",
               "es": "Red Arvenia de Derechos Humanos"}[language]
    # inside a sentence as state_in_sentence writes it, capitalised where it starts one
    said = {"fr": f"examen, {state} a reçu ", "es": f"anterior, {state} recibió "}[language]
    assert said in md
    assert f"\n{state[:1].upper() + state[1:]} " in md
    assert "Republic of Arvenia" not in md
    assert network in md and "Arvenian Human Rights Network" not in md
    assert not [w for w in result.problems + result.template_problems
                if w.code == "config-no-translation"]
    compilation = (out / "compilation.md").read_text(encoding="utf-8")
    # a recommendation quoted in the language's quotation marks
    opening, closing = {"fr": ("«\u00a0", "\u00a0»"), "es": ("«", "»")}[language]
    quoted = [line for line in compilation.splitlines()
              if line.startswith("- *") and not line.startswith("- **")]
    assert quoted and all(line.startswith("- *" + opening) and closing + "* \u2014 " in line
                          for line in quoted), quoted[:2]
    assert "\u201c" not in compilation and "\u201d" not in compilation


def test_english_keeps_the_article_rule_and_its_quotation_marks(tmp_path):
    from upr_summary.config import parse_config

    cfg = parse_config("state: Republic of Arvenia\nrecommendations: "
                       f"{(SAMPLE.parent / 'previous-recommendations.csv').as_posix()}\n",
                       str(tmp_path / "upr-summary.yaml"))
    build([SAMPLE], tmp_path / "out", cfg, formats=["md", "compilation"])
    md = (tmp_path / "out" / "executive-summary.md").read_text(encoding="utf-8")
    assert "review, the Republic of Arvenia received" in md
    assert "\nThe Republic of Arvenia received" in md
    assert "\u201c" in (tmp_path / "out" / "compilation.md").read_text(encoding="utf-8")


def test_texts_per_language_in_the_project_file(tmp_path):
    from upr_summary.config import parse_config

    cfg = parse_config("title:\n  fr: Résumé\n  es: Resumen\nstate: Arvenia\n"
                       "review:\n  en: Fourth review\n  fr-CA: Quatrième examen\n")
    assert cfg.title == "Résumé"          # no English text: the first one given
    assert cfg.state == "Arvenia" and cfg.review == "Fourth review"
    assert cfg.in_language("es").title == "Resumen"
    assert cfg.in_language("fr_CA").review == "Quatrième examen"
    assert cfg.in_language("fr").title == "Résumé"
    assert cfg.in_language("fr").review == "Fourth review"   # no fr: the first given
    assert cfg.in_language("fr_BE").title == "Résumé"          # the base language's
    assert cfg.in_language("de").title == "Résumé"
    warned = {(w.location.field, w.code) for w in cfg.untranslated("de")}
    assert warned == {("title", "config-no-translation"), ("review", "config-no-translation")}
    assert "'title' has no 'de' text; the report uses the 'fr' one" in \
        cfg.untranslated("de")[0].message
    assert [w.location.field for w in cfg.untranslated("fr")] == ["review"]
    assert cfg.untranslated("fr_CA") == []


@pytest.mark.parametrize("text, message", [
    ("title:\n  english: Summary\n", "'english' is not a language code"),
    ("title:\n  en: [a, b]\n", "'title.en' must be a single value"),
    ("title:\n  en:\n", "'title' gives no text in any language"),
    ("year:\n  en: 2026\n", "'year' must be a single value"),
])
def test_texts_per_language_mistakes_name_the_line(text, message):
    from upr_summary.config import parse_config
    from upr_summary.errors import ConfigError

    with pytest.raises(ConfigError) as caught:
        parse_config(text, "p.yaml")
    assert message in str(caught.value)
    assert str(caught.value).startswith("p.yaml:")


def test_a_build_warns_of_a_text_missing_in_its_language(tmp_path):
    from upr_summary.config import parse_config

    cfg = parse_config("title:\n  en: Our summary\n  fr: Notre résumé\n",
                       str(tmp_path / "upr-summary.yaml"))
    result = build([SAMPLE], tmp_path / "out", cfg, formats=["md"], language="es")
    assert [w.code for w in result.template_problems if w.location.field == "title"] == \
        ["config-no-translation"]
    assert not [w for w in result.problems if w.code == "config-no-translation"]
    assert "# Our summary" in (tmp_path / "out" / "executive-summary.md").read_text(
        encoding="utf-8")


def test_the_cli_shows_texts_missing_in_the_language(tmp_path):
    from click.testing import CliRunner

    from upr_summary.cli import cli

    (tmp_path / "upr-summary.yaml").write_text(
        "language: fr\ntitle:\n  en: Our summary\n  es: Nuestro resumen\n", encoding="utf-8")
    (tmp_path / "s.csv").write_text("submission,organization,issue_area,finding\n"
                                    "A1,Org,Logement,Les loyers ont augmenté.\n",
                                    encoding="utf-8")
    runner = CliRunner()
    checked = runner.invoke(cli, ["validate", str(tmp_path)])
    assert checked.exit_code == 0 and "'title' has no 'fr' text" in checked.output
    built = runner.invoke(cli, ["build", str(tmp_path), "-o", str(tmp_path / "out"),
                                "--language", "es", "--format", "md"])
    assert built.exit_code == 0, built.output
    assert "config-no-translation" not in built.output  # es is there
    built = runner.invoke(cli, ["build", str(tmp_path), "-o", str(tmp_path / "out2"),
                                "--format", "md"])
    assert built.exit_code == 0 and "'title' has no 'fr' text" in built.output


@pytest.mark.parametrize("given, shown", [("fr_CA", "fr-CA"), ("FR", "fr-FR"),
                                          ("fr-ca", "fr-CA"), ("es_MX", "es-MX")])
def test_a_regional_variant_uses_its_base_languages_catalogue(tmp_path, given, shown):
    result = build([SAMPLE], tmp_path, load_config([str(SAMPLE)]), formats=["docx", "md"],
                   language=given)
    md = (tmp_path / "executive-summary.md").read_text(encoding="utf-8")
    base = shown[:2]
    assert {"fr": "## Principales préoccupations", "es": "## Preocupaciones principales"}[base] \
        in md
    assert result.summary.sections[0].title in md
    with zipfile.ZipFile(tmp_path / "executive-summary.docx") as z:
        styles = z.read("word/styles.xml").decode("utf-8")
    assert f'w:lang w:val="{shown}"' in styles


@pytest.mark.parametrize("text, code", [("language: français\n", 2), ("language: de\n", 2),
                                        ("language: ../fr\n", 2)])
def test_a_wrong_language_in_the_project_file_names_it(tmp_path, text, code):
    from click.testing import CliRunner

    from upr_summary.cli import cli

    (tmp_path / "upr-summary.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "s.csv").write_text("submission,organization,issue_area,finding\n"
                                    "A1,Org,Housing,Rents rose.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", str(tmp_path), "-o", str(tmp_path / "out")])
    assert result.exit_code == code and "upr-summary.yaml" in result.output
    assert "language" in result.output and not (tmp_path / "out").exists()


def test_the_default_budget_is_ten_pages_in_each_language(built):
    """2,400 words in French and 2,250 in Spanish: about 10 pages, as 2,100 are in English
    (measured with LibreOffice, see the README); every contributing submission is cited."""
    import json

    from upr_summary.distil import default_max_words

    language, out, result = built
    data = json.loads((out / "executive-summary.json").read_text(encoding="utf-8"))
    assert data["budget"]["max_words"] == {"fr": 2400, "es": 2250}[language]
    assert data["budget"]["words"] <= data["budget"]["max_words"]
    assert data["budget"]["uncited"] == []
    assert default_max_words("fr_CA") == 2400 and default_max_words("pt") == 2100


@pytest.mark.parametrize("text", ['title: "Rapport\\x01 final"\n',
                                  'title: {fr: "Rapport\\x01 final\\u202e"}\n'])
def test_control_characters_in_the_project_files_texts_are_dropped(tmp_path, text):
    from upr_summary.config import parse_config

    cfg = parse_config(text, str(tmp_path / "upr-summary.yaml"))
    build([SAMPLE], tmp_path / "out", cfg, formats=["docx", "md"], language="fr")
    title = Document(str(tmp_path / "out" / "executive-summary.docx")).core_properties.title
    assert title == "Rapport final"


def test_a_huge_text_in_the_project_file_is_refused_at_once(tmp_path):
    from upr_summary.config import parse_config
    from upr_summary.errors import ConfigError

    with pytest.raises(ConfigError, match=r"cell-too-large.*introduction\.fr"):
        parse_config("introduction: {fr: " + "x" * 40_000 + "}\n", "p.yaml")


@pytest.mark.parametrize("language, state, said", [
    ("en", "the Republic of Arvenia", "of the Republic of Arvenia"),
    ("fr", "la République d'Arvénie", "de la République d'Arvénie"),
    ("fr", "le Bénin", "du Bénin"), ("fr", "les Philippines", "des Philippines"),
    ("fr", "Haïti", "d'Haïti"), ("es", "el Perú", "del Perú"),
    ("es", "la República de Arvenia", "de la República de Arvenia"),
])
def test_of_the_state_as_each_language_joins_them(language, state, said):
    from upr_summary.i18n import of_state

    assert of_state(state, language) == said


@pytest.mark.parametrize("language, subject", [
    ("en", "Universal Periodic Review of the Republic of Arvenia, fourth cycle (2026)"),
    ("fr", "Examen périodique universel de la République d'Arvénie, quatrième cycle (2026)"),
    ("es", "Examen Periódico Universal de la República de Arvenia, cuarto ciclo (2026)"),
])
def test_the_subject_reads_as_people_write_it(tmp_path, language, subject):
    """Issue 14, point 5: from cycle: 4, year: 2026 and the State, in the language, in the
    document and in the Word file's properties."""
    build([SAMPLE], tmp_path, load_config([str(SAMPLE)]), formats=["docx", "md"],
          language=language)
    assert f"**{subject}**" in (tmp_path / "executive-summary.md").read_text(encoding="utf-8")
    assert Document(str(tmp_path / "executive-summary.docx")).core_properties.subject == subject


@pytest.mark.parametrize("text, expected", [
    ("third cycle, 2021", (3, "2021")), ("Cycle 2 (2016)", (2, "2016")),
    ("4th UPR cycle", (4, None)), ("troisième cycle", (3, None)),
    ("3e cycle de l'EPU (2021)", (3, "2021")), ("tercer ciclo, 2021", (3, "2021")),
    ("first cycle – 2008", (1, "2008")),
    # not a cycle: shown as written
    ("session 40", None), ("2016", None), ("third", None), ("cycle 99", None), ("", None),
])
def test_a_review_cycle_is_read_so_each_language_can_say_it(text, expected):
    from upr_summary.i18n import review_cycle

    assert review_cycle(text) == expected


@pytest.mark.parametrize("language, said", [
    ("en", "(third cycle, 2021)"), ("fr", "(troisième cycle, 2021)"),
    ("es", "(tercer ciclo, 2021)"),
])
def test_the_earlier_review_is_named_in_the_reports_language(tmp_path, language, said):
    """The recommendations file says "third cycle, 2021" (English, as UPR Info writes it);
    the annex of a French or Spanish report says it in French or Spanish."""
    build([SAMPLE], tmp_path, load_config([str(SAMPLE)]), formats=["md"], language=language)
    text = (tmp_path / "executive-summary.md").read_text(encoding="utf-8")
    assert said in text
    if language != "en":
        assert "third cycle" not in text
