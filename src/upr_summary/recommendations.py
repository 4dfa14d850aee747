"""What the State was already told: recommendations from its earlier UPR reviews.

Reads the UPR Info database export (columns To, Text, From, Response, Action, Issue,
Session: Mac Roman and bare CR line ends are fine) or a plain CSV/XLSX (recommendation,
recommending_state, response, issue_area, cycle, optional action_category). Responses are
normalised to supported, noted, pending or other; issue labels are matched to the
project's codebook like the submissions' issue areas (UPR Info labels through their
mapping onto the OHCHR themes).

>>> normalise_response("Accepted"), normalise_response("Noted"), normalise_response("")
('supported', 'noted', 'pending')
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .codebook import BUILTIN_NAMES, Codebook, load_codebook
from .errors import ConfigError
from .model import Location, Problem
from .problems import problem
from .textutil import clean_text, match_key, split_list

if TYPE_CHECKING:
    from .cache import Cache

_RESPONSE_WORDS = {
    "supported": {"accepted", "accept", "supported", "support", "agreed", "yes", "acceptee",
                  "aceptada", "aceptado", "accepte", "enjoysthesupport", "supportedaccepted"},
    "noted": {"noted", "note", "takesnote", "tooknote", "rejected", "notaccepted", "notsupported",
              "nosupport", "no", "notee", "notada", "rechazada"},
    "pending": {"pending", "deferred", "underconsideration", "noresponse", "noreply",
                "awaitingresponse", "", "na", "none"},
}
_LOOKUP = {w: kind for kind, words in _RESPONSE_WORDS.items() for w in words}

_COLUMNS = {
    "text": ("text", "recommendation", "recommendations", "rec", "recommendationtext"),
    "state": ("from", "recommendingstate", "recommendingstates", "recommendedby", "recommender",
              "recommendingcountry", "state"),
    "under_review": ("to", "stateunderreview", "sur", "reviewedstate", "country", "statereviewed"),
    "response": ("response", "position", "responseofthestate", "status", "responses"),
    "action": ("action", "actioncategory", "category", "actioncat"),
    "issue": ("issue", "issues", "issuearea", "issueareas", "theme", "themes"),
    "cycle": ("cycle", "session", "uprcycle", "review", "reviewcycle"),
}
_HEADER = {key: name for name, keys in _COLUMNS.items() for key in keys}
REQUIRED = ("text", "state", "response")


def normalise_response(value: str) -> str:
    """supported, noted, pending or other."""
    key = match_key(value)
    if key in _LOOKUP:
        return _LOOKUP[key]
    if "partial" in key or "inpart" in key:
        return "other"
    if key.startswith(("accept", "support")):
        return "supported"
    if key.startswith(("note", "reject")):
        return "noted"
    return "other"


@dataclass(frozen=True)
class EarlierRecommendation:
    text: str
    state: str
    response: str
    issue_areas: tuple[str, ...]
    action: int | None
    cycle: str | None
    location: Location


@dataclass
class RecommendationSet:
    """The earlier recommendations received by one State."""

    state_under_review: str | None
    items: list[EarlierRecommendation] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    source: str = ""

    @property
    def cycles(self) -> list[str]:
        return list(dict.fromkeys(r.cycle for r in self.items if r.cycle))


def _rows(path: Path, problems: list[Problem], encoding: str | None) -> list[tuple[int, list[str]]]:
    display = str(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from .load.xlsxfile import first_sheet_rows

        return first_sheet_rows(display, display, problems)
    import csv
    import io

    from .load.encoding import decode_reporting, looks_binary

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"Cannot read {display}: {exc.strerror}") from None
    if looks_binary(data):
        problems.append(problem("unreadable-file", Location(display), what="This file",
                                why="it is not text (it holds binary data)",
                                formats="CSV or Excel (.xlsx) recommendations"))
        return []
    text = decode_reporting(data, display, encoding, problems).text.replace("\x00", "")
    best: tuple[int, str] = (-1, ",")
    first_line = text.splitlines()[0] if text.strip() else ""
    for delimiter in (",", ";", "\t", "|"):
        cells = next(csv.reader([first_line], delimiter=delimiter), [])
        known = sum(1 for c in cells if match_key(c) in _HEADER)
        if known > best[0]:
            best = (known, delimiter)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=best[1])
    return list(enumerate(reader, start=1))


def load_recommendations(path: str | Path, codebook: Codebook | None, state: str | None = None,
                         encoding: str | None = None, cache: Cache | None = None
                         ) -> RecommendationSet:
    """Read the earlier recommendations to one State. With several States in the file,
    ``state`` chooses (a ConfigError lists close names when it matches none)."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"Recommendations file not found: {path}")
    problems: list[Problem] = []
    rows = _rows(path, problems, encoding)
    display = str(path)
    rows = [(n, cells) for n, cells in rows if any(c.strip() for c in cells)]
    if not rows:
        problems.append(problem("empty-file", Location(display),
                                what="The recommendations file",
                                content="a header row and one row per recommendation"))
        return RecommendationSet(state, problems=problems, source=display)
    header_row, header = rows[0]
    columns: dict[str, int] = {}
    for i, heading in enumerate(header):
        name = _HEADER.get(match_key(heading))
        if name and name not in columns:
            columns[name] = i
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        for name in missing:
            found = ", ".join(c.strip() for c in header if c.strip()) or "none"
            problems.append(problem(
                "missing-column", Location(display, header_row, name), column=name,
                where=" in the recommendations file", found=found,
                other="use the UPR Info export (To, Text, From, Response, Action, Issue, "
                "Session) or the columns recommendation, recommending_state, response, "
                "issue_area, cycle, action_category"))
        return RecommendationSet(state, problems=problems, source=display)

    def cell(cells: list[str], name: str) -> str:
        i = columns.get(name)
        return clean_text(cells[i])[0] if i is not None and i < len(cells) else ""

    data = rows[1:]
    chosen = state
    if "under_review" in columns:
        states = Counter(cell(c, "under_review") for _, c in data)
        states.pop("", None)
        if len(states) > 1 or state:
            by_key = {match_key(s): s for s in states}
            if state is None:
                raise ConfigError(
                    f"{display} holds recommendations to {len(states)} States; choose one with "
                    f"--state (or state: in upr-summary.yaml), e.g. --state "
                    f"\"{states.most_common(1)[0][0]}\".")
            if match_key(state) not in by_key:
                close = difflib.get_close_matches(state, list(states), n=5, cutoff=0.5)
                close += [s for s in states if match_key(state) in match_key(s) and s not in close]
                hint = f" Close names: {', '.join(close[:5])}." if close else ""
                raise ConfigError(f"No recommendations to '{state}' in {display}.{hint}")
            chosen = by_key[match_key(state)]
            data = [(n, c) for n, c in data if match_key(cell(c, "under_review")) == match_key(state)]
        elif states:
            chosen = next(iter(states))

    # The UPR Info export separates its issue labels with commas; our own format with ';'.
    upr_info = match_key(header[columns["state"]]) == "from"
    separator = "," if upr_info else ";"
    translate = _translator(codebook, cache)
    result = RecommendationSet(chosen, problems=problems, source=display)
    seen: dict[tuple[str, str, str | None], tuple[Location, str]] = {}
    for number, cells in data:
        loc = Location(display, number)
        text = cell(cells, "text")
        if not text:
            problems.append(problem("missing-value", loc.with_field("text"),
                                    what="A recommendation without text"))
            continue
        raw_response = cell(cells, "response")
        response = normalise_response(raw_response)
        if response == "other" and raw_response:
            problems.append(problem("unknown-response", loc.with_field("response"),
                                    response=raw_response))
        action_text = cell(cells, "action")
        # Only the ASCII digits 1 to 5: str.isdigit() also accepts '²' and '⑤', which int() refuses.
        action = int(action_text) if action_text in ("1", "2", "3", "4", "5") else None
        if action_text and action is None:
            problems.append(problem("invalid-value", loc.with_field("action"), "warning",
                                    what="The action category", value=repr(action_text),
                                    expected="use 1 to 5; it is left out of the split"))
        labels = split_list(cell(cells, "issue"), separator)
        areas = tuple(dict.fromkeys(translate(label) for label in labels))
        cycle = cell(cells, "cycle") or None
        if cycle and cycle.isascii() and cycle.isdigit() and match_key(header[columns["cycle"]]) == "session":
            cycle = f"session {cycle}"
        state = cell(cells, "state") or "unknown State"
        key = (match_key(text), match_key(state), cycle)
        if key in seen:
            first, first_response = seen[key]
            answers = (f" (answered {first_response} there, {response} here)"
                       if first_response != response else "")
            problems.append(problem("duplicate-recommendation", loc, state=state,
                                    first=f"row {first.row}", answers=answers))
        else:
            seen[key] = (loc, response)
        result.items.append(EarlierRecommendation(
            text, state, response, areas, action, cycle, loc))
    if not result.items and not any(p.severity == "error" for p in problems):
        problems.append(problem("no-findings", Location(display), items="recommendations",
                                why="the file holds a header but no rows",
                                item="earlier recommendation"))
    return result


def _translator(codebook: Codebook | None, cache: Cache | None = None) -> Callable[[str], str]:
    """Label -> theme name in the project's codebook: directly, or through another built-in
    codebook's mapping (UPR Info's 'Right to housing' -> OHCHR 'Housing'). The other
    codebooks are read only when a label needs them (through the project ``cache``)."""
    if codebook is None:
        return lambda label: label
    others_found: list[list[Codebook]] = []
    names: dict[str, str] = {}

    def others() -> list[Codebook]:
        if not others_found:
            others_found.append([b for b in (load_codebook(n, cache) for n in BUILTIN_NAMES
                                             if n != codebook.name) if b])
        return others_found[0]

    def translate(label: str) -> str:
        if label in names:
            return names[label]
        found = codebook.resolve(label)
        name = found.theme.name if found.theme and found.how == "exact" else None
        if name is None:
            for other in others():
                theme = other.lookup(label)
                if theme is None:
                    continue
                target = theme.maps_to(codebook.name)
                mapped = codebook.theme(target) if target else None
                if mapped is not None:
                    name = mapped.name
                    break
                # The reverse: a theme of ours that maps onto that theme.
                back = [t for t in codebook.themes if t.maps_to(other.name) == theme.id]
                if back:
                    name = back[0].name
                    break
        if name is None:
            name = found.theme.name if found.theme else label
        names[label] = name
        return name

    return translate


@dataclass
class ThemeRecommendations:
    """The earlier recommendations on one theme, counted and with the most specific ones."""

    issue_area: str
    total: int = 0
    supported: int = 0
    noted: int = 0
    pending: int = 0
    other: int = 0
    by_action: dict[int, int] = field(default_factory=lambda: {k: 0 for k in range(1, 6)})
    states: Counter[str] = field(default_factory=Counter)
    items: list[EarlierRecommendation] = field(default_factory=list)

    def highlights(self, n: int = 3) -> list[Highlight]:
        """The most specific recommendations: action category 5 first, then 4..., then
        reading order; one made by several States is given once, with all of them."""
        merged: dict[str, Highlight] = {}
        for r in sorted(self.items, key=lambda r: -(r.action or 0)):
            key = match_key(r.text)
            if key in merged:
                h = merged[key]
                merged[key] = Highlight(h.text, tuple(dict.fromkeys(
                    (*h.answers, (r.state, r.response)))), h.action)
            elif len(merged) < n:
                merged[key] = Highlight(r.text, ((r.state, r.response),), r.action)
        return list(merged.values())


@dataclass(frozen=True)
class Highlight:
    """An earlier recommendation as the report quotes it, with every State that made it
    and the answer the State under review gave to each: ``answers`` holds
    ``(recommending State, response)`` pairs, in reading order."""

    text: str
    answers: tuple[tuple[str, str], ...]
    action: int | None

    @property
    def states(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(state for state, _ in self.answers))

    @property
    def responses(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(response for _, response in self.answers))


def per_theme(recs: RecommendationSet) -> dict[str, ThemeRecommendations]:
    """Counts per issue area; a recommendation with two issues counts under both."""
    out: dict[str, ThemeRecommendations] = {}
    for r in recs.items:
        for area in r.issue_areas or ("(untagged)",):
            t = out.setdefault(area, ThemeRecommendations(area))
            t.total += 1
            setattr(t, r.response, getattr(t, r.response) + 1)
            if r.action:
                t.by_action[r.action] += 1
            t.states[r.state] += 1
            t.items.append(r)
    return out


def gaps(finding_areas: dict[str, int], recommended: dict[str, int]
         ) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """(raised by civil society but never recommended, recommended but raised by no
    submission), each as (issue area, count), most first. Both arguments map an issue
    area to its number of findings or of earlier recommendations."""
    raised = sorted(((a, n) for a, n in finding_areas.items()
                     if a not in recommended and a != "(untagged)"), key=lambda x: (-x[1], x[0]))
    unraised = sorted(((a, n) for a, n in recommended.items()
                       if a not in finding_areas and a != "(untagged)"), key=lambda x: (-x[1], x[0]))
    return raised, unraised
