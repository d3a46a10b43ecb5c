"""Linux audit logs (``/var/log/audit/audit.log``): records grouped into events by serial.

One audit event is several records sharing ``msg=audit(<time>:<serial>)`` (SYSCALL, EXECVE,
CWD, PATH, PROCTITLE..., ended by EOE). :class:`AuditdParser` groups consecutive records of one
serial into one event. Each record's ``key=value`` pairs become fields; when two records use the
same key, the record a Sigma rule most likely means wins (EXECVE's ``a0`` is the program, not
SYSCALL's first register), and every record's pairs are also kept as ``auditd.<TYPE>.<key>``.
``type`` holds every record type of the event, so ``type: EXECVE`` matches.

auditd hex-encodes untrusted strings that contain spaces, quotes or control characters
(``auparse``'s "encoded" fields): such values are decoded; PROCTITLE's NUL separators become
spaces. Interleaved records of concurrent events may split an event in two (auditd writes
events whole, so this is rare).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from shieldwall.monitor.errors import LogParseError
from shieldwall.monitor.event import Event, FieldValue, LogSource
from shieldwall.monitor.parsers.base import LogFormat

_RECORD = re.compile(
    r"^(?:node=(?P<node>\S+) )?type=(?P<type>[A-Z0-9_]+) "
    r"msg=audit\((?P<secs>\d+)\.(?P<ms>\d+):(?P<serial>\d+)\):\s?(?P<rest>.*)$"
)
_PAIR = re.compile(r"""(?P<key>[A-Za-z0-9_\-]+)=(?P<value>"[^"]*"|'[^']*'|\S*)""")
_HEX = re.compile(r"^(?:[0-9A-F]{2})+$")
# Fields auditd may hex-encode (auparse's encoded fields); EXECVE's a<n> are added per record.
_ENCODED = frozenset(
    {"name", "cwd", "exe", "comm", "proctitle", "cmd", "acct", "path", "data", "old", "new", "key"}
)
# The record whose value wins when several records carry the same key.
_PRECEDENCE = ("EXECVE", "USER_CMD", "SYSCALL", "CWD", "PATH", "PROCTITLE")
_LOGSOURCE = LogSource.of("linux", ("auditd",))


def _decode(key: str, value: str, record_type: str) -> str:
    if value.startswith(("'", '"')):
        return value[1:-1]
    encoded = key in _ENCODED or (record_type == "EXECVE" and key[:1] == "a" and key[1:].isdigit())
    if encoded and _HEX.match(value):
        text = bytes.fromhex(value).decode("utf-8", errors="backslashreplace")
        return text.replace("\x00", " ").strip() if key == "proctitle" else text
    return value


def _pairs(text: str, record_type: str) -> dict[str, str]:
    pairs: dict[str, str] = {}
    for match in _PAIR.finditer(text):
        key, raw = match["key"], match["value"]
        if key == "msg" and raw.startswith("'"):
            pairs.update(_pairs(raw[1:-1], record_type))  # USER_* records nest their fields
            continue
        pairs[key] = _decode(key, raw, record_type)
    return pairs


@dataclass(slots=True)
class _Group:
    serial: str
    when: datetime
    source: str
    line: int
    node: str | None
    records: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    raw: list[str] = field(default_factory=list)


def _number(value: str | None) -> int | None:
    return int(value) if value is not None and value.lstrip("-").isdigit() else None


def _event(group: _Group) -> Event:
    ordered = sorted(
        group.records,
        key=lambda r: _PRECEDENCE.index(r[0]) if r[0] in _PRECEDENCE else len(_PRECEDENCE),
    )
    fields: dict[str, FieldValue] = {}
    for record_type in dict.fromkeys(t for t, _ in ordered):
        same = [p for t, p in group.records if t == record_type]
        for key in dict.fromkeys(k for p in same for k in p):
            if key in fields:
                continue
            values = tuple(p[key] for p in same if key in p)
            # Several PATH records (parent folder, then file): a rule on ``name`` sees them all.
            fields[key] = values[0] if len(values) == 1 else values
    for record_type, pairs in group.records:
        for key, value in pairs.items():
            name = f"auditd.{record_type}.{key}"
            previous = fields.get(name)
            if previous is None:
                fields[name] = value
            else:  # several PATH records: keep them all
                fields[name] = (
                    (*previous, value) if isinstance(previous, tuple) else (previous, value)
                )
    types = tuple(dict.fromkeys(t for t, _ in group.records))
    fields["type"] = types[0] if len(types) == 1 else types
    fields["auditd.serial"] = int(group.serial)
    execve = next((p for t, p in group.records if t == "EXECVE"), None)
    argv = [execve[f"a{i}"] for i in range(len(execve)) if f"a{i}" in execve] if execve else []
    proctitle = next((p.get("proctitle") for t, p in group.records if t == "PROCTITLE"), None)
    ecs: dict[str, FieldValue] = {
        "event.action": str(fields.get("syscall") or group.records[0][0]).lower(),
        "process.executable": fields.get("exe"),
        "process.name": fields.get("comm"),
        "process.pid": _number(group.records[0][1].get("pid")),
        "process.parent.pid": _number(group.records[0][1].get("ppid")),
        "process.command_line": " ".join(argv) if argv else proctitle,
        "user.id": fields.get("uid"),
        "user.audit.id": fields.get("auid"),
        "host.name": group.node,
        "source.ip": fields.get("addr") if fields.get("addr") not in (None, "?") else None,
        "file.path": fields.get("name"),
        "tags": fields.get("key") if fields.get("key") not in (None, "(null)") else None,
    }
    success = fields.get("success") or fields.get("res")
    if success in ("yes", "success"):
        ecs["event.outcome"] = "success"
    elif success in ("no", "failed"):
        ecs["event.outcome"] = "failure"
    fields.update({k: v for k, v in ecs.items() if v is not None and k not in fields})
    return Event.create(
        source=group.source,
        line=group.line,
        raw="\n".join(group.raw),
        logsource=_LOGSOURCE,
        fields=fields,
        timestamp=group.when,
    )


@dataclass(slots=True)
class AuditdParser:
    """Groups audit records into events; :meth:`parse` alone reads one record (for sniffing)."""

    format: LogFormat = LogFormat.AUDITD
    _open: _Group | None = None

    def _record(self, line: str, source: str, lineno: int) -> tuple[_Group, str, dict[str, str]]:
        match = _RECORD.match(line)
        if match is None:
            raise LogParseError(f"{source}:{lineno}: not an audit record")
        when = datetime.fromtimestamp(int(match["secs"]) + int(match["ms"]) / 1000, tz=UTC)
        group = _Group(match["serial"], when, source, lineno, match["node"])
        return group, match["type"], _pairs(match["rest"], match["type"])

    def parse(self, line: str, source: str, lineno: int) -> Event | None:
        """One record as an event (no grouping); ``None`` when the line is not a record."""
        if not line.startswith(("type=", "node=")):
            return None
        group, record_type, pairs = self._record(line, source, lineno)
        group.records.append((record_type, pairs))
        group.raw.append(line)
        return _event(group)

    def feed(self, line: str, source: str, lineno: int) -> list[Event]:
        """Add one record; the events it completed (the previous serial's, or its own at EOE)."""
        if not line.startswith(("type=", "node=")):
            raise LogParseError(f"{source}:{lineno}: not an audit record")
        group, record_type, pairs = self._record(line, source, lineno)
        done: list[Event] = []
        current = self._open
        if current is not None and (current.serial != group.serial or current.source != source):
            done.append(_event(current))
            current = None
        if record_type == "EOE":
            if current is not None:
                done.append(_event(current))
            self._open = None
            return done
        if current is None:
            current = group
        current.records.append((record_type, pairs))
        current.raw.append(line)
        self._open = current
        return done

    def flush(self) -> list[Event]:
        """The event still being grouped (end of input or of a poll)."""
        current, self._open = self._open, None
        return [_event(current)] if current is not None else []
