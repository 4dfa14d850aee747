"""Documented maxima: a mistaken 5 GB file is refused with a clear problem, not swallowed.

| what | maximum | problem code |
| --- | --- | --- |
| one input file | 200 MiB | file-too-large |
| files read in one run | 10,000 | too-many-files |
| a workbook, uncompressed | 1 GiB | file-too-large |
| columns in a sheet | 1,000 | too-many-columns |
| characters in one cell or YAML value | 32,767 (Excel's own limit) | cell-too-large |
| issue areas or member organizations in one cell | 200 | too-many-values |
| line breaks in one quoted CSV cell | 100 | swallowed-rows |
| values in one YAML file (anchors expanded) | 200,000 | yaml-too-large |
"""

from __future__ import annotations

MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_FILES = 10_000
MAX_WORKBOOK_UNCOMPRESSED = 1024 * 1024 * 1024
MAX_COLUMNS = 1_000
MAX_CELL_CHARS = 32_767
MAX_VALUES_PER_CELL = 200
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
