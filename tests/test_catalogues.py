"""The French and Spanish message catalogues translate every message of the English one.

For each language: every message of the English catalogue is there, translated (no empty
``msgstr``, no fuzzy flag, no ``msgstr`` equal to its English ``msgid`` unless listed in
INTENTIONALLY_SAME), with the same ``%(name)s`` placeholders, the same Markdown marks and
the same leading and trailing spaces; the catalogue is read by
``upr_summary.i18n.translations`` and Babel's ``catalog.check()`` finds nothing.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

babel = pytest.importorskip("babel")

from babel.messages.pofile import read_po  # noqa: E402

from upr_summary.i18n import translations  # noqa: E402
from upr_summary.render.templating import PACKAGE_TEMPLATES  # noqa: E402

LOCALE = PACKAGE_TEMPLATES / "locale"
LANGUAGES = ("fr", "es")

#: Messages whose translation is, rightly, the English text itself.
INTENTIONALLY_SAME: dict[str, dict[str, str]] = {
    "fr": {
        "%(what)s (%(year)s)": "placeholders and brackets only: nothing to translate",
        "%(num)s %(reason)s": "placeholders only: the words are in the reason's message",
        "%(states)s (%(response)s)": "placeholders and brackets only: nothing to translate",
        "cycle %(num)s": "the same words in French",
        "Type": "the same word in French (a column header)",
        "Total": "the same word in French (a column header)",
        "Types": "the same word in French (a column header of the intake sheet's lists)",
        "Notes": "the same word in French (the intake sheet's notes sheet)",
    },
    "es": {
        "%(review)s: %(state)s (%(year)s)": "placeholders only; Spanish writes the colon as "
                                            "English does",
        "%(review)s: %(state)s": "placeholders only; Spanish writes the colon as English does",
        "%(what)s (%(year)s)": "placeholders and brackets only: nothing to translate",
        "%(num)s %(reason)s": "placeholders only: the words are in the reason's message",
        "%(states)s (%(response)s)": "placeholders and brackets only: nothing to translate",
        "; ": "the separator of cited codes; Spanish writes the semicolon as English does",
        "Total": "the same word in Spanish (a column header)",
        "individual": "the same word in Spanish (a type of submission)",
        "no": "the same word in Spanish (the answer to 'Confidential')",
    },
}

_PLACEHOLDER = re.compile(r"%\(([A-Za-z_]\w*)\)[#0 +-]?\d*(?:\.\d+)?[sdifr]")
#: Marks whose number must not change: Markdown emphasis and code, brackets of a link or
#: of a withheld name, the field separator of the intake sheet's examples.
_MARKS = ("*", "`", "[", "]", "#", "|")


def _catalogue(language: str):
    with open(LOCALE / language / "LC_MESSAGES" / "messages.po", "rb") as fh:
        return read_po(fh, locale=language)


def _english():
    return {m.id: m for m in _catalogue("en") if m.id}


def _strings(message) -> list[str]:
    return list(message.string) if isinstance(message.string, (tuple, list)) \
        else [message.string]


def _ids(message) -> list[str]:
    return list(message.id) if isinstance(message.id, (tuple, list)) else [message.id]


def _key(message) -> str:
    return _ids(message)[0]


@pytest.fixture(scope="module", params=LANGUAGES)
def language(request) -> str:
    return request.param


@pytest.fixture(scope="module")
def pair(language):
    english = _english()
    translated = {m.id: m for m in _catalogue(language) if m.id}
    return language, english, translated


def test_every_english_message_is_in_the_catalogue(pair):
    language, english, translated = pair
    missing = [_key(m) for mid, m in english.items() if mid not in translated]
    assert not missing, f"{language}: run tools/extract_messages.py, then translate: {missing}"


def test_every_message_is_translated(pair):
    language, english, translated = pair
    same = INTENTIONALLY_SAME[language]
    untranslated, fuzzy, unchanged = [], [], []
    for mid in english:
        message = translated.get(mid)
        if message is None:
            continue
        if message.fuzzy:
            fuzzy.append(_key(message))
        strings = _strings(message)
        if not all(s and s.strip() for s in strings):
            untranslated.append(_key(message))
            continue
        ids = _ids(message)
        # msgstr[0] against the singular, the other forms against the plural
        as_english = [s == (ids[0] if i == 0 else ids[-1]) for i, s in enumerate(strings)]
        if any(as_english) and _key(message) not in same:
            unchanged.append(_key(message))
    assert not untranslated, f"{language}: empty msgstr: {untranslated}"
    assert not fuzzy, f"{language}: fuzzy: {fuzzy}"
    assert not unchanged, (f"{language}: msgstr equal to the English; translate it, or list "
                           f"it in INTENTIONALLY_SAME with why: {unchanged}")


def test_intentionally_same_lists_only_messages_that_are_the_same(pair):
    language, english, translated = pair
    for msgid in INTENTIONALLY_SAME[language]:
        assert msgid in english, f"{language}: {msgid!r} is no longer a message"
        assert _strings(translated[msgid]) == [msgid], \
            f"{language}: {msgid!r} is translated now; take it off INTENTIONALLY_SAME"


def test_placeholders_marks_and_spaces_are_kept(pair):
    language, english, translated = pair
    wrong = []
    for mid, source in english.items():
        message = translated.get(mid)
        if message is None:
            continue
        ids = _ids(source)
        wanted = sorted(set(_PLACEHOLDER.findall(" ".join(ids))))
        for i, text in enumerate(_strings(message)):
            original = ids[0] if i == 0 else ids[-1]
            if sorted(set(_PLACEHOLDER.findall(text))) != wanted:
                wrong.append((_key(source), "placeholders", text))
            if text.count("%%") != original.count("%%"):
                wrong.append((_key(source), "%%", text))
            for mark in _MARKS:
                if text.count(mark) != original.count(mark):
                    wrong.append((_key(source), mark, text))
            # ASCII spaces: a no-break space (French "\u00a0;") is a character
            for edge in (lambda t: t.lstrip(" \t\n"), lambda t: t.rstrip(" \t\n")):
                if (original != edge(original)) != (text != edge(text)):
                    wrong.append((_key(source), "leading or trailing space", text))
    assert not wrong, f"{language}: {wrong}"


def test_plural_messages_have_both_forms(pair):
    language, english, translated = pair
    for mid in english:
        if isinstance(mid, tuple):
            assert len(_strings(translated[mid])) == 2, f"{language}: {mid[0]!r}"


def test_babel_check_finds_nothing(language):
    catalog = _catalogue(language)
    problems = [(m.id, errors) for m, errors in catalog.check() if errors]
    assert not problems


def test_the_catalogue_is_read_by_the_report(language):
    result = translations(language)
    assert result.gettext("Key concerns") != "Key concerns"
    assert result.ngettext("%(num)s finding", "%(num)s findings", 2) % {"num": 2} \
        != "2 findings"


def test_french_typography_is_consistent():
    """A no-break space (U+00A0) before : ; ! ? and inside « », never a plain space; the
    field separator ';' of the intake sheet's examples and help is left as it is."""
    wrong = []
    for message in _catalogue("fr"):
        if not message.id:
            continue
        for text in _strings(message):
            if re.search(r" [:;!?»]|« ", text):
                wrong.append(text)
    assert not wrong


def test_the_sample_project_has_the_same_catalogues():
    """templates/ at the top of the repository (the sample's copy) holds the same files."""
    root = Path(__file__).resolve().parent.parent / "templates" / "locale"
    if not root.is_dir():
        pytest.skip("no sample templates folder in this installation")
    for language in LANGUAGES:
        relative = Path(language) / "LC_MESSAGES" / "messages.po"
        assert (root / relative).read_bytes() == (LOCALE / relative).read_bytes(), \
            f"copy {LOCALE / relative} to {root / relative}"
