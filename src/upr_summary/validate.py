"""Check a loaded data set and report every problem at once, with stable codes.

Loading already reports what makes data unusable (unreadable files, missing columns
or values, conflicting codes). The checks here add the warnings a coordinator should
look at before the report goes out.

>>> from upr_summary.model import Dataset, Finding, Location
>>> data = Dataset(findings=[Finding(1, "A", "Rents rose.", (), Location("a.csv", 2))])
>>> [p.code for p in check(data)]
['untagged']
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .codebook import NearNames
from .config import Config
from .limits import MAX_ISSUE_AREAS
from .model import Dataset, HasProblems, Location, Problem
from .privacy import COMMON_WORDS, Redactor, find_emails, secrets_of, words
from .similar import exact_key
from .textutil import match_key, shorten, word_count

#: A key finding longer than this is probably a whole section pasted in.
MAX_FINDING_WORDS = 150
#: An issue area used this often or less, and close to a more used one, is flagged.
RARE_AREA_USES = 2


@dataclass
class Report(HasProblems):
    """All problems of a data set, sorted by where they are."""

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


def check(dataset: Dataset, config: Config | None = None) -> list[Problem]:
    """The warnings about the content of a data set (not about how it was read)."""
    config = config or Config()
    problems: list[Problem] = []
    seen: dict[tuple[str, str], Problem | object] = {}
    for finding in dataset.findings:
        if not finding.issue_areas:
            problems.append(Problem(
                "untagged", "No issue area: this finding cannot be placed in a section. Add "
                "one or more issue areas separated by ';'.",
                finding.location.with_field("issue_area"), "warning"))
        key = (finding.submission, exact_key(finding.text))
        first = seen.get(key)
        if first is not None:
            problems.append(Problem(
                "duplicate-finding",
                f"The same finding appears twice in {finding.submission} (first at "
                f"{first}): delete one.", finding.location, "warning"))
        else:
            seen[key] = finding.location
        words = word_count(finding.text)
        if words > MAX_FINDING_WORDS:
            problems.append(Problem(
                "long-finding",
                f"This finding has {words} words; a key finding reads best under "
                f"{MAX_FINDING_WORDS}. Shorten it or split it into several findings.",
                finding.location, "warning"))
    problems += privacy_warnings(dataset)
    problems += codes_revealing_confidential(dataset)
    if dataset.codebook is None:  # with a codebook, loading reports unknown areas
        problems += _unknown_areas(dataset, config)
    if not dataset.findings and not dataset.errors:
        where = ", ".join(dataset.files[:3]) + (" ..." if len(dataset.files) > 3 else "")
        problems.append(Problem(
            "no-findings", "No findings were read: the files hold a header but no rows. Add "
            "one row per key finding.", Location(where or ".")))
    return problems


def privacy_warnings(dataset: Dataset) -> list[Problem]:
    """E-mail addresses written in submitted data (they are withheld from published
    outputs), and confidential codes or names that are common words or very short (they
    are withheld wherever they occur as a word, which also withholds the word)."""
    problems: list[Problem] = []

    def emails(value: str | None, where: Location, name: str) -> None:
        if value and ("@" in value or "at" in value.casefold()):
            found = find_emails(value)
            if found:
                problems.append(Problem(
                    "email-in-text",
                    f"An e-mail address ({shorten(found[0], 40)}) is written in {name}: it is "
                    "withheld from every published output. Put contact addresses in the "
                    "contact_email column, and remove it here.", where.with_field(name),
                    "warning"))

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
    return [Problem(
        "code-reveals-confidential",
        f"The code {shorten(sub.code, 40)!r} holds a confidential submission's code or name, "
        "and published outputs print it as it is: rename one of the two codes.",
        sub.location.with_field("submission"))
        for sub in dataset.submissions.values()
        if not sub.confidential and any(True for _ in redactor.find(sub.code))]


def _common_word(value: str, where: Location, what: str) -> list[Problem]:
    form = " ".join(words(value))
    if form not in COMMON_WORDS and len(form.replace(" ", "")) >= 3:
        return []
    return [Problem(
        f"confidential-{what}-common-word",
        f"The confidential submission's {what} {shorten(value, 40)!r} is a common word or "
        "shorter than 3 letters: published outputs withhold it wherever it occurs as a "
        f"word, in every text. Give the submission a {'longer, distinctive code' if what == 'code' else 'full name'}.",
        where, "warning")]


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
                if hint:
                    message = f"Unknown issue area {shorten(area)!r}: did you mean {hint!r}?"
                else:
                    message = (f"Unknown issue area {shorten(area)!r}: add it to issue_areas in "
                               "upr-summary.yaml, or correct it.")
                problems.append(Problem("unknown-issue-area", message,
                                        finding.location.with_field("issue_area"), "warning"))
    return problems


def sort_problems(problems: list[Problem], files: list[str]) -> list[Problem]:
    """Problems in reading order: by file (as read), sheet, row; general ones first."""
    order = {f: i for i, f in enumerate(files)}

    def key(p: Problem) -> tuple[int, str, int]:
        loc = p.location
        return (order.get(loc.file, -1), loc.sheet or "", loc.row or 0)

    return sorted(problems, key=key)


def validate(dataset: Dataset, config: Config | None = None) -> Report:
    """Every problem of a loaded data set: those found while loading plus the checks."""
    problems = sort_problems(dataset.problems + check(dataset, config), dataset.files)
    return Report(problems, len(dataset.files), len(dataset.submissions), len(dataset.findings))
