"""upr-summary: turn civil-society UPR submissions into an executive summary.

The package import is light: pandas and the other heavy libraries are imported by
the functions that need them.

>>> from upr_summary import load, count_by_issue_area     # doctest: +SKIP
>>> data = load(["data/submissions"])                      # doctest: +SKIP
>>> count_by_issue_area(data)[0]["issue_area"]             # doctest: +SKIP
'Housing'
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "load",
    "load_config",
    "validate",
    "count_by_issue_area",
    "count_by_type",
    "cooccurrence",
]


def __getattr__(name: str) -> Any:
    # Lazy re-exports keep `import upr_summary` (and so `upr-summary --help`) fast.
    if name in ("load",):
        from .load import load

        return load
    if name == "load_config":
        from .config import load_config

        return load_config
    if name == "validate":
        from .checks import check

        return check
    if name in ("count_by_issue_area", "count_by_type", "cooccurrence"):
        from . import stats

        return getattr(stats, name)
    raise AttributeError(f"module 'upr_summary' has no attribute {name!r}")
