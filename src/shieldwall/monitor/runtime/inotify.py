"""Writes under sensitive paths, from the Linux inotify API (through ``ctypes``; no dependency).

Each configured path is watched (a directory: its entries, and the directories below it at the
time the watch starts); a write, creation, move in, deletion or attribute change becomes a
``file_event`` :class:`Event`. inotify does not say which process wrote: the profile key of these
events is the host (or the container whose root the path is under, when configured so). A
queue overflow (``IN_Q_OVERFLOW``) is reported as an event of its own, since writes were missed.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import struct
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from shieldwall.core.errors import ConfigError
from shieldwall.monitor.event import Event, FieldValue, LogSource

IN_MODIFY = 0x2
IN_ATTRIB = 0x4
IN_CLOSE_WRITE = 0x8
IN_MOVED_TO = 0x80
IN_CREATE = 0x100
IN_DELETE = 0x200
IN_Q_OVERFLOW = 0x4000
IN_ISDIR = 0x40000000
IN_NONBLOCK = 0o4000
IN_CLOEXEC = 0o2000000
_MASK = IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE
_HEADER = struct.Struct("iIII")
_ACTIONS = (
    (IN_CREATE, "created"),
    (IN_MOVED_TO, "moved_in"),
    (IN_DELETE, "deleted"),
    (IN_CLOSE_WRITE, "written"),
    (IN_MODIFY, "written"),
    (IN_ATTRIB, "attributes_changed"),
)
FILE_SOURCE = LogSource.of("linux", ("runtime",), ("file_event",))
MAX_WATCHES = 8192


def _libc() -> ctypes.CDLL:
    name = ctypes.util.find_library("c") or "libc.so.6"
    return ctypes.CDLL(name, use_errno=True)


@dataclass(slots=True)
class InotifyWatcher:
    """Watches paths; :meth:`read` returns the file events that happened since the last call."""

    paths: tuple[Path, ...]
    host: str = field(default_factory=lambda: os.uname().nodename)
    _fd: int = -1
    _watches: dict[int, Path] = field(default_factory=dict)

    def start(self) -> None:
        """Open the inotify instance and add the watches."""
        libc = _libc()
        fd = libc.inotify_init1(IN_NONBLOCK | IN_CLOEXEC)
        if fd < 0:
            raise ConfigError(f"inotify unavailable: {os.strerror(ctypes.get_errno())}")
        self._fd = fd
        for path in self.paths:
            if path.is_dir():
                for folder in [path, *(p for p in path.rglob("*") if p.is_dir())][:MAX_WATCHES]:
                    self._add(libc, folder)
            elif path.exists():
                self._add(libc, path)

    def _add(self, libc: ctypes.CDLL, path: Path) -> None:
        wd = libc.inotify_add_watch(self._fd, os.fsencode(path), _MASK)
        if wd < 0:
            return  # unreadable: skipped (the path list is a best effort)
        self._watches[wd] = path

    def read(self) -> list[Event]:
        """The events queued since the last read (never blocks)."""
        if self._fd < 0:
            return []
        try:
            data = os.read(self._fd, 1 << 16)
        except BlockingIOError:
            return []
        events: list[Event] = []
        offset = 0
        while offset + _HEADER.size <= len(data):
            wd, mask, _cookie, length = _HEADER.unpack_from(data, offset)
            raw_name = data[offset + _HEADER.size : offset + _HEADER.size + length]
            offset += _HEADER.size + length
            if mask & IN_Q_OVERFLOW:
                events.append(self._event(Path("-"), "queue_overflow"))
                continue
            base = self._watches.get(wd)
            if base is None or (mask & IN_ISDIR and not mask & (IN_CREATE | IN_DELETE)):
                continue
            name = raw_name.rstrip(b"\x00")
            path = base / os.fsdecode(name) if name else base
            action = next((a for bit, a in _ACTIONS if mask & bit), "changed")
            events.append(self._event(path, action))
        return _dedupe(events)

    def _event(self, path: Path, action: str) -> Event:
        fields: dict[str, FieldValue] = {
            "host.name": self.host,
            "file.path": str(path),
            "event.action": action,
        }
        return Event.create(
            source="runtime:inotify",
            line=0,
            raw=f"{action} {path}",
            logsource=FILE_SOURCE,
            fields=fields,
            timestamp=datetime.now(UTC),
        )

    def close(self) -> None:
        """Release the inotify instance."""
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1


def _dedupe(events: list[Event]) -> list[Event]:
    """One event per (path, action) per read: an editor's save is many MODIFYs."""
    seen: set[tuple[object, object]] = set()
    unique: list[Event] = []
    for event in events:
        key = (event.fields.get("file.path"), event.fields.get("event.action"))
        if key not in seen:
            seen.add(key)
            unique.append(event)
    return unique
