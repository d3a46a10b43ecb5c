"""JSON lines: CloudTrail records, Kubernetes audit events, Windows events (Winlogbeat, NXLog,
EVTX as JSON), Falco alerts, and any other JSON object per line.

Nested objects are flattened with dots (``userIdentity.type``), which is how Sigma rules name
nested fields; the known record types also get ECS fields and their Sigma log source.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from shieldwall.monitor.errors import LogParseError
from shieldwall.monitor.event import Event, FieldValue, LogSource
from shieldwall.monitor.parsers.base import LogFormat
from shieldwall.monitor.parsers.falco import falco_fields, is_falco
from shieldwall.monitor.parsers.timestamps import parse_iso
from shieldwall.monitor.parsers.windows import windows_fields, windows_record

_MAX_DEPTH = 16
# Built once: a LogSource per record cost its construction and, in every detector's route
# cache, an equality check.
_AWS = LogSource.of("aws", ("cloudtrail",))
_KUBERNETES = LogSource.of("kubernetes", ("audit",), ("application",))
_AUDITD = LogSource.of("linux", ("auditd",))
_UNKNOWN = LogSource()
_SCAN = json.JSONDecoder().raw_decode
_MISSING: Any = object()
_SCALARS = frozenset({str, int, float, bool})


def flatten(value: Mapping[str, Any], prefix: str = "", depth: int = 0) -> dict[str, FieldValue]:
    """Dotted keys and scalar (or tuple) values of a nested JSON object."""
    out: dict[str, FieldValue] = {}
    if prefix or depth:
        _flatten_into(out, value, prefix, depth)
        return out
    # The top level inlined: its keys are the names as they are (most of a record's fields).
    for key, item in value.items():
        kind = type(item)
        if kind is dict:
            _flatten_into(out, item, f"{key}.", 1)
        elif kind is list:
            out[key] = _list_value(item)
        else:
            out[key] = item
    return out


def _list_value(items: list[Any]) -> tuple[FieldValue, ...]:
    return tuple(x if x is None or type(x) in _SCALARS else json.dumps(x) for x in items)


def _flatten_into(
    out: dict[str, FieldValue], value: Mapping[str, Any], prefix: str, depth: int
) -> None:
    # One dict filled in place: a generator per nested object cost more than the JSON decoding.
    for key, item in value.items():
        kind = type(item)
        if kind is dict:
            if depth < _MAX_DEPTH:
                _flatten_into(out, item, f"{prefix}{key}.", depth + 1)
        elif kind is list:
            out[f"{prefix}{key}"] = _list_value(item)
        else:
            out[f"{prefix}{key}"] = item


def _cloudtrail(record: Mapping[str, Any]) -> tuple[LogSource, dict[str, FieldValue]]:
    identity = record.get("userIdentity") or {}
    user = identity.get("userName") or str(identity.get("arn") or "").rpartition("/")[2] or None
    fields: dict[str, FieldValue] = {
        "event.action": record.get("eventName"),
        "event.provider": record.get("eventSource"),
        "event.outcome": "failure" if record.get("errorCode") else "success",
        "source.ip": record.get("sourceIPAddress"),
        "user_agent.original": record.get("userAgent"),
        "cloud.provider": "aws",
        "cloud.region": record.get("awsRegion"),
        "cloud.account.id": record.get("recipientAccountId"),
        "user.name": user,
    }
    return _AWS, fields


def _kubernetes(record: Mapping[str, Any]) -> tuple[LogSource, dict[str, FieldValue]]:
    user = record.get("user") or {}
    ips = record.get("sourceIPs") or [None]
    fields: dict[str, FieldValue] = {
        "event.action": record.get("verb"),
        "user.name": user.get("username") if isinstance(user, dict) else None,
        "source.ip": ips[0] if isinstance(ips, list) and ips else None,
        "user_agent.original": record.get("userAgent"),
    }
    return _KUBERNETES, fields


def _timestamp(record: Mapping[str, Any]) -> datetime | None:
    for key in ("eventTime", "requestReceivedTimestamp", "@timestamp", "timestamp", "time"):
        value = record.get(key)
        if isinstance(value, str):
            parsed = parse_iso(value)
            if parsed is not None:
                return parsed
    return None


def record_event(record: Mapping[str, Any], source: str, lineno: int, raw: str) -> Event:
    """The event of one decoded JSON object, recognising CloudTrail and Kubernetes audit."""
    fields = flatten(record)
    if "eventSource" in record and "eventName" in record:
        logsource, ecs = _cloudtrail(record)
    elif str(record.get("apiVersion", "")).startswith("audit.k8s.io"):
        logsource, ecs = _kubernetes(record)
    elif isinstance(record.get("auditd"), dict):
        # Auditbeat's auditd module: ECS already (process.*, file.*, user.*), nested.
        logsource, ecs = _AUDITD, {}
    elif is_falco(record):
        logsource, ecs = falco_fields(record)
        fields.update(ecs)
        return Event.create(
            source=source,
            line=lineno,
            raw=raw,
            logsource=logsource,
            fields=fields,
            timestamp=_timestamp(record),
        )
    elif (windows := windows_record(record)) is not None:
        logsource, sigma = windows_fields(windows)
        fields.update(sigma)  # Sigma's Windows names win over the exporter's own keys
        return Event.create(
            source=source,
            line=lineno,
            raw=raw,
            logsource=logsource,
            fields=fields,
            timestamp=windows.timestamp or _timestamp(record),
        )
    else:
        logsource, ecs = _UNKNOWN, {}
    for name, value in ecs.items():  # the record's own keys win over the ECS names
        if value is not None and name not in fields:
            fields[name] = value
    return Event.parsed(source, lineno, raw, logsource, fields, _timestamp(record))


@dataclass(frozen=True, slots=True)
class JsonLinesParser:
    """One JSON object per line."""

    format: LogFormat = LogFormat.JSONL

    def parse(self, line: str, source: str, lineno: int) -> Event | None:
        """The event of one JSON line; ``None`` when the line is not JSON at all."""
        record: Any = _MISSING
        if line.startswith("{"):
            # The decoder's scanner directly: json.loads() adds two whitespace regex matches
            # per line. Anything unusual (trailing data, an error) takes json.loads() below,
            # so results and error messages are the same.
            try:
                record, end = _SCAN(line)
            except (json.JSONDecodeError, RecursionError):
                record = _MISSING
            else:
                if end != len(line):
                    record = _MISSING
        elif not line.lstrip().startswith("{"):
            return None
        if record is _MISSING:
            try:
                record = json.loads(line)
            except (json.JSONDecodeError, RecursionError) as exc:
                raise LogParseError(f"{source}:{lineno}: invalid JSON: {exc}") from exc
        if not isinstance(record, dict):
            return None
        return record_event(record, source, lineno, line)
