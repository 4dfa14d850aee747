"""Distil a theme's findings into concerns, rank them by breadth, pick the key concerns,
and fit the summary into its word budget.

A *concern* is what several findings of one theme say, in the same or in other words:
near-identical wordings are merged first (:mod:`upr_summary.similar`), then findings are
grouped by meaning (:mod:`upr_summary.concerns`). A concern is stated by one of its
findings, verbatim: the most representative one that gives no fact (a figure, a date, a
name) that only some of the concern's submissions gave, so that citing every submission
of the concern for it is true. Its other findings' own facts may follow it, each cited to
its own submissions, while the budget allows.

The budget counts words (:func:`count_words`) in the summary's headings and body
paragraphs, from the title to the last theme section: not the contents list, footnotes,
tables, figure captions or annexes (headings marked ``{.annex}`` and what follows them).

>>> count_words("Rents rose by 38 per cent in 2,025 flats (JS3's figure).")
11
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .errors import UsageError
from .model import Budget, Cited, Concern, Section, Summary

if TYPE_CHECKING:
    from .document import Document

#: The most key concerns the summary opens with.
KEY_CONCERNS = 10
#: The fewest organizations a key concern is raised by.
KEY_CONCERN_MIN_ORGANIZATIONS = 2
#: The share of the budget left after the key concerns and the concerns that cite every
#: submission that goes to the recommendations of the concerns stated.
RECOMMENDATION_SHARE = 0.3
#: The default budget: a summary of about 10 A4 pages (see the README).
DEFAULT_MAX_WORDS = 2100
#: The same 10 pages in other languages, measured like the English figure (the sample built
#: in the language, converted by LibreOffice, the body ending on page 10 with about 100
#: words to spare): French and Spanish fixed text takes more words per page.
DEFAULT_MAX_WORDS_BY_LANGUAGE = {"en": 2100, "fr": 2400, "es": 2250}


def default_max_words(language: str = "en") -> int:
    """The default budget of a report in ``language`` (its base language's for a regional
    variant such as ``fr_CA``; the English one for a language not measured)."""
    base = language.replace("-", "_").split("_")[0].lower()
    return DEFAULT_MAX_WORDS_BY_LANGUAGE.get(base, DEFAULT_MAX_WORDS)

_WORD = re.compile(r"\w+(?:['\u2019.,/-]\w+)*")
# A fact: a token with a figure, or a capitalised word inside a sentence (a place, a name,
# a month, an institution).
_FIGURE = re.compile(r"\w*\d[\w.,/%-]*")
_NAME = re.compile(r"(?<=[^\s.!?:;\u201c\"(\[]\s)[A-Z\u00c0-\u00de][\w'\u2019-]+")


#: Words that say where, which a concern's other findings may differ in.
_WHERE_WORDS = frozenset("north south east west northern southern eastern western urban "
                         "rural".split())


def count_words(text: str) -> int:
    """Words as the budget counts them: runs of letters and digits, with inner
    apostrophes, dots, commas, slashes and hyphens ("1,234", "don't", "co-operate" are one
    word each)."""
    return len(_WORD.findall(text))


def facts(text: str) -> frozenset[str]:
    """The facts a sentence gives: its figures and its capitalised words inside a sentence.

    >>> sorted(facts("In March, police in Velmora detained 38 people."))
    ['38', 'march', 'velmora']
    """
    found = {m.group(0).rstrip(".,").casefold() for m in _FIGURE.finditer(text)}
    found |= {m.group(0).casefold() for m in _NAME.finditer(text)}
    found |= {w for w in _WORD.findall(text.casefold()) if w in _WHERE_WORDS}
    return frozenset(found)


@dataclass
class _Member:
    cited: Cited
    position: int
    facts: frozenset[str]


def concerns_of(merged: list[Cited], texts_grouped: Sequence[Sequence[int]],
                central: Sequence[int], organizations: Callable[[Iterable[int]], int],
                sources_order: Callable[[Iterable[str]], tuple[str, ...]], theme: str
                ) -> list[Concern]:
    """Concerns from a section's merged findings (``merged``, in reading order) grouped by
    meaning (``texts_grouped``: lists of indexes into ``merged``; ``central``: each group's
    most representative member). ``organizations`` counts the organizations behind finding
    ids; ``sources_order`` sorts submission codes. Ranked by breadth (organizations, then
    submissions, then reading order)."""
    out: list[tuple[tuple[int, int, int], Concern]] = []
    for group, centre in zip(texts_grouped, central):
        if len(group) == 1:  # most concerns: one finding (its near-identical copies merged)
            cited = merged[group[0]]
            orgs = organizations(cited.finding_ids)
            out.append(((-orgs, -len(cited.sources), group[0]),
                        Concern(0, theme, cited.text, cited.sources, cited.sources, orgs,
                                [cited])))
            continue
        members = [_Member(merged[i], i, facts(merged[i].text)) for i in group]
        everyone = set().union(*(m.cited.sources for m in members))
        sources = sources_order(everyone)

        # A fact of a member is specific unless every other member gives it too.
        given = Counter(f for m in members for f in m.facts)

        size = len(members)
        specific = {id(m): sum(1 for f in m.facts if given[f] < size) for m in members}
        stated = min(members, key=lambda m: (specific[id(m)] > 0, -len(m.cited.sources),
                                             m.position != centre, len(m.facts), m.position))
        rest = [m for m in members if m is not stated]
        rest.sort(key=lambda m: (-len(m.cited.sources), m.position))
        known = set(stated.facts)
        extra: list[Cited] = []
        for m in rest:
            new = m.facts - known
            if new:
                extra.append(m.cited)
                known |= new
        ids = [i for m in [stated, *rest] for i in m.cited.finding_ids]
        orgs = organizations(ids)
        concern = Concern(0, theme, stated.cited.text, sources, stated.cited.sources, orgs,
                          [stated.cited, *(m.cited for m in rest)], extra)
        out.append(((-orgs, -len(sources), min(m.position for m in members)), concern))
    out.sort(key=lambda pair: pair[0])
    return [c for _, c in out]


def key_concerns(sections: Sequence[Section]) -> list[Concern]:
    """The most widely raised concerns across all themes (raised by at least
    :data:`KEY_CONCERN_MIN_ORGANIZATIONS` organizations), at most :data:`KEY_CONCERNS`."""
    ranked = sorted(((-c.organizations, -len(c.sources), c.number), c)
                    for s in sections for c in s.concerns
                    if c.organizations >= KEY_CONCERN_MIN_ORGANIZATIONS)
    chosen = [c for _, c in ranked[:KEY_CONCERNS]]
    for n, concern in enumerate(chosen, 1):
        concern.key = n
    return chosen


# -- the budget --------------------------------------------------------------------------
def body_words(document: Document) -> int:
    """Words of the summary's body: headings and paragraphs (bullets and block quotes
    included) from the title to the first heading marked as an annex; not the contents
    list, footnotes, tables or figure captions."""
    from .document import BulletList, Heading, Paragraph, Quote, plain

    total = 0
    for block in document.blocks:
        if isinstance(block, Heading):
            if block.annex:
                break
            total += count_words(plain(block.content))
        elif isinstance(block, (Paragraph, Quote)):
            total += count_words(plain(block.content))
        elif isinstance(block, BulletList):
            total += sum(count_words(plain(item)) for item in block.items)
    return total


class BudgetError(UsageError):
    """The budget is below what the selected themes need at minimum."""

    def __init__(self, max_words: int, minimum: int) -> None:
        super().__init__(f"The word budget ({max_words:,}: --max-words or max_words: in the "
                         f"project file) is below the {minimum:,} words the summary needs at "
                         f"minimum (each theme's heading, its lead sentence and its most widely "
                         f"raised concern, and the fixed text): give at least {minimum:,}, or "
                         f"choose fewer themes with --themes / --exclude-themes. Nothing was "
                         f"written.")
        self.max_words = max_words
        self.minimum = minimum


@dataclass
class _Item:
    kind: str  # "concern", "fact", "recommendation"
    section: Section
    concern: Concern | None
    cited: Cited | None
    words: int


def _select(summary: Summary, chosen: list[_Item], keys: list[Concern]) -> None:
    """Set what the summary states: per section its chosen concerns (chosen in rank order
    within a section), their first facts, the chosen recommendations; and the key concerns
    among the chosen concerns, numbered in order."""
    for section in summary.sections:
        section.shown_recommendations = []
        for concern in section.concerns:
            concern.shown_facts = 0
            concern.in_summary = False
    for item in chosen:
        if item.kind == "concern":
            assert item.concern is not None
            item.concern.in_summary = True
        elif item.kind == "fact":
            assert item.concern is not None
            item.concern.shown_facts += 1
        else:
            assert item.cited is not None
            item.section.shown_recommendations.append(item.cited)
    for section in summary.sections:
        order = {id(r): i for i, r in enumerate(section.recommendations)}
        section.shown_recommendations.sort(key=lambda r: order[id(r)])
    for concern in keys:
        concern.key = 0
    summary.key_concerns = [c for c in keys if c.in_summary]
    for n, concern in enumerate(summary.key_concerns, 1):
        concern.key = n


def fit(summary: Summary, compose: Callable[[Summary], Document], max_words: int,
        given: bool = True) -> Document:
    """Choose what the summary states so that its body has at most ``max_words`` words, and
    return the summary's document. Raises :class:`BudgetError` when even the minimum (each
    theme's top concern) does not fit a budget the user ``given``; the default budget is
    raised to the minimum instead (``Budget.raised``: a network with many themes).

    Priority: each theme's top concern (the minimum); the key concerns; a concern for each
    submission not cited yet (so that every contributing submission is cited); then every
    other concern, fact and recommendation by the number of organizations behind it."""
    summary.drafting = True
    try:
        return _fit(summary, compose, max_words, given)
    finally:
        summary.drafting = False


def _fit(summary: Summary, compose: Callable[[Summary], Document], max_words: int,
         given: bool) -> Document:
    sections = [s for s in summary.sections if s.concerns]
    candidates = list(summary.key_concerns)
    keys = {id(c) for c in candidates}
    minimum = [_Item("concern", s, s.concerns[0], None, 0) for s in sections]
    _select(summary, minimum, candidates)
    summary.budget = Budget(max_words)
    document = compose(summary)
    floor = body_words(document)
    summary.budget.minimum = floor
    if floor > max_words:
        if given:
            raise BudgetError(max_words, floor)
        summary.budget.raised_from = max_words
        summary.budget.max_words = max_words = floor

    # Candidates in priority order; a concern only after the ones ranked above it in its
    # section, a fact or a recommendation only after its concern.
    section_of = {id(c): s for s in sections for c in s.concerns}
    cited_subs: set[str] = {code for s in sections for code in s.concerns[0].sources}
    order: list[Concern] = list(candidates)
    everyone = sorted((c for s in sections for c in s.concerns),
                      key=lambda c: (-c.organizations, -len(c.sources), c.number))
    for concern in everyone:  # each uncited submission's most widely raised concern
        if not set(concern.sources) <= cited_subs:
            order.append(concern)
            cited_subs |= set(concern.sources)

    def concern_words(c: Concern) -> int:
        return count_words(c.text) + (12 if id(c) in keys else 2)

    # Each concern on its own: one that does not fit is passed over, and shorter ones after
    # it may still fit (a very long finding does not keep its theme's others out). The
    # summary states a theme's concerns in their rank order, whichever were chosen.
    items: list[_Item] = []
    planned: set[int] = {id(s.concerns[0]) for s in sections}
    estimate = floor
    headed: set[int] = set()
    taken: set[int] = set()

    def add_concerns(concerns: Iterable[Concern]) -> None:
        nonlocal estimate
        for concern in concerns:
            if id(concern) in planned:
                continue
            need = concern_words(concern)
            if estimate + need <= max_words:
                items.append(_Item("concern", section_of[id(concern)], concern, None, need))
                planned.add(id(concern))
                estimate += need
            elif estimate >= max_words:
                break

    def recommendations(limit: int) -> list[_Item]:
        """The recommendations of the concerns stated so far, most widely made first."""
        stated_ids = {i for s in sections for c in s.concerns if id(c) in planned
                      for i in c.finding_ids}
        found = [((-len(r.sources), n), _Item("recommendation", s, None, r,
                                              count_words(r.text) + 1))
                 for s in sections for n, r in enumerate(s.recommendations)
                 if id(r) not in taken and stated_ids.intersection(r.finding_ids)]
        found.sort(key=lambda pair: pair[0])
        return [item for _, item in found][:limit]

    def add_recommendations(candidates: list[_Item], until: int) -> None:
        nonlocal estimate
        for item in candidates:
            w = item.words + (0 if id(item.section) in headed else 1)
            if estimate + w <= until:
                headed.add(id(item.section))
                taken.add(id(item.cited))
                items.append(item)
                estimate += w

    # The key concerns, and a concern for each submission not cited yet; then a share of
    # what is left for the recommendations of the concerns stated (the asks are what a
    # diplomat reads the summary for); then every other concern by breadth; then the
    # facts of the concerns stated and the other recommendations.
    add_concerns(order)
    add_recommendations(recommendations(len(sections) * 3),
                        estimate + int((max_words - estimate) * RECOMMENDATION_SHARE))
    add_concerns(everyone)
    extras: list[tuple[tuple[int, int, int], _Item]] = []
    for c in (c for s in sections for c in s.concerns if id(c) in planned):
        for n, f in enumerate(c.facts):
            extras.append(((-len(f.sources), 1, c.number * 1000 + n),
                           _Item("fact", section_of[id(c)], c, f, count_words(f.text) + 1)))
    for n, item in enumerate(recommendations(1 << 30)):
        assert item.cited is not None
        extras.append(((-len(item.cited.sources), 2, n), item))
    extras.sort(key=lambda pair: pair[0])
    facts_added: dict[int, int] = {}
    for _, item in extras:
        if item.kind == "fact":  # a concern's facts are stated in their order
            assert item.concern is not None
            n = facts_added.get(id(item.concern), 0)
            if item.concern.facts[n] is not item.cited:
                continue
            if estimate + item.words <= max_words:
                facts_added[id(item.concern)] = n + 1
                items.append(item)
                estimate += item.words
        else:
            add_recommendations([item], max_words)
    chosen = minimum + items
    while True:
        _select(summary, chosen, candidates)
        document = compose(summary)
        words = body_words(document)
        if words <= max_words or len(chosen) == len(minimum):
            break
        excess = words - max_words
        dropped = 0
        while dropped < excess and len(chosen) > len(minimum):
            item = chosen.pop()
            dropped += max(item.words, 1)
    summary.budget.words = words
    summary.counts.words = words
    summary.counts.concerns_shown = sum(len(s.summary_concerns) for s in sections)
    summary.drafting = False
    document = compose(summary)  # the whole, with the figures of the reconciliation
    cited = {code for s in sections for c in s.summary_concerns for code in c.sources}
    cited |= {code for s in sections for r in s.shown_recommendations for code in r.sources}
    cited |= {code for s in sections for c in s.summary_concerns for f in c.supporting
              for code in f.sources}
    contributing = {code for s in sections for c in s.concerns for code in c.sources}
    summary.budget.uncited = [(code, "budget") for code in sorted(contributing - cited)]
    return document


def as_json(summary: Summary, words: Callable[[str], str] = str,
            meta: dict[str, str] | None = None) -> dict[str, Any]:
    """The report as data (the schema is in the README). ``words``: how the marks of
    withheld names and e-mails are worded (the document's :meth:`Document.words`);
    ``meta``: the document's properties, whose title and language the JSON gives as the
    report prints them."""
    out: dict[str, Any] = _worded(_as_json(summary), words)
    if meta:
        out["title"] = meta.get("title") or out["title"]
        out["language"] = meta.get("lang") or "en"
    return out


def _worded(value: Any, words: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return words(value)
    if isinstance(value, list):
        return [_worded(v, words) for v in value]
    if isinstance(value, dict):
        return {k: _worded(v, words) for k, v in value.items()}
    return value


def _as_json(summary: Summary) -> dict[str, Any]:
    def concern(c: Concern) -> dict[str, Any]:
        return {
            "number": c.number,
            "text": c.text,
            "citation": list(c.sources),
            "stated_by": list(c.stated_by),
            "organizations": c.organizations,
            "submissions": len(c.sources),
            "key_concern": c.key or None,
            "in_summary": c.in_summary,
            "findings": [
                {"text": f.text, "citation": list(f.sources),
                 "from": [_ref(summary, i) for i in f.finding_ids]}
                for f in c.findings],
        }

    budget = summary.budget
    counts = summary.counts
    return {
        "schema": "upr-summary/executive-summary/1",
        "title": summary.title,
        "language": "en",
        "state": summary.state,
        "grouping": summary.grouping,
        "key_concerns": [c.number for c in summary.key_concerns],
        "themes": [
            {"title": s.title, "group": s.group, "submissions": s.submissions,
             "organizations": s.organizations, "findings": s.finding_count,
             "in_summary": [c.number for c in s.summary_concerns],
             "concerns": [concern(c) for c in s.concerns]}
            for s in summary.sections],
        "budget": {"max_words": budget.max_words if budget else None,
                   "minimum": budget.minimum if budget else None,
                   "words": budget.words if budget else None,
                   "uncited": [{"submission": c, "reason": r} for c, r in
                               (budget.uncited if budget else [])]},
        "reconciliation": {"read": counts.read, "in_compilation": counts.findings,
                           "concerns": counts.concerns, "concerns_in_summary":
                           counts.concerns_shown, "words": counts.words,
                           "excluded": dict(counts.excluded)},
    }


def _ref(summary: Summary, finding_id: int) -> dict[str, Any]:
    ref = summary.refs.get(finding_id)
    if ref is None:
        return {"submission": None, "row": None}
    out: dict[str, Any] = {"submission": ref.submission, "row": ref.row}
    if ref.ref is not None:
        out["id"] = ref.ref
    return out
