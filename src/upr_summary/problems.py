"""The catalogue of problems: every problem code, declared once, and the one way to raise one.

Each :class:`Kind` has a stable kebab-case ``code``, a severity, a one-line ``meaning`` (the
README's table is generated from it), a ``message`` template saying what is wrong where it
was found, and a ``fix`` template saying how to put it right. Templates take
:meth:`str.format` fields (``{file}``, ``{limit:,}``); a field the caller does not give
must have a default in the catalogue.

>>> from upr_summary.model import Location
>>> p = problem("empty-file", Location("a.csv"), what="The file")
>>> p.code, p.severity, p.message
('empty-file', 'error', 'The file is empty. Write a header row and one row per finding in it.')
>>> problem("no-such-code", Location("a.csv"))
Traceback (most recent call last):
...
KeyError: "unknown problem code 'no-such-code'"

The README's table: ``python -m upr_summary.problems --markdown``.
"""

from __future__ import annotations

import string
import sys
from dataclasses import dataclass, field

from .limits import (
    MAX_CELL_CHARS,
    MAX_CODEBOOK_CODES,
    MAX_COLUMNS,
    MAX_DEPTH,
    MAX_FILES,
    MAX_FUZZY_LABELS,
    MAX_ISSUE_AREAS,
    MAX_KEY_CHARS,
    MAX_MERGED_CELLS,
    MAX_MERGED_RANGES,
    MAX_SHARED_STRINGS,
    MAX_TEMPLATE_MANIFEST_BYTES,
    MAX_VALUES_PER_CELL,
    MAX_YAML_CHARS,
    MAX_YAML_FINDINGS,
    MAX_YAML_VALUES,
)
from .model import Location, Problem, Severity

#: A key finding longer than this is probably a whole section pasted in.
MAX_FINDING_WORDS = 150
#: What a confidentiality flag may say, as the messages about one tell it.
CONFIDENTIAL_VALUES = ("write yes (keep the organization's name out of the report) or no; an "
                       "unclear flag is never read as public")
#: An organization name longer than this is probably a finding in the wrong column.
MAX_NAME_CHARS = 250


@dataclass(frozen=True)
class Kind:
    """One kind of problem: what it means, how its message reads and how to fix it."""

    code: str
    severity: Severity
    #: One line for the README's table: what the problem is, in general.
    meaning: str
    #: What is wrong where it was found (a str.format template).
    message: str
    #: How to put it right (a str.format template; may be empty when the message says it).
    fix: str = ""
    #: Values of fields a caller may leave out.
    defaults: dict[str, object] = field(default_factory=dict)
    #: Another severity a caller may give (an optional value left out is only a warning).
    also: Severity | None = None

    #: The names of the fields the templates use (worked out once).
    fields: frozenset[str] = field(init=False, repr=False)
    #: Those a caller must give.
    required: frozenset[str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        names = {name for template in (self.message, self.fix)
                 for _, name, _, _ in string.Formatter().parse(template) if name is not None}
        object.__setattr__(self, "fields", frozenset(names))
        object.__setattr__(self, "required", frozenset(names - set(self.defaults)))

    def text(self, /, **fields: object) -> str:
        """The message, fix included, with ``fields`` filled in.

        A field the templates lack, or one they need that is neither given nor defaulted,
        is a programming error (KeyError), caught by the tests.
        """
        if not self.fields.issuperset(fields):
            unknown = sorted(set(fields) - self.fields)
            raise KeyError(f"{self.code}: no field {', '.join(unknown)}")
        if not self.required.issubset(fields):
            missing = sorted(self.required - set(fields))
            raise KeyError(f"{self.code}: missing field {', '.join(missing)}")
        values = {**self.defaults, **fields} if self.defaults else fields
        text = self.message.format_map(values)
        return f"{text} {self.fix.format_map(values)}" if self.fix else text


_KINDS: list[Kind] = []


def _declare(code: str, severity: Severity, meaning: str, message: str, fix: str = "",
             also: Severity | None = None, **defaults: object) -> None:
    _KINDS.append(Kind(code, severity, meaning, message, fix, defaults, also))


# --- finding and opening the input files ---------------------------------------------------
_declare(
    "missing-file", "error", "a path given that does not exist (or a link to nothing)",
    "{what}", "Check the path.")
_declare(
    "no-input", "error", "no submissions file found where the paths point",
    "No submissions files (.csv, .xlsx, .yaml) found here.",
    "Give the files, or the folder that holds them.")
_declare(
    "unsupported-format", "error", "a file of a kind that is not read (an old .xls, a "
    "LibreOffice or Numbers workbook, any other file named on the command line)",
    "This is {kind}, which is not read: {remedy}.")
_declare(
    "unreadable-file", "error", "a file, folder or workbook that cannot be opened or is not "
    "text (a named pipe, socket or device named on the command line too: never opened; one "
    "in a folder is listed in the skipped-file warning)",
    "{what} cannot be read: {why}.",
    "Give the {formats} file itself, at a path you may read; if it is damaged or not text, "
    "open it in Excel or LibreOffice and save it again as .xlsx or CSV.",
    formats="CSV, Excel (.xlsx) or YAML")
_declare(
    "empty-file", "error", "a file, sheet or workbook with no rows",
    "{what} is empty.", "Write {content} in it.",
    content="a header row and one row per finding")
_declare(
    "skipped-file", "warning", "files in an input folder that are not CSV, XLSX or YAML: "
    "left unread",
    "{count} file(s) in this folder are not CSV, XLSX or YAML files and were not read: "
    "{listed}.", "Move them out of the folder, or ignore this if they are not submissions.")
_declare(
    "working-file-skipped", "warning", "a working file of upr-summary (classify's suggestions, "
    "the list of findings left out of a build) in an input folder: not read, its rows "
    "would count twice",
    "This is one of upr-summary's working files ({what}), in a folder with the files it "
    "came from: it was not read, so that its rows are not counted twice.", "Keep working "
    "files outside the submissions folder; to build from classify's file in place of the "
    "originals, name it on the command line.")
_declare(
    "symlink-loop", "warning", "a link back to a folder being read: read once",
    "This is a link back to {target} (a loop); it was {done}.",
    "Remove the link if it is a mistake.")
_declare(
    "symlink-outside", "warning", "a link inside an input folder to somewhere outside it: "
    "not followed",
    "This is a link to a file or folder outside the folder being read; it was not followed.",
    "Copy the file into the folder, or name it on the command line, to read it.")
_declare(
    "file-too-large", "error", "an input file, workbook or codebook over its size limit "
    "(see \"Bad input, limits and privacy\")",
    "{what} is {size}; {limit} at most is read.", "Is it the right file?")
_declare(
    "too-many-files", "error", f"more than {MAX_FILES:,} files in one run",
    "{count:,} files found; at most {limit:,} are read in one run.",
    "Give the folder of this review's submissions only.", limit=MAX_FILES)

# --- reading text and CSV ------------------------------------------------------------------
_declare(
    "legacy-encoding", "warning", "a file read as Windows-1252 or Mac Roman: check the "
    "example word",
    "Not UTF-8: read as {encoding}{example}.{doubt}",
    "If accented letters look wrong, save the file as UTF-8 ('CSV UTF-8' in Excel) or set "
    "encoding: in upr-summary.yaml.")
_declare(
    "undecodable-text", "error", "bytes that are not text in the file's encoding",
    "{what} not valid text in the file's encoding.",
    "Save the file as UTF-8 ('CSV UTF-8' in Excel) and check {check}.", check="the text")
_declare(
    "control-character", "warning", "invisible characters (a vertical tab pasted from Excel, "
    "NUL) removed",
    "{count} invisible control character(s) ({example}) removed.",
    "Check that the text reads as intended.", example="e.g. a vertical tab pasted from Excel")
_declare(
    "bidi-control", "warning", "bidirectional controls that would show the text after them "
    "reversed (a right-to-left override U+202E, an embedding, an isolate left open) removed; "
    "right-to-left text itself is untouched",
    "{count} bidirectional control character(s) removed (a right-to-left override U+202E, "
    "an embedding, or an isolate that is not closed): they would show the text after them "
    "reversed or out of order.",
    "Check that the text reads as intended; right-to-left text itself needs none of them.")
_declare(
    "unclosed-quote", "error", "a CSV quote that never closes: reported at the row where it "
    "opened; the lines after it are read again",
    "A quote (\") opens a cell in this row and is never closed, so the cell runs to the end "
    "of the file ({detail}). {then}",
    "Close the quote where the cell ends (or write a quote inside a cell as two quotes \"\") "
    "and save the file again.")
_declare(
    "swallowed-rows", "error", "a quoted CSV cell holding lines that start like rows of the "
    "sheet (a code such as RDC or JS12 and two separators, or on a wide sheet a row's worth "
    "of separators) or over 100 line breaks: reported at the row where it opened; the lines "
    "after it are read again",
    "A quoted cell that starts in this row runs on over the next lines ({detail}). {then}",
    "Close the quote where the cell ends (or write a quote inside a cell as two quotes \"\") "
    "and save the file again.")
_declare(
    "wrong-delimiter", "error", "a row that uses another separator than the header",
    "This row is one cell holding {separator!r} separators, unlike the header: the file "
    "mixes separators.", "Save the sheet again as CSV, with one separator.")
_declare(
    "extra-cells", "error", "more cells in a row than headers: a stray separator (row not "
    "read)",
    "This row has {count} cells but the header has {width}: a stray separator or a value "
    "beyond the last column.", "Put each value under its header.")

# --- the header and the cells of a sheet ---------------------------------------------------
_declare(
    "missing-column", "error", "a required column is not there",
    "No '{column}' column{where}. Headers found: {found}.",
    "Name a column '{column}', or {other}.", where="",
    other="map one in upr-summary.yaml under columns:")
_declare(
    "too-many-columns", "error", f"a header or a value beyond column {MAX_COLUMNS:,}",
    "{what}; at most {limit:,} columns are read.",
    "Delete what lies beyond the table (is this a submissions sheet?).", limit=MAX_COLUMNS)
_declare(
    "unrecognised-confidential-column", "error", "a column (or YAML key) that looks like a "
    "confidentiality flag but is not read as one: confidentiality is never guessed",
    "{what} looks like a confidentiality flag but {why}. Confidentiality is never guessed.",
    "Write the flag as {flag}, and delete or rename this one.",
    flag="one column 'confidential' (yes = keep the organization's name out of the report, "
    "no = name it)")
_declare(
    "unclear-confidential-column", "error", "an untitled or unrecognised column of yes/no "
    "answers with a yes in it: it may be a renamed confidentiality flag, never guessed",
    "{what} holds only yes/no answers ({count} yes), under a header that is not read as any "
    "column: it may be the confidentiality flag, renamed or cleared. Confidentiality is never "
    "guessed.",
    "If it says which organizations are confidential, title it Confidential (Confidentiel, "
    "Confidencial) or map it in upr-summary.yaml, under columns: 'confidential: {header}'; "
    "if it is about something else, say so there, under columns: 'ignore: [{header}]'.")
_declare(
    "confidential-elsewhere", "error", "a title above the header, a column that is no "
    "field (a note), the organization's name or the head of a finding (\"CONFIDENTIAL: "
    "...\") asks for confidentiality: the flag is read from its own column only, never "
    "guessed from elsewhere",
    "{what}: it asks for confidentiality, which is read only from the flag, {where}. "
    "Confidentiality is never guessed.",
    "Say it {where} (yes = keep the organization's name out of the report), then delete "
    "it here; or, if the column is about something else, list it in upr-summary.yaml, under "
    "columns: 'ignore: [‹header›]'.")
_declare(
    "confidential-column-by-dropdown", "warning", "a column whose header is not recognised "
    "but that carries the intake sheet's yes/no dropdown: read as the confidentiality flag",
    "{what} carries the yes/no dropdown of the Confidential column, under a header that is "
    "not read as any column: it is read as the confidentiality flag.",
    "Title it Confidential (Confidentiel, Confidencial), or map it in upr-summary.yaml, "
    "under columns: 'confidential: ‹its header›' (or 'ignore: [‹its header›]' if it is about "
    "something else).")
_declare(
    "duplicate-confidential-column", "error", "two confidentiality flags for one submission",
    "{names} are both confidentiality flags.", "Keep one, {flag}, and delete the other.",
    flag="a column 'confidential' (yes = keep the organization's name out of the report)")
_declare(
    "duplicate-column", "warning", "two columns that hold the same field: the first is used "
    "(an error at the first row where the other holds a different finding, recommendation or "
    "quote: it would be lost)",
    "Both {names} hold '{field}'; the first is used.", "Rename or delete one.", also="error")
_declare(
    "unknown-column", "warning", "a header that is not used, close to one that would be",
    "Column {column!r} is not used; did you mean '{guess}'?")
_declare(
    "cell-too-large", "error", f"a cell or YAML value over {MAX_CELL_CHARS:,} characters",
    "This {what} holds {count:,} characters; at most {limit:,} are read (a cell holds as "
    "many in Excel).", "Shorten it, or split it over several findings.", limit=MAX_CELL_CHARS)
_declare(
    "too-many-values", "error", f"over {MAX_VALUES_PER_CELL} issue areas or organizations "
    "in one cell, YAML submission or finding",
    "{count:,} {what} here; at most {limit} are read.",
    "Check the separator, or split the row (in YAML, keep the ones that matter here).",
    limit=MAX_VALUES_PER_CELL)

# --- workbooks -----------------------------------------------------------------------------
_declare(
    "missing-sheet", "error", "the sheet named by --sheet (or sheet:) is not in the workbook",
    "No sheet named {sheet!r}; the sheets are: {sheets}.",
    "Give one of them with --sheet (or sheet: in upr-summary.yaml).")
_declare(
    "hidden-sheet", "warning", "a hidden sheet that looks like data: left unread",
    "This sheet is {very}hidden in Excel, so it was not read.",
    "Unhide it (or delete it), or give --include-hidden-sheets to read it.")
_declare(
    "confidential-in-hidden-sheet", "error", "a hidden sheet flags as confidential a "
    "submission that a visible sheet of the workbook publishes",
    "This hidden sheet (not read) flags submission {code} as confidential, but a visible "
    "sheet names it without the flag.",
    "Unhide the sheet and keep one copy of the rows, with the Confidential column, or give "
    "--include-hidden-sheets to read it.")
_declare(
    "skipped-sheet", "warning", "a sheet without a submissions header: left unread",
    "This sheet has no header row with the submission, organization and finding columns, "
    "so it was not read.", "Add the header, or ignore this if it holds notes.")
_declare(
    "hidden-cells", "warning", "hidden rows or columns that hold data: read like the others",
    "{rows} hidden row(s) and {columns} hidden column(s) hold data ({shown}); they were read "
    "like the others.", "Unhide them in Excel to check what they hold, or delete them.")
_declare(
    "formula-without-value", "error", "a workbook formula saved without its calculated value",
    "Cell {cell} holds a formula saved without its value (the tool that wrote the workbook "
    "did not calculate it), so it cannot be read.",
    "Open the workbook in Excel or LibreOffice and save it, so that values are calculated.")
_declare(
    "sheet-too-large", "error", "a sheet over the cell or row limit",
    "This sheet {what}; at most {limit} are read.",
    "Delete what lies beyond the table, or split the sheet into several files.")
_declare(
    "too-many-merged-ranges", "error", f"more than {MAX_MERGED_RANGES:,} merged ranges in a "
    "sheet",
    "This sheet has more than {limit:,} merged ranges; at most that many are read.",
    "Unmerge the cells (Home > Merge > Unmerge).", limit=MAX_MERGED_RANGES)
_declare(
    "too-many-merged-cells", "error", f"merged ranges covering more than {MAX_MERGED_CELLS:,} "
    "cells of a sheet",
    "The merged ranges of this sheet cover more than {limit:,} cells of the table; at most "
    "that many are read.", "Unmerge the cells (Home > Merge > Unmerge).",
    limit=MAX_MERGED_CELLS)
_declare(
    "too-many-strings", "error", f"more than {MAX_SHARED_STRINGS:,} texts (or 100,000,000 "
    "characters) in a workbook's shared strings",
    "This workbook holds more than {limit:,} texts or {chars:,} characters of text; at most "
    "that much is read.", "Split it into several files.", limit=MAX_SHARED_STRINGS)

# --- YAML ----------------------------------------------------------------------------------
_declare(
    "yaml-syntax", "error", "a YAML file that is not valid YAML",
    "YAML syntax error: {what}.", "Check indentation, colons and quotes near this line.")
_declare(
    "yaml-not-mapping", "error", "a YAML submission that is not a mapping",
    "The file holds {kind}, but must hold one submission as a mapping (submission: ..., "
    "organization: ..., findings: ...).")
_declare(
    "yaml-unsafe-tag", "error", "a YAML tag (!!python/...): submissions hold plain text, "
    "lists and mappings only",
    "The tag {tag!r} is not allowed: submissions hold plain text, lists and mappings only.",
    "Remove the tag.")
_declare(
    "yaml-duplicate-key", "error", "a YAML key given twice in one mapping",
    "The key '{key}' appears twice in the same mapping.", "Keep one.")
_declare(
    "yaml-recursive", "error", "a YAML alias that refers to itself",
    "An alias refers to itself.", "Write the values out.")
_declare(
    "yaml-bad-key", "error", "a YAML key that is a list or mapping",
    "A key must be plain text.", "Write the key as a name, such as 'findings'.")
_declare(
    "yaml-too-large", "error", f"a YAML file over {MAX_YAML_VALUES:,} values, aliases expanded",
    "The YAML expands to more than {limit:,} values (aliases repeated many times?).",
    "Write the values out instead of using anchors and aliases.", limit=MAX_YAML_VALUES)
_declare(
    "yaml-too-much-text", "error", f"a YAML file over {MAX_YAML_CHARS:,} characters, aliases "
    "expanded",
    "The YAML holds more than {limit:,} characters of text (aliases expanded).",
    "A submission is far shorter: split the file, or write the values out instead of "
    "repeating anchors.", limit=MAX_YAML_CHARS)
_declare(
    "yaml-too-deep", "error", f"YAML lists and mappings nested more than {MAX_DEPTH} deep",
    "The YAML nests lists and mappings more than {limit} deep.",
    "A submission needs three levels (submission, findings, finding): check for stray '[' "
    "or '{{'.", limit=MAX_DEPTH)
_declare(
    "yaml-key-too-long", "error", f"a YAML key over {MAX_KEY_CHARS} characters",
    "A key of {count:,} characters; keys are names such as 'findings' (at most {limit} "
    "characters).", "Check for a missing colon or line break.", limit=MAX_KEY_CHARS)
_declare(
    "unknown-key", "warning", "a YAML key that is not used",
    "{what}: ignored.{hint}", "Correct the key (the README lists them), or delete it.",
    hint="")
_declare(
    "duplicate-key", "warning", "two YAML keys for the same field: the first is used",
    "'{key}' repeats '{first}'.", "Keep one.")
_declare(
    "too-many-findings", "error", f"over {MAX_YAML_FINDINGS:,} findings in one YAML submission",
    "{count:,} findings in one submission; at most {limit:,} are read.",
    "Keep the findings the submission makes, or split it into several files.",
    limit=MAX_YAML_FINDINGS)

# --- putting submissions together ----------------------------------------------------------
_declare(
    "missing-value", "error", "no submission code, organization, finding or recommendation "
    "text",
    "{what}.", "Fill it in, or delete the {row}.", row="row")
_declare(
    "invalid-value", "error", "a value that means nothing for its field (a type, a "
    "confidentiality flag, a list where one text goes; an earlier recommendation's action "
    "category: a warning, left out)",
    "{what} is {value}, which is not valid: {expected}.", also="warning")
_declare(
    "invalid-code", "error", "a submission code with special or invisible characters (JS1², "
    "a zero-width space): the row is not read",
    "Submission code {why}. The row was not read.")
_declare(
    "example-row", "warning", "the intake sheet's example row: skipped",
    "The example row of the intake sheet was skipped.", "Delete it when you fill in the sheet.")
_declare(
    "conflicting-organization", "error", "one code, two organizations",
    "Submission {code} has a different organization here than at {prior}.",
    "One code must name one organization (or one set of members): correct the code or the "
    "name.")
_declare(
    "conflicting-type", "error", "one code, two types",
    "Submission {code} is {first} at {prior} but {type} here.", "Give it one type.")
_declare(
    "conflicting-confidential", "warning", "a submission confidential on one row and not on "
    "another: treated as confidential",
    "Submission {code} is marked confidential on one row and not on another; it is treated "
    "as confidential.", "Mark every row the same.")
_declare(
    "too-many-issue-areas", "error", f"more than {MAX_ISSUE_AREAS:,} different issue areas in "
    "one run",
    "The submissions use {count:,} different issue areas; at most {limit:,} are read in one "
    "run (a report has a few dozen). This is the first over the limit: is this column "
    "really the issue area?", "Use the themes of the codebook, separated by ';'.",
    limit=MAX_ISSUE_AREAS)
_declare(
    "issue-area-matched", "warning", "an issue area read as a codebook theme by a close "
    "spelling or its words (\"did you mean 'Housing'?\")",
    "Issue area {area!r}{uses} is not in the {codebook} codebook; it was read as {theme!r}, "
    "{why}.", "If that is the theme meant, write '{theme}' (or its name in another language "
    "of the codebook), or add the spelling to the codebook as an alias; if not, correct "
    "it.", why="by its spelling")
_declare(
    "unknown-issue-area", "warning", "an issue area the codebook does not have (with "
    "--codebook none: one not in the project's list, or a rare spelling close to a common "
    "one)",
    "Issue area {area!r}{uses} {why}.{hint}", "Correct it, or add it to {add_to}.", uses="",
    hint="", add_to="the codebook (or to issue_areas in upr-summary.yaml)")
_declare(
    "fuzzy-matching-skipped", "warning", f"over {MAX_FUZZY_LABELS:,} issue areas not in the "
    "codebook: the rest were not compared with its names for a close spelling",
    "More than {limit:,} issue areas are not in the {codebook} codebook; the other "
    "{count:,} were not compared with its names for a close spelling (they are unknown "
    "issue areas).", "Correct the issue areas, or give the project's own list (issue_areas "
    "in upr-summary.yaml).", limit=MAX_FUZZY_LABELS)

# --- checks of the content (checks.py) -----------------------------------------------------
_declare(
    "untagged", "warning", "a finding without an issue area",
    "No issue area: this finding cannot be placed in a section.",
    "Add one or more issue areas separated by ';'.")
_declare(
    "duplicate-finding", "warning", "the same finding twice in one submission: with the "
    "same issue areas (a row pasted twice) it is counted once",
    "The same finding appears twice in {code} (first at {first}){how}.", "Delete one.")
_declare(
    "long-finding", "warning", f"a finding over {MAX_FINDING_WORDS} words",
    "This finding has {count} words; a key finding reads best under {limit}.",
    "Shorten it or split it into several findings.", limit=MAX_FINDING_WORDS)
_declare(
    "long-value", "warning", f"an organization name over {MAX_NAME_CHARS} characters",
    "An organization name of {count:,} characters: is this the right column?",
    "Names this long make the annex hard to read: shorten it.")
_declare(
    "joint-without-members", "warning", "a joint submission that lists no members",
    "{code} is a joint submission but lists no member organizations.",
    "List them in 'organization' separated by ';'.")
_declare(
    "members-on-individual", "warning", "several organizations on a submission that is not "
    "joint",
    "{code} names several organizations separated by ';' but its type is {type}.",
    "Set type to joint if it is a joint submission.")
_declare(
    "invalid-email", "warning", "a contact e-mail address that does not look like one",
    "This does not look like an e-mail address (name@domain.org).",
    "Correct it in the contact_email column.")
_declare(
    "email-in-text", "warning", "an e-mail address in a submission's text: withheld from "
    "published outputs",
    "An e-mail address ({email}) is written in {field}: it is withheld from every published "
    "output.", "Put contact addresses in the contact_email column, and remove it here.")
_declare(
    "phone-in-text", "warning", "a telephone number in a submission's text (an international "
    "one, or one after a word such as tel, WhatsApp, call): withheld from published outputs",
    "A telephone number ({phone}) is written in {field}: it is withheld from every "
    "published output.", "Keep contact numbers out of the submission's texts (the "
    "coordinator has them from the member), and remove it here.")
_declare(
    "code-reveals-confidential", "error", "a public submission's code holds a confidential "
    "submission's code as a word or its name (RBC-2 next to a confidential RBC)",
    "The code {code!r} holds a confidential submission's code or name, and published "
    "outputs print it as it is.", "Rename one of the two codes.")
_declare(
    "confidential-code-common-word", "warning", "a confidential code that is a common word "
    "or under 3 letters: withheld wherever the word occurs",
    "The confidential submission's code {value!r} is a common word or shorter than 3 "
    "letters: published outputs withhold it wherever it occurs as a word, in every text.",
    "Give the submission a longer, distinctive code.")
_declare(
    "confidential-name-common-word", "warning", "a confidential organization's name that is "
    "a common word or under 3 letters: withheld wherever the word occurs",
    "The confidential submission's name {value!r} is a common word or shorter than 3 "
    "letters: published outputs withhold it wherever it occurs as a word, in every text.",
    "Give the submission a full name.")
_declare(
    "no-findings", "error", "headers but no rows",
    "No {items} were read: {why}.", "Add one row per {item}.",
    items="findings", item="key finding")

# --- the project file, earlier recommendations, codebooks ----------------------------------
_declare(
    "config-unknown-key", "warning", "a setting of the project file that is not used",
    "Unknown setting '{key}' is ignored.{hint}", "Correct it (upr-summary init writes a "
    "project file with every setting explained), or delete it.", hint="")
_declare(
    "output-from-earlier-build", "warning", "report files in the output folder that this "
    "build did not write (it wrote other formats): left from an earlier build, possibly in "
    "another language or from other data",
    "The output folder also holds {files}, left from an earlier build: {count} file(s) "
    "this build did not write, which may not match it.", "Delete them, or build all the "
    "formats again (--format docx,md,compilation and any others you publish).")
_declare(
    "config-no-translation", "warning", "a text the project file gives per language, but "
    "not in the report's language",
    "'{key}' has no '{language}' text; the report uses the '{used}' one.", "Add a "
    "'{language}:' line under '{key}' with the text in that language.")
_declare(
    "unknown-response", "warning", "an earlier recommendation's response that is not "
    "supported, noted or pending: counted as other",
    "Response {response!r} is counted as 'other'.", "Use supported (accepted), noted or "
    "pending.")
_declare(
    "duplicate-recommendation", "warning", "the same earlier recommendation from the same State "
    "twice in one cycle",
    "The same recommendation by {state} is also at {first}{answers}; both are counted.",
    "Delete the copy; where the answers differ, keep the State's final answer.")
_declare(
    "codebook-too-large", "error", f"a codebook (or a project's issue_areas list) of more "
    f"than {MAX_CODEBOOK_CODES:,} codes",
    "{what} more than {limit:,} codes; a report has far fewer themes.",
    "Keep the themes of this review.", limit=MAX_CODEBOOK_CODES)
_declare(
    "codebook-too-deep", "error", f"codes or elements nested more than {MAX_DEPTH} deep in a "
    ".qdc codebook",
    "{what} nest more than {limit} deep; a codebook has groups and themes, two or three "
    "levels.", "Check the file.", limit=MAX_DEPTH)
_declare(
    "codebook-unsafe-xml", "error", "a .qdc codebook that declares a DTD (entities are never "
    "expanded)",
    "The codebook declares a DTD (<!DOCTYPE ...>); a REFI-QDA codebook has none, and "
    "entities are not expanded.", "Remove the declaration.")
_declare(
    "codebook-bad-language", "error", "a key of a codebook's names: that is not a language "
    "code (fr, es, pt_BR), or a language given twice",
    "The language {code!r} of names: {why}.",
    "Use a code such as fr, es or pt_BR, once per theme or group.",
    why="is not a language code")
_declare(
    "codebook-bad-name", "error", "a codebook's names: that is not a mapping of language codes "
    "to names, or a name there that is empty or not a single text (a list, a mapping)",
    "{what} {why}.", "Under names:, write one name per language code (fr: Logement).")
_declare(
    "codebook-name-taken", "error", "a theme's name in another language that another theme "
    "already has (as its id, name, alias or name in a language), or two groups with one name",
    "The {language} name {other!r} of {theme!r} is already {taken!r}'s: an issue area "
    "written so would match either.", "Give each theme its own name in each language.")


# --- the project's templates folder (build) -------------------------------------------------
_declare(
    "template-outdated", "warning", "a template in the project's templates/ folder copied "
    "from an older version of the shipped one (the message says how to update it)",
    "This copy was made from an older version of the shipped template {name}, which has "
    "changed since: the report may lack what the new one adds.", "{how}")
_declare(
    "template-manifest-unreadable", "warning", "the manifest of the copied templates cannot "
    "be read: copies older than the shipped templates are not looked for",
    "The manifest of the copied templates cannot be read ({why}), so copies older than the "
    "shipped templates are not looked for.", "Delete it, or run `upr-summary init` in a new "
    "folder to get a fresh {manifest}.")
_declare(
    "template-manifest-too-large", "warning", "a manifest of the copied templates over "
    f"{MAX_TEMPLATE_MANIFEST_BYTES // 2**20} MiB: not read",
    "The manifest is larger than {limit:,} bytes and is not read, so copies older than the "
    "shipped templates are not looked for.", "Run `upr-summary init` in a new folder to get "
    "a fresh {manifest}.", limit=MAX_TEMPLATE_MANIFEST_BYTES)

#: Every kind of problem, by code, in the order of the README's table.
CATALOGUE: dict[str, Kind] = {kind.code: kind for kind in _KINDS}
assert len(CATALOGUE) == len(_KINDS), "a code is declared twice"


def kind(code: str) -> Kind:
    """The catalogue's entry for ``code``; an unknown code is a KeyError."""
    try:
        return CATALOGUE[code]
    except KeyError:
        raise KeyError(f"unknown problem code {code!r}") from None


def problem(code: str, location: Location, severity: Severity | None = None, /,
            **fields: object) -> Problem:
    """The problem ``code`` at ``location``, its message filled in from ``fields``.

    ``severity`` may be given only where the catalogue allows a second one.
    """
    entry = kind(code)
    if severity is not None and severity not in (entry.severity, entry.also):
        raise ValueError(f"{code} is never a{'n' * (severity == 'error')} {severity}")
    return Problem(code, entry.text(**fields), location, severity or entry.severity)


def message(code: str, /, **fields: object) -> str:
    """The message of ``code`` alone, for an error raised rather than reported (a codebook
    or project file that cannot be used)."""
    return kind(code).text(**fields)


class _Placeholder:
    """A field of a fix shown in the README: ``‹column›``."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __format__(self, spec: str) -> str:
        return f"‹{self.name}›"


class _Shown(dict[str, object]):
    def __missing__(self, key: str) -> object:
        return _Placeholder(key)


def markdown_table() -> str:
    """The README's table of problem codes, one row per code."""
    lines = ["| code | severity | meaning | how to fix |", "| --- | --- | --- | --- |"]
    for entry in CATALOGUE.values():
        fix = entry.fix.format_map(_Shown(entry.defaults)) if entry.fix else ""
        severity = entry.severity + (f" (or {entry.also})" if entry.also else "")
        cells = [f"`{entry.code}`", severity, entry.meaning, fix or "see the message"]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    if argv != ["--markdown"]:
        print("usage: python -m upr_summary.problems --markdown", file=sys.stderr)
        return 2
    sys.stdout.write(markdown_table())
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
