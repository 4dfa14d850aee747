"""The "at a glance" chart: findings, submissions and organizations per issue area as
horizontal bars, the issue area with most findings first (matplotlib, imported only here).

The figure is at most half an A4 page high (12 cm): beyond
:data:`~upr_summary.limits.MAX_CHART_AREAS` issue areas, the chart draws those with most
findings and says how many more the table in the annex lists.

>>> png = render_chart([{"issue_area": "Housing", "findings": 3, "submissions": 2,
...                      "organizations": 2}])
>>> png[:8] == b"\\x89PNG\\r\\n\\x1a\\n"
True
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from ..limits import MAX_CHART_AREAS

#: The three series: the key of the counts, and the colour. Their names come from the
#: templates (the front matter's ``chart-findings`` ...).
SERIES = (("findings", "#1f4e79"), ("submissions", "#5b9bd5"), ("organizations", "#f4b183"))
#: Page-width figure: 16 cm wide.
WIDTH_IN = 6.3


#: Inches of height per issue area: 25 areas take about half an A4 page (12 cm).
ROW_IN = 0.15
#: The chart's greatest height: half an A4 page's text (12 cm); more areas, thinner bars.
MAX_HEIGHT_IN = 4.1


def shown(rows: Sequence[dict[str, Any]], limit: int = MAX_CHART_AREAS
          ) -> tuple[list[dict[str, Any]], int]:
    """The rows the chart draws, most findings first (then most organizations, then in
    the order given), at most ``limit``, and how many it leaves out.

    >>> rows = [{"issue_area": str(i), "findings": i % 3} for i in range(5)]
    >>> [r["issue_area"] for r in shown(rows, 3)[0]], shown(rows, 3)[1]
    (['2', '1', '4'], 2)
    """
    order = sorted(range(len(rows)), key=lambda i: (-int(rows[i]["findings"]),
                                                    -int(rows[i].get("organizations", 0)), i))
    return [rows[i] for i in order[:limit]], max(len(rows) - limit, 0)


def render_chart(rows: Sequence[dict[str, Any]], names: dict[str, str] | None = None,
                 dpi: int = 200) -> bytes:
    """A PNG of the counts, one group of bars per issue area, top to bottom as given (at
    most :data:`MAX_CHART_AREAS` of them). ``names``: the legend's names of the series
    (keys findings, submissions, organizations) and ``more``, the line under a chart that
    leaves issue areas out, as the templates word them."""
    names = names or {}
    import matplotlib

    matplotlib.use("Agg", force=True)
    from matplotlib.figure import Figure

    rows, left_out = shown(rows)
    n = max(len(rows), 1)
    labels = [str(r["issue_area"]) for r in rows]
    labels = [label if len(label) <= 34 else label[:33] + "…" for label in labels]
    height = min(0.9 + ROW_IN * n + (0.3 if left_out else 0), MAX_HEIGHT_IN)
    fig = Figure(figsize=(WIDTH_IN, height))
    ax = fig.add_subplot()
    bar = 0.26
    for k, (key, colour) in enumerate(SERIES):
        positions = [i + (k - 1) * bar for i in range(len(rows))]
        values = [int(r[key]) for r in rows]
        ax.barh(positions, values, height=bar, label=names.get(key, key), color=colour)
    ax.set_yticks(range(len(rows)), labels, fontsize=7 if n <= 30 else 6)
    ax.invert_yaxis()
    ax.tick_params(axis="x", labelsize=8)
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.legend(fontsize=8, loc="lower right", frameon=False)
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    if left_out:
        fig.text(0.01, 0.005, names.get("more", f"+{left_out:,}"), fontsize=8, ha="left",
                 va="bottom")
        fig.tight_layout(rect=(0, 0.3 / height, 1, 1))
    else:
        fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=dpi, metadata={"Software": None})
    return out.getvalue()
