"""Counts: by issue area, by submission type, and issue areas that occur together.

Each function takes a :class:`~upr_summary.model.Dataset` and returns plain lists of
dicts (JSON-ready). pandas does the counting; it is imported when a count is asked for.
Counts are published outputs: issue areas are labelled as the report labels them, with a
confidential organization's name or own code withheld (:mod:`upr_summary.privacy`);
the counting itself is made on the data as read, so the numbers add up.

>>> rows = count_by_issue_area(data)               # doctest: +SKIP
>>> rows[0]                                         # doctest: +SKIP
{'issue_area': 'Housing', 'submissions': 14, 'organizations': 22, 'findings': 31, 'recommendations': 12}
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .limits import MAX_CROSS_AREAS
from .model import Dataset
from .privacy import Publisher, published_type

if TYPE_CHECKING:
    import pandas as pd

    from .recommendations import RecommendationSet

#: The issue area shown for findings that carry none.
UNTAGGED = "(untagged)"
COUNT_KEYS = ("submissions", "organizations", "findings", "recommendations")


def _publisher(dataset: Dataset) -> Publisher:
    return Publisher(dataset.submissions.values())


def _frames(dataset: Dataset, by: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(finding x group) rows and (submission x organization) rows."""
    import pandas as pd

    pub = _publisher(dataset)
    codes, groups, ids, recs = [], [], [], []
    for f in dataset.counted:
        if by == "issue_area":
            labels = pub.areas(f.issue_areas) or (UNTAGGED,)
        else:
            labels = (published_type(dataset.submissions[f.submission]),)
        for label in labels:
            codes.append(f.submission)
            groups.append(label)
            ids.append(f.id)
            recs.append(len(f.recommendations))
    rows = pd.DataFrame({"submission": codes, "group": groups, "finding": ids,
                         "recommendations": recs})
    orgs = pd.DataFrame(
        [(s.code, _org_key(o)) for s in dataset.submissions.values() for o in s.organizations],
        columns=["submission", "organization"],
    )
    return rows, orgs


def _org_key(name: str) -> str:
    from .textutil import match_key

    return match_key(name) or name


def _count(dataset: Dataset, by: str) -> list[dict[str, Any]]:
    rows, orgs = _frames(dataset, by)
    if rows.empty:
        return []
    grouped = rows.groupby("group", sort=False)
    table = grouped.agg(
        submissions=("submission", "nunique"),
        findings=("finding", "nunique"),
        recommendations=("recommendations", "sum"),
    )
    pairs = rows[["group", "submission"]].drop_duplicates().merge(orgs, on="submission")
    table["organizations"] = pairs.groupby("group")["organization"].nunique()
    table["organizations"] = table["organizations"].fillna(0)
    table = table.reset_index()
    table["_name"] = table["group"].str.casefold()
    table = table.sort_values(["findings", "_name", "group"], ascending=[False, True, True],
                              kind="stable")
    out: list[dict[str, Any]] = []
    for r in table.itertuples(index=False):
        row: dict[str, Any] = {by: str(r.group)}
        if by == "issue_area":
            row["group"] = group_of(dataset, str(r.group))
        row.update(submissions=int(r.submissions), organizations=int(r.organizations),
                   findings=int(r.findings), recommendations=int(r.recommendations))
        out.append(row)
    return out


def group_of(dataset: Dataset, area: str) -> str | None:
    """The codebook group an issue area sits under (None without a codebook or a match)."""
    if dataset.codebook is None or area == UNTAGGED:
        return None
    theme = dataset.codebook.lookup(area)
    return theme.group if theme else None


def count_by_issue_area(dataset: Dataset, previous: RecommendationSet | None = None
                        ) -> list[dict[str, Any]]:
    """Per issue area: its codebook group, submissions, organizations (joint members
    counted), findings and recommendations; sorted by findings, most first. Untagged findings count under
    ``(untagged)``. A finding with two issue areas counts in both.

    With ``previous`` (earlier UPR recommendations), each row also has
    ``previous_recommendations``, ``supported`` and ``noted``, and issue areas that only
    earlier recommendations concern get a row of their own."""
    rows = _count(dataset, "issue_area")
    if previous is None:
        return rows
    from .recommendations import per_theme

    pub = _publisher(dataset)
    themes: dict[str, Any] = {}
    for area, theme in per_theme(previous).items():
        themes.setdefault(pub.label(area), theme)
    for row in rows:
        t = themes.get(row["issue_area"])
        row.update(previous_recommendations=t.total if t else 0,
                   supported=t.supported if t else 0, noted=t.noted if t else 0)
    seen = {r["issue_area"] for r in rows}
    extra = sorted((t for a, t in themes.items() if a not in seen),
                   key=lambda t: (-t.total, t.issue_area))
    for t in extra:
        label = pub.label(t.issue_area)
        rows.append({"issue_area": label, "group": group_of(dataset, label),
                     "submissions": 0, "organizations": 0, "findings": 0, "recommendations": 0,
                     "previous_recommendations": t.total, "supported": t.supported,
                     "noted": t.noted})
    return rows


PREVIOUS_KEYS = ("previous_recommendations", "supported", "noted")


def gap_rows(dataset: Dataset, previous: RecommendationSet) -> list[dict[str, Any]]:
    """Issue areas civil society raises that earlier recommendations did not cover, then
    issue areas earlier recommendations covered that no submission raises."""
    from .recommendations import gaps, per_theme

    pub = _publisher(dataset)
    areas: dict[str, int] = {}
    for f in dataset.counted:
        for a in pub.areas(f.issue_areas):
            areas[a] = areas.get(a, 0) + 1
    earlier: dict[str, int] = {}
    for a, t in per_theme(previous).items():
        label = pub.label(a)
        earlier[label] = earlier.get(label, 0) + t.total
    raised, unraised = gaps(areas, earlier)
    return ([{"issue_area": a, "gap": "raised by civil society, not in earlier recommendations",
              "findings": n, "previous_recommendations": 0} for a, n in raised] +
            [{"issue_area": a, "gap": "in earlier recommendations, raised by no submission",
              "findings": 0, "previous_recommendations": n} for a, n in unraised])


def count_by_type(dataset: Dataset) -> list[dict[str, Any]]:
    """The same counts per submission type (individual, joint, nhri, other)."""
    return _count(dataset, "type")


def totals(dataset: Dataset) -> dict[str, int]:
    """Distinct totals over the whole data set (not the sum of the rows)."""
    used = {f.submission for f in dataset.counted}
    orgs = {_org_key(o) for s in dataset.submissions.values() if s.code in used
            for o in s.organizations}
    return {
        "submissions": len(used),
        "organizations": len(orgs),
        "findings": len(dataset.counted),
        "recommendations": sum(len(f.recommendations) for f in dataset.counted),
    }


def cooccurrence(dataset: Dataset, limit: int | None = None) -> list[dict[str, Any]]:
    """How many findings carry both issue areas: one dict per area, ``issue_area`` then a
    count for every area (the diagonal is the area's own number of findings). Areas are
    in the order of :func:`count_by_issue_area`, at most ``limit`` of them (those with most
    findings: the table has a cell for every pair)."""
    import pandas as pd

    order = [r["issue_area"] for r in count_by_issue_area(dataset)
             if r["issue_area"] != UNTAGGED][:MAX_CROSS_AREAS if limit is None else limit]
    if not order:
        return []
    pub = _publisher(dataset)
    shown = set(order)
    pairs = [(f.id, a) for f in dataset.counted for a in pub.areas(f.issue_areas) if a in shown]
    frame = pd.DataFrame(pairs, columns=["finding", "issue_area"])
    onehot = pd.crosstab(frame["finding"], frame["issue_area"]).clip(upper=1)
    onehot = onehot.reindex(columns=order, fill_value=0)
    matrix = onehot.T.dot(onehot).to_numpy()
    return [
        {"issue_area": area, **{other: int(n) for other, n in zip(order, matrix[i])}}
        for i, area in enumerate(order)
    ]
