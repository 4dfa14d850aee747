"""Build the report: sections by issue area, merged findings citing all their sources, the
annex of contributors, and the reconciliation of what was read with what is reported.

This is the one context builder every renderer (Word, the Markdown templates) reads.

>>> from upr_summary.load import load
>>> report = summarize(load(["data/submissions"]))      # doctest: +SKIP
>>> report.reconciliation                                # doctest: +SKIP
'294 findings read: 292 in the report, 2 excluded (2 untagged)'
"""

from __future__ import annotations

import functools
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from pathlib import PurePath
from typing import Any

from .codebook import Codebook
from .config import Config
from .model import (
    Cited,
    Contributor,
    Dataset,
    Excluded,
    Finding,
    Group,
    Previous,
    PreviousQuote,
    QuoteBlock,
    Report,
    Section,
    Submission,
)
from .privacy import CONFIDENTIAL, NAME_WITHHELD, Publisher, published_type
from .recommendations import RecommendationSet
from .similar import group_similar
from .textutil import match_key

#: What stands in for a confidential organization's name wherever a text mentions it.
WITHHELD = NAME_WITHHELD
OTHER_GROUP = "Other issues"
KINDS = ("individual", "joint", "nhri", "other")


@functools.lru_cache(maxsize=1 << 16)
def natural_key(code: str) -> tuple[object, ...]:
    """Sort JS2 before JS10."""
    return tuple(int(p) if p.isdigit() else p.casefold() for p in re.split(r"(\d+)", code))


def redactor(submissions: Iterable[Submission]) -> Callable[[str], str]:
    """A function that withholds confidential organizations' names and codes, and e-mail
    addresses, in any text (see :mod:`upr_summary.privacy`)."""
    return Publisher(submissions).text


class _Notes:
    def __init__(self) -> None:
        self.items: list[tuple[int, str]] = []

    def next(self, sources: tuple[str, ...]) -> int:
        number = len(self.items) + 1
        self.items.append((number, "; ".join(sources)))
        return number


def _sources(codes: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(set(codes), key=natural_key))


def _merge(items: list[tuple[str, str, int]], notes: _Notes, redact: Callable[[str], str]
           ) -> list[Cited]:
    """(text, submission, finding id) -> merged sentences, most cited first."""
    groups = group_similar([t for t, _, _ in items])
    merged = []
    for group in groups:
        first = items[group[0]]
        merged.append((first[0], _sources(items[i][1] for i in group),
                       tuple(dict.fromkeys(items[i][2] for i in group))))
    merged.sort(key=lambda m: -len(m[1]))  # stable: equal counts keep reading order
    return [Cited(redact(text), sources, notes.next(sources), ids)
            for text, sources, ids in merged]


def _section_order(areas: Counter[str], codebook: Codebook | None
                   ) -> list[tuple[str | None, list[str]]]:
    """[(group, [areas])]: codebook themes in the codebook's order under its groups, then
    areas it does not know, by number of findings, under "Other issues". Without a
    codebook: every area by number of findings, no groups."""
    by_count = sorted(areas, key=lambda a: (-areas[a], a.casefold(), a))
    if codebook is None:
        return [(None, by_count)]
    known = {a: t for a in areas if (t := codebook.lookup(a)) is not None}
    out: list[tuple[str | None, list[str]]] = []
    for area in sorted(known, key=lambda a: codebook.position(known[a])):
        group = known[area].group or OTHER_GROUP
        if out and out[-1][0] == group:
            out[-1][1].append(area)
        else:
            out.append((group, [area]))
    rest = [a for a in by_count if a not in known]
    if rest:
        out.append((OTHER_GROUP, rest))
    return out


def _methodology(findings: int, subs: list[Submission], organizations: int,
                 auto: int = 0, suggested: int = 0, auto_mode: str | None = None) -> str:
    joint = sum(published_type(s) == "joint" for s in subs)
    nhri = sum(published_type(s) == "nhri" for s in subs)
    parts = []
    if joint:
        parts.append(f"{joint} joint submission{'s' * (joint != 1)}")
    if nhri == 1:
        parts.append("the national human rights institution")
    elif nhri:
        parts.append(f"{nhri} national human rights institutions")
    including = f", including {' and '.join(parts)}" if parts else ""
    text = (
        f"This summary distils {findings} finding{'s' * (findings != 1)} from {len(subs)} "
        f"submission{'s' * (len(subs) != 1)} by {organizations} "
        f"organization{'s' * (organizations != 1)}{including}. Where several submissions "
        "made the same point it is stated once, and its footnote cites them all; the "
        "submissions are listed by their codes in the annex."
    )
    if auto:
        how = f" ({auto_mode} mode)" if auto_mode else ""
        text += (f" {auto} finding{'s' * (auto != 1)} that came without an issue area "
                 f"{'were' if auto != 1 else 'was'} placed in a section by automatic "
                 f"tagging{how}.")
    if suggested:
        text += (f" The issue areas of {suggested} finding{'s' * (suggested != 1)} "
                 f"{'were' if suggested != 1 else 'was'} suggested automatically and reviewed "
                 "before the build.")
    return text


def _reconciliation(read: int, included: int, excluded: list[Excluded]) -> str:
    reasons = Counter(e.reason for e in excluded)
    why = ", ".join(f"{n} {reason}" for reason, n in sorted(reasons.items()))
    tail = f", {len(excluded)} excluded ({why})" if excluded else ", 0 excluded"
    return f"{read} findings read: {included} in the report{tail}"


def _where(finding: Finding) -> str:
    loc = finding.location
    name = PurePath(loc.file).name + (f"[{loc.sheet}]" if loc.sheet else "")
    return f"{name}:{loc.row}" if loc.row is not None else name


def _previous(previous: RecommendationSet, state: str | None, redact: Callable[[str], str],
              codebook: Codebook | None
              ) -> tuple[dict[str, Previous], list[Previous], str, dict[str, int]]:
    from .recommendations import per_theme, sentence, state_phrase

    themes: dict[str, Any] = {}
    for area, theme in per_theme(previous).items():  # issue areas as published
        themes.setdefault(area if area == "(untagged)" else redact(area), theme)
    cycles = previous.cycles
    out: dict[str, Previous] = {}
    for area, t in themes.items():
        out[area] = Previous(
            area, t.total, t.supported, t.noted, t.pending, t.other,
            (t.by_action[1], t.by_action[2], t.by_action[3], t.by_action[4], t.by_action[5]),
            len(t.states), redact(sentence(t, state, cycles)),
            [PreviousQuote(redact(h.text), redact(h.attribution)) for h in t.highlights()])
    totals = Counter({a: t.total for a, t in themes.items() if a != "(untagged)"})
    ordered = [out[a] for _, names in _section_order(totals, codebook) for a in names]
    if "(untagged)" in out:
        ordered.append(out["(untagged)"])
    n = len(previous.items)
    when = f" ({'; '.join(cycles)})" if cycles else ""
    note = (f"{state_phrase(state, start=True)} received {n} recommendation{'s' * (n != 1)} in "
            f"its previous review{'s' * (len(cycles) > 1)}{when}; "
            f"{sum(r.response == 'supported' for r in previous.items)} were supported and "
            f"{sum(r.response == 'noted' for r in previous.items)} noted. Action categories "
            "follow UPR Info: 1, action by other States or a request for assistance; 2, "
            "continuing action; 3, considering action; 4, general action; 5, specific action.")
    return out, ordered, note, {a: t.total for a, t in themes.items()}


def _published_areas(finding: Finding, pub: Publisher) -> tuple[str, ...]:
    """A finding's issue areas as published: names and codes withheld, each label once."""
    return tuple(dict.fromkeys(pub.label(a) for a in finding.issue_areas))


def summarize(dataset: Dataset, config: Config | None = None,
              auto_mode: str | None = None, previous: RecommendationSet | None = None) -> Report:
    """The report's content, ready for any renderer. The data should be valid (no errors).

    Everything in the report is in its published form (:mod:`upr_summary.privacy`):
    confidential submissions by neutral codes (C1, C2 ...), their names and own codes
    withheld in every text and issue area, e-mail addresses in submitted data withheld,
    and no input file named. Counts are made on the data as read."""
    config = config or Config()
    subs = dataset.submissions
    pub = Publisher(subs.values())
    notes = _Notes()

    included: list[Finding] = []
    excluded: list[Excluded] = []
    for finding in dataset.findings:
        if finding.issue_areas:
            included.append(finding)
        else:
            excluded.append(Excluded(pub.code(finding.submission), pub.text(finding.text),
                                     finding.location.row, "untagged",
                                     (finding.submission, _where(finding), finding.text)))

    by_area: dict[str, list[Finding]] = defaultdict(list)
    for finding in included:
        for area in _published_areas(finding, pub):
            by_area[area].append(finding)
    areas = Counter({a: len(fs) for a, fs in by_area.items()})

    def org_keys(codes: Iterable[str]) -> set[str]:
        return {match_key(o) or o for c in codes for o in subs[c].organizations}

    state = config.state or (previous.state_under_review if previous else None)
    earlier: dict[str, Previous] = {}
    if previous is not None:
        earlier, previous_rows, previous_note, earlier_totals = _previous(
            previous, state and pub.own(state), pub.text, dataset.codebook)
    groups: list[Group] = []
    glance: list[dict[str, object]] = []
    for group_title, names in _section_order(areas, dataset.codebook):
        group = Group(group_title)
        for area in names:
            findings = by_area[area]
            codes = {f.submission for f in findings}
            section = Section(area, group_title, submissions=len(codes),
                              organizations=len(org_keys(codes)), finding_count=len(findings),
                              previous=earlier.get(area))
            section.findings = _merge([(f.text, pub.code(f.submission), f.id) for f in findings],
                                      notes, pub.text)
            seen_quotes: set[str] = set()
            for f in findings:
                if f.quote and match_key(f.quote) not in seen_quotes:
                    seen_quotes.add(match_key(f.quote))
                    sources = (pub.code(f.submission),)
                    section.quotes.append(QuoteBlock(pub.text(f.quote), pub.optional(f.quote_by),
                                                     sources, notes.next(sources)))
            # Numbered in reading order: findings, quotes, then recommendations.
            section.recommendations = _merge(
                [(r, pub.code(f.submission), f.id) for f in findings for r in f.recommendations],
                notes, pub.text)
            group.sections.append(section)
            glance.append({"issue_area": area, "submissions": section.submissions,
                           "organizations": section.organizations, "findings": len(findings)})
        groups.append(group)

    used = [subs[c] for c in dict.fromkeys(f.submission for f in included)]
    organizations = len(org_keys(s.code for s in used))
    contributors: dict[str, list[Contributor]] = {kind: [] for kind in KINDS}
    # In the order of the published codes: a neutral code's place never hints at the own code.
    for sub in sorted(subs.values(), key=lambda s: natural_key(pub.code(s.code))):
        if sub.confidential:
            entry = Contributor(pub.code(sub.code), CONFIDENTIAL, None, (), True)
        else:
            name = sub.organization or (f"Joint submission {sub.code[2:]}".rstrip()
                                        if sub.type == "joint" else sub.code)
            entry = Contributor(sub.code, pub.text(name), pub.optional(sub.city),
                                tuple(pub.text(m) for m in sub.members))
        contributors[published_type(sub)].append(entry)

    report = Report(
        title=pub.own(config.title) or "Executive summary of civil society submissions",
        subtitle=pub.own(config.subtitle),
        state=pub.own(config.state),
        review=pub.own(config.review),
        year=pub.own(config.year),
        network=pub.own(config.network),
        date=pub.own(config.date),
        introduction=pub.own(config.introduction),
        methodology=_methodology(len(included), used, organizations,
                                 sum(f.tagged_by == "auto" for f in included),
                                 sum(f.tagged_by == "suggested" for f in included), auto_mode),
        glance=glance,
        groups=groups,
        contributors=contributors,
        excluded=excluded,
        reconciliation=_reconciliation(len(dataset.findings), len(included), excluded),
        totals={"findings": len(included), "submissions": len(used),
                "organizations": organizations,
                "recommendations": sum(len(f.recommendations) for f in included)},
        footnotes=notes.items,
    )
    if previous is not None:
        from .recommendations import gaps

        report.previous, report.previous_note = previous_rows, previous_note
        report.gaps_raised, report.gaps_unraised = gaps(dict(areas), earlier_totals)
    return report
