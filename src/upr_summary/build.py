"""`upr-summary build`: load, check, summarise, render every format in memory, then write
the files all together or not at all (:func:`fileio.replace_together`), so a failing or
killed build never leaves a half-written, mixed or emptied report.

Before anything is loaded, the output names are checked (no two may name the same file,
even on a file system that ignores case), an interrupted earlier build in the output
folder is finished or undone (:func:`fileio.recover`), and every target is checked to be
a regular file or absent.

>>> result = build(["data/submissions"], "out")           # doctest: +SKIP
>>> result.written                                        # doctest: +SKIP
['out/executive-summary.docx', 'out/executive-summary.png', 'out/executive-summary.md']
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .checks import check
from .config import Config
from .errors import ConfigError, UprSummaryError, UsageError
from .fileio import RESERVED_PREFIX, check_targets, recover, replace_together
from .load import load
from .model import Problem, Report
from .progress import SILENT, Progress

FORMATS = ("docx", "md", "pdf")
DEFAULT_FORMATS = ("docx", "md")
DEFAULT_NAMES = {"docx": "executive-summary.docx", "md": "executive-summary.md",
                 "pdf": "executive-summary.pdf", "chart": "executive-summary.png"}


class BuildError(UprSummaryError):
    """The build stopped before writing anything; ``problems`` says why."""

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


@dataclass
class BuildResult:
    report: Report
    written: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


_KIND_NAMES = {"docx": "docx", "md": "markdown", "pdf": "pdf", "chart": "chart"}
# Names Windows keeps for devices, whatever the extension ("con.md", "NUL.docx").
_WINDOWS_DEVICES = frozenset({"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)),
                              *(f"lpt{i}" for i in range(1, 10))})
_NOT_IN_NAMES = frozenset('<>:"/\\|?*')
MAX_NAME_BYTES = 255  # the longest file name most file systems take (ext4, APFS, NTFS)


def _name_problem(value: str) -> str | None:
    """Why ``value`` cannot be an output file name on every system, or None."""
    if value in ("", ".", "..") or Path(value).name != value:
        return "must be a file name, not a path"
    if any(ch in _NOT_IN_NAMES or ord(ch) < 32 or ord(ch) == 127 for ch in value):
        return ('must be a file name without / \\ : * ? " < > | or control characters '
                "(Windows does not allow them)")
    if value != value.strip() or value.endswith("."):
        return "cannot start or end with a space, nor end with a dot (Windows drops them)"
    if value.split(".")[0].strip().lower() in _WINDOWS_DEVICES:
        return "is a device name on Windows (CON, NUL, COM1 ...): choose another name"
    if value.casefold().startswith(RESERVED_PREFIX):
        return f"starts with '{RESERVED_PREFIX}', which upr-summary keeps for its own files"
    if len(value.encode("utf-8")) > MAX_NAME_BYTES:
        return (f"is too long: a file name may have at most {MAX_NAME_BYTES} bytes on most "
                "file systems")
    return None


def output_names(config: Config) -> dict[str, str]:
    """File names per format; ``output:`` in upr-summary.yaml may rename them.

    Raises ConfigError (exit 1, like every mistake in the project file) for a name that is
    not a plain file name, or for two outputs that would be the same file: equal names, or
    names that differ only in case or Unicode form (one file on Windows and macOS).

    >>> output_names(Config(output={"chart": "executive-summary.DOCX"}))
    Traceback (most recent call last):
      ...
    upr_summary.errors.ConfigError: output: docx 'executive-summary.docx' and chart \
'executive-summary.DOCX' would be the same file (names that differ only in case are one file \
on Windows and macOS): give each output its own name.
    """
    names = dict(DEFAULT_NAMES)
    aliases = {"markdown": "md", "word": "docx", "png": "chart"}
    where = f"{config.path}: " if config.path else ""
    for key, value in config.output.items():
        kind = aliases.get(key, key)
        if kind not in names:
            raise ConfigError(f"{where}output: unknown entry '{key}'; use docx, markdown, pdf or "
                              "chart.")
        problem = _name_problem(value)
        if problem:
            raise ConfigError(f"{where}output: {key}: {value!r} {problem}.")
        names[kind] = value
    seen: dict[str, str] = {}
    for kind, value in names.items():
        key = unicodedata.normalize("NFC", value).casefold()
        if key in seen:
            other = seen[key]
            how = ("" if names[other] == value else " (names that differ only in case are one "
                   "file on Windows and macOS)")
            raise ConfigError(f"{where}output: {_KIND_NAMES[other]} {names[other]!r} and "
                              f"{_KIND_NAMES[kind]} {value!r} would be the same file{how}: give "
                              "each output its own name.")
        seen[key] = kind
    return names


def _refuse_output_among_inputs(folder: Path, paths: Sequence[str | os.PathLike[str]]) -> None:
    """The report is published; the submissions are not: a report written into an input
    folder would sit beside members' raw files (e-mails, confidential names) in a folder
    that is then copied or uploaded whole."""
    try:
        out = folder.resolve()
    except OSError:  # the write phase reports what is wrong with the folder
        return
    for path in paths:
        try:
            source = Path(path).resolve()
            folder_of = source if source.is_dir() else source.parent
        except OSError:  # a name the file system refuses: the loader reports it
            continue
        if out == folder_of:
            raise UsageError(f"The output folder {folder} holds the input {path}: the report "
                             "would sit beside the members' own files. Choose another folder "
                             "with -o (for example 'out').")


def parse_formats(text: str) -> tuple[str, ...]:
    """'docx,md' -> ('docx', 'md'); 'markdown' is accepted for 'md'."""
    out = []
    for part in (p.strip().lower() for p in text.split(",")):
        part = {"markdown": "md", "word": "docx"}.get(part, part)
        if part not in FORMATS:
            raise ConfigError(f"Unknown format '{part}': choose from {', '.join(FORMATS)}.")
        if part not in out:
            out.append(part)
    if not out:
        raise ConfigError("No format given.")
    return tuple(out)


def build(
    paths: Sequence[str | os.PathLike[str]],
    out_dir: str | os.PathLike[str],
    config: Config | None = None,
    formats: Sequence[str] = DEFAULT_FORMATS,
    *,
    templates: str | None = None,
    reference_docx: str | None = None,
    strict: bool = False,
    sheet: str | None = None,
    codebook: str | None = None,
    auto_tag: bool = False,
    recommendations: str | None = None,
    state: str | None = None,
    progress: Progress = SILENT,
) -> BuildResult:
    """Build the report from ``paths`` into ``out_dir``; raise BuildError on invalid data
    (nothing is written then)."""
    from .config import load_config
    from .summarize import summarize

    if config is None:
        config = load_config([str(p) for p in paths])
    names = output_names(config)
    if reference_docx is not None and not Path(reference_docx).is_file():
        raise ConfigError(f"Reference document not found: {reference_docx}")
    folder = Path(out_dir)
    _refuse_output_among_inputs(folder, paths)
    # Before anything else is written: finish or undo an interrupted build, then check
    # that nothing is in the way of the files this build writes.
    recover(folder, names.values())
    check_targets(folder, [names[f] for f in formats] + ([names["chart"]] if "md" in formats else []))
    dataset = load(paths, config, sheet, codebook, progress)
    checked = check(dataset, config)
    if checked.errors:
        raise BuildError(f"{len(checked.errors)} error(s) in the data: nothing was written. "
                         "Fix them and build again.", checked.errors)
    auto_mode = None
    if auto_tag:
        from .classify import apply_suggestions, classify

        with progress.stage("Suggesting issue areas for untagged findings"):
            suggestions = classify(dataset, "auto")
        if apply_suggestions(dataset, suggestions):
            auto_mode = suggestions.mode
    previous = None
    source = recommendations or (config.relative(config.recommendations)
                                 if config.recommendations else None)
    if source is not None:
        from .recommendations import load_recommendations

        previous = load_recommendations(source, dataset.codebook, state or config.state,
                                        config.encoding)
        bad = [p for p in previous.problems if p.severity == "error"]
        if bad:
            raise BuildError(f"{len(bad)} error(s) in {source}: nothing was written.", bad)
    with progress.stage("Grouping and merging findings"):
        report = summarize(dataset, config, auto_mode, previous)
    if strict and report.excluded:
        raise BuildError(f"--strict: {len(report.excluded)} finding(s) would be left out of the "
                         "report (see --show-excluded): nothing was written.", checked.warnings)

    outputs: dict[str, bytes] = {}
    chart = None
    if report.glance:
        from .render.chart import render_chart

        with progress.stage("Drawing the chart"):
            chart = render_chart(report.glance)
    if "docx" in formats or "pdf" in formats:
        from .render.docx import render_docx

        with progress.stage("Writing the Word document"):
            docx = render_docx(report, chart, reference_docx)
        if "docx" in formats:
            outputs[names["docx"]] = docx
        if "pdf" in formats:
            from .render.pdf import docx_to_pdf

            with progress.stage("Converting to PDF with LibreOffice"):
                outputs[names["pdf"]] = docx_to_pdf(docx)
    if "md" in formats:
        from .render.markdown import render_markdown

        if chart is not None:
            report.chart_file = names["chart"]
            outputs[names["chart"]] = chart
        with progress.stage("Writing the Markdown"):
            outputs[names["md"]] = render_markdown(report, templates).encode("utf-8")

    written = [str(path) for path in replace_together(folder, outputs)]
    warnings = checked.warnings + (previous.problems if previous is not None else [])
    return BuildResult(report, written, warnings)
