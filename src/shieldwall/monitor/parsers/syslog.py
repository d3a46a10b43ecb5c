"""Syslog lines (RFC 3164 and RFC 5424), with sshd, PAM and sudo messages given ECS meaning."""

from __future__ import annotations

import re
from dataclasses import dataclass

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


@dataclass(frozen=True, slots=True)
class SyslogParser:
    """RFC 3164 and 5424 lines; ``year`` completes RFC 3164 timestamps, which omit it."""

    year: int
    format: LogFormat = LogFormat.SYSLOG

    def parse(self, line: str, source: str, lineno: int) -> Event | None:
        """The event of one syslog line, or ``None`` when it is not syslog."""
        match = _IETF.match(line)
        if match is not None:
            timestamp = parse_iso(match["ts"]) if match["ts"] != "-" else None
        else:
            match = _BSD.match(line) or _BSD_UNTAGGED.match(line)
            if match is None:
                return None
            timestamp = parse_bsd(match["ts"], self.year)
        program: str = match.groupdict().get("prog") or ""
        message = match["msg"].removeprefix("\ufeff")  # RFC 5424 allows a BOM before MSG
        fields: dict[str, FieldValue] = {"host.name": match["host"], "message": message}
        if program:
            fields["process.name"] = program
        pid = match.groupdict().get("pid")
        if pid and pid.isdigit():
            fields["process.pid"] = int(match["pid"])
        if match["pri"]:
            priority = int(match["pri"])
            fields["log.syslog.facility.code"] = priority // 8
            fields["log.syslog.severity.code"] = priority % 8
        services = {"syslog", program} - {""}
        if program in AUTH_PROGRAMS or "pam" in (match.groupdict().get("sub") or ""):
            services.add("auth")
        if program == "sshd":
            fields.update(sshd_fields(message))
        elif program == "sudo":
            fields.update(sudo_fields(message) or sshd_fields(message))
        elif "auth" in services:
            fields.update(sshd_fields(message))
        return Event.create(
            source=source,
            line=lineno,
            raw=line,
            logsource=LogSource.of("linux", tuple(sorted(services))),
            fields=fields,
            timestamp=timestamp,
        )
