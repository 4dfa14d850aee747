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

import contextlib
import functools
import gc
import hashlib
import os
import threading
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .cache import NO_CACHE, Cache, digest, package_version
from .config import Config
from .distil import DEFAULT_MAX_WORDS, default_max_words
from .document import Document
from .errors import ConfigError, InvalidData, UsageError
from .fileio import RESERVED_PREFIX, check_targets, recover, replace_together
from .model import Problem, Summary
from .progress import SILENT, Progress

if TYPE_CHECKING:
    from .project import Project

#: What --format chooses: the summary as Word, Markdown, PDF, JSON; "compilation" adds the
#: compilation (the full record) in the Word and Markdown formats chosen.
FORMATS = ("docx", "md", "pdf", "json", "compilation")
DEFAULT_FORMATS = ("docx", "md", "compilation")
DEFAULT_NAMES = {"docx": "executive-summary.docx", "md": "executive-summary.md",
                 "pdf": "executive-summary.pdf", "chart": "executive-summary.png",
                 "json": "executive-summary.json", "compilation-docx": "compilation.docx",
                 "compilation-md": "compilation.md", "compilation-pdf": "compilation.pdf"}


#: The name of earlier versions for InvalidData: the build stopped before writing anything.
BuildError = InvalidData


@dataclass
class BuildResult:
    """What a build did. ``summary``: the data the files were written from (counts, lists,
    published texts); ``document``: the report as the templates worded it, which every
    format was written from; ``written``: the files, in the order written; ``problems``:
    the data's warnings (those of ``upr-summary validate`` and of the earlier
    recommendations); ``template_problems``: warnings about the report's own words, which
    the build prints in full: copies of templates older than the shipped ones, texts of the
    project file missing in the build's language."""

    summary: Summary
    document: Document
    written: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    template_problems: list[Problem] = field(default_factory=list)


_KIND_NAMES = {"docx": "docx", "md": "markdown", "pdf": "pdf", "chart": "chart", "json": "json",
               "compilation-docx": "compilation-docx", "compilation-md": "compilation-markdown",
               "compilation-pdf": "compilation-pdf"}
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
    aliases = {"markdown": "md", "word": "docx", "png": "chart",
               "compilation-markdown": "compilation-md", "compilation-word": "compilation-docx"}
    where = f"{config.path}: " if config.path else ""
    for key, value in config.output.items():
        kind = aliases.get(key, key)
        if kind not in names:
            raise ConfigError(f"{where}output: unknown entry '{key}'; use docx, markdown, pdf, "
                              "chart, json, compilation-docx, compilation-markdown or "
                              "compilation-pdf.")
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


def targets(formats: Sequence[str], names: dict[str, str]) -> list[str]:
    """The files a build with ``formats`` writes."""
    out = [names[f] for f in formats if f != "compilation"]
    if "md" in formats:
        out.append(names["chart"])
    if "compilation" in formats:
        out += [names[f"compilation-{f}"] for f in ("docx", "md") if f in formats]
    return out


def _refuse_output_among_inputs(folder: Path, paths: Sequence[str | os.PathLike[str]],
                                project_file: str | os.PathLike[str] | None = None) -> None:
    """The report is published; the submissions are not: a report written into an input
    folder, or into a folder that holds one or the project file (with excluded.csv beside
    it), would sit beside members' raw files (e-mails, confidential names) in a folder
    that is then copied or uploaded whole."""
    try:
        out = folder.resolve()
    except OSError:  # the write phase reports what is wrong with the folder
        return
    named = [(p, "the input") for p in paths]
    if project_file is not None:
        named.append((project_file, "the project file"))
    for path, what in named:
        try:
            source = Path(path).resolve()
            folder_of = source if source.is_dir() else source.parent
        except OSError:  # a name the file system refuses: the loader reports it
            continue
        if out == folder_of or out in folder_of.parents:
            raise UsageError(f"The output folder {folder} holds {what} {path}: the report "
                             "would sit beside the members' own files and the working "
                             "files. Choose a folder of its own with -o or output_folder: "
                             "(for example 'report').")


def _refuse_cache_in_output(folder: Path, cache: Path | None) -> None:
    """The cache holds copies of the members' data: never inside the published folder."""
    if cache is None:
        return
    try:
        out, kept = folder.resolve(), cache.resolve()
    except OSError:
        return
    if out == kept or out in kept.parents or kept in out.parents:
        raise UsageError(f"The cache folder {cache} and the output folder {folder} overlap: "
                         "the cache holds copies of the members' data and must stay out of "
                         "the published report. Choose another folder with --cache or -o "
                         "(or --no-cache).")


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
    if "compilation" in out and not {"docx", "md", "pdf"} & set(out):
        raise ConfigError("'compilation' writes the compilation in the Word, Markdown and "
                          "PDF formats chosen: add docx, md or pdf (for example --format "
                          "docx,compilation).")
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
    language: str | None = None,
    max_words: int | None = None,
) -> BuildResult:
    """Build the report from ``paths`` into ``out_dir``; raise InvalidData on invalid data
    (nothing is written then). The function form of :meth:`upr_summary.Project.build`."""
    from .project import Project

    project = Project(paths, config, sheet=sheet, codebook=codebook,
                      recommendations=recommendations, state=state, progress=progress)
    return project.build(out_dir, formats, templates=templates, reference_docx=reference_docx,
                         strict=strict, auto_tag=auto_tag, language=language,
                         max_words=max_words)


def write_report(project: Project, out_dir: str | os.PathLike[str],
                 formats: str | Sequence[str] = DEFAULT_FORMATS, *,
                 templates: str | os.PathLike[str] | None = None,
                 reference_docx: str | os.PathLike[str] | None = None, strict: bool = False,
                 auto_tag: bool = False, language: str | None = None,
                 max_words: int | None = None) -> BuildResult:
    """What :meth:`upr_summary.Project.build` does: check the output names and folder,
    summarise the project's data, render every format in memory, write them together."""
    from .project_templates import find_folder, outdated, refuse_output_folder
    from .render.templating import TemplateError, compiled_in

    config = project.config
    folder = Path(out_dir)
    _refuse_output_among_inputs(folder, project.paths, project.config.path)
    _refuse_cache_in_output(folder, project.cache.folder)
    # Before anything else, even a mistake in the command: finish or undo an interrupted
    # build, so that the folder never keeps a mixed report (files of two builds).
    try:
        recover(folder, output_names(config).values())
    except ConfigError:  # output names that cannot be used: said below
        recover(folder)
    formats = parse_formats(formats if isinstance(formats, str) else ",".join(formats))
    names = output_names(config)
    reference = None if reference_docx is None else os.fspath(reference_docx)
    if reference is not None and not Path(reference).is_file():
        raise ConfigError(f"Reference document not found: {reference}")
    template_folder = find_folder(config, templates)
    refuse_output_folder(template_folder, folder)
    language = project.language(language, template_folder)
    # Nothing in the way of the files this build writes.
    check_targets(folder, targets(formats, names))
    with _without_gc():
        summary = project._summary(auto_tag, "nothing was written", language)
        checked = project.check()
    if strict and summary.excluded:
        raise InvalidData(f"--strict: {len(summary.excluded)} finding(s) would be left out "
                          "of the report (see --show-excluded): nothing was written.",
                          checked.warnings)
    stale = outdated(template_folder)
    with _frozen_heap(), compiled_in(project.cache):
        try:
            document, outputs = render_outputs(summary, formats, names, template_folder,
                                               reference, project.progress, language,
                                               max_words or config.max_words or default_max_words(language),
                                               bool(max_words or config.max_words),
                                               project.cache)
        except TemplateError as exc:
            if not any(p.code == "template-outdated" for p in stale):
                raise
            copies = ", ".join(p.location.file for p in stale if p.code == "template-outdated")
            raise TemplateError(f"{exc}\nNote: {copies} were copied from an older version of "
                                "the shipped templates; bring them up to date (or delete them) "
                                "and build again.") from None
    written = [str(path) for path in replace_together(folder, outputs)]
    project.cache.sweep()
    previous = project.earlier_recommendations()
    # The project file's texts missing in this build's language: shown by the build itself
    # (validate knows only the project file's language).
    untranslated = config.untranslated(language)
    warnings = ([w for w in checked.warnings if w.code != "config-no-translation"]
                + (previous.problems if previous is not None else []))
    return BuildResult(summary, document, written, warnings,
                       stale + untranslated + _kept_from_earlier(folder, names, written))


def _paginate(docx: bytes, pdf: bool, cache: Cache, stopped: threading.Event | None = None
              ) -> tuple[list[tuple[int, int, str]], bytes | None]:
    """:func:`~upr_summary.render.pdf.paginate`, or its result for the same Word file (and
    the same LibreOffice) last time."""
    from .render.pdf import paginate, soffice_identity

    key = digest("pages", hashlib.sha256(docx).hexdigest(), pdf, soffice_identity())
    entry = cache.get("pages", key)
    if isinstance(entry, list) and all(isinstance(h, list) and len(h) == 3 for h in entry):
        pages = [(int(level), int(page), str(text)) for level, page, text in entry]
        made = cache.get_bytes("pages", key + "/pdf") if pdf else None
        if not pdf or made is not None:
            return pages, made
    pages, made = paginate(docx, pdf=pdf, stopped=stopped)
    cache.put("pages", key, [list(h) for h in pages])
    if made is not None:
        cache.put_bytes("pages", key + "/pdf", made)
    return pages, made


def _chart(rows: list[dict[str, Any]], labels: Any, cache: Cache) -> bytes:
    """The chart's PNG, or the one drawn for the same figures and words last time."""
    from .render.chart import render_chart

    key = digest("chart", rows, labels, package_version("matplotlib"))
    made = _CHARTS.get(key)
    if made is not None:
        cache.keep_bytes("chart", key, made)  # (so that the sweep keeps it for the next run)
    else:
        made = cache.get_bytes("chart", key)
    if made is None:
        made = render_chart(rows, labels)
        cache.put_bytes("chart", key, made)
    while len(_CHARTS) >= 8:
        _CHARTS.pop(next(iter(_CHARTS)))
    _CHARTS[key] = made
    return made


#: The charts this process drew last, by their key: a process that builds again (the
#: API, a budget fit, the tests) draws the same figures once, cache or no cache.
_CHARTS: dict[str, bytes] = {}


def _with_page_numbers(docx: bytes, again: Callable[[list[tuple[int, int, str]]], bytes],
                       progress: Progress, cache: Cache = NO_CACHE,
                       stopped: threading.Event | None = None) -> bytes:
    """The Word file with page numbers in its contents list, as LibreOffice lays it out,
    where LibreOffice is installed (``again`` renders it with them); as it is otherwise,
    or when LibreOffice fails (the contents list then has no page numbers; Word's Update
    Field adds them)."""
    from .errors import OutputError
    from .limits import MAX_PAGINATE_BYTES
    from .render.pdf import soffice_path

    if soffice_path() is None or len(docx) > MAX_PAGINATE_BYTES:
        # (a compilation of many thousand findings: minutes of LibreOffice for page numbers
        # that Word's Update Field gives as well)
        return docx
    try:
        with progress.stage("Numbering the contents' pages with LibreOffice"):
            pages, _ = _paginate(docx, False, cache, stopped)
    except OutputError:
        if stopped is not None and stopped.is_set():
            raise
        return docx
    return again(pages) if pages else docx


def _in_background(work: Callable[[], Any]) -> Callable[[], Any]:
    """Start ``work`` in a thread of its own and return what waits for its result (and
    raises its error). LibreOffice lays the compilation out there while this thread words
    and writes the summary: on two cores, the two layouts take the time of one."""
    import concurrent.futures

    pool = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="layout")
    future = pool.submit(work)
    pool.shutdown(wait=False)
    return future.result


def _kept_from_earlier(folder: Path, names: dict[str, str], written: list[str]) -> list[Problem]:
    """Report files of ours in the folder that this build did not write (it wrote other
    formats): left from an earlier build, they may not match this one."""
    from .model import Location
    from .problems import problem

    done = {Path(w).name for w in written}
    kept = []
    for name in dict.fromkeys(names.values()):
        if name not in done and os.path.isfile(folder / name) \
                and not os.path.islink(folder / name):
            kept.append(name)
    if not kept:
        return []
    return [problem("output-from-earlier-build", Location(str(folder)),
                    files=", ".join(kept), count=len(kept))]


@contextlib.contextmanager
def _without_gc() -> Iterator[None]:
    """No cyclic garbage collection while the build loads and summarises: each collection
    would walk all the many small, long-lived objects made there (findings, the summary)
    again, which cost half of the summary's time at 100,000 findings. Only our own code
    runs here, and it makes no garbage cycles to speak of."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


@contextlib.contextmanager
def _frozen_heap() -> Iterator[None]:
    """While the templates word the report and the renderers write it: what exists already
    (the data, the summary) is left out of the collector's walks, which still run, so
    cycles a template makes (an include per finding) are collected as it goes."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def chart_labels(document: Document) -> dict[str, str]:
    """The chart's labels, as the templates word them (the document's front matter)."""
    return {key: document.meta[f"chart-{key}"] for key in
            ("findings", "submissions", "organizations", "more") if f"chart-{key}" in document.meta}


def render_outputs(summary: Summary, formats: Sequence[str], names: dict[str, str],
                   templates: str | Path | None, reference_docx: str | None,
                   progress: Progress = SILENT, language: str = "en",
                   max_words: int = DEFAULT_MAX_WORDS, budget_given: bool = True,
                   cache: Cache = NO_CACHE) -> tuple[Document, dict[str, bytes]]:
    """The summary's document as the templates word it within its budget, and every output
    file's bytes by file name: rendered in memory, nothing written. Raises
    :class:`~upr_summary.distil.BudgetError` when the budget is below the minimum."""
    from .compose import compose
    from .distil import fit

    with_compilation = "compilation" in formats and bool({"docx", "md", "pdf"} & set(formats))
    summary.counts.compilation = with_compilation

    with progress.stage("Wording the summary within its budget"):
        document = fit(summary, lambda s: compose(s, templates, language), max_words,
                       budget_given)
    stopped = threading.Event()
    try:
        return _render(summary, document, formats, names, templates, reference_docx, progress,
                       language, with_compilation, cache, stopped)
    except BaseException:
        from .render.pdf import stop

        stop(stopped)  # the compilation's layout, if it is still running
        raise


def _render(summary: Summary, document: Document, formats: Sequence[str], names: dict[str, str],
            templates: str | Path | None, reference_docx: str | None, progress: Progress,
            language: str, with_compilation: bool, cache: Cache, stopped: threading.Event
            ) -> tuple[Document, dict[str, bytes]]:
    from .compose import COMPILATION_TEMPLATE, compose

    outputs: dict[str, bytes] = {}
    # The compilation's layout (its PDF, its contents' page numbers) runs in the background
    # while the summary is written; its results are put in their places at the end.
    waiting: dict[str, Callable[[], bytes]] = {}
    if with_compilation:
        with progress.stage("Wording the compilation"):
            compilation = compose(summary, templates, language, COMPILATION_TEMPLATE)
        if "docx" in formats or "pdf" in formats:
            from .render.docx import render_docx

            with progress.stage("Writing the compilation (Word)"):
                first = render_docx(compilation, None, reference_docx)

            def again(pages: list[tuple[int, int, str]], book: Document = compilation) -> bytes:
                return render_docx(book, None, reference_docx, pages)

            if "pdf" in formats:
                laid_out = _in_background(functools.partial(_paginate, first, True, cache,
                                                            stopped))
                waiting[names["compilation-pdf"]] = lambda: laid_out()[1]
                if "docx" in formats:
                    waiting[names["compilation-docx"]] = lambda: again(laid_out()[0])
            else:
                # (no progress bar of its own in the background)
                waiting[names["compilation-docx"]] = _in_background(functools.partial(
                    _with_page_numbers, first, again, SILENT, cache, stopped))
            for name in waiting:
                outputs[name] = b""  # (its place in the order of the files)
        if "md" in formats:
            from .render.markdown import render_markdown

            with progress.stage("Writing the compilation (Markdown)"):
                outputs[names["compilation-md"]] = render_markdown(compilation, None).encode("utf-8")
    if "json" in formats:
        import json

        from .distil import as_json

        data = as_json(summary, document.words, document.meta)
        outputs[names["json"]] = (json.dumps(data, ensure_ascii=False, indent=1)
                                  + "\n").encode("utf-8")
    chart = None
    if summary.glance:

        with progress.stage("Drawing the chart"):
            rows = [{**row, "issue_area": document.words(str(row["issue_area"]))}
                    for row in summary.glance]
            chart = _chart(rows, chart_labels(document), cache)
    if "docx" in formats or "pdf" in formats:
        from .render.docx import render_docx

        with progress.stage("Writing the Word document"):
            docx = render_docx(document, chart, reference_docx)
        if "pdf" in formats:

            with progress.stage("Laying out the pages and the PDF with LibreOffice"):
                pages, pdf = _paginate(docx, True, cache, stopped)
            assert pdf is not None
            outputs[names["pdf"]] = pdf
            if "docx" in formats:
                outputs[names["docx"]] = render_docx(document, chart, reference_docx, pages)
        elif "docx" in formats:
            outputs[names["docx"]] = _with_page_numbers(
                docx, lambda pages: render_docx(document, chart, reference_docx, pages), progress,
                cache, stopped)
    if "md" in formats:
        from .render.markdown import render_markdown

        if chart is not None:
            outputs[names["chart"]] = chart
        with progress.stage("Writing the Markdown"):
            outputs[names["md"]] = render_markdown(
                document, names["chart"] if chart is not None else None).encode("utf-8")
    if waiting:
        with progress.stage("Laying out the compilation's pages with LibreOffice"):
            for name, result in waiting.items():
                made = result()
                assert made is not None
                outputs[name] = made
    return document, outputs
