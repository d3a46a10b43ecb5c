"""Windows event records — Winlogbeat JSON, NXLog JSON, and EVTX records — in Sigma's terms.

Sigma's Windows rules name the event's ``EventData`` fields as Windows writes them (``Image``,
``CommandLine``, ``TargetUserName``...) plus ``EventID``, ``Channel``, ``Provider_Name`` and
``Computer``; they route by the channel (``service: security`` is the Security log, ``sysmon``
Sysmon's) and, for Sysmon and Security 4688, by category (``process_creation``...). All three
inputs are reduced to (system, event data) and given those names, the category from the event id,
and ECS fields beside them. Security 4688 also gets the names Sigma's ``windows-audit`` pipeline
maps (``Image`` from ``NewProcessName``, ``ParentImage`` from ``ParentProcessName``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from shieldwall.monitor.event import Event, FieldValue, LogSource
from shieldwall.monitor.parsers.timestamps import parse_iso

# https://github.com/SigmaHQ/sigma/blob/master/documentation/logsource-guides/windows/service
_SERVICES: Mapping[str, str] = {
    "security": "security",
    "system": "system",
    "application": "application",
    "microsoft-windows-sysmon/operational": "sysmon",
    "microsoft-windows-powershell/operational": "powershell",
    "windows powershell": "powershell-classic",
    "microsoft-windows-windows defender/operational": "windefend",
    "microsoft-windows-taskscheduler/operational": "taskscheduler",
    "microsoft-windows-wmi-activity/operational": "wmi",
    "microsoft-windows-bits-client/operational": "bits-client",
    "microsoft-windows-dns-client/operational": "dns-client",
    "microsoft-windows-codeintegrity/operational": "codeintegrity-operational",
    "microsoft-windows-ntlm/operational": "ntlm",
    "microsoft-windows-printservice/admin": "printservice-admin",
    "microsoft-windows-printservice/operational": "printservice-operational",
    "microsoft-windows-smbclient/security": "smbclient-security",
    "microsoft-windows-terminalservices-localsessionmanager/operational": (
        "terminalservices-localsessionmanager"
    ),
    "microsoft-windows-windows firewall with advanced security/firewall": "firewall-as",
    "microsoft-windows-driverframeworks-usermode/operational": "driver-framework",
    "microsoft-windows-appxdeploymentserver/operational": "appxdeployment-server",
    "openssh/operational": "openssh",
}
# Sysmon event ids -> Sigma categories (Sysmon's schema; Sigma's logsource guide).
_SYSMON: Mapping[int, tuple[str, ...]] = {
    1: ("process_creation",),
    2: ("file_change",),
    3: ("network_connection",),
    5: ("process_termination",),
    6: ("driver_load",),
    7: ("image_load",),
    8: ("create_remote_thread",),
    9: ("raw_access_thread",),
    10: ("process_access",),
    11: ("file_event",),
    12: ("registry_add", "registry_delete", "registry_event"),
    13: ("registry_set", "registry_event"),
    14: ("registry_rename", "registry_event"),
    15: ("create_stream_hash",),
    17: ("pipe_created",),
    18: ("pipe_created",),
    19: ("wmi_event",),
    20: ("wmi_event",),
    21: ("wmi_event",),
    22: ("dns_query",),
    23: ("file_delete",),
    24: ("clipboard_capture",),
    25: ("process_tampering",),
    26: ("file_delete_detected",),
    27: ("file_block_executable",),
    28: ("file_block_shredding",),
    29: ("file_executable_detected",),
    4: ("sysmon_status",),
    16: ("sysmon_status",),
    255: ("sysmon_error",),
}
_POWERSHELL: Mapping[int, tuple[str, ...]] = {
    4103: ("ps_module",),
    4104: ("ps_script",),
    400: ("ps_classic_start",),
    600: ("ps_classic_provider_start",),
    800: ("ps_classic_script",),
}
_SECURITY: Mapping[int, tuple[str, ...]] = {4688: ("process_creation",)}
# NXLog im_msvistalog metadata keys; everything else at the top level is EventData.
_NXLOG_META = frozenset(
    {
        "EventTime", "Hostname", "Keywords", "EventType", "SeverityValue", "Severity",
        "EventID", "SourceName", "ProviderGuid", "Version", "Task", "OpcodeValue",
        "RecordNumber", "ActivityID", "RelatedActivityID", "ProcessID", "ThreadID", "Channel",
        "Domain", "AccountName", "UserID", "AccountType", "Category", "Opcode", "Message",
        "EventReceivedTime", "SourceModuleName", "SourceModuleType", "Qualifiers", "Level",
    }
)  # fmt: skip
_NO_VALUE = frozenset({"", "-", "::1", "127.0.0.1"})


@dataclass(frozen=True, slots=True)
class WindowsRecord:
    """One Windows event reduced to what every input has."""

    event_id: int | None
    channel: str
    provider: str
    computer: str | None
    record_id: int | None
    timestamp: datetime | None
    data: Mapping[str, Any]
    message: str | None = None


def _int(value: Any) -> int | None:
    if isinstance(value, dict):
        value = value.get("#text")
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


def _scalar(value: Any) -> FieldValue:
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, list):
        return tuple(_scalar(v) for v in value if not isinstance(v, dict | list))
    if isinstance(value, dict) and "#text" in value:
        return _scalar(value["#text"])
    return str(value)


def winlogbeat_record(record: Mapping[str, Any]) -> WindowsRecord | None:
    """A Winlogbeat document (``winlog.*``), or ``None`` when it is not one."""
    winlog = record.get("winlog")
    if not isinstance(winlog, dict) or "event_id" not in winlog:
        return None
    data: dict[str, Any] = {}
    for key in ("event_data", "user_data"):
        part = winlog.get(key)
        if isinstance(part, dict):
            data.update(part)
    stamp = record.get("@timestamp")
    message = record.get("message")
    return WindowsRecord(
        event_id=_int(winlog.get("event_id")),
        channel=str(winlog.get("channel") or ""),
        provider=str(winlog.get("provider_name") or ""),
        computer=winlog.get("computer_name"),
        record_id=_int(winlog.get("record_id")),
        timestamp=parse_iso(stamp) if isinstance(stamp, str) else None,
        data=data,
        message=message if isinstance(message, str) else None,
    )


def nxlog_record(record: Mapping[str, Any]) -> WindowsRecord | None:
    """An NXLog ``im_msvistalog`` JSON record (flat), or ``None`` when it is not one."""
    if "EventID" not in record or not ("Channel" in record or "SourceName" in record):
        return None
    stamp = record.get("EventTime")
    timestamp = parse_iso(stamp.replace(" ", "T", 1)) if isinstance(stamp, str) else None
    message = record.get("Message")
    return WindowsRecord(
        event_id=_int(record.get("EventID")),
        channel=str(record.get("Channel") or ""),
        provider=str(record.get("SourceName") or ""),
        computer=record.get("Hostname"),
        record_id=_int(record.get("RecordNumber")),
        timestamp=timestamp,
        data={k: v for k, v in record.items() if k not in _NXLOG_META},
        message=message if isinstance(message, str) else None,
    )


def evtx_record(record: Mapping[str, Any]) -> WindowsRecord | None:
    """A record as the ``evtx`` library renders EVTX XML to JSON (``{"Event": {...}}``)."""
    event = record.get("Event")
    if not isinstance(event, dict) or not isinstance(event.get("System"), dict):
        return None
    system = event["System"]
    provider = system.get("Provider") or {}
    attributes = provider.get("#attributes", {}) if isinstance(provider, dict) else {}
    created = system.get("TimeCreated") or {}
    stamp = created.get("#attributes", {}).get("SystemTime") if isinstance(created, dict) else None
    data: dict[str, Any] = {}
    for key in ("EventData", "UserData"):
        part = event.get(key)
        if isinstance(part, dict):
            if key == "UserData" and len(part) == 1:  # <UserData><LogFileCleared>...</>
                inner = next(iter(part.values()))
                part = inner if isinstance(inner, dict) else part
            data.update({k: v for k, v in part.items() if k != "#attributes"})
    return WindowsRecord(
        event_id=_int(system.get("EventID")),
        channel=str(system.get("Channel") or ""),
        provider=str(attributes.get("Name") or ""),
        computer=system.get("Computer"),
        record_id=_int(system.get("EventRecordID")),
        timestamp=parse_iso(stamp) if isinstance(stamp, str) else None,
        data=data,
    )


def windows_record(record: Mapping[str, Any]) -> WindowsRecord | None:
    """The Windows event in a decoded JSON object, whichever exporter wrote it."""
    return winlogbeat_record(record) or evtx_record(record) or nxlog_record(record)


def _logsource(rec: WindowsRecord) -> LogSource:
    channel = rec.channel.lower()
    service = _SERVICES.get(channel)
    if service is None and channel.startswith("microsoft-windows-applocker/"):
        service = "applocker"
    categories: tuple[str, ...] = ()
    if rec.event_id is not None:
        if service == "sysmon":
            categories = _SYSMON.get(rec.event_id, ())
        elif service in ("powershell", "powershell-classic"):
            categories = _POWERSHELL.get(rec.event_id, ())
        elif service == "security":
            categories = _SECURITY.get(rec.event_id, ())
    return LogSource.of("windows", (service,) if service else (), categories)


def _first(data: Mapping[str, FieldValue], *names: str) -> FieldValue:
    for name in names:
        value = data.get(name)
        if isinstance(value, str) and value not in _NO_VALUE:
            return value
    return None


def windows_fields(rec: WindowsRecord) -> tuple[LogSource, dict[str, FieldValue]]:
    """Sigma's field names and ECS fields of one record."""
    data = {str(k): _scalar(v) for k, v in rec.data.items()}
    fields: dict[str, FieldValue] = dict(data)
    fields.update(
        {
            "EventID": rec.event_id,
            "Channel": rec.channel,
            "Provider_Name": rec.provider,
            "Computer": rec.computer,
            "EventRecordID": rec.record_id,
        }
    )
    if rec.event_id == 4688 and rec.channel.lower() == "security":
        fields.setdefault("Image", data.get("NewProcessName"))
        fields.setdefault("ParentImage", data.get("ParentProcessName"))
    ecs: dict[str, FieldValue] = {
        "event.code": str(rec.event_id) if rec.event_id is not None else None,
        "event.provider": rec.provider or None,
        "winlog.channel": rec.channel or None,
        "host.name": rec.computer,
        "user.name": _first(data, "TargetUserName", "User", "SubjectUserName"),
        "source.ip": _first(data, "IpAddress", "SourceIp", "SourceAddress"),
        "process.executable": _first(fields, "Image"),
        "process.command_line": _first(data, "CommandLine"),
        "process.parent.executable": _first(fields, "ParentImage"),
        "message": rec.message,
    }
    if rec.event_id in (4625, 4771, 4776) and rec.channel.lower() == "security":
        ecs["event.outcome"] = (
            "failure"
            if rec.event_id == 4625
            or data.get("Status")
            not in (
                "0x0",
                "0",
            )
            else "success"
        )
    elif rec.event_id == 4624 and rec.channel.lower() == "security":
        ecs["event.outcome"] = "success"
    fields.update({k: v for k, v in ecs.items() if v is not None and k not in fields})
    return _logsource(rec), {k: v for k, v in fields.items() if v is not None}


def windows_event(rec: WindowsRecord, source: str, lineno: int, raw: str) -> Event:
    """The event of one Windows record."""
    logsource, fields = windows_fields(rec)
    return Event.create(
        source=source,
        line=lineno,
        raw=raw,
        logsource=logsource,
        fields=fields,
        timestamp=rec.timestamp,
    )
