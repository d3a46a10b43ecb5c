"""A Rich progress bar with files/s, shown only on a terminal and only for scans over a second."""

from __future__ import annotations

import time
from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

SHOW_AFTER_SECONDS = 1.0


class RichProgress:
    """A ProgressSink that starts drawing once the scan has run for a second."""

    def __init__(self, console: Console, *, enabled: bool) -> None:
        self._console = console
        self._enabled = enabled and console.is_terminal
        self._started = time.monotonic()
        self._progress: Progress | None = None
        self._task: TaskID | None = None
        self._files = 0
        self._bytes = 0

    def __enter__(self) -> RichProgress:
        self._started = time.monotonic()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._progress is not None:
            self._progress.stop()

    def advance(self, files: int, nbytes: int) -> None:
        """Count finished files; start the bar once a second has passed."""
        self._files += files
        self._bytes += nbytes
        if not self._enabled:
            return
        if self._progress is None:
            if time.monotonic() - self._started < SHOW_AFTER_SECONDS:
                return
            self._progress = Progress(
                TextColumn("[bold]scanning"),
                BarColumn(bar_width=None),
                TextColumn("{task.completed} files"),
                TextColumn("{task.fields[rate]} files/s"),
                TextColumn("{task.fields[mb]} MB"),
                TimeElapsedColumn(),
                console=self._console,
                transient=True,
            )
            self._task = self._progress.add_task("scan", total=None, rate="-", mb="0")
            self._progress.start()
        if self._task is None:
            return
        elapsed = max(time.monotonic() - self._started, 1e-6)
        self._progress.update(
            self._task,
            completed=self._files,
            rate=f"{self._files / elapsed:,.0f}",
            mb=f"{self._bytes / 1e6:,.1f}",
        )
