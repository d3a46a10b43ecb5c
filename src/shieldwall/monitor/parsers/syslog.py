"""Syslog lines (RFC 3164 and RFC 5424), with sshd, PAM and sudo messages given ECS meaning."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from shieldwall.monitor.event import Event, FieldValue, LogSource
from shieldwall.monitor.parsers.auth import AUTH_PROGRAMS, sshd_fields, sudo_fields
from shieldwall.monitor.parsers.base import LogFormat
from shieldwall.monitor.parsers.timestamps import parse_bsd, parse_iso

# RFC 3164 section 4.1; the program may carry a "(pam_unix)" suffix as in old Red Hat logs.
_BSD = re.compile(
    r"^(?:<(?P<pri>\d{1,3})>)?(?P<ts>[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d) (?P<host>\S+) "
    r"(?P<prog>[^\s\[:(]+)(?:\((?P<sub>[^)]*)\))?(?:\[(?P<pid>\d+)\])?: ?(?P<msg>.*)$"
)
# RFC 3164 allows a message without a TAG ("syslogd 1.4.1: restart.", "  -- root[1]: ...").
_BSD_UNTAGGED = re.compile(
    r"^(?:<(?P<pri>\d{1,3})>)?(?P<ts>[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d) (?P<host>\S+) "
    r"(?P<msg>.*)$"
)
# RFC 5424 section 6: <PRI>VERSION TIMESTAMP HOSTNAME APP-NAME PROCID MSGID SD MSG
_IETF = re.compile(
    r"^<(?P<pri>\d{1,3})>1 (?P<ts>\S+) (?P<host>\S+) (?P<prog>\S+) (?P<pid>\S+) (?P<msgid>\S+) "
    r"(?P<sd>-|(?:\[(?:[^\]\\]|\\.)*\])+) ?(?P<msg>.*)$"
)


# Caches, not state between lines: a log has few distinct (program, PAM) pairs, and its lines
# share timestamps (many per second); building a LogSource or a datetime per line cost more
# than the regular expression.
_SOURCES: dict[tuple[str, bool], LogSource] = {}
_STAMPS: dict[tuple[str, int], datetime | None] = {}
_MAX_STAMPS = 4096


def _logsource(program: str, pam: bool) -> LogSource:
    source = _SOURCES.get((program, pam))
    if source is None:
        services = {"syslog", program} - {""}
        if program in AUTH_PROGRAMS or pam:
            services.add("auth")
        source = LogSource.of("linux", tuple(sorted(services)))
        if len(_SOURCES) < _MAX_STAMPS:
            _SOURCES[(program, pam)] = source
    return source


def _bsd_time(text: str, year: int) -> datetime | None:
    try:
        return _STAMPS[(text, year)]
    except KeyError:
        pass
    if len(_STAMPS) >= _MAX_STAMPS:
        _STAMPS.clear()
    value = _STAMPS[(text, year)] = parse_bsd(text, year)
    return value


@dataclass(frozen=True, slots=True)
class SyslogParser:
    """RFC 3164 and 5424 lines; ``year`` completes RFC 3164 timestamps, which omit it."""

    year: int
    format: LogFormat = LogFormat.SYSLOG

    def parse(self, line: str, source: str, lineno: int) -> Event | None:
        """The event of one syslog line, or ``None`` when it is not syslog."""
        sub = None
        match = _BSD.match(line)
        if match is not None:
            # One groups() call, not a lookup per group: most lines take this branch.
            pri, stamp, host, program, sub, pid, msg = match.groups()
            timestamp = _bsd_time(stamp, self.year)
        elif (match := _IETF.match(line)) is not None:
            pri, stamp, host, program, pid, msg = match.group(
                "pri", "ts", "host", "prog", "pid", "msg"
            )
            timestamp = parse_iso(stamp) if stamp != "-" else None
        elif (match := _BSD_UNTAGGED.match(line)) is not None:
            pri, stamp, host, msg = match.groups()
            timestamp = _bsd_time(stamp, self.year)
            program, pid = "", None
        else:
            return None
        message = msg.removeprefix("\ufeff")  # RFC 5424 allows a BOM before MSG
        fields: dict[str, FieldValue] = {"host.name": host, "message": message}
        if program:
            fields["process.name"] = program
        if pid and pid.isdigit():
            fields["process.pid"] = int(pid)
        if pri:
            priority = int(pri)
            fields["log.syslog.facility.code"] = priority // 8
            fields["log.syslog.severity.code"] = priority % 8
        logsource = _logsource(program, "pam" in (sub or ""))
        if program == "sshd":
            fields.update(sshd_fields(message))
        elif program == "sudo":
            fields.update(sudo_fields(message) or sshd_fields(message))
        elif "auth" in logsource.services:
            fields.update(sshd_fields(message))
        return Event.parsed(source, lineno, line, logsource, fields, timestamp)
