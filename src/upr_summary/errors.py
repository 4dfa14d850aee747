"""Domain errors. Only ``cli.py`` turns them into exit codes and messages."""

from __future__ import annotations


class UprSummaryError(Exception):
    """Base class: something the user can fix, said in words the user understands."""

    exit_code = 1


class ConfigError(UprSummaryError):
    """The project file (upr-summary.yaml) or an option is wrong."""


class OutputError(UprSummaryError):
    """An output cannot be written."""


class UsageError(UprSummaryError):
    """The command asks for something it must not do (exit 2, as click's usage errors)."""

    exit_code = 2
