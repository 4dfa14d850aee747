"""Every rule about the content of the data, and the result of checking a data set.

Readers (:mod:`upr_summary.load`) report only what they cannot read, or must refuse to read
(limits, unclear confidentiality flags). The rules about what the data says live here:
most run on the loaded data set (:func:`content_problems`); the few that need a value's own
line, which the data set no longer carries, are called by the loader while it puts the
submissions together (:func:`submission_problems`, :func:`contact_email_problems`,
:func:`area_name_problems`). Every code is declared in :mod:`upr_summary.problems`.

>>> from upr_summary.model import Dataset, Finding, Location
>>> data = Dataset(findings=[Finding(1, "A", "Rents rose.", (), Location("a.csv", 2))])
>>> [p.code for p in content_problems(data)]
['untagged']
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .codebook import NearNames
from .config import Config
from .limits import MAX_ISSUE_AREAS
from .model import Dataset, HasProblems, Location, Problem
from .privacy import COMMON_WORDS, Redactor, find_contacts, secrets_of, words
from .problems import MAX_FINDING_WORDS, MAX_NAME_CHARS, problem
from .similar import exact_key
from .textutil import match_key, shorten, split_list, word_count

if TYPE_CHECKING:
    from .codebook import Codebook, Resolution

#: An issue area used this often or less, and close to a more used one, is flagged.
RARE_AREA_USES = 2
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass
class CheckResult(HasProblems):
    """All problems of a data set, sorted by where they are (what ``validate`` prints)."""

    problems: list[Problem] = field(default_factory=list)
    files: int = 0
    submissions: int = 0
    findings: int = 0

    def ok(self, strict: bool = False) -> bool:
        return not self.errors and not (strict and self.warnings)

    def summary(self) -> str:
        e, w = len(self.errors), len(self.warnings)
        return (f"{self.files} file(s), {self.submissions} submission(s), {self.findings} "
                f"finding(s): {e} error{'s' * (e != 1)}, {w} warning{'s' * (w != 1)}.")


def content_problems(dataset: Dataset, config: Config | None = None) -> list[Problem]:
    """The problems with the content of a loaded data set (not with how it was read)."""
    config = config or Config()
    problems: list[Problem] = []
    seen: dict[tuple[str, str], Problem | object] = {}
    for finding in dataset.findings:
        if not finding.issue_areas:
            problems.append(problem("untagged", finding.location.with_field("issue_area")))
        key = (finding.submission, exact_key(finding.text))
        first = seen.get(key)
        if first is not None:
            how = ("; it is counted once" if finding.duplicate_of is not None
                   else " with other issue areas; each is counted")
            problems.append(problem("duplicate-finding", finding.location,
                                    code=finding.submission, first=first, how=how))
        else:
            seen[key] = finding.location
        words = word_count(finding.text)
        if words > MAX_FINDING_WORDS:
            problems.append(problem("long-finding", finding.location, count=words))
    problems += privacy_warnings(dataset)
    problems += codes_revealing_confidential(dataset)
    if dataset.codebook is None:  # with a codebook, loading reports unknown areas
        problems += _unknown_areas(dataset, config)
    if not dataset.findings and not dataset.errors:
        where = ", ".join(dataset.files[:3]) + (" ..." if len(dataset.files) > 3 else "")
        problems.append(problem("no-findings", Location(where or "."),
                                why="the files hold a header but no rows"))
    return problems


def privacy_warnings(dataset: Dataset) -> list[Problem]:
    """E-mail addresses written in submitted data (they are withheld from published
    outputs), and confidential codes or names that are common words or very short (they
    are withheld wherever they occur as a word, which also withholds the word)."""
    problems: list[Problem] = []

    def emails(value: str | None, where: Location, name: str) -> None:
        if not value:
            return
        # (every spelling the build withholds: the finders look for their own signs first)
        found, phones = find_contacts(value)
        if found:
            problems.append(problem("email-in-text", where.with_field(name),
                                    email=shorten(found[0], 40), field=name))
        if phones:
            problems.append(problem("phone-in-text", where.with_field(name),
                                    phone=shorten(phones[0], 40), field=name))

    for sub in dataset.submissions.values():
        emails(sub.organization, sub.location, "organization")
        for member in sub.members:
            emails(member, sub.location, "organization")
        emails(sub.city, sub.location, "city")
        emails(sub.url, sub.location, "url")
        if sub.confidential:
            problems += _common_word(sub.code, sub.location.with_field("submission"), "code")
            for name in (sub.organization, *sub.members):
                if name:
                    problems += _common_word(name, sub.location.with_field("organization"),
                                             "name")
    for f in dataset.findings:
        where = f.location
        emails(f.text, where, "finding")
        for rec in f.recommendations:
            emails(rec, where, "recommendation")
        emails(f.quote, where, "quote")
        emails(f.quote_by, where, "quote_by")
        emails(f.url, where, "url")
        for area in f.issue_areas:
            emails(area, where, "issue_area")
    return problems


def codes_revealing_confidential(dataset: Dataset) -> list[Problem]:
    """Errors for public submissions whose code holds what names a confidential one (its
    code as a word, "RBC-2" next to "RBC", or a form of its name): published outputs print
    public codes as they are, so the build refuses them."""
    secret = [v for s in dataset.submissions.values() if s.confidential for v in secrets_of(s)]
    if not secret:
        return []
    redactor = Redactor(secret, emails=False)
    return [problem("code-reveals-confidential", sub.location.with_field("submission"),
                    code=shorten(sub.code, 40))
        for sub in dataset.submissions.values()
        if not sub.confidential and any(True for _ in redactor.find(sub.code))]


def submission_problems(code: str, stype: str, organization: str | None,
                        members: tuple[str, ...], separator: str, where: Location
                        ) -> list[Problem]:
    """Warnings about a submission's details: a joint submission without members, several
    organizations on one that is not joint, a name too long to be one. ``where`` is the
    organization field where the submission was first read."""
    problems = []
    if stype == "joint" and not members:
        problems.append(problem("joint-without-members", where, code=code))
    if stype != "joint" and organization and len(split_list(organization, separator)) > 1:
        problems.append(problem("members-on-individual", where, code=code, type=stype))
    longest = max((len(n) for n in (organization, *members) if n), default=0)
    if longest > MAX_NAME_CHARS:
        problems.append(problem("long-value", where, count=longest))
    return problems


def contact_email_problems(value: str, where: Location) -> list[Problem]:
    """A contact e-mail address that does not look like one."""
    return [] if _EMAIL.match(value) else [problem("invalid-email", where)]


def area_name_problems(spelling: str, uses: int, found: Resolution, codebook: Codebook,
                       where: Location, language: str | None = None) -> list[Problem]:
    """How an issue area was matched to the codebook, when it is not matched exactly: read
    as a theme by a close spelling (``issue-area-matched``), or not in the codebook
    (``unknown-issue-area``). ``where`` is its first use; ``uses`` how often it is used;
    the theme is named in the project's ``language`` where the codebook has that name."""
    times = f" ({uses} uses)" if uses > 1 else ""

    def named(theme: Any) -> str:
        return codebook.label(theme.name, language) if language else theme.name

    if found.theme is not None:
        if found.how == "exact":
            return []
        why = "by its words" if found.how == "words" else "by its spelling"
        return [problem("issue-area-matched", where, area=shorten(spelling), uses=times,
                        codebook=codebook.name, theme=named(found.theme), why=why)]
    hint = f" Did you mean {named(found.suggestion)!r}?" if found.suggestion else \
        " No theme of the codebook is close to it."
    return [problem("unknown-issue-area", where, area=shorten(spelling), uses=times,
                    why=f"is not in the {codebook.name} codebook: it keeps its own section, "
                    "under 'Other issues'", hint=hint)]


def _common_word(value: str, where: Location, what: str) -> list[Problem]:
    form = " ".join(words(value))
    if form not in COMMON_WORDS and len(form.replace(" ", "")) >= 3:
        return []
    code = "confidential-code-common-word" if what == "code" else \
        "confidential-name-common-word"
    return [problem(code, where, value=shorten(value, 40))]


def _unknown_areas(dataset: Dataset, config: Config) -> list[Problem]:
    uses = Counter(a for f in dataset.findings for a in f.issue_areas)
    if not uses or len(uses) > MAX_ISSUE_AREAS:  # over the limit: loading said so
        return []
    suggestion: dict[str, str | None] = {}
    # Close spellings are looked for among a bounded number of candidates per area
    # (NearNames), so that thousands of areas cost seconds, not minutes.
    if config.issue_areas:
        known = {match_key(a): a for a in config.issue_areas}
        listed = NearNames(list(known))
        for area in uses:
            if match_key(area) not in known:
                close = listed.close(match_key(area), 0.6)
                suggestion[area] = known[close[0]] if close else None
    else:
        frequent = [a for a, _ in uses.most_common(500)]
        by_key: dict[str, str] = {}
        for a in frequent:
            by_key.setdefault(match_key(a), a)
        names = NearNames(list(by_key))
        for area, count in uses.items():
            if count > RARE_AREA_USES:
                continue
            key = match_key(area)
            close = names.close(key, 0.8, keep=lambda other, n=count, own=area:
                                uses[by_key[other]] > n and by_key[other] != own)
            if close:
                suggestion[area] = by_key[close[0]]
    problems = []
    for finding in dataset.findings:
        for area in finding.issue_areas:
            if area in suggestion:
                hint = suggestion[area]
                if config.issue_areas:
                    why = "is not in the project's issue_areas (upr-summary.yaml)"
                else:
                    why = "is rare, and close to a spelling used more often"
                problems.append(problem(
                    "unknown-issue-area", finding.location.with_field("issue_area"),
                    area=shorten(area), why=why, hint=f" Did you mean {hint!r}?" if hint else "",
                    add_to="issue_areas in upr-summary.yaml"))
    return problems


def sort_problems(problems: list[Problem], files: list[str]) -> list[Problem]:
    """Problems in reading order: by file (as read), sheet, row; general ones first."""
    order = {f: i for i, f in enumerate(files)}

    def key(p: Problem) -> tuple[int, str, int]:
        loc = p.location
        return (order.get(loc.file, -1), loc.sheet or "", loc.row or 0)

    return sorted(problems, key=key)


def check(dataset: Dataset, config: Config | None = None) -> CheckResult:
    """Every problem of a loaded data set: those found while loading plus the content
    rules, in reading order (what ``upr-summary validate`` prints)."""
    # the project file's texts missing in its language (a build in another language
    # reports those of its own)
    untranslated = config.untranslated(config.language) if config and config.language else []
    problems = sort_problems(dataset.problems + content_problems(dataset, config)
                             + untranslated, dataset.files)
    return CheckResult(problems, len(dataset.files), len(dataset.submissions),
                       len(dataset.findings))
