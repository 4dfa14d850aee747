"""Load submissions from files and folders into one :class:`~upr_summary.model.Dataset`.

>>> from upr_summary.load import load
>>> data = load(["data/submissions"])                 # doctest: +SKIP
>>> len(data.submissions), len(data.findings), len(data.errors)   # doctest: +SKIP
(64, 312, 0)
"""

from __future__ import annotations

import dataclasses
import os
import stat
from collections.abc import Iterator, Sequence
from pathlib import Path

from ..cache import NO_CACHE, Cache, digest, is_cache_folder
from ..codebook import Codebook, load_codebook
from ..config import CONFIG_NAMES, Config, load_config
from ..limits import MAX_FILE_BYTES, MAX_FILES, size_text
from ..model import Dataset, Location, Problem
from ..problems import problem
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
#: Formats we recognise but cannot read: what they are, and what to do instead.
UNSUPPORTED = {
    ".xls": ("an old Excel workbook", "open it in Excel and save it as .xlsx"),
    ".ods": ("a LibreOffice workbook", "save it as .xlsx or CSV"),
    ".numbers": ("a Numbers workbook", "export it as .xlsx or CSV"),
}


def shown_path(path: str | os.PathLike[str]) -> str:
    """A path as messages and working files show it: bytes that are not text in the file
    system's encoding written as ``\\xff`` (never an unprintable surrogate), and a name of
    thousands of characters shortened in the middle.

    >>> shown_path("data/b\\udcffd.csv")
    'data/b\\\\xffd.csv'
    """
    text = os.fsdecode(path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = os.fsencode(text).decode("utf-8", "backslashreplace")
    if len(text) > MAX_SHOWN_PATH:
        text = text[:MAX_SHOWN_PATH // 2] + "…" + text[-MAX_SHOWN_PATH // 4:]
    return text


#: Longer paths are shortened in the middle in messages.
MAX_SHOWN_PATH = 400


def _kind(path: Path) -> str:
    """``dir``, ``file``, ``missing``, ``broken-link``, ``special`` (a named pipe, socket or
    device: never opened, a pipe would wait for a writer), or why the path cannot be used
    (file-system error)."""
    try:
        try:
            mode = os.stat(path).st_mode
        except (FileNotFoundError, NotADirectoryError):
            return "missing" if not path.is_symlink() else "broken-link"
        if stat.S_ISDIR(mode):
            return "dir"
        if stat.S_ISREG(mode):
            return "file"
        return "special"
    except OSError as exc:
        return exc.strerror or type(exc).__name__


def _special(path: str | os.PathLike[str]) -> str:
    """What a path that is not a regular file is: 'a named pipe', 'a socket'..."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return "not a regular file"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def _not_regular(display: str, what: str) -> Problem:
    return problem("unreadable-file", Location(shown_path(display)), what="This",
                   why=f"it is {what}, not a regular file, and is never opened")


def _unsupported(display: str, suffix: str) -> Problem:
    kind, remedy = UNSUPPORTED[suffix]
    return problem("unsupported-format", Location(shown_path(display)), kind=kind,
                   remedy=remedy)


from ..fileio import EXCLUDED_MARK, WORKING_FILE_MARKS, working_mark  # noqa: E402,F401


def _working_file(path: Path, shown: str, problems: list[Problem],
                  named: bool = False) -> bool:
    """Whether ``path``, met in a folder, is one of our working CSV files (then reported,
    not read: beside the files it came from, its rows would count twice). Named on the
    command line, classify's file is read (it is built from, in place of the files it
    came from); the list of left-out findings never is."""
    mark = working_mark(path)
    if mark is None or (named and mark != EXCLUDED_MARK):
        return False
    problems.append(problem("working-file-skipped", Location(shown_path(shown)),
                            what=WORKING_FILE_MARKS[mark]))
    return True


def discover(paths: Sequence[str | os.PathLike[str]], problems: list[Problem],
             cache_folder: str | os.PathLike[str] | None = None) -> list[tuple[str, str]]:
    """The files to read as (path, reader), in a stable order.

    Folders are read recursively, sorted by path; hidden files, Office lock files
    (``~$...``) and the project file are left out. Other files in folders are reported
    once per folder. A symbolic link inside a folder is followed only when it leads to
    somewhere inside that folder (a path named on the command line is always followed).
    Problems name paths as :func:`shown_path` writes them.
    """
    found: list[tuple[str, str]] = []
    seen: set[str] = set()
    for raw in paths:
        path = Path(raw)
        display = os.fsdecode(raw)
        kind = _kind(path)
        if kind == "dir":
            skipped: list[str] = []
            visited: set[str] = set()
            root = os.path.realpath(path)
            for file, regular in _walk(path, visited, problems, root, cache_folder):
                suffix = file.suffix.lower()
                shown = str(Path(display) / file.relative_to(path))
                if not regular:  # a pipe, socket or device: never opened
                    skipped.append(f"{shown_path(file.relative_to(path).as_posix())} "
                                   f"({_special(file)})")
                    continue
                real = os.path.realpath(file)
                if real in seen:
                    continue
                if suffix in READERS:
                    seen.add(real)
                    if _working_file(file, shown, problems):
                        continue
                    found.append((shown, READERS[suffix]))
                elif suffix in UNSUPPORTED:
                    problems.append(_unsupported(shown, suffix))
                else:
                    skipped.append(shown_path(file.relative_to(path).as_posix()))
            if skipped:
                listed = ", ".join(skipped[:5]) + (f" and {len(skipped) - 5} more"
                                                    if len(skipped) > 5 else "")
                problems.append(problem("skipped-file", Location(shown_path(display)),
                                        count=len(skipped), listed=listed))
        elif kind == "file":
            suffix = path.suffix.lower()
            reader = READERS.get(suffix) or EXPLICIT_ONLY.get(suffix)
            if reader:
                real = os.path.realpath(path)
                if real not in seen:
                    seen.add(real)
                    if _working_file(path, display, problems, named=True):
                        continue
                    found.append((display, reader))  # named: read (classify's file is
                    # meant to be built from, in place of the files it came from)
            elif suffix in UNSUPPORTED:
                problems.append(_unsupported(display, suffix))
            else:
                problems.append(problem(
                    "unsupported-format", Location(shown_path(display)),
                    kind="not a submissions file", remedy="give CSV (.csv, .tsv), Excel "
                    "(.xlsx) or YAML (.yaml) files, or a folder of them"))
        elif kind == "special":
            problems.append(_not_regular(display, _special(path)))
        elif kind in ("missing", "broken-link"):
            what = ("This link leads to a file or folder that does not exist."
                    if kind == "broken-link" else "No such file or folder.")
            problems.append(problem("missing-file", Location(shown_path(display)), what=what))
        else:
            problems.append(problem(
                "unreadable-file", Location(shown_path(display)), what="This path",
                why=f"the file system refuses it ({kind}); a shorter name may help"))
    if len(found) > MAX_FILES:
        problems.append(problem(
            "too-many-files", Location(shown_path(", ".join(os.fsdecode(p) for p in paths))),
            count=len(found)))
        found = found[:MAX_FILES]
    kept = []
    for display, reader in found:
        try:
            size = os.path.getsize(display)
        except OSError:
            size = 0  # reading it says what is wrong
        if size > MAX_FILE_BYTES:
            problems.append(problem("file-too-large", Location(shown_path(display)),
                                    what="This file", size=size_text(size),
                                    limit=size_text(MAX_FILE_BYTES)))
        else:
            kept.append((display, reader))
    found = kept
    if not found and not any(p.severity == "error" for p in problems):
        problems.append(problem(
            "no-input", Location(shown_path(", ".join(os.fsdecode(p) for p in paths) or "."))))
    return found


def _inside(path: str, folder: str) -> bool:
    try:
        return os.path.commonpath([path, folder]) == folder
    except ValueError:  # different drives
        return False


def _walk(folder: Path, visited: set[str], problems: list[Problem], root: str,
          cache_folder: str | os.PathLike[str] | None = None) -> Iterator[tuple[Path, bool]]:
    """The files under ``folder``, each with whether it is a regular file (a named pipe,
    socket or device is listed, never opened)."""
    if is_cache_folder(folder):  # upr-summary's cache: copies of data, never input
        # Said, unless it is the cache this run uses: a member's folder with a copy of
        # our tag in it must not drop its findings without a word.
        if cache_folder is None or os.path.realpath(folder) != os.path.realpath(cache_folder):
            problems.append(problem("working-file-skipped", Location(shown_path(folder)),
                                    what="a cache folder, marked by its CACHEDIR.TAG"))
        return
    real = os.path.realpath(folder)
    if real in visited:
        problems.append(problem("symlink-loop", Location(shown_path(folder)),
                                target="a folder already read", done="read once"))
        return
    visited.add(real)
    try:
        entries = sorted(folder.iterdir(), key=lambda p: (p.name.casefold(), p.name))
    except OSError as exc:
        problems.append(problem("unreadable-file", Location(shown_path(folder)),
                                what="This folder", why=exc.strerror or type(exc).__name__))
        return
    for entry in entries:
        name = entry.name
        if name.startswith((".", "~$")) or name in CONFIG_NAMES or name == "__pycache__":
            continue
        try:
            if entry.is_symlink():
                target = os.path.realpath(entry)
                if not _inside(target, root):
                    if _inside(root, target):  # a link to a folder above: a loop
                        problems.append(problem(
                            "symlink-loop", Location(shown_path(entry)),
                            target="a folder that holds the folder being read",
                            done="not followed"))
                    else:
                        problems.append(problem("symlink-outside", Location(shown_path(entry))))
                    continue
            kind = _kind(entry)
            if kind == "dir":
                yield from _walk(entry, visited, problems, root, cache_folder)
            elif kind == "file":
                yield entry, True
            elif kind == "special":
                yield entry, False
        except OSError:
            problems.append(problem("unreadable-file", Location(shown_path(entry)),
                                    what="This entry", why="the file system refuses it"))


def read_file(display: str, reader: str, config: Config, problems: list[Problem],
              sheet: str | None = None) -> list[Record]:
    """The records of one file, whatever its format."""
    path, display = display, shown_path(display)
    if reader == "xlsx":
        return read_xlsx(path, display, config, problems, sheet)
    try:
        # Opened without waiting: a named pipe put in the file's place since it was listed
        # is refused, not waited on.
        with open(path, "rb", opener=_open_without_waiting) as stream:
            if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
                problems.append(_not_regular(path, _special(path)))
                return []
            if hasattr(os, "set_blocking"):
                os.set_blocking(stream.fileno(), True)
            # read(n) sets n bytes aside first: read as the size says, then whatever the
            # file grew by since, in pieces, up to one byte past the limit.
            size = min(os.fstat(stream.fileno()).st_size, MAX_FILE_BYTES)
            data = stream.read(size + 1)
            while len(data) > size and len(data) <= MAX_FILE_BYTES:
                more = stream.read(min(1 << 20, MAX_FILE_BYTES + 1 - len(data)))
                if not more:
                    break
                data += more
    except OSError as exc:
        problems.append(problem("unreadable-file", Location(display), what="The file",
                                why=str(exc.strerror or exc)))
        return []
    if len(data) > MAX_FILE_BYTES:  # it grew since it was listed
        problems.append(problem("file-too-large", Location(display), what="This file",
                                size=f"over {size_text(MAX_FILE_BYTES)}",
                                limit=size_text(MAX_FILE_BYTES)))
        return []
    if reader == "yaml":
        return read_yaml(data, display, config, problems)
    return read_csv(data, display, config, problems)


def _open_without_waiting(path: str, flags: int) -> int:
    return os.open(path, flags | getattr(os, "O_NONBLOCK", 0))


def resolve_codebook(config: Config, codebook: str | Codebook | None = None,
                     cache: Cache = NO_CACHE) -> Codebook | None:
    """The codebook to use: given, else the project file's, else ohchr; customised by the
    project's own ``issue_areas`` list. ``"none"`` means the data's own names."""
    book = codebook if isinstance(codebook, Codebook) else load_codebook(
        codebook or config.codebook, cache)
    if book is not None and config.issue_areas:
        book = book.customised(config.issue_areas, config.groups)
    return book


def load(paths: Sequence[str | os.PathLike[str]], config: Config | None = None,
         sheet: str | None = None, codebook: str | Codebook | None = None,
         progress: Progress = SILENT, cache: Cache = NO_CACHE) -> Dataset:
    """Read every submissions file under ``paths`` into one data set.

    Problems never raise: they are collected in ``Dataset.problems`` with file, row and
    field. ``config`` defaults to the upr-summary.yaml found next to the data; issue areas
    are matched to ``codebook`` (a name, a file, a Codebook; default: the project file's,
    else ohchr; "none" keeps the data's own names). A file whose bytes and reading settings
    are those of an entry of ``cache`` (see :mod:`upr_summary.cache`) is not read again.
    """
    if config is None:
        config = load_config([str(p) for p in paths])
    book = resolve_codebook(config, codebook, cache)
    problems: list[Problem] = list(config.problems)
    files = discover(paths, problems, cache.folder)
    records: list[Record] = []
    with progress.stage("Reading files", total=len(files)) as advance:
        for display, reader in files:
            records += _read_cached(display, reader, config, problems, sheet, cache)
            advance()
    if files:
        cache.sweep("records")
    return assemble(records, config, problems, [shown_path(f) for f, _ in files], book)


def _read_cached(display: str, reader: str, config: Config, problems: list[Problem],
                 sheet: str | None, cache: Cache) -> list[Record]:
    """:func:`read_file`, or what it gave for the same bytes and settings last time."""
    if not cache:
        return read_file(display, reader, config, problems, sheet)
    before = _fingerprint(display)
    if before is None:  # not a regular file, too large, unreadable: the reader says so
        return read_file(display, reader, config, problems, sheet)
    key = digest("records", before[0], display, reader, sheet, config.columns,
                 config.ignore_columns, config.separators, config.sheet, config.encoding,
                 config.include_hidden_sheets)
    entry = cache.get("records", key)
    if entry is not None:
        try:
            found = [_record(r) for r in entry["records"]]
            met = [_problem(p) for p in entry["problems"]]
        except (KeyError, TypeError, ValueError, AttributeError):
            cache.hits["records"] -= 1
            cache.misses["records"] += 1
        else:
            problems.extend(met)
            return found
    start = len(problems)
    records = read_file(display, reader, config, problems, sheet)
    after = _fingerprint(display, digest_too=False)
    if after is not None and after[1:] == before[1:]:  # not changed while it was read
        cache.put("records", key, {"records": [dataclasses.asdict(r) for r in records],
                                   "problems": [_problem_dict(p) for p in problems[start:]]})
    return records


def _fingerprint(path: str, digest_too: bool = True) -> tuple[str, int, int, int] | None:
    """The file's SHA-256 (when asked), size, modification time and inode; None for what
    is not a regular file of a size we read."""
    import hashlib

    try:
        with open(path, "rb", opener=_open_without_waiting) as stream:
            info = os.fstat(stream.fileno())
            if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_FILE_BYTES:
                return None
            sha = ""
            if digest_too:
                h = hashlib.sha256()
                while chunk := stream.read(1 << 20):
                    h.update(chunk)
                sha = h.hexdigest()
    except (OSError, ValueError):
        return None
    return sha, info.st_size, info.st_mtime_ns, info.st_ino


def _record(data: dict[str, object]) -> Record:
    values = dict(data)
    values["location"] = Location(**values["location"])  # type: ignore[arg-type]
    return Record(**values)  # type: ignore[arg-type]


def _problem_dict(p: Problem) -> dict[str, object]:
    return {"code": p.code, "message": p.message, "severity": p.severity,
            "location": dataclasses.asdict(p.location)}


def _problem(data: dict[str, object]) -> Problem:
    return Problem(str(data["code"]), str(data["message"]),
                   Location(**data["location"]),  # type: ignore[arg-type]
                   data["severity"])  # type: ignore[arg-type]


__all__ = ["load", "discover", "read_file", "resolve_codebook", "shown_path"]
