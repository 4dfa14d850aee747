"""Typed records shared by the loaders, the checks, the counts and the renderers.

Everything here is plain data: no I/O, no pandas, no click.

>>> loc = Location("a.csv", row=3, field="finding")
>>> str(loc)
'a.csv:3:finding'
>>> Problem("missing-value", "The finding is empty.", loc).severity
'error'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from .codebook import Codebook

Severity = Literal["error", "warning"]
SubmissionType = Literal["individual", "joint", "nhri", "other"]


#: The fields a submissions sheet can carry, in the order the intake sheet shows them.
FIELDS: tuple[str, ...] = (
    "submission",
    "organization",
    "city",
    "type",
    "issue_area",
    "finding",
    "recommendation",
    "quote",
    "quote_by",
    "url",
    "contact_email",
    "confidential",
)
REQUIRED_FIELDS: tuple[str, ...] = ("submission", "organization", "finding")


@dataclass(frozen=True, order=True)
class Location:
    """Where a value came from: a file, a sheet of a workbook, a row (or YAML line), a field.

    ``row`` is the row number a spreadsheet program shows (the header is row 1 in a
    plain CSV), or the line number in a YAML file.
    """

    file: str
    row: int | None = None
    field: str | None = None
    sheet: str | None = None

    def __str__(self) -> str:
        text = f"{self.file}[{self.sheet}]" if self.sheet else self.file
        if self.row is not None:
            text += f":{self.row}"
        if self.field:
            text += f":{self.field}"
        return text

    def with_field(self, name: str | None) -> Location:
        return Location(self.file, self.row, name, self.sheet)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, with a stable code and a message that says how to fix it."""

    code: str
    message: str
    location: Location
    severity: Severity = "error"

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.location.file,
            "sheet": self.location.sheet,
            "row": self.location.row,
            "field": self.location.field,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
        }

    def __str__(self) -> str:
        return f"{self.location}: {self.severity} [{self.code}] {self.message}"


@dataclass(frozen=True)
class Finding:
    """One key finding of one submission, as read (issue areas already in their display spelling)."""

    id: int
    submission: str
    text: str
    issue_areas: tuple[str, ...]
    location: Location
    recommendations: tuple[str, ...] = ()
    quote: str | None = None
    quote_by: str | None = None
    url: str | None = None
    #: How the issue areas were given: "input", "suggested" (a reviewed classify column),
    #: or "auto" (tagged by build --auto-tag).
    tagged_by: str = "input"
    #: The input's own ID of the finding (a ``finding_id`` column), if it has one.
    ref: str | None = None
    #: The sheet's own columns that are no field, as (header, value): kept for classify's
    #: working file, never published.
    extra: tuple[tuple[str, str], ...] = ()
    #: The id of the same finding given earlier by the same submission, with the same issue
    #: areas (a row pasted twice): such a copy is counted and reported once, as the first.
    duplicate_of: int | None = None


@dataclass
class Submission:
    """A submission: its code, who made it, and what kind it is.

    ``organization`` is the full name of an individual submission, the national human
    rights institution or another body; for a joint submission it is the coalition's
    name where one was given. ``members`` lists a joint submission's organizations.
    ``contact_email`` and ``contact_names`` (the people who sent it) are private and are
    never output.
    """

    code: str
    type: SubmissionType
    organization: str | None
    members: tuple[str, ...]
    location: Location
    confidential: bool = False
    contact_email: str | None = field(default=None, repr=False)
    url: str | None = None
    city: str | None = None
    contact_names: tuple[str, ...] = field(default=(), repr=False)

    @property
    def organizations(self) -> tuple[str, ...]:
        """The organizations behind the submission, as counted by ``stats``."""
        if self.members:
            return self.members
        return (self.organization,) if self.organization else ()


class HasProblems:
    """``errors`` and ``warnings`` of anything that holds a ``problems`` list."""

    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]


@dataclass
class Dataset(HasProblems):
    """Everything read from the inputs: submissions by code, findings in reading order, problems."""

    submissions: dict[str, Submission] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    #: The codebook issue areas were matched against (None: the data's own names).
    codebook: Codebook | None = None

    @property
    def counted(self) -> list[Finding]:
        """The findings that count: each once (a row pasted twice in one submission is one
        finding, see ``Finding.duplicate_of``)."""
        return [f for f in self.findings if f.duplicate_of is None]

    @property
    def issue_areas(self) -> list[str]:
        """Issue areas in use, in order of first appearance."""
        seen: dict[str, None] = {}
        for finding in self.findings:
            for area in finding.issue_areas:
                seen.setdefault(area, None)
        return list(seen)


# --- The summary: what summarize builds and the document templates word -----------------
# Numbers, lists and texts from the data only: every word of the report itself comes from
# the templates (src/upr_summary/templates/).


@dataclass(frozen=True)
class Cited:
    """A finding or recommendation as the summary states it, with the submissions it cites
    (its footnote). ``finding_ids`` are the findings merged into this sentence."""

    text: str
    sources: tuple[str, ...]
    finding_ids: tuple[int, ...] = ()

    @property
    def citation(self) -> str:
        """The footnote's text: ``'JS3; ACLU; HRW'``."""
        return "; ".join(self.sources)


@dataclass(frozen=True)
class QuoteBlock:
    text: str
    by: str | None
    sources: tuple[str, ...]

    @property
    def citation(self) -> str:
        return "; ".join(self.sources)


@dataclass(frozen=True)
class EarlierQuote:
    """An earlier UPR recommendation quoted in a section: its words, every State that made
    it, and the answers given (supported, noted, pending, other); ``answers`` pairs each
    State with the answer it got ("Oristan", "noted")."""

    text: str
    states: tuple[str, ...]
    responses: tuple[str, ...]
    answers: tuple[tuple[str, str], ...] = ()

    @property
    def by_answer(self) -> list[tuple[str, tuple[str, ...]]]:
        """``[(response, States)]``: the States that got each answer, answers in the order
        first given ("noted": Oristan, Valmont; "supported": Tervia)."""
        found: dict[str, list[str]] = {}
        for state, response in self.answers:
            found.setdefault(response, []).append(state)
        return [(response, tuple(states)) for response, states in found.items()]


@dataclass
class Earlier:
    """What the State under review was already recommended on one issue area in its
    earlier review(s) (the State's earlier recommendations, not civil society's).
    ``issue_area`` is None for the earlier recommendations that carry none."""

    issue_area: str | None
    total: int
    supported: int
    noted: int
    pending: int
    other: int
    #: Recommendations per UPR Info action category, 1 (minimal) to 5 (specific action).
    by_action: tuple[int, int, int, int, int]
    states: int
    highlights: list[EarlierQuote] = field(default_factory=list)


@dataclass
class EarlierOverview:
    """Where the earlier recommendations come from, for the annex's note."""

    state: str | None
    cycles: list[str]
    total: int
    supported: int
    noted: int
    #: The State as the project file says it reads inside a sentence (state_in_sentence).
    in_sentence: str | None = None


@dataclass(frozen=True)
class FindingRef:
    """Where a finding came from, as the published outputs name it: its submission's
    published code and its row (or YAML line) in the source, never a file name; ``ref`` is
    the value of the input's own ID column, where the project names one."""

    submission: str
    row: int | None
    ref: str | None = None


@dataclass
class Concern:
    """Findings of one issue area that express the same concern, in other words or the
    same. It is stated by one of its findings, verbatim (``text``, given by the submissions
    ``stated_by``); its citation lists every submission in it (``sources``).

    ``findings``: every distinct finding in it (near-identical ones merged), the stated one
    first, each citing its own submissions; ``facts``: those of them that add a fact the
    stated one does not give (a figure, a date, a name), which the summary may state after
    it, each cited only to its own submissions; ``shown_facts`` of them are in the summary.
    ``key``: its number among the key concerns (0: not a key concern)."""

    number: int
    theme: str
    text: str
    sources: tuple[str, ...]
    stated_by: tuple[str, ...]
    organizations: int
    findings: list[Cited] = field(default_factory=list)
    facts: list[Cited] = field(default_factory=list)
    recommendations: list[Cited] = field(default_factory=list)
    quotes: list[QuoteBlock] = field(default_factory=list)
    key: int = 0
    shown_facts: int = 0
    #: Stated in the summary (within its budget); every concern is in the compilation.
    in_summary: bool = False

    @property
    def citation(self) -> str:
        return "; ".join(self.sources)

    @property
    def also_by(self) -> tuple[str, ...]:
        """Submissions in the concern that did not give the stated sentence."""
        if len(self.stated_by) == len(self.sources):
            return ()
        stated = set(self.stated_by)
        return tuple(s for s in self.sources if s not in stated)

    @property
    def supporting(self) -> list[Cited]:
        """The facts stated after it in the summary."""
        return self.facts[:self.shown_facts]

    @property
    def finding_ids(self) -> tuple[int, ...]:
        return tuple(i for f in self.findings for i in f.finding_ids)


@dataclass
class Budget:
    """The summary's length: its word budget, the words it needs at minimum (the selected
    themes' top concerns and the fixed text) and the words it has (see
    :func:`upr_summary.distil.count_words`)."""

    max_words: int
    minimum: int = 0
    words: int = 0
    #: The default budget this one was raised from, when the themes needed more (0: not).
    raised_from: int = 0
    #: Submissions with findings in the report that the summary cites nowhere, and why.
    uncited: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Section:
    """One issue area: its concerns, its findings (each distinct one once, near-identical
    ones merged, concern by concern), its recommendations and quotes, and its counts."""

    title: str
    group: str | None
    findings: list[Cited] = field(default_factory=list)
    recommendations: list[Cited] = field(default_factory=list)
    quotes: list[QuoteBlock] = field(default_factory=list)
    submissions: int = 0
    organizations: int = 0
    finding_count: int = 0
    #: Earlier UPR recommendations on this issue area, when a file of them was given.
    earlier: Earlier | None = None
    #: The sections where findings also tagged with this issue area are stated (their
    #: first issue area's): a finding is stated once, in its first issue area's section.
    also: list[str] = field(default_factory=list)
    #: Every concern of the section, most widely raised first (the compilation); those the
    #: summary states within its budget have ``in_summary`` set (``summary_concerns``).
    concerns: list[Concern] = field(default_factory=list)
    #: The ``recommendations`` the summary states (of concerns it states).
    shown_recommendations: list[Cited] = field(default_factory=list)

    @property
    def summary_concerns(self) -> list[Concern]:
        return [c for c in self.concerns if c.in_summary]


@dataclass
class Group:
    """A heading over several sections ("Civil and political rights"). ``title`` is None
    without a codebook (no groups), and for the group of issue areas the codebook does not
    know (``other``: the templates word its heading)."""

    title: str | None
    sections: list[Section] = field(default_factory=list)
    other: bool = False


@dataclass(frozen=True)
class Contributor:
    """A line of the annex. ``code`` is the published code (C1, C2 ... for a confidential
    submission). ``name`` is None where the submission gave none (or is confidential):
    the templates word it."""

    code: str
    name: str | None
    city: str | None
    members: tuple[str, ...]
    confidential: bool = False
    kind: str = "individual"


@dataclass(frozen=True)
class Excluded:
    """A finding read but not in the report, and why, as published: the submission's
    published code, the finding's row in its source (never a file name) and its text
    with names and e-mails withheld.

    ``_origin`` (original code, file:row, text as given) is a working record for
    ``build --show-excluded`` on the terminal; templates cannot read names that start
    with "_", and no renderer prints it.
    """

    submission: str
    text: str
    row: int | None
    reason: str
    _origin: tuple[str, str, str] = field(default=("", "", ""), repr=False, compare=False)


@dataclass
class Counts:
    """The numbers the report's sentences are made of."""

    #: Findings read, findings in the report, and the left-out ones by reason.
    read: int = 0
    findings: int = 0
    excluded: dict[str, int] = field(default_factory=dict)
    submissions: int = 0
    organizations: int = 0
    joint: int = 0
    nhri: int = 0
    recommendations: int = 0
    #: Findings placed by automatic tagging at this build (and the classifier's mode), and
    #: findings whose issue areas were suggested and reviewed before the build.
    auto_tagged: int = 0
    auto_mode: str | None = None
    suggested: int = 0
    #: Concerns in the compilation, and in the summary.
    concerns: int = 0
    concerns_shown: int = 0
    #: Words of the summary's body (0 until the budget is fitted).
    words: int = 0
    #: Whether the compilation is written beside the summary (the report refers to it).
    compilation: bool = True


@dataclass
class Summary:
    """Everything the document templates need; built by
    :func:`upr_summary.summarize.summarize`. Texts are in their published form."""

    title: str | None
    subtitle: str | None
    state: str | None
    review: str | None
    year: str | None
    network: str | None
    date: str | None
    introduction: str | None
    counts: Counts
    #: At a glance: one dict per section (issue_area, submissions, organizations, findings).
    glance: list[dict[str, object]]
    #: Issue areas of At a glance the chart leaves out (it draws the largest only).
    chart_left_out: int
    groups: list[Group]
    #: Annex: contributors by kind, in the order individual, joint, nhri, other.
    contributors: dict[str, list[Contributor]]
    #: Findings left out (published form); not printed in the report, listed on the
    #: terminal by ``build --show-excluded``.
    excluded: list[Excluded]
    #: Earlier UPR recommendations, per issue area (empty when none were given).
    earlier: list[Earlier] = field(default_factory=list)
    earlier_overview: EarlierOverview | None = None
    #: Gap analysis: (issue area, findings) civil society raises that earlier
    #: recommendations did not cover, and (issue area, recommendations) the reverse.
    gaps_raised: list[tuple[str, int]] = field(default_factory=list)
    gaps_unraised: list[tuple[str, int]] = field(default_factory=list)
    #: The most widely raised concerns across all themes, in order.
    key_concerns: list[Concern] = field(default_factory=list)
    #: How concerns were grouped ("wordllama ...", or the fallback's name).
    grouping: str = ""
    budget: Budget | None = None
    #: True while the summary is composed to fit its budget: the templates may leave the
    #: annexes out then (they do not count, and can be long).
    drafting: bool = False
    #: Finding id -> where it came from, as published.
    refs: dict[int, FindingRef] = field(default_factory=dict)
    #: The review's cycle (1, 2, 3, 4...; the project file's ``cycle``), and the State as it
    #: reads inside a sentence (``state_in_sentence``): for the subject line.
    cycle: int | None = None
    state_in_sentence: str | None = None

    @property
    def sections(self) -> list[Section]:
        return [s for g in self.groups for s in g.sections]

    @property
    def totals(self) -> dict[str, int]:
        c = self.counts
        return {"findings": c.findings, "submissions": c.submissions,
                "organizations": c.organizations, "recommendations": c.recommendations}
