"""The parser contract: one log line in, one normalised :class:`Event` out (or ``None``)."""

from __future__ import annotations

from enum import StrEnum
from typing import Protocol

from shieldwall.monitor.event import Event


class LogFormat(StrEnum):
    """The log formats the monitor reads; ``auto`` sniffs each file's first lines."""

    AUTO = "auto"
    SYSLOG = "syslog"
    COMBINED = "combined"
    APACHE_ERROR = "apache-error"
    JSONL = "jsonl"


class LineParser(Protocol):
    """Turns one line of one format into an event."""

    @property
    def format(self) -> LogFormat:
        """The format this parser reads."""
        ...

    def parse(self, line: str, source: str, lineno: int) -> Event | None:
        """The event of ``line``, or ``None`` when the line is not in this format."""
        ...
