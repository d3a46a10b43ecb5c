"""JSON lines: CloudTrail records, Kubernetes audit events, Windows events (Winlogbeat, NXLog,
EVTX as JSON), Falco alerts, and any other JSON object per line.

Nested objects are flattened with dots (``userIdentity.type``), which is how Sigma rules name
nested fields; the known record types also get ECS fields and their Sigma log source.

Where the C module ``_flatten`` was compiled at install time, lines are decoded with orjson and
flattened in C (CloudTrail records were a third of a replay's time in ``json`` and Python
loops); the results are the same as the Python path's, which stays the reference: a record that
orjson may have decoded differently (an integer beyond 64 bits becomes a float there) is decoded
again with ``json``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from shieldwall.core.frozen import FrozenDict
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

Fields = dict[str, FieldValue]
# The C flattener: (record, dumps, FrozenDict) -> a FrozenDict, or None when a float may be an
# integer beyond 64 bits that orjson turned into a float.
NativeFlatten = Callable[
    [dict[str, Any], Callable[[Any], str], type[FrozenDict[str, FieldValue]]], Fields | None
]

try:
    import orjson

    from shieldwall.monitor.parsers import _flatten
except ImportError:  # pragma: no cover - not compiled here (no C compiler at install time)
    _FAST_LOADS: Callable[[str], Any] | None = None
    _NATIVE_FLATTEN: NativeFlatten | None = None
    _NATIVE_MERGE: Callable[[Fields, Fields], None] | None = None
else:
    _FAST_LOADS = orjson.loads
    _NATIVE_FLATTEN = _flatten.flatten
    _NATIVE_MERGE = _flatten.merge_missing


def _merge_missing(fields: Fields, extra: Fields) -> None:
    """Add ``extra``'s values (not ``None``) whose names ``fields`` lacks: the record's own keys
    win over the ECS names. ``fields`` may be the C flattener's FrozenDict, filled in C."""
    if _NATIVE_MERGE is not None:
        _NATIVE_MERGE(fields, extra)
        return
    for name, value in extra.items():
        if value is not None and name not in fields:
            fields[name] = value


def _json_dumps() -> Callable[[Any], str]:
    """``json.dumps`` with its defaults, without building an encoder per call."""
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:  # pragma: no cover - an interpreter without json's C speedups
        return json.dumps
    encode = make(
        None,  # no circular check: decoded JSON has no cycles
        json.JSONEncoder().default,
        json.encoder.encode_basestring_ascii,
        None,
        ": ",
        ", ",
        False,
        False,
        True,
    )
    return lambda value: "".join(encode(value, 0))


_DUMPS = _json_dumps()


def flatten(value: Mapping[str, Any], prefix: str = "", depth: int = 0) -> dict[str, FieldValue]:
    """Dotted keys and scalar (or tuple) values of a nested JSON object.

    From the C module, a read-only FrozenDict (add fields with :func:`_merge_missing` or copy
    it); from the Python path, a dict.
    """
    if not prefix and not depth and type(value) is dict:
        fields = _native_fields(value)
        if fields is not None:
            return fields
    return python_flatten(value, prefix, depth)


def _native_fields(record: dict[str, Any]) -> Fields | None:
    """The C flattener's FrozenDict of ``record``; ``None`` where the Python path must decide:
    no C module, a key that is not a str (not from JSON), or a float that may be an integer
    beyond 64 bits (orjson's decoding of it cannot be trusted)."""
    if _NATIVE_FLATTEN is None:
        return None
    try:
        return _NATIVE_FLATTEN(record, _DUMPS, FrozenDict)
    except TypeError:
        return None


def python_flatten(
    value: Mapping[str, Any], prefix: str = "", depth: int = 0
) -> dict[str, FieldValue]:
    """:func:`flatten` in Python: the reference the C module is tested against."""
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


def record_event(
    record: Mapping[str, Any], source: str, lineno: int, raw: str, fields: Fields | None = None
) -> Event:
    """The event of one decoded JSON object, recognising CloudTrail and Kubernetes audit.

    ``fields`` is ``flatten(record)`` when the caller has it already.
    """
    if fields is None:
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
        fields = {**fields, **ecs}
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
        fields = {**fields, **sigma}  # Sigma's Windows names win over the exporter's own keys
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
    _merge_missing(fields, ecs)
    return Event.parsed(source, lineno, raw, logsource, fields, _timestamp(record))


@dataclass(frozen=True, slots=True)
class JsonLinesParser:
    """One JSON object per line."""

    format: LogFormat = LogFormat.JSONL

    def parse(self, line: str, source: str, lineno: int) -> Event | None:
        """The event of one JSON line; ``None`` when the line is not JSON at all."""
        record: Any = _MISSING
        if line.startswith("{") and _FAST_LOADS is not None and _NATIVE_FLATTEN is not None:
            # orjson where the C module is there; anything it refuses or may have decoded
            # differently (a float that may be a big integer: the flattener says None) takes
            # json.loads() below, so results and error messages are json's.
            try:
                record = _FAST_LOADS(line)
            except ValueError:
                record = _MISSING
            else:
                fields = _native_fields(record) if type(record) is dict else None
                if fields is not None:
                    return record_event(record, source, lineno, line, fields)
                record = _MISSING
        elif line.startswith("{"):
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
