"""Every build setting in the project file, and the command line over it (issue 14,
point 9): command line, then project file, then default."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from upr_summary.cli import cli
from upr_summary.config import parse_config
from upr_summary.errors import ConfigError

ROWS = ("submission,organization,issue_area,finding\n"
        "A1,Org A,Housing,Rents rose by 30 per cent in three years.\n"
        "A2,Org B,,Two hospitals closed in the north.\n")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "submissions").mkdir()
    (tmp_path / "submissions" / "s.csv").write_text(ROWS, encoding="utf-8")
    return tmp_path


def _build(project: Path, settings: str, *options: str):
    (project / "upr-summary.yaml").write_text(settings, encoding="utf-8")
    return CliRunner().invoke(cli, ["build", str(project / "submissions"), *options])


def test_the_project_files_output_folder_and_formats(project, monkeypatch):
    monkeypatch.chdir(project.parent)
    result = _build(project, "output_folder: report\nformats: [md, json]\n")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (project / "report").iterdir()) == [
        "executive-summary.json", "executive-summary.md", "executive-summary.png"]
    # the command line wins over both
    result = _build(project, "output_folder: report\nformats: md, json\n",
                    "-o", str(project / "mine"), "--format", "docx")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (project / "mine").iterdir()) == ["executive-summary.docx"]
    assert not (project.parent / "out").exists()


def test_strict_and_auto_tag_from_the_project_file_and_overridden(project):
    strict = _build(project, "strict: yes\n", "-o", str(project / "a"))
    assert strict.exit_code == 1 and "--strict" in strict.output   # an untagged finding
    relaxed = _build(project, "strict: yes\n", "-o", str(project / "b"), "--no-strict")
    assert relaxed.exit_code == 0, relaxed.output
    tagged = _build(project, "strict: true\nauto_tag: on\n", "-o", str(project / "c"),
                    "--format", "md")
    assert tagged.exit_code == 0, tagged.output
    assert "Two hospitals closed" in (project / "c" / "executive-summary.md").read_text()


def test_the_reference_docx_from_the_project_file(project, tmp_path):
    from docx import Document

    reference = Document()
    reference.sections[0].header.paragraphs[0].text = "Network letterhead"
    reference.save(str(project / "letterhead.docx"))
    result = _build(project, "reference_docx: letterhead.docx\n", "-o", str(project / "o"),
                    "--format", "docx")
    assert result.exit_code == 0, result.output
    built = Document(str(project / "o" / "executive-summary.docx"))
    assert built.sections[0].header.paragraphs[0].text == "Network letterhead"


def test_include_hidden_sheets_from_the_project_file():
    assert parse_config("include_hidden_sheets: true\n").include_hidden_sheets is True
    assert parse_config("").include_hidden_sheets is False


@pytest.mark.parametrize("text, says", [("strict: maybe\n", "'strict' is true or false"),
                                        ("formats: {a: b}\n", "'formats' must be a list"),
                                        ("auto_tag: [1]\n", "'auto_tag' must be a single")])
def test_a_wrong_setting_names_its_line(text, says):
    with pytest.raises(ConfigError, match=says):
        parse_config(text, "p.yaml")


def test_init_writes_every_setting(tmp_path):
    from upr_summary.config import _KNOWN_KEYS
    from upr_summary.scaffold import config_text

    text = config_text("en")
    missing = [key for key in sorted(_KNOWN_KEYS) if f"{key}:" not in text]
    assert missing == []
    # the file init writes reads back with its defaults
    cfg = parse_config(text)
    assert cfg.language == "en" and cfg.strict is False and cfg.formats is None


def test_an_unknown_format_in_the_project_file_exits_2(project):
    result = _build(project, "formats: odt\n", "-o", str(project / "o"))
    assert result.exit_code == 2 and "odt" in result.output
    shutil.rmtree(project / "submissions")


@pytest.mark.parametrize("written, language, expected", [
    ("Executive summary of civil society submissions", "fr", None),
    ("Resumen ejecutivo de las comunicaciones de la sociedad civil", "en", None),
    ("Executive summary of civil society submissions", "en",
     "Executive summary of civil society submissions"),
    ("Our network's summary", "fr", "Our network's summary"),
])
def test_the_default_title_of_another_language_gives_way(written, language, expected):
    """`init` writes the default title in its language; a build in another language
    takes that language's default instead, and a title of the coordinator's own stays."""
    from upr_summary.config import Config

    if language == "en" and written.startswith("Resumen"):
        from upr_summary.i18n import messages
        written = messages("es").gettext("Executive summary of civil society submissions")
    assert Config(title=written).in_language(language).title == expected
