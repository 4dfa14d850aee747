"""Documented maxima: a mistaken 5 GB file, or a small hostile one that would expand to
gigabytes, is refused with a clear problem, not swallowed. Every reader counts what it
builds (values after alias expansion, nesting, codes), not what the file says it holds.

| what | maximum | problem code |
| --- | --- | --- |
| one input file | 200 MiB | file-too-large |
| files read in one run | 10,000 | too-many-files |
| a workbook, uncompressed | 1 GiB | file-too-large |
| columns in a sheet | 1,000 | too-many-columns |
| characters in one cell or YAML value | 32,767 (Excel's own limit) | cell-too-large |
| issue areas or member organizations in one cell, or on one YAML finding or submission | 200 | too-many-values |
| line breaks in one quoted CSV cell | 100 | swallowed-rows |
| different issue areas in one run (after matching case, accents and punctuation) | 5,000 | too-many-issue-areas |
| issue areas not in the codebook looked at for a close spelling, per run | 1,000 | fuzzy-matching-skipped (warning) |
| values in one YAML file (anchors expanded) | 200,000 | yaml-too-large |
| characters in one YAML file (anchors expanded) | 20,000,000 | yaml-too-much-text |
| lists and mappings nested in a YAML file (submission, project file, codebook) | 50 deep | yaml-too-deep |
| characters in one YAML key | 500 | yaml-key-too-long |
| findings in one YAML submission | 10,000 | too-many-findings |
| codes (themes and groups) in a codebook, YAML or .qdc | 10,000 | codebook-too-large |
| codes nested in a .qdc codebook | 50 deep | codebook-too-deep |
| DTDs and entities in a .qdc codebook | none allowed | codebook-unsafe-xml |
| issue areas drawn in the chart | the 40 with most findings; the rest are counted in one line | (none) |
| issue areas in the co-occurrence table (stats --cross) | the 100 with most findings | (none) |
| cells in a sheet (cells in the XML, and rows with data x used columns) | 5,000,000 | sheet-too-large |
| rows with data in a sheet | 500,000 | sheet-too-large |
| column of a cell holding a value | 1,000 | too-many-columns |
| merged ranges in a sheet | 10,000 | too-many-merged-ranges |
| cells filled by merged ranges (within the used part of the sheet) | 200,000 | too-many-merged-cells |
| texts in a workbook's shared strings table | 1,000,000 | too-many-strings |
| characters in a workbook's shared strings table | 100,000,000 | too-many-strings |
| time to render a template | 60 s | template-too-slow (in the error) |
| characters a template prints | 100,000,000 | template-output-too-large (in the error) |
| one text or list a template builds | 10,000,000 | template-value-too-large (in the error) |
| numbers in one range() of a template | 100,000 | template-value-too-large (in the error) |
| bits in a whole number a template computes | 10,000 | template-value-too-large (in the error) |
| items a list filter (sort, map, join...) takes in one call | 1,000,000 | template-value-too-large (in the error) |
| characters wordwrap takes; characters urlize takes | 100,000; 1,000,000 | template-value-too-large (in the error) |
| a message catalogue (.po) | 10 MiB | catalogue-too-large (in the error) |
| plural forms a catalogue declares (nplurals, as Babel reads it) | 6 | catalogue-too-large (in the error) |
| characters in one translation (msgstr) of a catalogue | 20,000 | catalogue-message-too-long (in the error) |
| lines of markup the templates print (not the findings' lists) | 500,000 | template-output-too-large (in the error) |
| bytes of the manifest of copied templates | 1 MiB | template-manifest-too-large (warning) |
| a reference document (--reference-docx), unpacked (as read) | 64 MiB | reference-too-large (in the error) |
| parts (zip members) in a reference document | 2,000 | reference-too-large (in the error) |
| compression ratio of one part over 1 MiB of a reference document | 200 to 1 | reference-too-large (in the error) |
"""

from __future__ import annotations

MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_FILES = 10_000
MAX_WORKBOOK_UNCOMPRESSED = 1024 * 1024 * 1024
#: A workbook part over MAX_DENSE_PART_FROM that unpacks to more than MAX_WORKBOOK_RATIO
#: times its packed size is refused: Excel's sheets of text pack 5 to 20 to 1, a part of
#: blanks a thousand to 1 (seconds and gigabytes to parse for nothing).
MAX_WORKBOOK_RATIO = 150
MAX_DENSE_PART_FROM = 16 * 1024 * 1024
MAX_COLUMNS = 1_000
MAX_CELL_CHARS = 32_767
MAX_VALUES_PER_CELL = 200
#: Different issue areas in one run: each is matched to the codebook and gets a section.
MAX_ISSUE_AREAS = 5_000
#: Issue areas not in the codebook compared with its names for a close spelling, per run.
MAX_FUZZY_LABELS = 1_000
MAX_YAML_VALUES = 200_000
MAX_YAML_CHARS = 20_000_000
MAX_DEPTH = 50
MAX_KEY_CHARS = 500
MAX_YAML_FINDINGS = 10_000
MAX_CODEBOOK_CODES = 10_000
MAX_CHART_AREAS = 40
#: Issue areas in the co-occurrence table (a cell for every pair): those with most findings.
MAX_CROSS_AREAS = 100
# Workbooks (load/xlsxfile.py): what the reader builds, whatever <dimension> claims.
#: Characters of text in one sheet, shared texts counted each time a cell uses them (one
#: 32,000-character text in 150,000 cells of a 1.2 MB workbook is 4.8 billion).
MAX_SHEET_CHARS = 100_000_000
MAX_SHEET_CELLS = 5_000_000
MAX_SHEET_ROWS = 500_000
MAX_MERGED_RANGES = 10_000
MAX_MERGED_CELLS = 200_000
MAX_SHARED_STRINGS = 1_000_000
MAX_SHARED_STRING_CHARS = 100_000_000
# Templates (render/templating.py): checked by the clock, not by a signal (threads work).
MAX_RENDER_SECONDS = 60.0
MAX_RENDER_CHARS = 100_000_000
MAX_TEMPLATE_VALUE = 10_000_000
MAX_CATALOGUE_BYTES = 10 * 2**20
MAX_PLURAL_FORMS = 6  # no language has more (Arabic: 6)
#: Characters in one translation (msgstr) of a catalogue: the longest shipped is 663
#: (the compilation's opening paragraph in French).
MAX_MESSAGE_CHARS = 20_000
MAX_DOCUMENT_LINES = 500_000
MAX_TEMPLATE_RANGE = 100_000
#: Bits in a whole number a template computes (2 ** 10000 has 3,011 digits).
MAX_TEMPLATE_INT_BITS = 10_000
#: Items a list filter (sort, unique, groupby, map, select, join...) takes in one call.
MAX_TEMPLATE_ITEMS = 1_000_000
#: Characters wordwrap takes (its work grows with the square of a long word's length).
MAX_TEMPLATE_WRAP = 100_000
#: Characters urlize takes (it looks at every word).
MAX_TEMPLATE_URLIZE = 1_000_000
#: Bytes of the manifest ``init`` writes in a project's templates folder (a few lines).
MAX_TEMPLATE_MANIFEST_BYTES = 1024 * 1024
#: A Word file larger than this (a compilation of some thousands of findings) gets no page
#: numbers in its contents list from LibreOffice (laying it out would take minutes; Word's
#: Update Field adds them).
MAX_PAGINATE_BYTES = 3 * 1024 * 1024
# Reference documents (render/docx.py, --reference-docx): a letterhead with a logo, checked
# before python-docx opens it; sizes counted as read, whatever the zip's headers say.
MAX_REFERENCE_UNCOMPRESSED = 64 * 1024 * 1024
MAX_REFERENCE_MEMBERS = 2_000
#: Uncompressed to compressed size of one part, looked at for parts over 1 MiB (XML
#: compresses 10 to 30 times; a part of repeated bytes, about 1,000 times).
MAX_REFERENCE_RATIO = 200
#: More line breaks than this in one quoted CSV cell: a quote that swallowed rows.
MAX_CELL_LINE_BREAKS = 100


def size_text(n: int) -> str:
    """12345678 -> '11.8 MiB'."""
    value = float(n)
    for unit in ("bytes", "KiB", "MiB", "GiB", "TiB"):
        if value < 1024 or unit == "TiB":
            return f"{value:.0f} {unit}" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{n} bytes"
