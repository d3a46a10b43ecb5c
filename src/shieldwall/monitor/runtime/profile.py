"""Runtime profiles: what each container image (or host) runs, listens on and writes.

A profile starts learning when its key is first seen and keeps learning for ``learning`` seconds
(event time); everything observed meanwhile is normal. After that, a process executable, a
listening port or a written path the profile has not seen raises one detection and joins the
profile, so it alerts once. The key is the container image (Falco reports it), else the container
id, else the host. Profiles are saved as JSON (``save``/``load``), so a restart neither forgets
what was learnt nor starts a new learning window.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from shieldwall.core.errors import ConfigError
from shieldwall.core.severity import Severity
from shieldwall.monitor.detection import Detection
from shieldwall.monitor.event import Event

RUNTIME_SERVICES = frozenset({"runtime", "falco", "auditd"})
RULES = {
    "process": ("SW-RT-001", "Process outside the runtime profile", Severity.HIGH),
    "port": ("SW-RT-002", "Listening port outside the runtime profile", Severity.HIGH),
    "path": (
        "SW-RT-003",
        "Write under a sensitive path outside the runtime profile",
        Severity.HIGH,
    ),
}
_VERSION = 1


def profile_key(event: Event) -> str:
    """The profile an event belongs to: its image, else its container, else its host."""
    image = event.fields.get("container.image.name")
    if isinstance(image, str) and image:
        return f"image:{image}"
    container = event.fields.get("container.id")
    if isinstance(container, str) and container and container != "host":
        return f"container:{container[:12]}"
    return f"host:{event.fields.get('host.name') or '-'}"


def _observations(event: Event) -> list[tuple[str, str]]:
    """(kind, value) pairs a runtime event shows: its process, and the port or path it used."""
    seen: list[tuple[str, str]] = []
    executable = event.fields.get("process.executable") or event.fields.get("process.name")
    if isinstance(executable, str) and executable:
        seen.append(("process", executable))
    port = event.fields.get("server.port")
    if event.fields.get("event.action") in ("listening", "listen", "bind") and port is not None:
        transport = event.fields.get("network.transport") or "tcp"
        seen.append(("port", f"{transport}/{port}"))
    path = event.fields.get("file.path")
    if "file_event" in event.logsource.categories and isinstance(path, str) and path != "-":
        seen.append(("path", path))
    return seen


@dataclass(slots=True)
class Profile:
    """What one key was seen doing, and since when."""

    started: float
    values: dict[str, set[str]] = field(
        default_factory=lambda: {"process": set(), "port": set(), "path": set()}
    )


@dataclass(slots=True)
class RuntimeProfiler:
    """Learns profiles and reports what falls outside them."""

    learning: float = 3600.0
    max_values: int = 10_000
    profiles: dict[str, Profile] = field(default_factory=dict)
    changed: bool = False

    def observe(self, event: Event) -> list[Detection]:
        """The detections this runtime event causes (one per new process, port or path)."""
        if not event.logsource.services & RUNTIME_SERVICES:
            return []
        return [d for kind, value in _observations(event) if (d := self._check(event, kind, value))]

    def _check(self, event: Event, kind: str, value: str) -> Detection | None:
        key = profile_key(event)
        when = (event.timestamp or datetime.now(UTC)).timestamp()
        profile = self.profiles.get(key)
        if profile is None:
            profile = self.profiles[key] = Profile(when)
            self.changed = True
        known = profile.values[kind]
        if value in known:
            return None
        if len(known) < self.max_values:
            known.add(value)
            self.changed = True
        if when - profile.started < self.learning:
            return None
        rule_id, title, severity = RULES[kind]
        return Detection(rule_id, f"{title}: {value}", severity, (event,), key)

    def save(self, path: Path) -> None:
        """Write the profiles atomically."""
        data = {
            "version": _VERSION,
            "learning": self.learning,
            "profiles": {
                key: {"started": p.started, **{k: sorted(v) for k, v in p.values.items()}}
                for key, p in self.profiles.items()
            },
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        with temporary.open("w", encoding="utf-8") as handle:
            json.dump(data, handle)
            handle.flush()
            os.fsync(handle.fileno())
        temporary.replace(path)
        self.changed = False

    @classmethod
    def load(cls, path: Path, learning: float, max_values: int = 10_000) -> RuntimeProfiler:
        """The saved profiles (none when the file does not exist yet)."""
        profiler = cls(learning, max_values)
        if not path.exists():
            return profiler
        try:
            data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
            for key, stored in data["profiles"].items():
                profile = Profile(float(stored["started"]))
                for kind in profile.values:
                    profile.values[kind] = set(stored.get(kind, []))
                profiler.profiles[key] = profile
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ConfigError(f"{path}: corrupt runtime profiles ({exc}); move it away") from exc
        return profiler
