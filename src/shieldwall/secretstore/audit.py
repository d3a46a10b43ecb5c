"""An append-only, hash-chained audit log of every secret access (JSON lines).

Each entry records who (identity), what (operation, backend, path, version), when, from where
(host and process) and an HMAC of the value under a per-log key — never the value. Each entry's
``hash`` is SHA-256 over the previous entry's hash and the entry's canonical JSON, so editing,
reordering or removing an entry breaks every later link; ``verify`` finds the first break.
"""

from __future__ import annotations

import getpass
import hashlib
import hmac
import json
import os
import socket
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from shieldwall.secretstore.errors import SecretStoreError, TamperedError
from shieldwall.secretstore.locking import locked

GENESIS = "0" * 64


class Operation(StrEnum):
    """What was done to a secret."""

    READ = "read"
    WRITE = "write"
    LIST = "list"
    METADATA = "metadata"
    DELETE = "delete"
    ROTATE = "rotate"
    INJECT = "inject"
    LEASE = "lease"  # dynamic credentials issued
    RENEW = "renew"  # a lease extended
    REVOKE = "revoke"  # a lease ended (explicitly, at `run` exit, or once expired)


class Outcome(StrEnum):
    """How the access ended."""

    OK = "ok"
    DENIED = "denied"
    NOT_FOUND = "not-found"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One verified entry of the log."""

    seq: int
    time: str
    identity: str
    operation: str
    backend: str
    path: str
    version: int | None
    client: str
    outcome: str
    value_hmac: str | None


@dataclass(frozen=True, slots=True)
class AuditReport:
    """The result of verifying a log: its entries, and the first problem if any."""

    entries: tuple[AuditEntry, ...]
    problem: str | None

    @property
    def ok(self) -> bool:
        """Whether the whole chain verified."""
        return self.problem is None


def default_identity() -> str:
    """The local user name, or ``uid:N`` when it cannot be resolved."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return f"uid:{os.getuid()}"


def default_client() -> str:
    """Where the access came from: host and process id."""
    return f"{socket.gethostname()}/pid:{os.getpid()}"


def chain_hash(prev: str, body: dict[str, Any]) -> str:
    """SHA-256 over the previous entry's hash and an entry's canonical JSON (without ``hash``)."""
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(f"{prev}\n{canonical}".encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class AuditLog:
    """The log file ``path`` and its HMAC key file ``path.key`` (created 0600 on first use)."""

    path: Path
    identity: str = ""
    client: str = ""
    _keys: dict[str, bytes] = field(default_factory=dict, repr=False, compare=False)

    def _key(self) -> bytes:
        cached = self._keys.get("key")
        if cached is not None:
            return cached
        key_path = self.path.with_name(self.path.name + ".key")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            # O_EXCL: of two processes creating the log at once, one writes the key, both use it.
            fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "wb") as handle:
                handle.write(os.urandom(32))
        key = key_path.read_bytes()
        if len(key) != 32:
            raise SecretStoreError(f"the audit key {key_path} is damaged")
        self._keys["key"] = key
        return key

    def value_hmac(self, value: str) -> str:
        """The keyed HMAC recorded in place of a value: equal values give equal HMACs."""
        return hmac.new(self._key(), value.encode("utf-8"), hashlib.sha256).hexdigest()

    def record(
        self,
        operation: Operation,
        backend: str,
        path: str,
        *,
        version: int | None = None,
        outcome: Outcome = Outcome.OK,
        value: str | None = None,
    ) -> None:
        """Append one entry, chained to the last one, under an exclusive lock."""
        with locked(self.path.with_name(self.path.name + ".lock"), exclusive=True):
            seq, prev = _tail(self.path)
            body: dict[str, Any] = {
                "seq": seq + 1,
                "time": datetime.now(UTC).isoformat(),
                "identity": self.identity or default_identity(),
                "operation": str(operation),
                "backend": backend,
                "path": path,
                "version": version,
                "client": self.client or default_client(),
                "outcome": str(outcome),
                "value_hmac": self.value_hmac(value) if value is not None else None,
                "prev": prev,
            }
            body["hash"] = chain_hash(prev, body)
            line = json.dumps(body, sort_keys=True, separators=(",", ":")) + "\n"
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            with os.fdopen(fd, "a", encoding="utf-8") as handle:
                handle.write(line)
                handle.flush()
                os.fsync(handle.fileno())

    def verify(self) -> AuditReport:
        """Check every link of the chain; the report names the first broken entry."""
        if not self.path.exists():
            return AuditReport((), None)
        entries: list[AuditEntry] = []
        prev = GENESIS
        with locked(self.path.with_name(self.path.name + ".lock"), exclusive=False):
            lines = self.path.read_bytes().split(b"\n")
        for number, raw in enumerate(lines, start=1):
            if not raw.strip():
                continue
            problem = _check_line(raw, prev, len(entries) + 1)
            if problem is not None:
                return AuditReport(tuple(entries), f"line {number}: {problem}")
            body = json.loads(raw)
            prev = body["hash"]
            entries.append(_entry(body))
        return AuditReport(tuple(entries), None)

    def raw_entries(self) -> list[dict[str, Any]]:
        """Every entry as stored (with ``prev`` and ``hash``), refusing a log that does not verify.

        This is what is shipped to the hub, which checks the chain again on its side.
        """
        report = self.verify()
        if report.problem is not None:
            raise TamperedError(f"the audit log {self.path} is tampered: {report.problem}")
        with locked(self.path.with_name(self.path.name + ".lock"), exclusive=False):
            lines = self.path.read_bytes().split(b"\n") if self.path.exists() else []
        # Entries appended after verify() are chained to verified ones: keep the verified count.
        bodies = [json.loads(raw) for raw in lines if raw.strip()]
        return bodies[: len(report.entries)]

    def entries(self) -> tuple[AuditEntry, ...]:
        """Every entry, refusing to show a log that does not verify."""
        report = self.verify()
        if report.problem is not None:
            raise TamperedError(f"the audit log {self.path} is tampered: {report.problem}")
        return report.entries


def _check_line(raw: bytes, prev: str, seq: int) -> str | None:
    try:
        body = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return "not valid JSON"
    if not isinstance(body, dict) or not isinstance(body.get("hash"), str):
        return "not an audit entry"
    if body.get("prev") != prev:
        return "does not link to the previous entry (removed or reordered entries)"
    if body.get("seq") != seq:
        return f"sequence number {body.get('seq')!r}, expected {seq}"
    claimed = body.pop("hash")
    if not hmac.compare_digest(chain_hash(prev, body), claimed):
        return "content does not match its hash (edited entry)"
    body["hash"] = claimed
    return None


def _entry(body: dict[str, Any]) -> AuditEntry:
    return AuditEntry(
        seq=int(body["seq"]),
        time=str(body.get("time", "")),
        identity=str(body.get("identity", "")),
        operation=str(body.get("operation", "")),
        backend=str(body.get("backend", "")),
        path=str(body.get("path", "")),
        version=body.get("version"),
        client=str(body.get("client", "")),
        outcome=str(body.get("outcome", "")),
        value_hmac=body.get("value_hmac"),
    )


def _tail(path: Path) -> tuple[int, str]:
    """The last entry's sequence number and hash (0 and the genesis hash for a new log)."""
    if not path.exists() or path.stat().st_size == 0:
        return 0, GENESIS
    with path.open("rb") as handle:
        size = handle.seek(0, os.SEEK_END)
        chunk = min(size, 65536)
        handle.seek(size - chunk)
        lines = [line for line in handle.read(chunk).split(b"\n") if line.strip()]
    try:
        last = json.loads(lines[-1])
        return int(last["seq"]), str(last["hash"])
    except (IndexError, ValueError, KeyError, TypeError) as exc:
        raise SecretStoreError(
            f"the audit log {path} ends in a corrupt entry; run `secrets audit --verify`"
        ) from exc
