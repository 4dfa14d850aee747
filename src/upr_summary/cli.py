"""The command line: each command parses its options, calls the library's API (one
:class:`upr_summary.Project` method), prints the result.

Results go to stdout, problems to stderr (``validate``'s report is its result, so it
goes to stdout). Exit codes: 0 ok, 1 invalid data, 2 usage. No traceback unless
``--debug``. Heavy libraries are imported inside the commands that use them.
"""

from __future__ import annotations

import functools
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from . import __version__

if TYPE_CHECKING:
    from .model import Problem
    from .project import Project

F = TypeVar("F", bound=Callable[..., Any])

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class _ReaderGone(SystemExit):
    """The program reading our output went away (``upr-summary validate data | head -1``).
    Ends the command quietly with exit 1; from the console script, by SIGPIPE, as other
    command-line tools end."""


def _reader_gone() -> bool:
    """Whether stdout or stderr is a pipe (or socket) whose reader has gone. Where the
    system cannot tell (no poll), assume so."""
    try:
        import select

        poll = select.poll()
    except (ImportError, AttributeError):
        return True
    for stream in (sys.stdout, sys.stderr):
        try:
            poll.register(stream.fileno(), select.POLLOUT)
        except (AttributeError, OSError, ValueError):  # not a real file (CliRunner)
            continue
    return any(event & (select.POLLERR | select.POLLHUP) for _, event in poll.poll(0))


def _end_quietly() -> None:
    """Point stdout at the null device, so that Python's last flush of what is still
    buffered cannot fail with "Exception ignored ... BrokenPipeError", then exit 1."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (AttributeError, OSError, ValueError):
        pass
    raise _ReaderGone(1)


def _guard(func: F) -> F:
    """Turn domain errors into a message and their exit code (1 invalid data, 2 a mistake in
    the command or its settings); anything else exits 1 too, unless --debug.
    A closed output pipe ends the command quietly."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from .errors import UprSummaryError

        debug = kwargs.get("debug", False)
        try:
            return func(*args, **kwargs)
        except BrokenPipeError:
            if _reader_gone():
                _end_quietly()
            if debug:
                raise
            click.echo("Error: a pipe to another program closed early (broken pipe).", err=True)
            sys.exit(1)
        except UprSummaryError as exc:
            problems = getattr(exc, "problems", None)  # InvalidData: the errors first
            if problems:
                _print_problems(problems, stderr=True)
            if debug:
                raise
            click.echo(f"Error: {exc}", err=True)
            sys.exit(exc.exit_code)
        except (click.exceptions.Exit, click.ClickException, SystemExit, KeyboardInterrupt):
            raise
        except Exception as exc:  # an internal fault: say so plainly, no traceback
            if debug:
                raise
            click.echo(
                f"Internal error: {type(exc).__name__}: {exc}\n"
                "This is a bug in upr-summary. Run the command again with --debug to see the "
                "traceback, and report it.",
                err=True,
            )
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


def _cache_option(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value is not None and not value.strip():
        raise click.BadParameter("give a folder (or --no-cache for none).", ctx, param)
    if value:
        ctx.meta.setdefault("cache", value)


def _input_options(func: F) -> F:
    """Options shared by the commands that read submissions."""
    func = click.option("--debug", is_flag=True, help="Show a traceback on errors.")(func)
    func = click.option("--codebook", metavar="NAME|FILE",
                        help="Themes to match issue areas against: ohchr (default), upr-info, "
                        "none, or a .yaml/.qdc codebook file.")(func)
    func = click.option("--include-hidden-sheets", is_flag=True, expose_value=False,
                        callback=lambda ctx, _, v: ctx.meta.__setitem__("hidden_sheets", v),
                        help="Read hidden and very hidden sheets of workbooks too (default: "
                        "skipped with a warning).")(func)
    func = click.option("--no-cache", is_flag=True, expose_value=False,
                        callback=lambda ctx, _, v: v and ctx.meta.__setitem__("cache", False),
                        help="Read everything afresh and keep nothing for the next run.")(func)
    func = click.option("--cache", metavar="DIR", expose_value=False,
                        type=click.Path(file_okay=False, path_type=str),
                        callback=_cache_option,
                        help="The folder where what a run can reuse is kept (default: cache: "
                        "in the project file, else .upr-summary-cache beside the project "
                        "file). It holds copies of private data; delete it at any "
                        "time.")(func)
    func = click.option("--sheet", metavar="NAME",
                        help="Read only this sheet of each workbook (default: every sheet "
                        "with a header).")(func)
    func = click.option("--config", "config_path", metavar="FILE",
                        type=click.Path(dir_okay=False),
                        help="Project file (default: upr-summary.yaml next to the data or in "
                        "the current folder).")(func)
    func = click.argument("paths", nargs=-1, required=True, callback=_existing_paths,
                          type=click.Path(path_type=str))(func)
    return func


def _existing_paths(ctx: click.Context, param: click.Parameter,
                    value: tuple[str, ...]) -> tuple[str, ...]:
    """A path on the command line that does not exist is a mistake in the command (exit
    2), with the likely name when one beside it is close ("submisions": submissions)."""
    import difflib

    for raw in value:
        try:
            os.lstat(raw)
            continue
        except FileNotFoundError:
            pass
        except (OSError, ValueError):  # a name the system refuses: the loader says why
            continue
        path = Path(raw)
        parent = path.parent if str(path.parent) else Path(".")
        try:
            names = sorted(entry.name for entry in os.scandir(parent) if not
                           entry.name.startswith("."))[:2000]
        except OSError:
            names = []
        close = difflib.get_close_matches(path.name, names, n=1, cutoff=0.75)
        hint = f" Did you mean {parent / close[0] if str(path.parent) != '.' else close[0]}?" \
            if close else ""
        raise click.BadParameter(f"No such file or folder: {raw}.{hint}", ctx=ctx,
                                 param=param)
    return value


def _language_option(func: F) -> F:
    return click.option(
        "--language", metavar="CODE",
        help="Language of the fixed words: en, fr, es, or any language with a catalogue in "
        "the templates folder (default: language: in the project file, else en). Text from "
        "submissions stays as written.")(func)


def _project(paths: tuple[str, ...], config_path: str | None, sheet: str | None = None,
             codebook: str | None = None, **options: Any) -> Project:
    """The project the command works on, with the command line's --include-hidden-sheets."""
    from .project import Project

    # given: True; not given: the project file's setting
    meta = click.get_current_context().meta
    hidden = meta.get("hidden_sheets") or None
    return Project(list(paths), config_path, sheet=sheet, codebook=codebook,
                   include_hidden_sheets=hidden, cache=meta.get("cache"), **options)


def _previous_options(func: F) -> F:
    func = click.option("--state", metavar="NAME", help="The State under review, where the "
                        "recommendations file holds several (default: state: in the project "
                        "file).")(func)
    func = click.option("--recommendations", "recommendations_path", metavar="FILE",
                        type=click.Path(dir_okay=False),
                        help="Earlier UPR recommendations to the State: a UPR Info export or a "
                        "CSV/XLSX with recommendation, recommending_state, response, "
                        "issue_area, cycle (default: recommendations: in the project file).")(func)
    return func


def _progress(quiet: bool) -> Any:
    """Progress bars on a terminal only: never in pipes, in CI or with --quiet."""
    from .progress import SILENT, RichProgress

    if quiet or os.environ.get("CI") or not sys.stderr.isatty():
        return SILENT
    return RichProgress()


def _elapsed(start: float, quiet: bool) -> None:
    if not quiet:
        click.echo(f"done in {time.perf_counter() - start:.1f} s", err=True)


def _console(stderr: bool = False, wide: bool = False) -> Any:
    from rich.console import Console

    console = Console(stderr=stderr, highlight=False, soft_wrap=not wide)
    console.on_broken_pipe = _end_quietly  # type: ignore[method-assign]  # as our own echo
    if wide and not console.is_terminal:
        console.width = 132  # a pipe or a file: do not fold tables at 80 columns
    return console


def _print_problems(problems: list[Problem], stderr: bool) -> None:
    """One line per problem; coloured on a terminal (click strips colour in pipes)."""
    colour = {"error": "red", "warning": "yellow"}
    lines = [
        f"{click.style(str(p.location), bold=True)}: {click.style(p.severity, fg=colour[p.severity])}"
        f" {click.style(f'[{p.code}]', fg='cyan')} {p.message}"
        for p in problems
    ]
    if lines:
        click.echo("\n".join(lines), err=stderr)


@click.group(context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, "-V", "--version", prog_name="upr-summary")
def cli() -> None:
    """Turn civil-society submissions to a UN Universal Periodic Review into an executive
    summary: loaded from CSV, Excel and YAML, checked, counted and grouped by theme.

    \b
    Start a project:      upr-summary init my-review
    Check the data:       upr-summary validate my-review/submissions
    Count by issue area:  upr-summary stats my-review/submissions
    Write the report:     upr-summary build my-review/submissions -o my-review/out
    """


@cli.command()
@_input_options
@click.option("--strict", is_flag=True, help="Warnings count as errors (exit 1).")
@click.option("--json", "as_json", is_flag=True, help="Print the problems as a JSON list.")
@_previous_options
@click.option("-q", "--quiet", is_flag=True, help="Print only errors (and the count).")
@_guard
def validate(paths: tuple[str, ...], config_path: str | None, sheet: str | None,
             codebook: str | None, debug: bool, strict: bool, as_json: bool,
             recommendations_path: str | None, state: str | None, quiet: bool) -> None:
    """Check submissions files and report every problem at once.

    PATHS are CSV, XLSX or YAML files, or folders of them (read recursively). Each problem
    has its file, row (or YAML line), field, a stable code and how to fix it. The earlier
    recommendations file (--recommendations, or recommendations: in the project file) is
    checked too. Exit 0 when valid, 1 when not (with --strict, warnings too).
    """
    from .errors import InvalidData
    from .export import to_json

    project = _project(paths, config_path, sheet, codebook,
                       recommendations=recommendations_path, state=state)
    checked = project.check()
    # The earlier recommendations the build reads: their problems are the build's too.
    try:
        previous = project.earlier_recommendations("nothing counted")
        earlier = list(previous.problems) if previous is not None else []
    except InvalidData as exc:
        earlier = list(exc.problems)
    problems = list(checked.problems) + earlier
    ok = checked.ok(strict) and not any(
        p.severity == "error" or strict for p in earlier)
    shown = [p for p in problems if p.severity == "error"] if quiet else problems
    if as_json:
        click.echo(to_json([p.as_dict() for p in shown]), nl=False)
    else:
        _print_problems(shown, stderr=False)
        line = checked.summary()
        if earlier:
            e = sum(p.severity == "error" for p in earlier)
            line += (f" Earlier recommendations: {e} error{'s' * (e != 1)}, "
                     f"{len(earlier) - e} warning{'s' * (len(earlier) - e != 1)}.")
        click.echo(line)
    sys.exit(0 if ok else 1)


@cli.command()
@_input_options
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "markdown", "xlsx"]),
              default="table", show_default=True,
              help="Output format; xlsx: a workbook with one sheet per table (by issue area, "
              "by type, issue areas together, and the gaps with earlier recommendations), "
              "written to -o FILE.")
@click.option("-o", "--output", "output", metavar="FILE", type=click.Path(dir_okay=False),
              help="Write to FILE instead of the terminal (needed for xlsx).")
@click.option("--by", type=click.Choice(["issue-area", "type"]), default="issue-area",
              show_default=True, help="Count by issue area or by submission type.")
@click.option("--cross", is_flag=True,
              help="Print the issue-area co-occurrence matrix (findings carrying both).")
@_previous_options
@click.option("--gaps", is_flag=True, help="With earlier recommendations: the issue areas "
              "civil society raises that they did not cover, and the reverse.")
@_language_option
@click.option("-q", "--quiet", is_flag=True, help="Do not mention warnings on stderr.")
@_guard
def stats(paths: tuple[str, ...], config_path: str | None, sheet: str | None,
          codebook: str | None, debug: bool, fmt: str, by: str, cross: bool,
          recommendations_path: str | None, state: str | None, gaps: bool, quiet: bool,
          language: str | None, output: str | None) -> None:
    """Count submissions, organizations, findings and recommendations per issue area.

    Organizations count the members of joint submissions; a finding with two issue areas
    counts in both. Invalid data (errors from `validate`) exits 1 without counts.
    """
    views = [name for name, on in (("--by type", by == "type"), ("--cross", cross),
                                    ("--gaps", gaps)) if on]
    if fmt == "xlsx":
        if output is None:
            raise click.UsageError("--format xlsx writes a workbook: name it with -o FILE "
                                   "(for example -o counts.xlsx).")
        if views:
            raise click.UsageError(f"--format xlsx holds every table, one sheet each: leave "
                                   f"out {' and '.join(views)}.")
        _stats_workbook(paths, config_path, sheet, codebook, recommendations_path, state,
                        quiet, language, output)
        return
    if len(views) > 1:
        raise click.UsageError(f"{' and '.join(views)} are different tables: ask for one at a "
                               "time (run stats once for each).")
    project = _project(paths, config_path, sheet, codebook,
                       recommendations=recommendations_path, state=state)
    if output is not None:
        _refuse_output_file(output, project, recommendations_path)
    counts = project.counts(by, cross=cross, gaps=gaps)
    warnings = project.check().warnings
    if warnings and not quiet:
        click.echo(f"{len(warnings)} warning(s); run `upr-summary validate` to see them.",
                   err=True)
    if counts.left_out:
        click.echo(f"The table shows the {len(counts.rows)} issue areas with most findings; "
                   f"{counts.left_out:,} more are left out (see `upr-summary stats` for all of "
                   "them).", err=True)
    language = project.language(language)
    _emit(counts.rows, counts.columns, fmt, counts.totals, raw_headers=cross and not gaps,
          language=language, name=project.theme_label(language), templates=project.templates(),
          output=output)
    if output is not None and not quiet:
        click.echo(f"wrote {output}")


def _stats_workbook(paths: tuple[str, ...], config_path: str | None, sheet: str | None,
                    codebook: str | None, recommendations_path: str | None, state: str | None,
                    quiet: bool, language: str | None, output: str) -> None:
    """``stats --format xlsx -o FILE``: every table, one sheet each, in the language."""
    from .errors import OutputError
    from .export import SHEET_TITLES, TOTAL_LABEL, localized, to_xlsx
    from .fileio import atomic_write_bytes
    from .i18n import messages

    project = _project(paths, config_path, sheet, codebook,
                       recommendations=recommendations_path, state=state)
    _refuse_output_file(output, project, recommendations_path)
    tables = [("issue-area", project.counts("issue-area")), ("type", project.counts("type")),
              ("cross", project.counts(cross=True))]
    if project.earlier_recommendations("nothing counted") is not None:
        tables.append(("gaps", project.counts(gaps=True)))
    warnings = project.check().warnings
    if warnings and not quiet:
        click.echo(f"{len(warnings)} warning(s); run `upr-summary validate` to see them.",
                   err=True)
    language = project.language(language)
    templates = project.templates()
    _ = messages(language, templates).gettext
    name = project.theme_label(language)
    sheets = []
    for view, counts in tables:
        rows, headers = localized(counts.rows, counts.columns, language, name, templates)
        if counts.totals is not None:
            rows.append({c: (_(TOTAL_LABEL) if i == 0 else counts.totals.get(c))
                         for i, c in enumerate(counts.columns)})
        sheets.append((_(SHEET_TITLES[view]), headers, rows, counts.columns))
    try:
        atomic_write_bytes(Path(output), to_xlsx(sheets))
    except OSError as exc:
        raise OutputError(f"Cannot write {output}: {exc.strerror or exc}") from None
    if not quiet:
        click.echo(f"wrote {output}")


def _refuse_output_file(output: str, project: Any, *named: Any, marked: bool = False) -> None:
    """A file written by stats or classify never replaces an input, the project file or a
    file it names: a mistake in the command (exit 2). Nor does one go into an input folder,
    where it would be read as a submission next time, unless it is ``marked`` as our
    working file (classify's CSV, skipped there)."""
    try:
        target = Path(output).resolve()
    except OSError:
        return  # writing it says what is wrong
    files: list[Any] = [*project.paths, project.config.path]
    for value in named:
        files += list(value) if isinstance(value, (list, tuple)) else [value]
    for path in (f for f in files if f):
        try:
            source = Path(path).resolve()
        except OSError:
            continue
        if target == source:
            raise click.UsageError(f"-o {output} is one of the files read ({path}): it would "
                                   "be replaced. Name another file.")
        if marked and source.is_dir() and source in target.parents and target.exists():
            from .fileio import working_mark

            if working_mark(target) is None:
                raise click.UsageError(f"-o {output} is a file of the input folder {path}: "
                                       "it would be replaced. Name another file.")
        if not marked and source.is_dir() and source in target.parents:
            raise click.UsageError(f"-o {output} is inside the input folder {path}: it would "
                                   "be read as a submission next time. Write it elsewhere "
                                   "(for example beside the project file).")


def _out(text: str, output: str | None) -> None:
    """``text`` on the terminal, or written to ``output`` (whole or not at all)."""
    if output is None:
        click.echo(text, nl=False)
        return
    from .errors import OutputError
    from .fileio import atomic_write_bytes

    try:
        atomic_write_bytes(Path(output), text.encode("utf-8"))
    except OSError as exc:
        raise OutputError(f"Cannot write {output}: {exc.strerror or exc}") from None


def _excluded_file(project: Any, out_dir: str, summary: Any) -> str | None:
    """The findings a build left out, with file and row, in ``excluded.csv`` beside the
    project file: a working file for the coordinator (UTF-8 with a byte-order mark,
    formulas neutralised), never in the report's folder. None when there is no project
    file, or it sits in the report's folder."""
    from .errors import OutputError
    from .export import to_csv
    from .fileio import atomic_write_bytes

    if project.config.path is None:
        return None
    folder = Path(project.config.path).parent
    try:
        if folder.resolve() == Path(out_dir).resolve():
            return None
    except OSError:
        return None
    target = folder / "excluded.csv"
    if os.path.islink(target):
        raise _NotWritten(f"{target} is a link; the list was not written through it. Remove "
                          "the link to get the list.")
    from .fileio import EXCLUDED_MARK, working_mark

    if target.exists():
        if working_mark(target) != EXCLUDED_MARK:
            raise _NotWritten(f"{target} is not upr-summary's list of left-out findings (a "
                              "member's file?); it was left as it is. Rename it to get the "
                              "list.")
    rows = []
    for item in summary.excluded:
        code, where, text = item._origin
        file, _, row = where.rpartition(":")
        rows.append({"reason": item.reason, "submission": code, "file": file or where,
                     "row": row if file else "", "finding": text})
    columns = ["reason", "submission", "file", "row", "finding"]
    headers = [f"{EXCLUDED_MARK} (reason)", "submission", "file", "row", "finding"]
    try:
        atomic_write_bytes(target, ("\ufeff" + to_csv(rows, columns, headers)).encode("utf-8"))
    except (OSError, OutputError) as exc:
        stale = " The one there is from an earlier build." if target.exists() else ""
        raise _NotWritten(f"The list of left-out findings could not be written to {target} "
                          f"({getattr(exc, 'strerror', None) or exc}).{stale}") from None
    return str(target)


class _NotWritten(Exception):
    """excluded.csv was not written: the reason, for the terminal."""


def _counted(n: int, noun: str) -> str:
    """'1 finding', '2 findings' (the terminal's English)."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def _emit(rows: list[dict[str, Any]], columns: list[str], fmt: str,
          total: dict[str, int] | None, raw_headers: bool = False,
          language: str = "en", name: Any = None, templates: Any = None,
          output: str | None = None) -> None:
    from .export import TOTAL_LABEL, localized, to_csv, to_json, to_markdown
    from .i18n import messages

    if output is not None and fmt == "table":
        raise click.UsageError("-o writes json, csv, markdown or xlsx; the table is for the "
                               "terminal: add --format csv (or another).")
    if fmt == "json":  # data for programs: the keys and values of the library
        _out(to_json(rows), output)
        return
    rows, headers = localized(rows, columns, language, name, templates)
    if total is not None and fmt in ("csv", "markdown"):
        # the distinct totals (an organization in two areas counts once), as the last row
        label = messages(language, templates).gettext(TOTAL_LABEL)
        rows = [*rows, {c: (label if i == 0 else total.get(c)) for i, c in enumerate(columns)}]
    if fmt == "csv":
        # with a byte-order mark: Excel then reads the accents right
        _out("\ufeff" + to_csv(rows, columns, headers), output)
    elif fmt == "markdown":
        _out(to_markdown(rows, columns, headers), output)
    else:
        from rich import box
        from rich.table import Table

        titles = dict(zip(columns, headers))
        if raw_headers:  # a matrix: number the areas so that the columns stay narrow
            names = columns[1:]
            rows = [{"issue_area": f"{i}. {r['issue_area']}",
                     **{str(j): r[name] for j, name in enumerate(names, 1)}}
                    for i, r in enumerate(rows, 1)]
            columns = ["issue_area", *(str(j) for j in range(1, len(names) + 1))]
        # The group stays in JSON, CSV and Markdown; on screen it leaves no room for counts.
        columns = [c for c in columns if c != "group"]
        table = Table(box=box.SIMPLE_HEAVY, show_footer=total is not None)
        total_label = messages(language, templates).gettext(TOTAL_LABEL)
        for i, col in enumerate(columns):
            title = titles.get(col, col)
            footer = "" if total is None else (total_label if i == 0 else str(total.get(col, "")))
            numeric = bool(rows) and all(isinstance(r.get(col), int) for r in rows)
            longest = max((len(str(r.get(col, ""))) for r in rows), default=4)
            table.add_column(title, footer=footer, justify="right" if numeric else "left",
                             overflow="ellipsis" if col == "group" else "fold",
                             no_wrap=col == "group" or (raw_headers and i == 0),
                             min_width=max(longest, 3) if numeric else min(longest, 24),
                             max_width=38 if col == "group" else None)
        for row in rows:
            table.add_row(*("" if row[c] is None else str(row[c]) for c in columns))
        console = _console(wide=True)
        if raw_headers and not console.is_terminal:
            console.width = max(console.width, 40 + 5 * len(columns))
        console.print(table)


class _WordCount(click.ParamType):  # type: ignore[type-arg]
    """A whole number of words, written as people write it: 2200, 2,200, 2 200 or 2_200."""

    name = "N"

    def convert(self, value: object, param: click.Parameter | None,
                ctx: click.Context | None) -> int:
        text = str(value).strip().replace(",", "").replace("_", "").replace(" ", "")
        if not text.isascii() or not text.isdigit() or len(text) > 9 or int(text) < 1:
            self.fail(f"{value!r} is not a number of words such as 2200.", param, ctx)
        return int(text)


_WORDS = _WordCount()


@cli.command()
@_input_options
@click.option("-o", "--output", "out_dir", metavar="DIR", type=click.Path(file_okay=False),
              help="Folder for the report files (default: output_folder: in the project "
              "file, else out).")
@click.option("--format", "formats", metavar="LIST",
              help="Comma-separated: docx, md, pdf (needs LibreOffice), json, and compilation "
              "(the full record, in the docx and md formats chosen); default: formats: in the "
              "project file, else docx,md,compilation.")
@click.option("--max-words", "max_words", type=_WORDS, metavar="N",
              help="The summary's word budget, title to last theme section (default: "
              "max_words: in the project file, else about 10 A4 pages: 2,100 in English, "
              "2,400 in French, 2,250 in Spanish).")
@click.option("--themes", "themes", metavar="LIST", help="Only these themes (issue areas), "
              "comma-separated.")
@click.option("--exclude-themes", "exclude_themes", metavar="LIST",
              help="Leave these themes (issue areas) out, comma-separated.")
@click.option("--templates", metavar="DIR", type=click.Path(file_okay=False),
              help="Folder of edited templates, each file replacing the built-in one (default: "
              "templates: in the project file, else the templates/ folder beside it).")
@click.option("--reference-docx", metavar="FILE", type=click.Path(dir_okay=False),
              help="A .docx whose styles, page setup, header and footer the report takes "
              "(default: reference_docx: in the project file).")
@_language_option
@click.option("--strict/--no-strict", default=None,
              help="Fail (exit 1) when any finding would be left out (default: strict: in the "
              "project file, else no).")
@click.option("--show-excluded", is_flag=True, help="List the findings left out of the report.")
@click.option("--auto-tag/--no-auto-tag", default=None,
              help="Place untagged findings in sections by their suggested issue areas (see "
              "`classify`); the report says how many (default: auto_tag: in the project "
              "file, else no).")
@_previous_options
@click.option("-q", "--quiet", is_flag=True, help="Print only errors.")
@_guard
def build(paths: tuple[str, ...], config_path: str | None, sheet: str | None,
          codebook: str | None, debug: bool, out_dir: str | None, formats: str | None,
          templates: str | None, reference_docx: str | None, strict: bool | None,
          show_excluded: bool, auto_tag: bool | None, recommendations_path: str | None, state: str | None,
          quiet: bool, max_words: int | None, themes: str | None,
          exclude_themes: str | None, language: str | None) -> None:
    """Write the executive summary (Word with real footnotes, Markdown) and the compilation.

    The summary opens with the key concerns (the most widely raised across all themes),
    then each theme's concerns, ranked by the number of organizations that raised them,
    within a word budget; every concern cites all its submissions. The compilation holds
    every finding once, grouped into its concerns. Nothing is written when the data has
    errors; files are replaced atomically.
    """
    start = time.perf_counter()
    project = _project(paths, config_path, sheet, codebook, recommendations=recommendations_path,
                       state=state, progress=_progress(quiet))
    if themes is not None:
        project.config.themes = _list_option(themes, "--themes")
    if exclude_themes is not None:
        project.config.exclude_themes = _list_option(exclude_themes, "--exclude-themes")
    # The command line, then the project file, then the default.
    config = project.config
    if out_dir is None:
        out_dir = config.relative(config.output_folder) if config.output_folder else "out"
    if reference_docx is None and config.reference_docx:
        reference_docx = config.relative(config.reference_docx)
    result = project.build(out_dir, formats or config.formats or "docx,md,compilation",
                           templates=templates, reference_docx=reference_docx,
                           strict=config.strict if strict is None else strict,
                           auto_tag=config.auto_tag if auto_tag is None else auto_tag,
                           max_words=max_words, language=language)
    summary = result.summary
    from .privacy import working_files_in

    for name in working_files_in(out_dir):  # a working file beside published ones
        click.echo(f"Warning: {os.path.join(out_dir, name)} is a working file (classify's "
                   "CSV, with the data as given): move it out of the report's folder before "
                   "publishing the folder.", err=True)
    # Files left from an earlier build beside this one's: they may not match it, and
    # whoever publishes the folder must know, -q or not.
    _print_problems([p for p in result.template_problems
                     if p.code == "output-from-earlier-build"], stderr=True)
    if show_excluded:  # a working list on the terminal: the data as given, with file:row
        for item in summary.excluded:
            code, where, text = item._origin
            click.echo(f"excluded ({item.reason}): {code} {where}: {text}")
    try:
        listed = _excluded_file(project, out_dir, summary)
    except _NotWritten as exc:
        listed = None
        if summary.excluded:
            click.echo(f"Warning: {exc}", err=True)
    if not quiet:
        for path in result.written:
            click.echo(f"wrote {path}")
        if listed and summary.excluded:
            n = len(summary.excluded)
            click.echo(f"the {_counted(n, 'finding')} left out {'is' if n == 1 else 'are'} "
                       f"listed in {listed} (a working file, not for publication)")
        # a setting the coordinator believes in, not used: said at each build
        _print_problems([p for p in project.config.problems if p.code == "config-unknown-key"]
                        + [p for p in result.template_problems
                           if p.code != "output-from-earlier-build"], stderr=True)
        if result.problems:
            click.echo(f"{len(result.problems)} warning(s); run `upr-summary validate` to see "
                       "them.", err=True)
        click.echo(f"concerns grouped by {summary.grouping}")
        c = summary.counts
        why = ", ".join(f"{n} {_REASONS.get(reason, reason)}" for reason, n in c.excluded.items())
        where = "in the compilation as" if c.compilation else "grouped into"
        made = sum(len(s.recommendations) for s in summary.sections)
        shown = sum(len(s.shown_recommendations) for s in summary.sections)
        asks = (f", {shown:,} of the members' {made:,} recommendations" if made else "")
        click.echo(f"{c.read} findings read: {c.findings} {where} {c.concerns} "
                   f"concerns; {c.concerns_shown} concerns in the summary{asks} ({c.words:,} "
                   f"of {summary.budget.max_words if summary.budget else 0:,} words)"
                   + (f"; {c.read - c.findings} excluded ({why})" if c.read > c.findings else ""))
        if made and shown * 4 < made and summary.budget:
            click.echo(f"Note: the budget leaves most of the members' recommendations to the "
                       f"compilation ({shown:,} of {made:,} in the summary): the summary states "
                       "each theme's concerns first. Raise --max-words, or choose fewer themes "
                       "(--themes), for more of them.", err=True)
    if summary.budget and summary.budget.raised_from:
        click.echo(f"Warning: the {len(summary.sections)} themes need at least "
                   f"{summary.budget.max_words:,} words, more than the default budget of "
                   f"{summary.budget.raised_from:,}: the summary has that minimum. Choose fewer "
                   "themes (--themes, --exclude-themes) or set --max-words.", err=True)
    if summary.budget and summary.budget.uncited:
        uncited = [code for code, _ in summary.budget.uncited]
        codes = ", ".join(uncited[:20]) + (f" and {len(uncited) - 20:,} more" if len(uncited) > 20
                                            else "")
        click.echo(f"Warning: the budget leaves {len(summary.budget.uncited)} submission(s) "
                   f"uncited in the summary (they are in the compilation): {codes}. Raise "
                   "--max-words to cite them.", err=True)
    _cache_report(project.cache, quiet)
    _elapsed(start, quiet)


def _cache_report(cache: Any, quiet: bool) -> None:
    """What the build reused from the project cache (not with ``quiet``), or, always, that
    the cache could not be used: otherwise every rebuild does all the work with no word."""
    if cache.folder is None:
        return
    if cache.failed:
        click.echo(f"Warning: the cache folder {cache.folder} could not be used "
                   f"({cache.failed}), so every build does all the work again. Move what is "
                   "there, or choose another folder with --cache DIR (--no-cache for none).",
                   err=True)
        return
    if quiet:
        return
    parts = []
    done = {kind: (cache.hits[kind], cache.hits[kind] + cache.misses[kind])
            for kind in set(cache.hits) | set(cache.misses)}
    if done.get("records", (0, 0))[0]:
        parts.append("the rows of {} of {} files".format(*done["records"]))
    if done.get("words", (0, 0))[0]:
        parts.append("the embedding's tokens of the words already seen")
    if done.get("templates", (0, 0))[0]:
        parts.append("the compiled templates")
    if done.get("chart", (0, 0))[0]:
        parts.append("the chart")
    if done.get("pages", (0, 0))[0]:
        parts.append("LibreOffice's page layouts" if done["pages"][0] == done["pages"][1]
                     else "some of LibreOffice's page layouts")
    if parts:
        click.echo(f"reused from the cache ({cache.folder}): " + ", ".join(parts), err=True)


_REASONS = {"untagged": "untagged", "theme": "in themes left out"}


def _list_option(text: str, option: str) -> list[str]:
    from .errors import UsageError

    names = [part.strip() for part in text.split(",") if part.strip()]
    if not names:
        raise UsageError(f"{option} names no theme: give theme names separated by commas "
                         "(for example \"Housing, Health\").")
    return names


@cli.command()
@_input_options
@click.option("-o", "--output", "out_file", required=True, metavar="OUT.csv",
              type=click.Path(dir_okay=False), help="CSV to write (opens in Excel; loads back "
              "as input).")
@click.option("--mode", type=click.Choice(["auto", "keywords", "learning"]), default="auto",
              show_default=True, help="keywords: the codebook's keywords; learning: learn from "
              "the findings already tagged; auto: learning when there are enough tagged "
              "findings, else keywords.")
@click.option("--all", "all_rows", is_flag=True, help="Score every finding, not only the "
              "untagged ones (to check a coder's tags).")
@click.option("--learn-from", "learn_from", multiple=True, metavar="FILE",
              type=click.Path(exists=True, path_type=str),
              help="Tagged findings of an earlier cycle to learn from as well (repeatable).")
@click.option("-q", "--quiet", is_flag=True, help="Print only errors.")
@_guard
def classify(paths: tuple[str, ...], config_path: str | None, sheet: str | None,
             codebook: str | None, debug: bool, out_file: str, mode: str, all_rows: bool,
             learn_from: tuple[str, ...], quiet: bool) -> None:
    """Suggest issue areas for findings and write them to OUT.csv.

    OUT.csv holds every finding with its columns plus suggested_issue_area (';'-separated),
    confidence (0-1) and reason. Review the suggestions in Excel, then use the file as input:
    a row whose issue_area is empty takes its suggested_issue_area. Contact e-mails are left
    out; a confidential organization keeps its name and flag (the build withholds it).
    """
    from .errors import UsageError

    start = time.perf_counter()
    project = _project(paths, config_path, sheet, codebook, progress=_progress(quiet))
    _refuse_output_file(out_file, project, learn_from, marked=True)
    try:
        result = project.classify(out_file, mode=mode, all_rows=all_rows, learn_from=learn_from)
    except UsageError as exc:  # a mistake in the command: click's usage message
        raise click.UsageError(str(exc)) from None
    findings = len(project.load().findings)
    if not quiet:
        scored = len(result.suggestions)
        given = sum(1 for s in result.suggestions.values() if s.issue_areas)
        trained = f", learnt from {result.trained_on} tagged findings" if result.trained_on else ""
        click.echo(f"{result.mode} mode{trained}: issue areas suggested for {given} of the "
                   f"{scored} finding(s) scored ({findings} read).")
        click.echo(f"wrote {out_file}")
    if result.unused_learning:
        click.echo(f"Note: {result.unused_learning}", err=True)
    _elapsed(start, quiet)


@cli.group()
def codebook() -> None:
    """Show, export and import codebooks: the themes issue areas are matched to.

    Built in: ohchr (the UN stakeholder summary's structure, the default) and upr-info
    (the 54 issues of the UPR Info database). A codebook is a YAML file; REFI-QDA
    codebooks (.qdc, from NVivo, ATLAS.ti, MAXQDA or QualCoder) work too.
    """


def _codebook_options(func: F) -> F:
    """--codebook, --config and --debug for the codebook commands."""
    func = click.option("--debug", is_flag=True, help="Show a traceback on errors.")(func)
    func = click.option("--config", "config_path", metavar="FILE",
                        type=click.Path(dir_okay=False), help="Project file.")(func)
    func = click.option("--codebook", "name", metavar="NAME|FILE",
                        help="Codebook (default: the project file's, else ohchr).")(func)
    return func


@codebook.command("show")
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option("--language", metavar="CODE",
              help="Show the themes' names in this language (en, fr, es...), each with its "
              "English name (default: language: in the project file where the codebook has "
              "names in it, else English).")
@_codebook_options
@_guard
def codebook_show(paths: tuple[str, ...], language: str | None, name: str | None,
                  config_path: str | None, debug: bool) -> None:
    """Print the codebook as a tree of groups and themes; with PATHS, with the number of
    findings and submissions per theme in that data (and the issue areas it lacks).
    With --language, the names in that language, the English name beside each."""
    from rich.text import Text
    from rich.tree import Tree

    from .codebook import language_code
    from .project import Project

    project = Project(list(paths), config_path, codebook=name)
    book = project.codebook()
    if book is None:  # the issue areas the data uses, as written
        areas = project.theme_counts()[0][1]
        tree = Tree(Text("Issue areas in the data", style="bold")
                    + Text(f" (no codebook, {len(areas)} issue areas)"))
        for area, findings, subs in areas:
            tree.add(Text(area) + Text(f"  ({_counted(findings, 'finding')}, "
                                       f"{_counted(subs, 'submission')})"))
        _console(wide=True).print(tree)
        return
    if language is None and project.config.language:
        # The project file's language, where the codebook has names in it (a language
        # added for the report's fixed words may have none: English names then).
        wanted = language_code(project.config.language)
        if wanted is not None and (wanted in book.languages()
                                   or wanted.partition("_")[0] in book.languages()):
            language = project.config.language
    code = language_code(language) if language else "en"
    if code is None or (code not in book.languages()
                        and code.partition("_")[0] not in book.languages()):
        has = book.languages()
        shown = ", ".join(has[:20]) + (f" and {len(has) - 20} more" if len(has) > 20 else "")
        raise click.BadParameter(f"the {book.name} codebook has no names in "
                                 f"{(language or '')[:40]!r}; it has: {shown}.",
                                 param_hint="--language")
    groups = project.theme_counts()

    def named(canonical: str) -> Text:
        local = book.label(canonical, code)
        return Text(local) + (Text(f"  [{canonical}]", style="dim") if local != canonical
                              else Text(""))

    # Text objects, not markup: names from a codebook file may hold brackets.
    tree = Tree(Text(book.title or book.name, style="bold")
                + Text(f" ({book.name}, {len(book.themes)} themes)"))
    for group, themes in groups:
        heading = named(group) if group is not None else Text("Not in the codebook")
        heading.stylize("bold", 0, len(book.label(group, code)) if group is not None else None)
        branch = tree.add(heading)
        for theme, findings, subs in themes:
            counted = (f"  ({_counted(findings, 'finding')}, {_counted(subs, 'submission')})"
                       if paths else "")
            label = named(theme) if group is not None else Text(theme)
            branch.add(label + Text(counted, style="" if findings or not paths else "dim"))
    _console(wide=True).print(tree)


@codebook.command("export")
@click.argument("file", type=click.Path(dir_okay=False, path_type=str))
@_codebook_options
@_guard
def codebook_export(file: str, name: str | None, config_path: str | None, debug: bool) -> None:
    """Write the codebook to FILE: YAML (.yaml) to edit and use with --codebook, or a
    REFI-QDA codebook (.qdc) for NVivo, ATLAS.ti, MAXQDA or QualCoder."""
    from .codebook import write_codebook
    from .errors import ConfigError
    from .project import Project

    book = Project([], config_path, codebook=name).codebook()
    if book is None:
        raise ConfigError("--codebook none has nothing to export.")
    write_codebook(book, file)
    click.echo(f"wrote {file} ({len(book.themes)} themes in {len(book.groups)} groups)")


@codebook.command("import")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=str))
@click.argument("target", type=click.Path(dir_okay=False, path_type=str))
@click.option("--debug", is_flag=True, help="Show a traceback on errors.")
@_guard
def codebook_import(source: str, target: str, debug: bool) -> None:
    """Convert a codebook, e.g. a REFI-QDA SOURCE.qdc exported from a QDA program, into
    TARGET (.yaml or .qdc). Use the result with --codebook TARGET."""
    from .codebook import load_codebook, write_codebook

    book = load_codebook(source)
    assert book is not None
    write_codebook(book, target)
    click.echo(f"wrote {target} ({len(book.themes)} themes in {len(book.groups)} groups)")


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=str))
@click.option("--force", is_flag=True, help="Overwrite files that already exist.")
@click.option("--debug", is_flag=True, help="Show a traceback on errors.")
@click.option("--codebook", metavar="NAME|FILE",
              help="The project's themes: ohchr (default), upr-info, none, or a .yaml/.qdc "
              "codebook file; set in the project file and offered in the intake sheet's "
              "dropdown.")
@_language_option
@_guard
def init(directory: str, force: bool, debug: bool, language: str | None,
         codebook: str | None) -> None:
    """Start a new project in DIRECTORY.

    Writes upr-summary.yaml (every setting, commented), submissions.xlsx (the intake sheet
    to send to member organizations: the columns, a dropdown of issue areas, an example
    row and a notes sheet), an empty submissions/ folder for the returned files, and
    templates/: a copy of the report's templates, which build uses (edit them there).
    With --language, the intake sheet and the project file's comments are in that
    language, and the project file sets it for the reports.
    """
    from .scaffold import create_project

    written = create_project(directory, force=force, language=language or "en",
                             codebook=codebook)
    for path in written:
        click.echo(f"wrote {path}")
    click.echo(f"Next: fill in {written[0]} (the State, the review, your network), send "
               f"{written[1]} to member organizations, put the returned files in "
               f"{written[2]}, then run: upr-summary validate {written[2]}")
    click.echo("The report's wording is in the templates/ folder of the project: edit it there "
               "(templates/README.txt says how).")


def _exit_on_sigterm() -> None:
    """SIGTERM (``kill``, a service manager, a CI job's timeout) ends the command as an
    exception would, exit 143 (128 + 15): ``finally`` blocks run, so LibreOffice is ended
    and temporary files are removed. A second SIGTERM ends the process at once. Installed
    by the console script only (never when the library is imported), from the main thread,
    and not over a handler someone else set (or an ignored SIGTERM)."""
    import signal
    import threading

    if not hasattr(signal, "SIGTERM") or threading.current_thread() is not threading.main_thread():
        return

    def handler(signum: int, frame: Any) -> None:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        raise SystemExit(128 + signum)

    try:
        if signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:
            signal.signal(signal.SIGTERM, handler)
    except (ValueError, OSError):
        pass


def main() -> None:
    """Entry point of the `upr-summary` console script."""
    _exit_on_sigterm()
    try:
        try:
            cli(prog_name="upr-summary")
        finally:
            sys.stdout.flush()  # here rather than at exit, so that a closed pipe is seen below
    except (_ReaderGone, BrokenPipeError):
        import signal

        if hasattr(signal, "SIGPIPE"):  # die of SIGPIPE, like cat, grep or git in a pipe
            signal.signal(signal.SIGPIPE, signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGPIPE)
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        sys.exit(1)
