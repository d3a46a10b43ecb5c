"""Processes and listening sockets from ``/proc`` (Linux), each new one as an :class:`Event`.

Processes: ``/proc/<pid>/exe`` (readlink), ``cmdline`` (NUL-separated), ``status`` (name, uid,
parent) and ``cgroup`` (the container id docker, containerd, CRI-O and podman put in the cgroup
path). Listening sockets: ``/proc/net/tcp{,6}`` rows in state ``0A`` (LISTEN) and bound UDP
sockets, tied to their process through the ``socket:[inode]`` links in ``/proc/<pid>/fd``.
Processes that exit between two reads, and files the collector may not read (other users'
processes without privileges), are skipped: ``/proc`` is a moving target.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from shieldwall.monitor.event import Event, FieldValue, LogSource

# .../docker-<64 hex>.scope, /docker/<64 hex>, cri-containerd-<64 hex>, crio-<64 hex>, libpod-<..>
_CONTAINER = re.compile(r"(?:docker|containerd|crio|libpod|kubepods)[-/:](?:.*[-/])?([0-9a-f]{64})")
_LISTEN = "0A"
_UDP_UNCONNECTED = "07"
PROCESS_SOURCE = LogSource.of("linux", ("runtime",), ("process_creation",))
LISTEN_SOURCE = LogSource.of("linux", ("runtime",), ("network_connection",))


def container_of(cgroup: str) -> str | None:
    """The container id in a ``/proc/<pid>/cgroup`` text, or ``None`` on the host."""
    match = _CONTAINER.search(cgroup)
    return match.group(1) if match else None


# Where container runtimes keep each container's configuration, with its image name:
# Docker's config.v2.json ("Config": {"Image": ...}) and the OCI bundles of containerd tasks,
# whose annotations carry the image for CRI ("io.kubernetes.cri.image-name") and nerdctl.
DOCKER_ROOT = Path("/var/lib/docker/containers")
CONTAINERD_ROOT = Path("/run/containerd/io.containerd.runtime.v2.task")
_IMAGE_ANNOTATIONS = (
    "io.kubernetes.cri.image-name",
    "nerdctl/image-name",
    "org.opencontainers.image.ref.name",
)


def container_image(
    container: str, docker: Path = DOCKER_ROOT, containerd: Path = CONTAINERD_ROOT
) -> str | None:
    """The image a container runs, from its runtime's configuration on this host."""
    try:
        config = json.loads((docker / container / "config.v2.json").read_text(encoding="utf-8"))
        image = config.get("Config", {}).get("Image")
        if isinstance(image, str) and image:
            return image
    except (OSError, ValueError, AttributeError):
        pass
    for bundle in containerd.glob(f"*/{container}/config.json") if containerd.is_dir() else ():
        try:
            annotations = json.loads(bundle.read_text(encoding="utf-8")).get("annotations", {})
        except (OSError, ValueError, AttributeError):
            continue
        for key in _IMAGE_ANNOTATIONS:
            if isinstance(annotations.get(key), str) and annotations[key]:
                return str(annotations[key])
    return None


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8", errors="backslashreplace")
    except OSError:  # the process exited, or we may not look
        return None


@dataclass(frozen=True, slots=True)
class ProcessInfo:
    """What the collector knows of one process."""

    pid: int
    name: str
    executable: str | None
    command_line: str
    uid: int | None
    ppid: int | None
    container: str | None


def read_process(proc: Path, pid: int) -> ProcessInfo | None:
    """One process, or ``None`` when it is gone."""
    base = proc / str(pid)
    status = _read(base / "status")
    if status is None:
        return None
    values = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
    try:
        executable: str | None = str((base / "exe").readlink())
    except OSError:
        executable = None  # kernel threads, or no permission
    try:
        raw = (base / "cmdline").read_bytes()
    except OSError:
        raw = b""
    uid_text = values.get("Uid", "").split()
    ppid_text = values.get("PPid", "").strip()
    return ProcessInfo(
        pid=pid,
        name=values.get("Name", "").strip(),
        executable=executable,
        command_line=raw.replace(b"\x00", b" ").decode("utf-8", "backslashreplace").strip(),
        uid=int(uid_text[0]) if uid_text and uid_text[0].isdigit() else None,
        ppid=int(ppid_text) if ppid_text.isdigit() else None,
        container=container_of(_read(base / "cgroup") or ""),
    )


def _sockets(proc: Path) -> Iterator[tuple[str, int, int]]:
    """(protocol, port, inode) of every listening TCP and bound, unconnected UDP socket."""
    for protocol in ("tcp", "tcp6", "udp", "udp6"):
        text = _read(proc / "net" / protocol)
        if text is None:
            continue
        wanted = _LISTEN if protocol.startswith("tcp") else _UDP_UNCONNECTED
        for row in text.splitlines()[1:]:
            cols = row.split()
            if len(cols) < 10 or cols[3] != wanted:
                continue
            port = int(cols[1].rsplit(":", 1)[1], 16)
            yield protocol.rstrip("6"), port, int(cols[9])


def _socket_owners(proc: Path, pids: list[int]) -> dict[int, int]:
    owners: dict[int, int] = {}
    for pid in pids:
        fds = proc / str(pid) / "fd"
        try:
            links = list(os.scandir(fds))
        except OSError:
            continue
        for link in links:
            try:
                target = str(Path(link.path).readlink())
            except OSError:
                continue
            if target.startswith("socket:["):
                owners[int(target[8:-1])] = pid
    return owners


@dataclass(slots=True)
class ProcScanner:
    """Reports processes and listening sockets not seen by the previous scan."""

    proc: Path = Path("/proc")
    host: str = field(default_factory=lambda: os.uname().nodename)
    docker_root: Path = DOCKER_ROOT
    containerd_root: Path = CONTAINERD_ROOT
    _images: dict[str, str | None] = field(default_factory=dict)
    _pids: set[int] = field(default_factory=set)
    _listening: set[tuple[str, int, int]] = field(default_factory=set)
    _processes: dict[int, ProcessInfo] = field(default_factory=dict)

    def _event(
        self, info: ProcessInfo, logsource: LogSource, extra: dict[str, FieldValue]
    ) -> Event:
        fields: dict[str, FieldValue] = {
            "host.name": self.host,
            "process.pid": info.pid,
            "process.name": info.name,
            "process.executable": info.executable,
            "process.command_line": info.command_line,
            "process.parent.pid": info.ppid,
            "user.id": str(info.uid) if info.uid is not None else None,
            "container.id": info.container,
            "container.image.name": self._image(info.container),
            **extra,
        }
        raw = f"pid={info.pid} exe={info.executable} cmd={info.command_line}"
        return Event.create(
            source=f"runtime:{self.proc}",
            line=info.pid,
            raw=raw + "".join(f" {k}={v}" for k, v in extra.items()),
            logsource=logsource,
            fields={k: v for k, v in fields.items() if v is not None},
            timestamp=datetime.now(UTC),
        )

    def _image(self, container: str | None) -> str | None:
        if container is None:
            return None
        if container not in self._images:  # read once per container
            self._images[container] = container_image(
                container, self.docker_root, self.containerd_root
            )
        return self._images[container]

    def scan(self) -> list[Event]:
        """New processes and new listening sockets since the last scan."""
        pids = sorted(int(p.name) for p in self.proc.iterdir() if p.name.isdigit())
        events: list[Event] = []
        current = set(pids)
        for pid in pids:
            if pid in self._pids:
                continue
            info = read_process(self.proc, pid)
            if info is None:
                current.discard(pid)
                continue
            self._processes[pid] = info
            events.append(self._event(info, PROCESS_SOURCE, {"event.action": "process_started"}))
        for gone in self._pids - current:
            self._processes.pop(gone, None)
        self._pids = current
        sockets = set(_sockets(self.proc))
        fresh = sockets - self._listening
        self._listening = sockets
        if fresh:
            owners = _socket_owners(self.proc, pids)
            for protocol, port, inode in sorted(fresh):
                owner = self._processes.get(owners.get(inode, -1))
                if owner is None:
                    continue  # a socket of a process we may not inspect
                extra: dict[str, FieldValue] = {
                    "event.action": "listening",
                    "network.transport": protocol,
                    "server.port": port,
                }
                events.append(self._event(owner, LISTEN_SOURCE, extra))
        return events
