"""Runtime security: what runs, listens and writes on a host or in its containers.

:class:`ProcScanner` reads ``/proc`` (processes and their container, listening sockets),
:class:`InotifyWatcher` reports writes under sensitive paths, Falco JSON arrives through any
JSON-lines source, and :class:`RuntimeProfiler` learns a profile per container image (or host)
and alerts on a process, port or written path outside it.
"""

from __future__ import annotations

from shieldwall.monitor.runtime.inotify import InotifyWatcher
from shieldwall.monitor.runtime.procfs import ProcScanner, container_of
from shieldwall.monitor.runtime.profile import RuntimeProfiler, profile_key

__all__ = ["InotifyWatcher", "ProcScanner", "RuntimeProfiler", "container_of", "profile_key"]
