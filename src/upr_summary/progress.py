"""Progress reporting without tying the core to a terminal library.

Core functions take an optional ``progress`` object and call ``with progress.stage(...)
as advance: ... advance(n)``. The default reports nothing; the command line passes a rich
progress display when stderr is a terminal (never in pipes, in CI or with --quiet).

>>> with SILENT.stage("Reading files", total=3) as advance:
...     advance(1)
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any, Protocol

Advance = Callable[..., None]


class Progress(Protocol):
    def stage(self, description: str, total: int | None = None
              ) -> contextlib.AbstractContextManager[Advance]: ...


class Silent:
    """Reports nothing."""

    @contextlib.contextmanager
    def stage(self, description: str, total: int | None = None) -> Iterator[Advance]:
        yield lambda n=1: None


SILENT = Silent()


class RichProgress:
    """Progress bars on stderr (rich); each stage's bar disappears when it is done."""

    def __init__(self) -> None:
        from rich.console import Console

        self.console = Console(stderr=True)

    @contextlib.contextmanager
    def stage(self, description: str, total: int | None = None) -> Iterator[Advance]:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
        )

        columns: list[Any] = [SpinnerColumn(), TextColumn("{task.description}")]
        if total is not None:
            columns += [BarColumn(), MofNCompleteColumn()]
        columns.append(TimeElapsedColumn())
        with Progress(*columns, console=self.console, transient=True) as bar:
            task = bar.add_task(description, total=total)
            yield lambda n=1: bar.advance(task, n)
