"""Falco's JSON output (``json_output: true``): runtime events with their container.

Falco writes one object per alert with ``rule``, ``priority``, ``time`` and ``output_fields``
(``proc.exepath``, ``proc.cmdline``, ``container.id``, ``container.image.repository``, ``fd.name``,
``evt.type``...). They become ECS fields and the ``linux``/``falco`` log source with a category
from the syscall, so the runtime profiler learns from them like from the ``/proc`` collector.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from shieldwall.monitor.event import FieldValue, LogSource

_FILE_CALLS = frozenset(
    [
        "open",
        "openat",
        "openat2",
        "creat",
        "rename",
        "renameat",
        "renameat2",
        "unlink",
        "unlinkat",
        "mkdir",
        "mkdirat",
        "chmod",
        "fchmodat",
        "write",
    ]
)
_LISTEN_CALLS = frozenset({"listen", "bind"})


def is_falco(record: Mapping[str, Any]) -> bool:
    """Whether a JSON object is a Falco alert."""
    return isinstance(record.get("output_fields"), dict) and "rule" in record


def falco_fields(record: Mapping[str, Any]) -> tuple[LogSource, dict[str, FieldValue]]:
    """ECS fields and log source of one Falco alert."""
    out: Mapping[str, Any] = record["output_fields"]
    call = str(out.get("evt.type") or "")
    image = out.get("container.image.repository")
    tag = out.get("container.image.tag")
    fields: dict[str, FieldValue] = {
        "rule.name": record.get("rule"),
        "event.severity_name": record.get("priority"),
        "event.action": call or None,
        "process.executable": out.get("proc.exepath") or out.get("proc.exe"),
        "process.name": out.get("proc.name"),
        "process.command_line": out.get("proc.cmdline"),
        "process.pid": out.get("proc.pid"),
        "user.name": out.get("user.name"),
        "container.id": out.get("container.id"),
        "container.name": out.get("container.name"),
        "container.image.name": f"{image}:{tag}" if image and tag else image,
        "host.name": record.get("hostname"),
    }
    category = "process_creation"
    if call in _FILE_CALLS and out.get("fd.name"):
        category = "file_event"
        fields["file.path"] = out.get("fd.name")
    elif call in _LISTEN_CALLS:
        category = "network_connection"
        port = out.get("fd.sport") or out.get("fd.lport")
        fields["server.port"] = (
            int(port) if isinstance(port, int | str) and str(port).isdigit() else None
        )
        fields["network.transport"] = out.get("fd.l4proto") or "tcp"
        fields["event.action"] = "listening"
    return LogSource.of("linux", ("falco", "runtime"), (category,)), {
        k: v for k, v in fields.items() if v is not None
    }
