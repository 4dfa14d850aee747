"""Build the summary: sections by issue area, merged findings citing all their sources,
the annex of contributors, and the counts of what was read and what is reported.

This is the one context builder the document templates read. It computes numbers and
lists, never words: every sentence and heading is worded by the templates.

>>> from upr_summary.load import load
>>> summary = summarize(load(["data/submissions"]))     # doctest: +SKIP
>>> summary.counts.read, summary.counts.findings, summary.counts.excluded  # doctest: +SKIP
(307, 305, {'untagged': 2})
"""

from __future__ import annotations

import functools
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from .codebook import Codebook
from .config import Config
from .distil import concerns_of, key_concerns
from .document import WITHHELD_EMAIL, WITHHELD_NAME, WITHHELD_PHONE
from .model import (
    Cited,
    Concern,
    Contributor,
    Counts,
    Dataset,
    Earlier,
    EarlierOverview,
    EarlierQuote,
    Excluded,
    Finding,
    FindingRef,
    Group,
    QuoteBlock,
    Section,
    Submission,
    Summary,
)
from .privacy import EMAIL_WITHHELD, NAME_WITHHELD, PHONE_WITHHELD, Publisher, published_type
from .recommendations import RecommendationSet
from .similar import exact_key, group_similar
from .textutil import match_key

#: Stands for the group of issue areas the codebook does not know (worded by the templates).
OTHER_GROUP = "\x00other"
KINDS = ("individual", "joint", "nhri", "other")


@functools.lru_cache(maxsize=1 << 16)
def natural_key(code: str) -> tuple[object, ...]:
    """Sort JS2 before JS10."""
    return tuple(int(p) if p.isdigit() else p.casefold() for p in re.split(r"(\d+)", code))


def redactor(submissions: Iterable[Submission]) -> Callable[[str], str]:
    """A function that withholds confidential organizations' names and codes, and e-mail
    addresses, in any text (see :mod:`upr_summary.privacy`)."""
    return Publisher(submissions).text


def _sources(codes: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(set(codes), key=natural_key))


def _merge(items: list[tuple[str, str, int]], redact: Callable[[str], str]) -> list[Cited]:
    """(text, submission, finding id) -> merged sentences, most cited first."""
    return _merge_by_section([(t, c, i, "") for t, c, i in items], redact).get("", [])


def _merge_by_section(items: list[tuple[str, str, int, str]], redact: Callable[[str], str]
                      ) -> dict[str, list[Cited]]:
    """(text, submission, finding id, section) in reading order -> each sentence once,
    however many rows and sections said it, citing all of them, in the first section that
    said it; most cited first within a section."""
    per_section: dict[str, list[tuple[str, tuple[str, ...], tuple[int, ...]]]] = defaultdict(list)
    for group in group_similar([t for t, _, _, _ in items]):
        first = items[group[0]]
        per_section[first[3]].append((first[0], _sources(items[i][1] for i in group),
                                      tuple(dict.fromkeys(items[i][2] for i in group))))
    out: dict[str, list[Cited]] = {}
    for area, merged in per_section.items():
        merged.sort(key=lambda m: -len(m[1]))  # stable: equal counts keep reading order
        out[area] = [Cited(redact(text), sources, ids) for text, sources, ids in merged]
    return out


def _theme_choice(config: Config, dataset: Dataset, pub: Publisher) -> set[str] | None:
    """The issue areas (as published) that ``themes`` / ``exclude_themes`` keep; None: all.
    A name matches an issue area spelled the same (case, accents and punctuation aside) or,
    with a codebook, any name or alias of the same theme. A name that matches nothing in
    the data is a mistake in the command (exit 2)."""
    if not config.themes and not config.exclude_themes:
        return None
    from .errors import UsageError

    areas = list(dict.fromkeys(pub.label(a) for f in dataset.findings for a in f.issue_areas))
    codebook = dataset.codebook

    def key(name: str) -> object:
        theme = codebook.lookup(name) if codebook is not None else None
        return theme.id if theme is not None else match_key(name)

    by_key: dict[object, list[str]] = defaultdict(list)
    for area in areas:
        by_key[key(area)].append(area)

    def matching(names: list[str], option: str) -> set[str]:
        out: set[str] = set()
        for name in names:
            found = by_key.get(key(name))
            if not found:
                import difflib

                close = difflib.get_close_matches(name.lower(), [a.lower() for a in areas],
                                                  n=1, cutoff=0.75)
                hint = next((f" Did you mean {a!r}?" for a in areas
                             if close and a.lower() == close[0]), "")
                raise UsageError(f"{option}: no finding is in a theme called {name!r}.{hint} "
                                 f"The themes of this data are: "
                                 f"{', '.join(sorted(areas)) or 'none'}.")
            out.update(found)
        return out

    keep = matching(config.themes, "--themes (or themes: in the project file)") \
        if config.themes else set(areas)
    keep -= matching(config.exclude_themes, "--exclude-themes (or exclude_themes:)")
    if not keep:
        raise UsageError("--themes and --exclude-themes leave no theme in the report: "
                         "nothing was written.")
    return keep


class _Grouper:
    """Groups a section's findings into concerns: near-identical wordings merged, then
    grouped by meaning; remembers the method used."""

    def __init__(self, texts: list[str], words: Any = None) -> None:
        self.method = ""
        self.texts = texts  # every finding of the build: how rare each word is
        self.rarity: Any = None
        self.words = words  # the words' token ids known so far (concerns.WordTokens)

    def concerns(self, items: list[tuple[str, str, int]], redact: Callable[[str], str],
                 organizations: Callable[[Iterable[int]], int], theme: str) -> list[Concern]:
        merged = [Cited(redact(items[g[0]][0]), _sources(items[i][1] for i in g),
                        tuple(dict.fromkeys(items[i][2] for i in g)))
                  for g in group_similar([t for t, _, _ in items])]
        if not merged:
            return []
        from .concerns import WordRarity, group_by_meaning

        if self.rarity is None:
            self.rarity = WordRarity(self.texts)
        grouping = group_by_meaning([m.text for m in merged], rarity=self.rarity,
                                    words=self.words)
        groups, central, method = grouping.groups, grouping.central, grouping.method
        self.method = self.method or method
        return concerns_of(merged, groups, central, organizations, _sources, theme)


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


def _where(finding: Finding) -> str:
    """Where a finding was read, for the coordinator's eyes only (--show-excluded, the
    excluded.csv working file): the path as given, the sheet, the row."""
    loc = finding.location
    name = loc.file + (f"[{loc.sheet}]" if loc.sheet else "")
    return f"{name}:{loc.row}" if loc.row is not None else name


_UNTAGGED = "(untagged)"


def _earlier(recs: RecommendationSet, redact: Callable[[str], str], codebook: Codebook | None,
             label: Callable[[str], str] = str) -> tuple[dict[str, Earlier], list[Earlier],
                                                         dict[str, int]]:
    """The State's earlier recommendations per issue area (as published), in section order
    with the untagged ones last (their ``issue_area`` is None), and the totals per area."""
    from .recommendations import per_theme

    themes: dict[str, Any] = {}
    for area, theme in per_theme(recs).items():  # issue areas as published
        themes.setdefault(area if area == _UNTAGGED else redact(area), theme)
    out: dict[str, Earlier] = {}
    for area, t in themes.items():
        out[area] = Earlier(
            None if area == _UNTAGGED else label(area), t.total, t.supported, t.noted, t.pending,
            t.other,
            (t.by_action[1], t.by_action[2], t.by_action[3], t.by_action[4], t.by_action[5]),
            len(t.states),
            [EarlierQuote(redact(h.text), tuple(redact(x) for x in h.states), h.responses,
                          tuple((redact(state), response) for state, response in h.answers))
             for h in t.highlights()])
    totals = Counter({a: t.total for a, t in themes.items() if a != _UNTAGGED})
    ordered = [out[a] for _, names in _section_order(totals, codebook) for a in names]
    if _UNTAGGED in out:
        ordered.append(out[_UNTAGGED])
    return out, ordered, {a: t.total for a, t in themes.items()}


def summarize(dataset: Dataset, config: Config | None = None,
              auto_mode: str | None = None, previous: RecommendationSet | None = None,
              label: Callable[[str], str] | None = None, words: Any = None) -> Summary:
    """The summary's content, ready for the document templates. The data should be valid
    (no errors). ``previous``: the State's earlier UPR recommendations, if given.
    ``label``: a theme's or group's name in the report's language (the codebook's
    translation), used wherever a name is printed; the names as they are without it.
    ``words``: the token ids of words known already (:class:`~upr_summary.concerns.
    WordTokens`, from the project cache), added to as findings are grouped by meaning.

    Everything in the summary is in its published form (:mod:`upr_summary.privacy`):
    confidential submissions by neutral codes (C1, C2 ...), their names and own codes
    withheld in every text and issue area, e-mail addresses in submitted data withheld
    (marked by :data:`~upr_summary.document.WITHHELD_NAME` and ``WITHHELD_EMAIL``, which the
    templates word), and no input file named. Counts are made on the data as read."""
    from .render.chart import shown

    config = config or Config()
    subs = dataset.submissions
    pub = Publisher(subs.values(), markers={NAME_WITHHELD: WITHHELD_NAME,
                                            EMAIL_WITHHELD: WITHHELD_EMAIL,
                                            PHONE_WITHHELD: WITHHELD_PHONE})

    chosen = _theme_choice(config, dataset, pub)
    included: list[Finding] = []
    excluded: list[Excluded] = []
    for finding in dataset.counted:  # a row pasted twice is one finding
        if finding.issue_areas and (chosen is None or any(
                pub.label(a) in chosen for a in finding.issue_areas)):
            included.append(finding)
        else:
            excluded.append(Excluded(pub.code(finding.submission), pub.text(finding.text),
                                     finding.location.row,
                                     "theme" if finding.issue_areas else "untagged",
                                     (finding.submission, _where(finding), finding.text)))

    # Every issue area counts a finding (At a glance, stats); it is stated once, with its
    # recommendations and quote, in the section of its first issue area.
    by_area: dict[str, list[Finding]] = defaultdict(list)
    primary: dict[str, list[Finding]] = defaultdict(list)
    also: dict[str, dict[str, None]] = defaultdict(dict)
    # The same sentence from several submissions is stated in one section, whatever the
    # order each gave its issue areas in: that of the first to give it, where the others
    # name it too.
    home_of: dict[str, str] = {}
    for finding in included:
        labels = pub.areas(finding.issue_areas)
        if chosen is not None:
            labels = tuple(a for a in labels if a in chosen)
        for area in labels:
            by_area[area].append(finding)
        home = home_of.setdefault(exact_key(finding.text), labels[0])
        if home not in labels:
            home = labels[0]
        primary[home].append(finding)
        for area in labels:
            if area != home:
                also[area].setdefault(home, None)
    areas = Counter({a: len(fs) for a, fs in by_area.items()})
    order = _section_order(areas, dataset.codebook)
    position = {a: i for i, a in enumerate(a for _, names in order for a in names)}
    recommendations = _merge_by_section(
        [(r, pub.code(f.submission), f.id, area) for area in sorted(primary, key=position.get)
         for f in primary[area] for r in f.recommendations], pub.text)

    def org_keys(codes: Iterable[str]) -> set[str]:
        return {match_key(o) or o for c in codes for o in subs[c].organizations}

    by_id = {f.id: f for f in included}

    def organizations_of(ids: Iterable[int]) -> int:
        return len(org_keys({by_id[i].submission for i in ids}))

    grouping = _Grouper([f.text for f in included], words)
    name: Callable[[str], str] = label or str
    refs = {f.id: FindingRef(pub.code(f.submission), f.location.row,
                             pub.text(f.ref) if f.ref else None) for f in included}
    number = 0

    earlier: dict[str, Earlier] = {}
    if previous is not None:
        earlier, earlier_rows, earlier_totals = _earlier(previous, pub.text, dataset.codebook,
                                                         name)
    groups: list[Group] = []
    glance: list[dict[str, object]] = []
    seen_quotes: set[str] = set()
    for group_key, names in order:
        group_title = None if group_key == OTHER_GROUP else group_key
        group = Group(None if group_title is None else name(group_title),
                      other=group_key == OTHER_GROUP)
        for area in names:
            findings = by_area[area]
            codes = {f.submission for f in findings}
            section = Section(name(area), group.title, submissions=len(codes),
                              organizations=len(org_keys(codes)), finding_count=len(findings),
                              earlier=earlier.get(area),
                              also=[name(a) for a in sorted(also.get(area, ()),
                                                            key=position.__getitem__)])
            stated = primary.get(area, [])
            quote_of: dict[int, QuoteBlock] = {}
            for f in stated:
                if f.quote and match_key(f.quote) not in seen_quotes:
                    seen_quotes.add(match_key(f.quote))
                    # Who said it, in a confidential submission, would say who sent it
                    # (its contact person, its town): the quote stands on its code alone.
                    by = None if dataset.submissions[f.submission].confidential else \
                        pub.optional(f.quote_by)
                    quote_of[f.id] = QuoteBlock(pub.text(f.quote), by, (pub.code(f.submission),))
                    section.quotes.append(quote_of[f.id])
            section.recommendations = recommendations.get(area, [])
            section.concerns = grouping.concerns(
                [(f.text, pub.code(f.submission), f.id) for f in stated], pub.text,
                organizations_of, section.title)
            # Every distinct finding of the section (near-identical ones merged), by concern.
            section.findings = [f for c in section.concerns for f in c.findings]
            for concern in section.concerns:
                number += 1
                concern.number = number
                ids = set(concern.finding_ids)
                concern.quotes = [q for i, q in quote_of.items() if i in ids]
                recs = [(r, pub.code(by_id[i].submission), i) for i in sorted(ids)
                        for r in by_id[i].recommendations]
                if len(recs) == 1:
                    concern.recommendations = [Cited(pub.text(recs[0][0]), (recs[0][1],),
                                                     (recs[0][2],))]
                elif recs:
                    concern.recommendations = _merge(recs, pub.text)
            group.sections.append(section)
            glance.append({"issue_area": section.title, "submissions": section.submissions,
                           "organizations": section.organizations, "findings": len(findings)})
        groups.append(group)

    used = [subs[c] for c in dict.fromkeys(f.submission for f in included)]
    organizations = len(org_keys(s.code for s in used))
    contributors: dict[str, list[Contributor]] = {kind: [] for kind in KINDS}
    # In the order of the published codes: a neutral code's place never hints at the own code.
    for sub in sorted(subs.values(), key=lambda s: natural_key(pub.code(s.code))):
        kind = published_type(sub)
        if sub.confidential:
            entry = Contributor(pub.code(sub.code), None, None, (), True, kind)
        else:
            entry = Contributor(sub.code, pub.optional(sub.organization), pub.optional(sub.city),
                                tuple(pub.text(m) for m in sub.members), False, kind)
        contributors[kind].append(entry)

    counts = Counts(
        read=len(dataset.counted), findings=len(included),
        excluded=dict(sorted(Counter(e.reason for e in excluded).items())),
        submissions=len(used), organizations=organizations,
        joint=sum(published_type(s) == "joint" for s in used),
        nhri=sum(published_type(s) == "nhri" for s in used),
        recommendations=sum(len(f.recommendations) for f in included),
        auto_tagged=sum(f.tagged_by == "auto" for f in included),
        auto_mode=auto_mode if any(f.tagged_by == "auto" for f in included) else None,
        suggested=sum(f.tagged_by == "suggested" for f in included),
        concerns=number)
    summary = Summary(
        title=pub.own(config.title),
        subtitle=pub.own(config.subtitle),
        state=pub.own(config.state),
        review=pub.own(config.review),
        year=pub.own(config.year),
        network=pub.own(config.network),
        date=pub.own(config.date),
        introduction=pub.own(config.introduction),
        counts=counts,
        glance=glance,
        chart_left_out=shown(glance)[1],
        groups=groups,
        contributors=contributors,
        excluded=excluded,
        grouping=grouping.method,
        refs=refs,
        cycle=config.cycle,
        state_in_sentence=pub.own(config.state_in_sentence),
    )
    summary.key_concerns = key_concerns(summary.sections)
    if previous is not None:
        from .recommendations import gaps

        state = config.state or previous.state_under_review
        summary.earlier = earlier_rows
        summary.earlier_overview = EarlierOverview(
            pub.own(state), list(previous.cycles), len(previous.items),
            sum(r.response == "supported" for r in previous.items),
            sum(r.response == "noted" for r in previous.items),
            pub.own(config.state_in_sentence))
        raised, unraised = gaps(dict(areas), earlier_totals)
        summary.gaps_raised = [(name(a), n) for a, n in raised]
        summary.gaps_unraised = [(name(a), n) for a, n in unraised]
    return summary
