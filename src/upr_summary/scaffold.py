"""`upr-summary init`: a new project folder with a project file, an intake sheet, a folder
for the returned submissions and a copy of the report's templates.

>>> create_project("my-review")                     # doctest: +SKIP
['my-review/upr-summary.yaml', 'my-review/submissions.xlsx', 'my-review/submissions', \
'my-review/templates']
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import OutputError, UsageError
from .fileio import atomic_write_bytes
from .i18n import DEFAULT_LANGUAGE, N_, check_language, messages

if TYPE_CHECKING:
    from .codebook import Codebook

#: Intake sheet columns: header, required, what to write, example (each translated by the
#: catalogue of the project's language; the loader reads the headers in every language).
INTAKE_COLUMNS: tuple[tuple[str, bool, str, str], ...] = (
    (N_("Submission"), True,
     N_("The short code the report cites: your acronym, or JS1, JS2 ... for a joint "
        "submission. Use the same code on every row of your submission."), N_("EXAMPLE")),
    (N_("Organization"), True,
     N_("Your organization's full name. For a joint submission, every member organization, "
        "separated by ';'."), N_("Harbour Tenants Union; Eastside Legal Aid")),
    (N_("City"), False, N_("Where your organization is based (shown in the list of "
                           "contributors)."), "Port Alder"),
    (N_("Type"), False,
     N_("individual, joint, NHRI (national human rights institution) or other. Empty: joint "
        "for codes starting with JS, else individual."), N_("joint")),
    (N_("Issue area(s)"), False,
     N_("One or more issue areas from the dropdown (or your own words), separated by ';'."),
     N_("Housing; Children")),
    (N_("Key finding"), True,
     N_("One key finding per row: one or two sentences, with the facts and figures that "
        "support it."),
     N_("Evictions of families with children rose by 40 per cent in the two years after the "
        "eviction moratorium ended.")),
    (N_("Recommendation"), False,
     N_("What the State should do about this finding, starting with a verb."),
     N_("Adopt a statutory right to counsel in eviction proceedings.")),
    (N_("Quote"), False, N_("A short testimony that illustrates the finding (with consent)."),
     N_("We were given three days to leave with two children and nowhere to go.")),
    (N_("Quote by"), False,
     N_("Who said it, as it may be printed (e.g. 'a mother in Port Alder')."),
     N_("a mother in Port Alder")),
    ("URL", False, N_("Link to your full submission or the source of the finding."),
     "https://example.org/upr-submission.pdf"),
    (N_("Contact e-mail"), False,
     N_("Who to contact about this submission. Private: never printed in any report."),
     "upr@example.org"),
    (N_(N_("Confidential")), False,
     N_("yes if your organization must not be named in any report (it is then listed only "
        "as a confidential submission)."), N_("no")),
)
#: The values of the Type and Confidential dropdowns (the loader reads them in every
#: language the catalogues have).
TYPE_VALUES = (N_("individual"), N_("joint"), N_("NHRI"), N_("other"))
YES_NO = (N_("no"), N_("yes"))

#: The project file: comments (translated, wrapped) and settings (YAML keys stay English).
#: ``{title}`` is the default title in the project's language; ``{language}`` its code.
_CONFIG_PARTS: tuple[tuple[str, str], ...] = (
    ("#", N_("upr-summary project file. Every setting is optional; delete what you do not "
             "need. Lines starting with # are comments. An option on the command line wins "
             "over the setting here, and the setting over the default.")),
    ("", ""),
    ("=", N_("The report")),
    ("", "title: {title}"),
    ("#", N_("The language of the report's fixed words (en, fr, es, or a language whose "
             "catalogue you added to templates/locale/). Text from submissions is never "
             "translated.")),
    ("", "language: {language}"),
    ("", "# subtitle: {subtitle}"),
    ("#", N_("State under review, the review and its year:")),
    ("", "# state: {state}\n# review: {review}\n# year: 2026"),
    ("#", N_("The review's cycle, a number (4 for the fourth): without a subtitle, the "
             "report's subject then reads \"Universal Periodic Review of the State, fourth "
             "cycle (2026)\", in the report's language:")),
    ("", "# cycle: 4"),
    ("#", N_("How the State reads inside a sentence, where its name alone does not (with "
             "its article, for example):")),
    ("", "# state_in_sentence: {state_in_sentence}"),
    ("#", N_("The title, subtitle, state, state_in_sentence, review, network and "
             "introduction can each be given in several languages, one line per language "
             "code; a build takes the text of its language:")),
    ("", "# review:\n#   en: Fourth cycle of the Universal Periodic Review\n"
         "#   fr: Quatrième cycle de l'Examen périodique universel\n"
         "#   es: Cuarto ciclo del Examen Periódico Universal"),
    ("#", N_("The network or coalition that publishes the summary (also the document's "
             "author):")),
    ("", "# network: {network}\n# date: 2026-03-01"),
    ("#", N_("One paragraph that opens the report: who you are, how the submissions were "
             "collected, and what the summary is for:")),
    ("", "# introduction: >\n#   ..."),
    ("#", N_("The summary's word budget, title to last theme section (default %(words)s, "
             "about 10 A4 pages), and the themes it covers (default: all):")),
    ("", "# max_words: {max_words}\n# themes: [{theme1}, {theme2}]\n# exclude_themes: [{theme3}]"),
    ("", ""),
    ("=", N_(N_("Issue areas"))),
    ("#", N_("The codebook of themes that issue areas are matched to: ohchr (default), "
             "upr-info, none, or a .yaml/.qdc file:")),
    ("", "{codebook_line}"),
    ("#", N_("The order of the issue areas in the report, and the headings they sit under. "
             "Issue areas not listed here are reported by `upr-summary validate` (with a "
             "\"did you mean\"), and come after the listed ones.")),
    ("", "# issue_areas:\n#   - {group}: [{theme1}, {theme2}]"),
    ("", ""),
    ("=", N_("Reading the submissions")),
    ("#", N_("When a sheet names a column differently, say which column holds which field "
             "(fields: submission, organization, type, issue_area, finding, recommendation, "
             "quote, quote_by, url, contact_email, confidential):")),
    ("", "# columns:\n#   finding: {main_concern}\n#   issue_area: {cluster}"),
    ("#", N_("Separators inside a cell (default ';'):")),
    ("", '# separators:\n#   issue_area: ";"\n#   organization: ";"'),
    ("#", N_("Read only this sheet of each workbook (default: every sheet with a header):")),
    ("", "# sheet: {sheet}"),
    ("#", N_("Read hidden and very hidden sheets of workbooks too (default: they are "
             "skipped, with a warning):")),
    ("", "# include_hidden_sheets: false"),
    ("#", N_("Force the text encoding of CSV files (default: detected; e.g. utf-8, cp1252, "
             "mac_roman):")),
    ("", "# encoding: utf-8"),
    ("#", N_("The State's earlier UPR recommendations (a CSV or workbook, relative to this "
             "file), for the report's annex on them:")),
    ("", "# recommendations: previous-recommendations.csv"),
    ("", ""),
    ("=", N_("The report's wording")),
    ("#", N_("Every sentence and heading of the report comes from the templates in the "
             "templates/ folder beside this file (see templates/README.txt): edit them "
             "there. To use another folder (relative to this file):")),
    ("", "# templates: ../shared-templates"),
    ("", ""),
    ("=", N_("Building the report")),
    ("#", N_("The folder the report is written to (relative to this file; default: out, in "
             "the current folder) and its formats (docx, md, pdf, json, compilation):")),
    ("", "# output_folder: report\n# formats: [docx, md, compilation]"),
    ("#", N_("A Word file whose styles, page setup, header and footer the report takes "
             "(relative to this file):")),
    ("", "# reference_docx: letterhead.docx"),
    ("#", N_("Refuse to build when a finding would be left out (strict), and place "
             "untagged findings by their suggested issue areas (auto_tag):")),
    ("", "# strict: false\n# auto_tag: false"),
    ("#", N_("Where a rebuild keeps what it can reuse (relative to this file; default: "
             ".upr-summary-cache beside this file; false for none). It holds copies of the "
             "members' data: keep it as you keep the submissions, and delete it at any time:")),
    ("", "# cache: .upr-summary-cache"),
    ("", ""),
    ("=", N_("Output file names")),
    ("", "# output:\n#   docx: executive-summary.docx\n#   markdown: executive-summary.md\n"
         "#   pdf: executive-summary.pdf\n#   chart: executive-summary.png\n"
         "#   json: executive-summary.json\n#   compilation-docx: compilation.docx\n"
         "#   compilation-markdown: compilation.md\n#   compilation-pdf: compilation.pdf"),
)


def config_text(language: str = DEFAULT_LANGUAGE, codebook: str | None = None,
                book: Codebook | None = None) -> str:
    """The commented project file ``init`` writes, in ``language``; ``codebook``: the one
    the project uses (its name, or the path of its file from the project file), set in
    the file and its examples taken from it (default: ohchr, left commented)."""
    import textwrap

    from .distil import default_max_words

    _ = messages(language).gettext
    if book is None:
        book = _codebook(codebook or "ohchr")
    fields = {
        "title": _(N_("Executive summary of civil society submissions")),
        "subtitle": _(N_("Universal Periodic Review, fourth cycle")),
        "review": _(N_("Fourth cycle of the Universal Periodic Review")),
        "network": _(N_("Example Human Rights Network")),
        "language": language,
        "max_words": str(default_max_words(language)),
        "state": _(N_("Republic of Example")),
        # Translators: the State of the project file's example, inside a sentence.
        "state_in_sentence": _(N_("the Republic of Example")),
        # Translators: examples of a sheet's own column headers and sheet name.
        "main_concern": _(N_("Main concern")),
        "cluster": _(N_("Thematic cluster")),
        "sheet": _(N_("Findings")),
        **_examples(book, language),
        "codebook": codebook or "ohchr",
    }
    lines: list[str] = []
    for kind, text in _CONFIG_PARTS:
        if kind == "#":
            said = _(text)
            if "%(words)s" in text:
                said = said % {"words": fields["max_words"]}
            lines += textwrap.wrap(said, 78, initial_indent="# ", subsequent_indent="# ",
                                   break_on_hyphens=False)
        elif kind == "=":
            lines.append(f"# --- {_(text)} " + "-" * max(3, 70 - len(_(text))))
        else:
            values = {k: _yaml_scalar(v) for k, v in fields.items()}
            values["codebook_line"] = (f"codebook: {values['codebook']}" if codebook
                                       else "# codebook: ohchr")
            lines += text.format(**values).split("\n") if text else [""]
    return "\n".join(lines) + "\n"


def _yaml_scalar(text: str) -> str:
    """``text`` as a YAML value on one line: quoted when YAML would read it otherwise."""
    import json

    plain = text and text[0] not in "!&*[]{}|>'\"%@`#,?:-" and ": " not in text \
        and " #" not in text and text.strip() == text
    return text if plain else json.dumps(text, ensure_ascii=False)


@functools.cache
def _codebook(name: str = "ohchr") -> Codebook | None:
    """A codebook by name or file (None for ``none``), read once per run."""
    from .codebook import load_codebook

    return load_codebook(name)


def _examples(book: Codebook | None, language: str) -> dict[str, str]:
    """The themes and group the project file's examples name, from ``book`` and in
    ``language``: the default codebook's Housing and Health under their group, and
    COVID-19; another codebook's first group of two themes or more, and its last theme."""
    if book is None:
        _ = messages(language).gettext
        return {"group": _(N_("Group")), "theme1": _(N_("Theme A")),
                "theme2": _(N_("Theme B")), "theme3": _(N_("Theme C"))}
    names = {t.name for t in book.themes}
    if {"Housing", "Health", "COVID-19"} <= names:
        group = next(t.group for t in book.themes if t.name == "Housing")
        picked = ["Housing", "Health", "COVID-19"]
    else:
        by_group: dict[str | None, list[str]] = {}
        for t in book.themes:
            by_group.setdefault(t.group, []).append(t.name)
        group, members = next(((g, m) for g, m in by_group.items() if g and len(m) >= 2),
                              (None, [t.name for t in book.themes[:2]]))
        picked = [*members[:2], book.themes[-1].name]
        picked += [picked[-1]] * (3 - len(picked))
    return {"group": book.label(group, language) if group else _default_group(language),
            "theme1": book.label(picked[0], language), "theme2": book.label(picked[1], language),
            "theme3": book.label(picked[2], language)}


def _default_group(language: str) -> str:
    return str(messages(language).gettext(N_("Group")))


def _theme_names(language: str, codebook: str = "ohchr") -> list[str]:
    """The themes the intake sheet's dropdown offers: the project's codebook's, named in
    ``language`` (each resolves back to its theme, so `validate` accepts them); none for
    ``--codebook none`` (the cell then takes any text)."""
    book = _codebook(codebook)
    return book.theme_names(language) if book is not None else []


def create_project(directory: str, force: bool = False,
                   language: str = DEFAULT_LANGUAGE, codebook: str | None = None) -> list[str]:
    """Write upr-summary.yaml, submissions.xlsx, submissions/ and templates/ (a copy of the
    shipped templates, see :mod:`upr_summary.project_templates`) in ``directory``.

    Refuses to overwrite existing files unless ``force``. ``language``: the language of
    the intake sheet, the project file's comments and the reports it sets; ``codebook``:
    the project's codebook (ohchr, upr-info, none, or a file), set in the project file and
    offered in the intake sheet's dropdown. Returns the paths written.
    """
    language = check_language(language)
    written_codebook = None
    if codebook is not None:
        _codebook(codebook)  # a codebook that cannot be read: said before anything is written
        written_codebook = _codebook_setting(codebook, Path(directory))
    from .project_templates import FOLDER, copy_shipped, copy_targets

    root = Path(directory)
    if root.exists() and not root.is_dir():
        raise OutputError(f"{directory} exists and is not a folder.")
    config, intake, folder = root / "upr-summary.yaml", root / "submissions.xlsx", root / "submissions"
    templates = root / FOLDER
    existing = [str(p) for p in (config, intake, *copy_targets(templates))
                if p.exists() or p.is_symlink()]
    if existing and not force:
        shown = ", ".join(existing[:3]) + (f" and {len(existing) - 3} more" if len(existing) > 3 else "")
        one = len(existing) == 1
        raise UsageError(f"{shown} already {'exists' if one else 'exist'}: this folder holds a "
                         "project. Use --force to overwrite (your own copies of the templates "
                         "and the project file are replaced), or give another folder.")
    if templates.is_symlink() or (templates.exists() and not templates.is_dir()):
        raise OutputError(f"{templates} is not a folder (or is a symbolic link): move it away "
                          "so that the templates can be copied there.")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        text = config_text(language, written_codebook,
                           _codebook(codebook) if codebook is not None else None)
        atomic_write_bytes(config, text.encode("utf-8"))
        atomic_write_bytes(intake, intake_workbook(
            tuple(_theme_names(language, codebook)) if codebook else None, language))
        copy_shipped(templates, language)
    except OSError as exc:
        raise OutputError(f"Cannot write in {directory}: {exc.strerror or exc}") from None
    return [str(config), str(intake), str(folder), str(templates)]


def _codebook_setting(codebook: str, root: Path) -> str:
    """How the project file names ``codebook``: a built-in name as it is, a file by its
    path from the project's folder."""
    import os

    from .codebook import BUILTIN_NAMES

    if codebook in (*BUILTIN_NAMES, "none"):
        return codebook
    try:
        return Path(os.path.relpath(Path(codebook).resolve(), root.resolve())).as_posix()
    except ValueError:  # another drive (Windows)
        return Path(codebook).resolve().as_posix()


def intake_workbook(issue_areas: tuple[str, ...] | None = None,
                    language: str = DEFAULT_LANGUAGE) -> bytes:
    """The intake spreadsheet for member organizations, as .xlsx bytes, in ``language``
    (headers, notes, example row, dropdowns; ``issue_areas``: the dropdown's themes,
    default: the default codebook's, named in the language)."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    _ = messages(language).gettext
    areas = tuple(issue_areas) if issue_areas is not None else tuple(_theme_names(language))
    wb = Workbook()
    wb.properties.creator = "upr-summary"
    wb.properties.created = wb.properties.modified = dt.datetime(2026, 1, 1)
    wb.properties.language = language
    ws = wb.active
    ws.title = _(N_("Submissions"))
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    widths = (14, 40, 16, 12, 28, 60, 50, 40, 24, 30, 28, 13)
    for col, ((header, required, _help, example), width) in enumerate(zip(INTAKE_COLUMNS, widths),
                                                                       1):
        cell = ws.cell(1, col, _(header) + (" *" if required else ""))
        cell.font, cell.fill = bold, fill
        ws.cell(2, col, _(example)).alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[cell.column_letter].width = width
    ws.freeze_panes = "A2"

    lists = wb.create_sheet(_(N_("Lists")))
    lists["A1"], lists["B1"], lists["C1"] = _(N_("Issue areas")), _(N_("Types")), _(N_("Confidential"))
    for i, area in enumerate(areas, 2):
        lists.cell(i, 1, area)
    for i, value in enumerate(TYPE_VALUES, 2):
        lists.cell(i, 2, _(value))
    for i, value in enumerate(YES_NO, 2):
        lists.cell(i, 3, _(value))
    lists.sheet_state = "hidden"
    quoted = "'" + lists.title.replace("'", "''") + "'"
    for column, last, col_letter in (("E", len(areas) + 1, "A"), ("D", 5, "B"), ("L", 3, "C")):
        if column == "E" and not areas:  # --codebook none: any text
            continue
        dv = DataValidation(type="list",
                            formula1=f"={quoted}!${col_letter}$2:${col_letter}${last}",
                            allow_blank=True, showErrorMessage=column != "E")
        if column == "E":
            dv.promptTitle = _(N_("Issue areas"))[:32]
            dv.prompt = _(N_("Pick one, or type several separated by ';'."))[:255]
            dv.showInputMessage = True
        dv.add(f"{column}2:{column}2000")
        ws.add_data_validation(dv)

    notes = wb.create_sheet(_(N_("Notes")))
    notes.append([_(N_("Column")), _(N_("Required")), _(N_("What to write")), _(N_("Example"))])
    for cell in notes[1]:
        cell.font, cell.fill = bold, fill
    for header, required, help_text, example in INTAKE_COLUMNS:
        notes.append([_(header), _(YES_NO[required]), _(help_text), _(example)])
    notes.append([])
    notes.append(["", "", _(N_("One row per key finding. Repeat the submission code on every "
                               "row of your submission. Delete the EXAMPLE row before you send "
                               "the sheet back.")), ""])
    for letter, size in zip("ABCD", (16, 10, 80, 50)):
        notes.column_dimensions[letter].width = size
    for row in notes.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
