"""Extract the messages of the templates and of the Python code (marked with ``N_`` and
``NP_``, see ``upr_summary.i18n``) into the English catalogue and a .pot for translators,
with Babel, and bring every other language's catalogue in line with them (new messages
added untranslated, gone ones dropped, translations kept). Run after changing any wording:

    python tools/extract_messages.py          # writes the catalogues
    python tools/extract_messages.py --check  # exit 1 if one is out of date (the tests do)
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent.parent / "src" / "upr_summary" / "templates"
LOCALE = TEMPLATES / "locale"
PYTHON = TEMPLATES.parent


def extract():
    """A Babel catalogue of every message the templates use."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir

    catalog = Catalog(project="upr-summary", domain="messages", charset="utf-8",
                      fuzzy=False)
    method_map = [("**.j2", "jinja2")]
    options_map = {"**.j2": {"trimmed": "true", "newstyle_gettext": "true"}}
    for filename, lineno, message, comments, context in extract_from_dir(
            str(TEMPLATES), method_map, options_map, comment_tags=("Translators:",)):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments,
                    context=context)
    keywords = {"N_": None, "NP_": (1, 2)}
    for filename, lineno, message, comments, context in extract_from_dir(
            str(PYTHON), [("**.py", "python")], keywords=keywords,
            comment_tags=("Translators:",)):
        if "/templates/" in "/" + filename:
            continue
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments,
                    context=context)
    return catalog


def merged(path: Path, template) -> object:
    """The catalogue at ``path`` brought in line with ``template``'s messages."""
    from babel.messages.pofile import read_po

    with open(path, "rb") as fh:
        catalog = read_po(fh, locale=path.parent.parent.name)
    catalog.update(template, no_fuzzy_matching=True)
    catalog.obsolete.clear()
    return catalog


def write(catalog, path: Path, locale: str | None = None) -> bytes:
    from babel.messages.pofile import write_po

    if locale:
        catalog.locale = locale
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=90, omit_header=False, sort_output=False,
             include_lineno=False)
    data = buffer.getvalue()
    # A fixed header: the catalogue changes only when the messages do.
    lines = [line for line in data.split(b"\n") if not line.startswith(
        (b'"POT-Creation-Date', b'"PO-Revision-Date', b'"Generated-By', b"# Copyright",
         b"# FIRST AUTHOR", b"# This file is distributed"))]
    return b"\n".join(lines)


def main(argv: list[str]) -> int:
    catalog = extract()
    targets = {LOCALE / "messages.pot": None,
               LOCALE / "en" / "LC_MESSAGES" / "messages.po": "en"}
    others = sorted(p for p in LOCALE.glob("*/LC_MESSAGES/messages.po")
                    if p.parent.parent.name != "en")
    stale = []
    for path in [*targets, *others]:
        if path in targets:
            locale = targets[path]
            data = write(extract() if locale else catalog, path, locale)
        else:
            data = write(merged(path, catalog), path)
        if path.exists() and path.read_bytes() == data:
            continue
        if "--check" in argv:
            stale.append(str(path))
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            print(f"wrote {path}")
    if stale:
        print("Out of date (run python tools/extract_messages.py): " + ", ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
