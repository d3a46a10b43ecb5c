"""The progress seam: the engine reports counts; the CLI decides whether and how to show them."""

from __future__ import annotations

from typing import Protocol


class ProgressSink(Protocol):
    """Receives progress updates from the engine."""

    def advance(self, files: int, nbytes: int) -> None:
        """``files`` more files (``nbytes`` bytes) are done."""
        ...


class NoProgress:
    """A sink that shows nothing (non-TTY, tests, the hub)."""

    def advance(self, files: int, nbytes: int) -> None:
        """Ignore the update."""
