"""Domain errors. Only ``cli.py`` turns them into exit codes and messages."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import Problem


class UprSummaryError(Exception):
    """Base class: something the user can fix, said in words the user understands."""

    exit_code = 1


class ConfigError(UprSummaryError):
    """The command or its settings are wrong: an option, a file an option or the project
    file names that does not exist, the project file itself, a codebook, the templates.
    Exit 2, as click's usage errors: the data was not looked at, or is not at fault."""

    exit_code = 2


class OutputError(UprSummaryError):
    """An output cannot be written."""


class OutputPathError(OutputError):
    """The output folder named in the command cannot be one (a file, ``-o /dev/null``):
    a mistake in the command, exit 2."""

    exit_code = 2


class UsageError(UprSummaryError):
    """The command asks for something it must not do (exit 2, as click's usage errors)."""

    exit_code = 2


class InvalidData(UprSummaryError):
    """The data has errors, so nothing was done (nothing counted, classified or written).

    ``problems`` holds every error found, each with its file, row, field and stable code;
    the command line prints them, then the message, and exits 1.

    >>> from upr_summary.model import Location, Problem
    >>> exc = InvalidData("1 error(s) in the data: nothing was written.",
    ...                   [Problem("missing-value", "The finding is empty.", Location("a.csv", 2))])
    >>> [p.code for p in exc.problems], exc.exit_code
    (['missing-value'], 1)
    """

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.problems: list[Problem] = list(problems or [])
