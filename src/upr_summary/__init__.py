"""upr-summary: turn civil-society UPR submissions into an executive summary.

The library's API is small: a :class:`Project` (submissions files and their project file)
with ``load()``, ``check()``, ``stats()``, ``summary()`` and ``build()``; invalid data
raises :class:`InvalidData`, which carries every problem; every error the user can fix is
an :class:`UprSummaryError`. It needs no command-line library, and importing it is light:
pandas, python-docx, matplotlib and scikit-learn are imported by the methods that use them.

>>> import upr_summary as u
>>> project = u.Project(["data/submissions"])        # reads data/upr-summary.yaml
>>> project.stats()[0]["issue_area"]
'Migrants'
"""

from __future__ import annotations

__version__ = "0.1.0"

from .config import Config, load_config
from .errors import ConfigError, InvalidData, UprSummaryError
from .project import Counts, Project

__all__ = [
    "__version__",
    "Project",
    "Counts",
    "InvalidData",
    "UprSummaryError",
    "ConfigError",
    "Config",
    "load_config",
]
