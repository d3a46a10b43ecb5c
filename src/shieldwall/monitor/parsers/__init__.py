"""Line parsers for each supported log format, and the sniffing that picks one per file."""

from __future__ import annotations

from shieldwall.monitor.parsers.access import ApacheErrorParser, CombinedLogParser
from shieldwall.monitor.parsers.auditd import AuditdParser
from shieldwall.monitor.parsers.base import GroupingParser, LineParser, LogFormat
from shieldwall.monitor.parsers.jsonl import JsonLinesParser
from shieldwall.monitor.parsers.syslog import SyslogParser

__all__ = [
    "ApacheErrorParser",
    "AuditdParser",
    "CombinedLogParser",
    "GroupingParser",
    "JsonLinesParser",
    "LineParser",
    "LogFormat",
    "SyslogParser",
    "parser_for",
]


def parser_for(log_format: LogFormat, year: int) -> LineParser:
    """The parser of one concrete format (not ``auto``)."""
    match log_format:
        case LogFormat.SYSLOG:
            return SyslogParser(year)
        case LogFormat.COMBINED:
            return CombinedLogParser()
        case LogFormat.APACHE_ERROR:
            return ApacheErrorParser()
        case LogFormat.JSONL:
            return JsonLinesParser()
        case LogFormat.AUDITD:
            return AuditdParser()
        case LogFormat.AUTO:
            raise ValueError("auto is resolved by sniffing, not a parser")
