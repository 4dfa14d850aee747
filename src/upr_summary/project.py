"""The library's front door: a project (submissions files and the project file that goes
with them) and everything the command line does with it. Each command of ``cli.py`` makes
one :class:`Project`, calls one method, and prints the result.

Invalid data raises :class:`~upr_summary.errors.InvalidData`, whose ``problems`` list every
error; :meth:`Project.check` returns all problems without raising. Heavy libraries
(pandas, python-docx, matplotlib, scikit-learn) are imported by the methods that need them.

>>> from upr_summary import Project
>>> project = Project(["data/submissions"])        # finds data/upr-summary.yaml
>>> project.check().ok()
True
>>> project.stats()[0]["issue_area"]
'Migrants'
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .config import Config, load_config
from .errors import ConfigError, InvalidData, UsageError
from .progress import SILENT, Progress

if TYPE_CHECKING:
    from .build import BuildResult
    from .cache import Cache
    from .checks import CheckResult
    from .classify import Classification
    from .codebook import Codebook
    from .model import Dataset, Problem, Summary
    from .recommendations import RecommendationSet

PathLike = str | os.PathLike[str]

#: What ``stats`` counts by: the option's spelling -> the key of the rows.
_BY = {"issue-area": "issue_area", "issue_area": "issue_area", "type": "type"}


@dataclass
class Counts:
    """What ``stats`` prints: the rows (the list ``--format json`` prints), the columns of
    the table in order, the totals line (distinct submissions, organizations ...; None for
    the co-occurrence matrix and the gaps), and how many issue areas the co-occurrence
    matrix left out (it shows those with most findings)."""

    rows: list[dict[str, Any]]
    columns: list[str]
    totals: dict[str, int] | None = None
    left_out: int = 0


class Project:
    """Submissions files and their project file.

    ``paths`` are files or folders of submissions (CSV, XLSX, YAML; one path or a list).
    ``config`` is a :class:`~upr_summary.config.Config`, or the path of a project file;
    by default the ``upr-summary.yaml`` next to the data (the folder given, then its
    parent) or in the current folder is read, and without one the defaults apply.
    A mistake in the project file raises :class:`~upr_summary.errors.ConfigError` here.

    The other options are those of the command line: ``sheet`` (read only this sheet of
    each workbook), ``codebook`` (ohchr, upr-info, none, a codebook file or a
    :class:`~upr_summary.codebook.Codebook`; default: the project file's, else ohchr),
    ``recommendations`` and ``state`` (the earlier UPR recommendations to the State and,
    where the file holds several States, which one; default: the project file's),
    ``include_hidden_sheets`` (None: the project's setting), ``progress`` (an object
    with a ``stage()`` context manager, see :mod:`upr_summary.progress`) and ``cache``
    (a folder, False for none; None: the project file's ``cache:``, else
    ``.upr-summary-cache`` beside the project file, else none; see :mod:`upr_summary.cache`).

    The data is read once, on first use, and kept: :meth:`load` and :meth:`check` return
    the same objects on every call.

    >>> project = Project("data/submissions", codebook="upr-info")
    >>> project.config.state
    'Republic of Arvenia'
    """

    def __init__(self, paths: PathLike | Sequence[PathLike] = (), config: Config | PathLike | None = None,
                 *, sheet: str | None = None, codebook: str | Codebook | None = None,
                 recommendations: PathLike | None = None, state: str | None = None,
                 include_hidden_sheets: bool | None = None, progress: Progress = SILENT,
                 cache: PathLike | bool | None = None) -> None:
        if isinstance(paths, (str, os.PathLike)):
            paths = [paths]
        usable = isinstance(paths, Iterable) and not isinstance(paths, (bytes, bytearray))
        given = list(paths) if usable else []
        if not usable or not all(isinstance(p, (str, os.PathLike)) for p in given):
            raise UsageError("Project(paths): give a path, or a list of paths, of the "
                             "submissions files or folders (text or pathlib.Path).")
        self.paths: list[PathLike] = given
        if not isinstance(config, Config):
            explicit = None if config is None else os.fspath(config)
            config = load_config([str(p) for p in self.paths], explicit)
        if include_hidden_sheets is not None and include_hidden_sheets != config.include_hidden_sheets:
            config = dataclasses.replace(config, include_hidden_sheets=include_hidden_sheets)
        self.config: Config = config
        self.sheet = sheet
        self.codebook_choice = codebook
        self.recommendations = None if recommendations is None else os.fspath(recommendations)
        self.state = state
        self.progress = progress
        self._dataset: Dataset | None = None
        self._checked: CheckResult | None = None
        self._earlier: tuple[RecommendationSet | None] | None = None
        #: The embedding model's token ids of words after the last summary (concerns.WordTokens:
        #: ``tokenized`` lists the words the model's tokenizer ran on), None before or without it.
        self.word_tokens: Any = None
        self._codebook: tuple[Codebook | None] | None = None
        self.cache = _cache(config, cache)

    def __repr__(self) -> str:
        paths = [os.fspath(p) for p in self.paths]
        return f"Project({paths!r}, config={self.config.path!r})"

    # --- reading and checking ----------------------------------------------------------

    def load(self) -> Dataset:
        """Every submission and finding read from the paths, with the problems met while
        reading (never raised: see :meth:`check`). Read once, then kept.

        >>> data = Project(["data/submissions"]).load()
        >>> len(data.submissions), len(data.findings)
        (66, 307)
        """
        if self._dataset is None:
            from .load import load

            self._dataset = load(self.paths, self.config, self.sheet, self.codebook_choice,
                                 self.progress, self.cache)
        return self._dataset

    def check(self) -> CheckResult:
        """The problems report of ``upr-summary validate``: every problem of the data, in
        reading order, errors and warnings; nothing is raised for invalid data.

        >>> checked = Project(["data/submissions"]).check()
        >>> checked.errors, checked.summary().split(":")[0]
        ([], '29 file(s), 66 submission(s), 307 finding(s)')
        """
        if self._checked is None:
            from .checks import check

            self._checked = check(self.load(), self.config)
        return self._checked

    def _valid(self, consequence: str, more: Sequence[Problem] = ()) -> CheckResult:
        """The problems report; raises InvalidData when the data (or ``more``) has errors.
        The one place where a command stops on invalid data; ``consequence`` says what was
        not done."""
        checked = self.check()
        errors = checked.errors + [p for p in more if p.severity == "error"]
        if errors:
            raise InvalidData(f"{len(errors)} error(s) in the data: {consequence}. Fix them and "
                              "run again (upr-summary validate shows warnings too).", errors)
        return checked

    def earlier_recommendations(self, consequence: str = "nothing done") -> RecommendationSet | None:
        """The earlier UPR recommendations to the State (``recommendations`` or the project
        file's), or None when none are named. Raises InvalidData when the file has errors."""
        if self._earlier is None:
            source = self.recommendations or (self.config.relative(self.config.recommendations)
                                              if self.config.recommendations else None)
            if source is None:
                self._earlier = (None,)
            else:
                from .recommendations import load_recommendations

                previous = load_recommendations(source, self.load().codebook,
                                                self.state or self.config.state,
                                                self.config.encoding, self.cache)
                errors = [p for p in previous.problems if p.severity == "error"]
                if errors:
                    raise InvalidData(f"{len(errors)} error(s) in {source}: {consequence}. Fix "
                                      "them and run again.", errors)
                self._earlier = (previous,)
        return self._earlier[0]

    # --- counts ------------------------------------------------------------------------

    def counts(self, by: str = "issue-area", *, cross: bool = False, gaps: bool = False) -> Counts:
        """The counts of ``upr-summary stats`` with their columns and totals (see
        :class:`Counts`). ``by``: ``"issue-area"`` or ``"type"``; ``cross``: the issue-area
        co-occurrence matrix; ``gaps``: the issue areas civil society raises that the
        earlier recommendations did not cover, and the reverse. Raises InvalidData."""
        from . import stats as core

        if by not in _BY:
            raise ConfigError(f"Cannot count by {by!r}: use issue-area or type.")
        key = _BY[by]
        self._valid("nothing counted")
        data = self.load()
        previous = self.earlier_recommendations("nothing counted")
        if gaps:
            if previous is None:
                raise ConfigError("--gaps needs earlier recommendations: --recommendations FILE "
                                  "(or recommendations: in upr-summary.yaml).")
            return Counts(core.gap_rows(data, previous),
                          ["issue_area", "gap", "findings", "previous_recommendations"])
        if cross:
            from .limits import MAX_CROSS_AREAS

            rows = core.cooccurrence(data)
            left_out = 0
            if len(rows) == MAX_CROSS_AREAS:
                areas = sum(r["issue_area"] != core.UNTAGGED for r in core.count_by_issue_area(data))
                left_out = max(areas - MAX_CROSS_AREAS, 0)
            return Counts(rows, ["issue_area"] + [r["issue_area"] for r in rows], None, left_out)
        rows = core.count_by_issue_area(data, previous) if key == "issue_area" else core.count_by_type(data)
        columns = [key, *(["group"] if key == "issue_area" else []), *core.COUNT_KEYS,
                   *(core.PREVIOUS_KEYS if previous is not None and key == "issue_area" else ())]
        total = core.totals(data)
        if previous is not None and key == "issue_area":
            total.update(previous_recommendations=len(previous.items),
                         supported=sum(r.response == "supported" for r in previous.items),
                         noted=sum(r.response == "noted" for r in previous.items))
        return Counts(rows, columns, total)

    def stats(self, by: str = "issue-area", *, cross: bool = False,
              gaps: bool = False) -> list[dict[str, Any]]:
        """The rows ``upr-summary stats --format json`` prints: submissions, organizations,
        findings and recommendations per issue area (or per submission ``type``), with the
        earlier recommendations when the project names them. Raises InvalidData.

        >>> rows = Project(["data/submissions"]).stats()
        >>> rows[0]["issue_area"], rows[0]["findings"], rows[0]["submissions"]
        ('Migrants', 42, 16)
        """
        return self.counts(by, cross=cross, gaps=gaps).rows

    # --- the summary and the report ------------------------------------------------------

    def summary(self, *, auto_tag: bool = False) -> Summary:
        """The summary the report is written from (what :func:`upr_summary.summarize.
        summarize` returns), in its published form. ``auto_tag`` places untagged findings
        by their suggested issue areas, as ``build --auto-tag`` does: it tags the loaded
        findings in place. Raises InvalidData."""
        return self._summary(auto_tag, "nothing summarised")

    def _summary(self, auto_tag: bool, consequence: str, language: str = "en") -> Summary:
        from .summarize import summarize

        self._valid(consequence)
        data = self.load()
        auto_mode = None
        if auto_tag:
            from .classify import apply_suggestions, classify

            with self.progress.stage("Suggesting issue areas for untagged findings"):
                suggestions = classify(data, "auto")
            if apply_suggestions(data, suggestions):
                auto_mode = suggestions.mode
        previous = self.earlier_recommendations(consequence)
        words = self._word_tokens()
        with self.progress.stage("Grouping and merging findings"):
            summary = summarize(data, self.config.in_language(language), auto_mode, previous,
                                label=self.theme_label(language), words=words)
        self._keep_word_tokens(words)
        self.word_tokens = words
        return summary

    def _word_tokens(self) -> Any:
        """The embedding model's token ids of the words the last build used (the project
        cache's ``words`` entry), so that only new words are tokenized; None without the
        model. A damaged or stale entry is ignored."""
        from .concerns import WordTokens, tokenizer_key

        if tokenizer_key() is None:
            return None
        if not self.cache:
            return WordTokens()
        found = WordTokens.from_entry(self.cache.get("words", _words_key()))
        return found if found is not None else WordTokens()

    def _keep_word_tokens(self, words: Any) -> None:
        """Store the token ids of the words this build used (and no other: the words of a
        finding that went are dropped with it) where they changed."""
        if words is None or not self.cache:
            return
        entry = words.entry()
        if words.tokenized or len(entry) != len(words.known):
            self.cache.put("words", _words_key(), entry)
        else:
            self.cache.keep("words", _words_key(), lambda: entry)

    def templates(self, folder: PathLike | None = None) -> Path | None:
        """The templates folder a build reads: ``folder`` if given, else the project
        file's ``templates:`` setting, else ``templates/`` beside the project file when it
        exists; None for the shipped templates only (see
        :mod:`upr_summary.project_templates`)."""
        from .project_templates import find_folder

        return find_folder(self.config, folder)

    def language(self, language: str | None = None, templates: PathLike | None = None) -> str:
        """The language of the fixed words: ``language`` if given, else the project file's
        ``language:``, else English; checked to have a catalogue (UsageError otherwise)."""
        from .errors import ConfigError, UsageError
        from .i18n import DEFAULT_LANGUAGE, check_language

        folder = self.templates(templates)
        if language is None and self.config.language:
            try:
                return check_language(self.config.language, folder)
            except UsageError as exc:  # say where the language came from
                raise ConfigError(f"{self.config.path}: language: {exc}") from None
        return check_language(language or DEFAULT_LANGUAGE, folder)

    def theme_label(self, language: str) -> Callable[[str], str]:
        """A function giving a theme's or group's name in ``language`` (the codebook's
        translation; the name as it is where there is none)."""
        codebook = self.codebook()
        if codebook is None or language == "en":
            return lambda name: name
        return lambda name: codebook.label(name, language)

    def build(self, out: PathLike, formats: str | Sequence[str] = ("docx", "md"), *,
              templates: PathLike | None = None, reference_docx: PathLike | None = None,
              strict: bool = False, auto_tag: bool = False,
              max_words: int | None = None, language: str | None = None) -> BuildResult:
        """Write the report into the folder ``out``, all files or none: ``formats`` among
        docx, md, pdf, json and compilation (a list, or text such as ``"docx,md"``);
        ``max_words`` the summary's word budget; ``language`` the language of its fixed
        words (default: the project file's, else English). ``templates`` is a folder
        of edited templates (default: the project's, see :meth:`templates`);
        ``reference_docx`` a Word file whose styles the report takes; ``strict`` refuses a
        report that would leave findings out. Raises InvalidData (nothing is written).

        >>> result = Project(["data/submissions"]).build("out", ["md"])   # doctest: +SKIP
        >>> result.written                                                # doctest: +SKIP
        ['out/executive-summary.png', 'out/executive-summary.md']
        """
        from .build import write_report

        return write_report(self, out, formats, templates=templates,
                            reference_docx=reference_docx, strict=strict, auto_tag=auto_tag,
                            max_words=max_words, language=language)

    # --- themes ------------------------------------------------------------------------

    def codebook(self) -> Codebook | None:
        """The codebook issue areas are matched to (``codebook``, else the project file's,
        else ohchr), with the project's own ``issue_areas``; None for ``"none"``."""
        from .load import resolve_codebook

        if self._dataset is not None:
            return self._dataset.codebook
        if self._codebook is None:
            self._codebook = (resolve_codebook(self.config, self.codebook_choice, self.cache),)
        return self._codebook[0]

    def theme_counts(self) -> list[tuple[str | None, list[tuple[str, int, int]]]]:
        """For ``codebook show``: ``[(group, [(theme, findings, submissions)])]`` in the
        codebook's order, with the issue areas it lacks under the group None (with
        ``--codebook none``: every issue area of the data there, most findings first).
        Without paths, every count is 0. Problems in the data do not stop it."""
        from .codebook import theme_counts

        book = self.codebook()
        if book is None and not self.paths:
            raise ConfigError("--codebook none has no themes to show: give the submissions "
                              "too, to see the issue areas they use.")
        counts: dict[str, tuple[int, int]] = {}
        if self.paths:
            per_area: dict[str, tuple[set[int], set[str]]] = {}
            for finding in self.load().findings:
                for area in finding.issue_areas:
                    ids, codes = per_area.setdefault(area, (set(), set()))
                    ids.add(finding.id)
                    codes.add(finding.submission)
            counts = {a: (len(i), len(c)) for a, (i, c) in per_area.items()}
        if book is None:  # the data's own issue areas, most findings first
            return [(None, sorted(((a, f, n) for a, (f, n) in counts.items()),
                                  key=lambda row: (-row[1], row[0])))]
        return theme_counts(book, counts)

    def classify(self, out: PathLike | None = None, *, mode: str = "auto", all_rows: bool = False,
                 learn_from: Sequence[PathLike] = ()) -> Classification:
        """Suggested issue areas for the untagged findings (``all_rows``: for every
        finding), by the codebook's keywords or learnt from the tagged findings (``mode``:
        auto, keywords, learning), also from the tagged files ``learn_from``. With ``out``,
        the suggestions are written there as a CSV working file (which may not go into the
        report's output folder: UsageError). Raises InvalidData."""
        from .classify import classify

        if out is not None:
            from .build import output_names
            from .privacy import holds_report

            if holds_report(os.path.dirname(os.path.abspath(out)), output_names(self.config).values()):
                raise UsageError(f"{os.fspath(out)} would be a working file in the report's "
                                 "folder; write it elsewhere (it keeps the data as given and "
                                 "must not be published with the report).")
        data = self.load()
        extra = None
        if learn_from:
            from .load import load

            extra = load(list(learn_from), self.config, self.sheet, data.codebook)
        self._valid("nothing classified", extra.problems if extra else ())
        with self.progress.stage(f"Classifying {len(data.findings):,} findings"):
            result = classify(data, mode, extra, all_rows)
        if out is not None:
            self._write_suggestions(out, result)
        return result

    def _write_suggestions(self, out: PathLike, result: Classification) -> None:
        from .classify import output_columns, suggestion_rows
        from .errors import OutputError
        from .export import to_csv
        from .fileio import atomic_write_bytes

        data = ("\ufeff" + to_csv(suggestion_rows(self.load(), result),
                                   output_columns(self.load()))).encode("utf-8")
        try:
            atomic_write_bytes(out, data)
        except OSError as exc:
            raise OutputError(f"Cannot write {os.fspath(out)}: {exc.strerror or exc}") from None


def _words_key() -> str:
    """The cache key of the embedding's word tokens: the tokenizer that made them."""
    from .cache import digest
    from .concerns import tokenizer_key

    return digest("words", tokenizer_key())


def _cache(config: Config, choice: PathLike | bool | None) -> Cache:
    """The cache a project uses: the one given, else the project file's, else the default
    folder beside the project file; none without a project file."""
    from .cache import FOLDER_NAME, NO_CACHE, Cache

    if choice is False or (choice is None and config.cache is False):
        return NO_CACHE
    if choice is not None and choice is not True:
        return Cache(os.fspath(choice))  # type: ignore[arg-type]
    if isinstance(config.cache, str):
        return Cache(config.relative(config.cache))
    if config.path is None:
        return NO_CACHE
    return Cache(Path(config.path).parent / FOLDER_NAME)
