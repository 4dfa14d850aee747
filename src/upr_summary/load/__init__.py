"""Load submissions from files and folders into one :class:`~upr_summary.model.Dataset`.

>>> from upr_summary.load import load
>>> data = load(["data/submissions"])                 # doctest: +SKIP
>>> len(data.submissions), len(data.findings), len(data.errors)   # doctest: +SKIP
(64, 312, 0)
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from ..codebook import Codebook, load_codebook
from ..config import CONFIG_NAMES, Config, load_config
from ..limits import MAX_FILE_BYTES, MAX_FILES, size_text
from ..model import Dataset, Location, Problem
from ..progress import SILENT, Progress
from .assemble import assemble
from .csvfile import read_csv
from .records import Record
from .xlsxfile import read_xlsx
from .yamlfile import read_yaml

READERS = {".csv": "csv", ".tsv": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx", ".yaml": "yaml",
           ".yml": "yaml"}
#: Read when named on the command line, not when met in a folder.
EXPLICIT_ONLY = {".txt": "csv"}
#: Formats we recognise but cannot read, with what to do instead.
UNSUPPORTED = {
    ".xls": "an old Excel workbook: open it in Excel and save it as .xlsx",
    ".ods": "a LibreOffice workbook: save it as .xlsx or CSV",
    ".numbers": "a Numbers workbook: export it as .xlsx or CSV",
}


def discover(paths: Sequence[str | os.PathLike[str]], problems: list[Problem]) -> list[tuple[str, str]]:
    """The files to read as (display path, reader), in a stable order.

    Folders are read recursively, sorted by path; hidden files, Office lock files
    (``~$...``) and the project file are left out. Other files in folders are reported
    once per folder.
    """
    found: list[tuple[str, str]] = []
    seen: set[str] = set()
    for raw in paths:
        path = Path(raw)
        display = str(raw)
        if path.is_dir():
            skipped: list[str] = []
            visited: set[str] = set()
            for file in _walk(path, visited, problems, display):
                suffix = file.suffix.lower()
                shown = str(Path(display) / file.relative_to(path))
                real = os.path.realpath(file)
                if real in seen:
                    continue
                if suffix in READERS:
                    seen.add(real)
                    found.append((shown, READERS[suffix]))
                elif suffix in UNSUPPORTED:
                    problems.append(Problem("unsupported-format",
                                            f"This is {UNSUPPORTED[suffix]}.", Location(shown)))
                else:
                    skipped.append(file.relative_to(path).as_posix())
            if skipped:
                listed = ", ".join(skipped[:5]) + (f" and {len(skipped) - 5} more"
                                                    if len(skipped) > 5 else "")
                problems.append(Problem(
                    "skipped-file",
                    f"{len(skipped)} file(s) in this folder are not CSV, XLSX or YAML and were "
                    f"not read: {listed}.", Location(display), "warning"))
        elif path.is_file():
            suffix = path.suffix.lower()
            reader = READERS.get(suffix) or EXPLICIT_ONLY.get(suffix)
            if reader:
                real = os.path.realpath(path)
                if real not in seen:
                    seen.add(real)
                    found.append((display, reader))
            elif suffix in UNSUPPORTED:
                problems.append(Problem("unsupported-format", f"This is {UNSUPPORTED[suffix]}.",
                                        Location(display)))
            else:
                problems.append(Problem(
                    "unsupported-format",
                    "Not a submissions file: give CSV (.csv, .tsv), Excel (.xlsx) or YAML "
                    "(.yaml) files, or a folder of them.", Location(display)))
        else:
            problems.append(Problem(
                "missing-file", "No such file or folder. Check the path.", Location(display)))
    if len(found) > MAX_FILES:
        problems.append(Problem(
            "too-many-files", f"{len(found):,} files found; at most {MAX_FILES:,} are read in one "
            "run. Give the folder of this review's submissions only.",
            Location(", ".join(str(p) for p in paths))))
        found = found[:MAX_FILES]
    kept = []
    for display, reader in found:
        try:
            size = os.path.getsize(display)
        except OSError:
            size = 0
        if size > MAX_FILE_BYTES:
            problems.append(Problem(
                "file-too-large", f"This file is {size_text(size)}; files over "
                f"{size_text(MAX_FILE_BYTES)} are not read. Is it the right file?",
                Location(display)))
        else:
            kept.append((display, reader))
    found = kept
    if not found and not any(p.severity == "error" for p in problems):
        problems.append(Problem(
            "no-input", "No submissions files (.csv, .xlsx, .yaml) found here.",
            Location(", ".join(str(p) for p in paths) or ".")))
    return found


def _walk(folder: Path, visited: set[str], problems: list[Problem], display: str) -> Iterator[Path]:
    real = os.path.realpath(folder)
    if real in visited:
        problems.append(Problem(
            "symlink-loop", "This folder links back to a folder already read; it was read once.",
            Location(str(folder)), "warning"))
        return
    visited.add(real)
    try:
        entries = sorted(folder.iterdir(), key=lambda p: (p.name.casefold(), p.name))
    except OSError as exc:
        problems.append(Problem("unreadable-file", f"The folder cannot be read ({exc.strerror}).",
                                Location(str(folder))))
        return
    for entry in entries:
        name = entry.name
        if name.startswith((".", "~$")) or name in CONFIG_NAMES or name == "__pycache__":
            continue
        try:
            if entry.is_dir():
                yield from _walk(entry, visited, problems, display)
            elif entry.is_file():
                yield entry
        except OSError:
            problems.append(Problem("unreadable-file", "This entry cannot be read.",
                                    Location(str(entry))))


def read_file(display: str, reader: str, config: Config, problems: list[Problem],
              sheet: str | None = None) -> list[Record]:
    """The records of one file, whatever its format."""
    if reader == "xlsx":
        return read_xlsx(display, display, config, problems, sheet)
    try:
        data = Path(display).read_bytes()
    except OSError as exc:
        problems.append(Problem("unreadable-file",
                                f"The file cannot be read ({exc.strerror}).", Location(display)))
        return []
    if reader == "yaml":
        return read_yaml(data, display, config, problems)
    return read_csv(data, display, config, problems)


def resolve_codebook(config: Config, codebook: str | Codebook | None = None) -> Codebook | None:
    """The codebook to use: given, else the project file's, else ohchr; customised by the
    project's own ``issue_areas`` list. ``"none"`` means the data's own names."""
    book = codebook if isinstance(codebook, Codebook) else load_codebook(codebook or config.codebook)
    if book is not None and config.issue_areas:
        book = book.customised(config.issue_areas, config.groups)
    return book


def load(paths: Sequence[str | os.PathLike[str]], config: Config | None = None,
         sheet: str | None = None, codebook: str | Codebook | None = None,
         progress: Progress = SILENT) -> Dataset:
    """Read every submissions file under ``paths`` into one data set.

    Problems never raise: they are collected in ``Dataset.problems`` with file, row and
    field. ``config`` defaults to the upr-summary.yaml found next to the data; issue areas
    are matched to ``codebook`` (a name, a file, a Codebook; default: the project file's,
    else ohchr; "none" keeps the data's own names).
    """
    if config is None:
        config = load_config([str(p) for p in paths])
    book = resolve_codebook(config, codebook)
    problems: list[Problem] = list(config.problems)
    files = discover(paths, problems)
    records: list[Record] = []
    with progress.stage("Reading files", total=len(files)) as advance:
        for display, reader in files:
            records += read_file(display, reader, config, problems, sheet)
            advance()
    return assemble(records, config, problems, [f for f, _ in files], book)


__all__ = ["load", "discover", "read_file", "resolve_codebook"]
