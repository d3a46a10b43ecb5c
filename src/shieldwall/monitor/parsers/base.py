"""The parser contract: one log line in, one normalised :class:`Event` out (or ``None``)."""

from __future__ import annotations

from enum import StrEnum
from typing import Protocol, runtime_checkable

from shieldwall.monitor.event import Event


class LogFormat(StrEnum):
    """The log formats the monitor reads; ``auto`` sniffs each file's first lines."""

    AUTO = "auto"
    SYSLOG = "syslog"
    COMBINED = "combined"
    APACHE_ERROR = "apache-error"
    JSONL = "jsonl"
    AUDITD = "auditd"


class LineParser(Protocol):
    """Turns one line of one format into an event."""

    @property
    def format(self) -> LogFormat:
        """The format this parser reads."""
        ...

    def parse(self, line: str, source: str, lineno: int) -> Event | None:
        """The event of ``line``, or ``None`` when the line is not in this format."""
        ...


@runtime_checkable
class GroupingParser(LineParser, Protocol):
    """A parser whose events span several lines (auditd): lines are fed, events come out."""

    def feed(self, line: str, source: str, lineno: int) -> list[Event]:
        """Add one line; the events it completed. Raises ``LogParseError`` for a bad line."""
        ...

    def flush(self) -> list[Event]:
        """The events still open (end of input)."""
        ...
