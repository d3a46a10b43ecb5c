"""One ``kind: runtime`` source: the /proc scanner and the inotify watcher, polled together."""

from __future__ import annotations

from dataclasses import dataclass

from shieldwall.monitor.config import RuntimeSourceConfig
from shieldwall.monitor.event import Event
from shieldwall.monitor.runtime.inotify import InotifyWatcher
from shieldwall.monitor.runtime.procfs import ProcScanner


@dataclass(slots=True)
class RuntimeCollector:
    """Collects runtime events each daemon cycle."""

    scanner: ProcScanner | None
    watcher: InotifyWatcher | None

    @classmethod
    def from_config(cls, config: RuntimeSourceConfig) -> RuntimeCollector:
        """Start the watches the source names."""
        watcher = None
        if config.paths:
            watcher = InotifyWatcher(tuple(config.paths))
            watcher.start()
        return cls(ProcScanner(config.proc) if config.processes else None, watcher)

    def collect(self) -> list[Event]:
        """New processes, listening sockets and file writes since the last call."""
        events = self.scanner.scan() if self.scanner is not None else []
        if self.watcher is not None:
            events += self.watcher.read()
        return events

    def close(self) -> None:
        """Stop watching."""
        if self.watcher is not None:
            self.watcher.close()
