"""nginx and Apache access logs in the (combined) Common Log Format, and Apache error logs."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote_plus

from shieldwall.monitor.event import Event, FieldValue, LogSource
from shieldwall.monitor.parsers.base import LogFormat
from shieldwall.monitor.parsers.timestamps import parse_clf, parse_ctime

# httpd's LogFormat "%h %l %u %t \"%r\" %>s %b \"%{Referer}i\" \"%{User-agent}i\""; nginx's
# default log_format is the same. Quoted fields may contain \" escapes (both servers escape them).
_QUOTED = r'"((?:[^"\\]|\\.)*)"'
_COMBINED = re.compile(
    rf"^(?P<ip>\S+) (?P<ident>\S+) (?P<user>\S+) \[(?P<ts>[^\]]+)\] {_QUOTED} (?P<status>\d{{3}}) "
    rf"(?P<bytes>\d+|-)(?: {_QUOTED} {_QUOTED})?"
)
_ERROR = re.compile(
    r"^\[(?P<ts>[^\]]+)\] \[(?P<level>[\w:]+)\](?: \[(?:client|pid) [^\]]*\])* (?P<msg>.*)$"
)
_FRACTION = re.compile(r"\.\d+")  # httpd 2.4 writes microseconds
_CLIENT = re.compile(r"\[client (?P<ip>[^\]:\s]+)")


def _request_fields(request: str) -> dict[str, FieldValue]:
    parts = request.split(" ")
    if len(parts) != 3:  # a malformed request line (scanners send them) keeps the whole text
        return {"url.original": request}
    method, target, protocol = parts
    path, _, query = target.partition("?")
    fields: dict[str, FieldValue] = {
        "http.request.method": method,
        "url.original": target,
        "url.path": path,
        "http.version": protocol.removeprefix("HTTP/"),
    }
    if query:
        fields["url.query"] = query
        # Attack signatures are written against decoded text; keep both forms.
        fields["url.query.decoded"] = unquote_plus(query)
    return fields


@dataclass(frozen=True, slots=True)
class CombinedLogParser:
    """Access log lines in the Common or Combined Log Format."""

    format: LogFormat = LogFormat.COMBINED

    def parse(self, line: str, source: str, lineno: int) -> Event | None:
        """The event of one access-log line, or ``None`` when it is not in that format."""
        match = _COMBINED.match(line)
        if match is None:
            return None
        fields: dict[str, FieldValue] = {
            "source.ip": match["ip"],
            "http.response.status_code": int(match["status"]),
            "event.category": "web",
        }
        if match["user"] != "-":
            fields["user.name"] = match["user"]
        if match["bytes"] != "-":
            fields["http.response.body.bytes"] = int(match["bytes"])
        fields.update(_request_fields(match[5].replace('\\"', '"')))
        if match[8] is not None:
            if match[8] != "-":
                fields["http.request.referrer"] = match[8]
            fields["user_agent.original"] = match[9]
        status = int(match["status"])
        fields["event.outcome"] = "failure" if status >= 400 else "success"
        return Event.create(
            source=source,
            line=lineno,
            raw=line,
            logsource=LogSource.of(None, (), ("webserver",)),
            fields=fields,
            timestamp=parse_clf(match["ts"]),
        )


@dataclass(frozen=True, slots=True)
class ApacheErrorParser:
    """Apache httpd error log lines (``[Sun Dec 04 04:47:44 2005] [error] ...``)."""

    format: LogFormat = LogFormat.APACHE_ERROR

    def parse(self, line: str, source: str, lineno: int) -> Event | None:
        """The event of one error-log line, or ``None`` when it is not in that format."""
        match = _ERROR.match(line)
        if match is None:
            return None
        fields: dict[str, FieldValue] = {"log.level": match["level"], "message": match["msg"]}
        client = _CLIENT.search(line)
        if client is not None:
            fields["source.ip"] = client["ip"]
        return Event.create(
            source=source,
            line=lineno,
            raw=line,
            logsource=LogSource.of("apache", ("apache", "error"), ("webserver_error",)),
            fields=fields,
            timestamp=parse_ctime(_FRACTION.sub("", match["ts"])),
        )
