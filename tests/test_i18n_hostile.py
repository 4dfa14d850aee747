"""Message catalogues a user adds, read as Babel reads them and refused at their own line
when they would make a wrong or huge report (issue 13's hostile review, cases 1-5, 7, 10,
11, 12 and po/*): the nplurals cap however Babel spells it, one huge translation, another
charset, CR line ends, a BOM, placeholders dropped or added, a plural rule that fails,
control characters, and language codes (length, a trailing newline, pt-BR folders,
languages Babel does not know)."""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import pytest

pytest.importorskip("babel")

from upr_summary import i18n  # noqa: E402
from upr_summary.errors import UsageError  # noqa: E402
from upr_summary.i18n import (  # noqa: E402
    catalogue_path,
    check_language,
    is_language_code,
    languages,
    long_date,
    translations,
)
from upr_summary.limits import MAX_MESSAGE_CHARS  # noqa: E402
from upr_summary.render.templating import PACKAGE_TEMPLATES, TemplateError  # noqa: E402

FRENCH = (PACKAGE_TEMPLATES / "locale" / "fr" / "LC_MESSAGES" / "messages.po").read_bytes()
PLURALS = b'"Plural-Forms: nplurals=2; plural=(n > 1);\\n"\n'
MADE = b'msgstr "R\xc3\xa9alis\xc3\xa9 avec upr-summary"'
HEADER = b'msgid ""'
MADE_ID = b'msgid "Made with upr-summary"'


def _line(data: bytes, needle: bytes) -> int:
    return data[:data.index(needle)].count(b"\n") + 1


def _catalogue(tmp_path: Path, data: bytes, language: str = "xx") -> Path:
    folder = tmp_path / "templates" / "locale" / language / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "messages.po").write_bytes(data)
    return tmp_path / "templates"


def _refused(tmp_path: Path, data: bytes, language: str = "xx") -> str:
    templates = _catalogue(tmp_path, data, language)
    with pytest.raises(TemplateError) as caught:
        translations(language, templates)
    return str(caught.value)


# -- 1. nplurals as Babel reads it ----------------------------------------------------------
@pytest.mark.parametrize("header", [
    b'"Plural-Forms: nplurals=1_000_000; plural=0;\\n"\n',
    b'"Plural-Forms: nplurals=+3000000; plural=0;\\n"\n',
    b'"Plural-Forms: nplurals=\\"100000000\\"; plural=0;\\n"\n',
    b'"Plural-Forms: NPLURALS=7; plural=0;\\n"\n',
    b'"Plural-Forms: npl"\n"urals=7; plural=0;\\n"\n',
    b'"Plural-Forms: nplurals*0=1; nplurals*1=000000; plural=0;\\n"\n',  # RFC 2231
    b'"Plural-Forms: nplurals=\xef\xbc\x97; plural=0;\\n"\n',  # a full-width 7
])
def test_nplurals_over_the_cap_however_written(tmp_path, header):
    data = FRENCH.replace(PLURALS, header)
    assert data != FRENCH
    tracemalloc.start()
    started = time.monotonic()
    try:
        said = _refused(tmp_path, data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "catalogue-too-large" in said
    assert f"messages.po:{_line(FRENCH, HEADER)}:" in said  # the header's line
    assert peak < 50 * 2**20 and time.monotonic() - started < 10


def test_no_plural_form_at_all_is_refused_clearly(tmp_path):
    said = _refused(tmp_path, FRENCH.replace(b"nplurals=2;", b"nplurals=0;"))
    assert "nplurals=0" in said


def test_a_second_header_cannot_raise_the_cap(tmp_path):
    data = FRENCH.replace(b'"MIME-Version', b'"Plural-Forms: nplurals=1000000; plural=0;\\n"\n'
                          b'"MIME-Version', 1)
    assert "catalogue-too-large" in _refused(tmp_path, data)


# -- 2. one huge translation --------------------------------------------------------------
def test_one_huge_translation_is_refused_at_its_line(tmp_path):
    data = FRENCH.replace(MADE, b'msgstr "' + b"x" * (MAX_MESSAGE_CHARS + 1) + b'"')
    said = _refused(tmp_path, data)
    assert "catalogue-message-too-long" in said
    assert f"messages.po:{_line(FRENCH, MADE_ID)}:" in said


def test_a_long_translation_within_the_limit_is_read(tmp_path):
    data = FRENCH.replace(MADE, b'msgstr "' + b"x" * MAX_MESSAGE_CHARS + b'"')
    result = translations("xx", _catalogue(tmp_path, data))
    assert len(result.gettext("Made with upr-summary")) == MAX_MESSAGE_CHARS


def test_the_limit_is_well_above_the_shipped_messages():
    from babel.messages.pofile import read_po

    for language in ("en", "fr", "es"):
        path = PACKAGE_TEMPLATES / "locale" / language / "LC_MESSAGES" / "messages.po"
        with open(path, "rb") as fh:
            longest = max(len(s) for m in read_po(fh) if m.id
                          for s in (m.string if isinstance(m.string, tuple) else (m.string,)))
        assert longest * 10 < MAX_MESSAGE_CHARS


# -- 3. checks that let wrong output through or blame the wrong file ---------------------
@pytest.mark.parametrize("charset", [b"latin-1", b"utf-16", b"base64", b"cp1252"])
def test_a_charset_other_than_utf8_is_refused(tmp_path, charset):
    said = _refused(tmp_path, FRENCH.replace(b"charset=utf-8", b"charset=" + charset))
    assert "UTF-8" in said and "charset=" in said


@pytest.mark.parametrize("charset", [b"UTF-8", b"utf8", b"CHARSET"])
def test_utf8_spelt_otherwise_is_read(tmp_path, charset):
    result = translations("xx", _catalogue(tmp_path, FRENCH.replace(b"charset=utf-8",
                                                                     b"charset=" + charset)))
    assert result.gettext("Made with upr-summary") == "Réalisé avec upr-summary"


@pytest.mark.parametrize("data", [
    FRENCH.replace(b"\n", b"\r"),  # old Mac
    FRENCH.replace(b"\n", b"\r\n"),  # Windows
    b"\xef\xbb\xbf" + FRENCH,  # Notepad's BOM
], ids=["cr", "crlf", "bom"])
def test_line_ends_and_bom_read_as_the_plain_file(tmp_path, data):
    result = translations("xx", _catalogue(tmp_path, data))
    assert result.gettext("Made with upr-summary") == "Réalisé avec upr-summary"
    assert result.ngettext("%(num)s finding", "%(num)s findings", 2) == "%(num)s constats"


def test_a_dropped_placeholder_is_refused_at_its_line(tmp_path):
    english = b'msgid "%(num)s %(reason)s"\nmsgstr "%(num)s %(reason)s"'
    assert english in FRENCH
    data = FRENCH.replace(english, b'msgid "%(num)s %(reason)s"\nmsgstr "%(num)s"')
    said = _refused(tmp_path, data)
    assert f"messages.po:{_line(FRENCH, english)}:" in said and "%(reason)s" in said


def test_an_added_placeholder_is_refused_at_its_line(tmp_path):
    said = _refused(tmp_path, FRENCH.replace(MADE, b'msgstr "R\xc3\xa9alis\xc3\xa9 avec %(title)s"'))
    assert f"messages.po:{_line(FRENCH, MADE_ID)}:" in said
    assert "%(title)s" in said


def test_a_plural_form_may_leave_out_the_count(tmp_path):
    data = FRENCH.replace(b'msgstr[0] "%(num)s organisation"', b'msgstr[0] "une organisation"')
    assert data != FRENCH
    result = translations("xx", _catalogue(tmp_path, data))
    assert result.ngettext("%(num)s organization", "%(num)s organizations", 1) \
        == "une organisation"


def test_a_plural_form_may_not_leave_out_another_placeholder(tmp_path):
    old = b'msgstr[1] "%(area)s (%(num)s constats)"'
    assert old in FRENCH
    said = _refused(tmp_path, FRENCH.replace(old, b'msgstr[1] "%(num)s constats"'))
    assert "%(area)s" in said and "msgstr[1]" in said


@pytest.mark.parametrize("rule", [b"(n / 0)", b"(n % 0)", b"n*1000000", b"0-5", b"(n > 1) + 1"])
def test_a_plural_rule_that_fails_is_refused_at_the_header(tmp_path, rule):
    said = _refused(tmp_path, FRENCH.replace(b"plural=(n > 1);", b"plural=" + rule + b";"))
    assert f"messages.po:{_line(FRENCH, HEADER)}:" in said and "Plural-Forms" in said


def test_without_a_plural_forms_line_the_catalogue_is_read(tmp_path):
    result = translations("xx", _catalogue(tmp_path, FRENCH.replace(PLURALS, b"")))
    assert result.gettext("Made with upr-summary") == "Réalisé avec upr-summary"


def test_a_po_syntax_error_names_the_line(tmp_path):
    data = FRENCH.replace(MADE, MADE + b"\nmsgstrx \"y\"")
    said = _refused(tmp_path, data)
    assert f"messages.po:{_line(FRENCH, MADE) + 1}:" in said


# -- 4. control characters ---------------------------------------------------------------
@pytest.mark.parametrize("raw", [b"\x00", b"\x01", b"\x1b[31m", b"\x0b", b"\x0c", b"\x7f",
                                 "\u0085".encode(), b"\\r"])
def test_a_control_character_is_refused_at_its_line(tmp_path, raw):
    said = _refused(tmp_path, FRENCH.replace(MADE, b'msgstr "R\xc3\xa9alis\xc3\xa9' + raw
                                             + b' avec upr-summary"'))
    assert f"messages.po:{_line(FRENCH, MADE)}:" in said \
        or f"messages.po:{_line(FRENCH, MADE_ID)}:" in said
    assert "control character" in said


def test_tab_and_line_break_in_a_message_are_kept(tmp_path):
    data = FRENCH.replace(MADE, b'msgstr "R\xc3\xa9alis\xc3\xa9\\tavec\\nupr-summary"')
    result = translations("xx", _catalogue(tmp_path, data))
    assert result.gettext("Made with upr-summary") == "Réalisé\tavec\nupr-summary"


def test_tab_and_line_break_in_a_message_build_a_report(tmp_path):
    """The message goes into the DOCX's properties and the Markdown: no internal error."""
    from click.testing import CliRunner

    from upr_summary.cli import cli

    root = Path(__file__).resolve().parent.parent
    sample = root / "data" / "submissions"
    if not sample.is_dir():
        pytest.skip("no sample data in this installation")
    data = FRENCH.replace(MADE, b'msgstr "R\xc3\xa9alis\xc3\xa9\\tavec\\nupr-summary"')
    templates = _catalogue(tmp_path, data)
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", str(sample), "-o", str(out), "-q",
                                      "--format", "docx,md", "--language", "xx",
                                      "--templates", str(templates)])
    assert result.exit_code == 0, result.output
    assert (out / "executive-summary.docx").is_file()


# -- 5. language codes -------------------------------------------------------------------
LONG = "abc" + "_abcdefgh" * 30


@pytest.mark.parametrize("code", [LONG, "fr\n", "fr_CA_x1_x2_x3x", "abc_" + "a" * 9])
def test_language_codes_are_bounded_and_matched_whole(code):
    assert not is_language_code(code)
    with pytest.raises(UsageError):
        check_language(code)


@pytest.mark.parametrize("code", ["en", "fr", "fr_CA", "zh-Hant", "zh_Hant_TW",
                                  "ca_ES_valencia"])
def test_real_language_codes_have_the_shape(code):
    assert is_language_code(code)


@pytest.mark.parametrize("command", [["build", "{sample}", "-o", "{out}"], ["stats", "{sample}"],
                                     ["init", "{out}"]])
def test_a_very_long_language_code_is_a_usage_error(tmp_path, command):
    from click.testing import CliRunner

    from upr_summary.cli import cli

    sample = Path(__file__).resolve().parent.parent / "data" / "submissions"
    args = [a.format(sample=sample, out=tmp_path / "out") for a in command]
    result = CliRunner().invoke(cli, args + ["--language", LONG])
    assert result.exit_code == 2, result.output
    assert "Internal error" not in result.output and "Traceback" not in result.output


def test_a_very_long_language_code_in_the_project_file_is_a_usage_error(tmp_path):
    from click.testing import CliRunner

    from upr_summary.cli import cli

    (tmp_path / "submissions").mkdir()
    (tmp_path / "submissions" / "s.csv").write_text(
        "submission,organization,finding,issue_area\nA1,Org,Something,Housing\n",
        encoding="utf-8")
    (tmp_path / "upr-summary.yaml").write_text(f"language: {LONG}\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", str(tmp_path / "submissions"), "-o",
                                      str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    assert "Internal error" not in result.output


@pytest.mark.parametrize("folder", ["pt-BR", "pt_br", "PT-br"])
def test_a_folder_spelled_otherwise_is_listed_and_found_the_same(tmp_path, folder):
    templates = _catalogue(tmp_path, FRENCH, language=folder)
    assert "pt_BR" in languages(templates)
    for asked in ("pt-BR", "pt_BR", "pt-br"):
        assert catalogue_path(asked, templates) is not None
        assert check_language(asked, templates) == "pt_BR"
        assert translations(i18n.normalized(asked), templates).gettext(
            "Made with upr-summary") == "Réalisé avec upr-summary"


def test_a_language_babel_does_not_know_writes_dates_day_first():
    assert long_date("2026-03-02", "xx") == "2 March 2026"
    assert long_date("2026-03-02", "fr_XX") == "2 mars 2026"  # its base language
    assert long_date("2026-03-02", "pt") == "2 de março de 2026"
