"""`upr-summary init`: a new project folder with a project file, an intake sheet, a folder
for the returned submissions and a copy of the report's templates.

>>> create_project("my-review")                     # doctest: +SKIP
['my-review/upr-summary.yaml', 'my-review/submissions.xlsx', 'my-review/submissions', \
'my-review/templates']
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .errors import OutputError
from .fileio import atomic_write_bytes

#: Issue areas offered in the intake sheet's dropdown (members may type others).
DEFAULT_ISSUE_AREAS: tuple[str, ...] = (
    "International obligations",
    "National human rights framework",
    "Equality and non-discrimination",
    "Systemic racism",
    "Environment",
    "Business and human rights",
    "Police violence",
    "Mass incarceration",
    "Detention conditions",
    "Death penalty",
    "Voting rights",
    "Freedom of expression",
    "Human rights defenders",
    "Work",
    "Social security",
    "Housing",
    "Water and sanitation",
    "Food",
    "Health",
    "COVID-19",
    "Education",
    "Violence against women",
    "Children",
    "Persons with disabilities",
    "Indigenous Peoples",
    "Minorities",
    "Immigration",
    "Refugees and asylum seekers",
    "LGBTI persons",
    "Sex workers",
)

#: Intake sheet columns: header, required, what to write, example.
INTAKE_COLUMNS: tuple[tuple[str, str, str, str], ...] = (
    ("Submission", "yes",
     "The short code the report cites: your acronym, or JS1, JS2 ... for a joint submission. "
     "Use the same code on every row of your submission.", "EXAMPLE"),
    ("Organization", "yes",
     "Your organization's full name. For a joint submission, every member organization, "
     "separated by ';'.", "Harbour Tenants Union; Eastside Legal Aid"),
    ("City", "no", "Where your organization is based (shown in the list of contributors).",
     "Port Alder"),
    ("Type", "no",
     "individual, joint, nhri (national human rights institution) or other. Empty: joint for "
     "codes starting with JS, else individual.", "joint"),
    ("Issue area(s)", "no",
     "One or more issue areas from the dropdown (or your own words), separated by ';'.",
     "Housing; Children"),
    ("Key finding", "yes",
     "One key finding per row: one or two sentences, with the facts and figures that "
     "support it.",
     "Evictions of families with children rose by 40 per cent in the two years after the "
     "eviction moratorium ended."),
    ("Recommendation", "no",
     "What the State should do about this finding, starting with a verb.",
     "Adopt a statutory right to counsel in eviction proceedings."),
    ("Quote", "no", "A short testimony that illustrates the finding (with consent).",
     "We were given three days to leave with two children and nowhere to go."),
    ("Quote by", "no", "Who said it, as it may be printed (e.g. 'a mother in Port Alder').",
     "a mother in Port Alder"),
    ("URL", "no", "Link to your full submission or the source of the finding.",
     "https://example.org/upr-submission.pdf"),
    ("Contact e-mail", "no",
     "Who to contact about this submission. Private: never printed in any report.",
     "upr@example.org"),
    ("Confidential", "no",
     "yes if your organization must not be named in any report (it is then listed only as "
     "'Confidential submission').", "no"),
)

CONFIG_TEMPLATE = """\
# upr-summary project file. Every setting is optional; delete what you do not need.
# Lines starting with # are comments.

# --- The report -----------------------------------------------------------
title: Executive summary of civil society submissions
# subtitle: Universal Periodic Review, fourth cycle
# State under review, the review and its year:
# state: Republic of Example
# review: Fourth cycle of the Universal Periodic Review
# year: 2026
# The network or coalition that publishes the summary (also the document's author):
# network: Example Human Rights Network
# date: 2026-03-01
# introduction: >
#   One paragraph that opens the report: who you are, how the submissions were
#   collected, and what the summary is for.
# The summary's word budget, title to last theme section (default 2100, about 10 A4
# pages), and the themes it covers (default: all):
# max_words: 2100
# themes: [Housing, Health]
# exclude_themes: [COVID-19]

# --- Issue areas: their order in the report, and the headings they sit under.
# Issue areas not listed here are reported by `upr-summary validate` (with a
# "did you mean"), and come after the listed ones.
# issue_areas:
#   - Civil and political rights: [Police violence, Mass incarceration, Death penalty]
#   - Economic, social and cultural rights: [Housing, Water and sanitation, Food, Health]
#   - Rights of specific persons or groups: [Violence against women, Children, Immigration]

# --- Reading the submissions ----------------------------------------------
# When a sheet names a column differently, say which column holds which field
# (fields: submission, organization, type, issue_area, finding, recommendation,
# quote, quote_by, url, contact_email, confidential):
# columns:
#   finding: Main concern
#   issue_area: Thematic cluster
# Separators inside a cell (default ';'):
# separators:
#   issue_area: ";"
#   organization: ";"
# Read only this sheet of each workbook (default: every sheet with a header):
# sheet: Findings
# Force the text encoding of CSV files (default: detected; e.g. utf-8, cp1252, mac_roman):
# encoding: utf-8

# --- The report's wording ----------------------------------------------------
# Every sentence and heading of the report comes from the templates in the
# templates/ folder beside this file (see templates/README.txt): edit them there.
# To use another folder (relative to this file):
# templates: ../shared-templates

# --- Output file names -----------------------------------------------------
# output:
#   docx: executive-summary.docx
#   markdown: executive-summary.md
#   json: executive-summary.json
#   compilation-docx: compilation.docx
#   compilation-markdown: compilation.md
"""


def create_project(directory: str, force: bool = False) -> list[str]:
    """Write upr-summary.yaml, submissions.xlsx, submissions/ and templates/ (a copy of the
    shipped templates, see :mod:`upr_summary.project_templates`) in ``directory``.

    Refuses to overwrite existing files unless ``force``. Returns the paths written.
    """
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
        raise OutputError(f"{shown} already exist(s); use --force to overwrite.")
    if templates.is_symlink() or (templates.exists() and not templates.is_dir()):
        raise OutputError(f"{templates} is not a folder (or is a symbolic link): move it away "
                          "so that the templates can be copied there.")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(config, CONFIG_TEMPLATE.encode("utf-8"))
        atomic_write_bytes(intake, intake_workbook())
        copy_shipped(templates)
    except OSError as exc:
        raise OutputError(f"Cannot write in {directory}: {exc.strerror or exc}") from None
    return [str(config), str(intake), str(folder), str(templates)]


def intake_workbook(issue_areas: tuple[str, ...] = DEFAULT_ISSUE_AREAS) -> bytes:
    """The intake spreadsheet for member organizations, as .xlsx bytes."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    wb.properties.creator = "upr-summary"
    wb.properties.created = wb.properties.modified = dt.datetime(2026, 1, 1)
    ws = wb.active
    ws.title = "Submissions"
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    widths = (14, 40, 16, 12, 28, 60, 50, 40, 24, 30, 28, 13)
    for col, ((header, required, _, example), width) in enumerate(zip(INTAKE_COLUMNS, widths), 1):
        cell = ws.cell(1, col, header + (" *" if required == "yes" else ""))
        cell.font, cell.fill = bold, fill
        ws.cell(2, col, example).alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[cell.column_letter].width = width
    ws.freeze_panes = "A2"

    lists = wb.create_sheet("Lists")
    lists["A1"], lists["B1"], lists["C1"] = "Issue areas", "Types", "Confidential"
    for i, area in enumerate(issue_areas, 2):
        lists.cell(i, 1, area)
    for i, value in enumerate(("individual", "joint", "nhri", "other"), 2):
        lists.cell(i, 2, value)
    for i, value in enumerate(("no", "yes"), 2):
        lists.cell(i, 3, value)
    lists.sheet_state = "hidden"
    for column, last, col_letter in (("E", len(issue_areas) + 1, "A"), ("D", 5, "B"),
                                     ("L", 3, "C")):
        dv = DataValidation(type="list", formula1=f"=Lists!${col_letter}$2:${col_letter}${last}",
                            allow_blank=True, showErrorMessage=column != "E")
        if column == "E":
            dv.promptTitle, dv.prompt = "Issue areas", "Pick one, or type several separated by ';'."
            dv.showInputMessage = True
        dv.add(f"{column}2:{column}2000")
        ws.add_data_validation(dv)

    notes = wb.create_sheet("Notes")
    notes.append(["Column", "Required", "What to write", "Example"])
    for cell in notes[1]:
        cell.font, cell.fill = bold, fill
    for header, required, help_text, example in INTAKE_COLUMNS:
        notes.append([header, required, help_text, example])
    notes.append([])
    notes.append(["", "", "One row per key finding. Repeat the submission code on every row of "
                  "your submission. Delete the EXAMPLE row before you send the sheet back.", ""])
    for letter, size in zip("ABCD", (16, 10, 80, 50)):
        notes.column_dimensions[letter].width = size
    for row in notes.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
