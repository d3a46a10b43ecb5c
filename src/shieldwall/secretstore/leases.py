"""The lease file: every set of dynamic credentials issued, until it is revoked.

A JSON file beside the store (``<store>.leases.json``), rewritten atomically under a lock, so
``secrets leases`` can list live leases and revoke expired ones after a crash of ``run``.
It holds user names and times, never passwords.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from shieldwall.secretstore.errors import TamperedError
from shieldwall.secretstore.locking import atomic_write, locked


@dataclass(frozen=True, slots=True)
class Lease:
    """Dynamic credentials: the login they created, for which role config, and until when."""

    id: str
    name: str  # the [dynamic.NAME] table it came from
    username: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None = None

    @property
    def live(self) -> bool:
        """Whether the lease has not been revoked."""
        return self.revoked_at is None

    def expired(self, now: datetime) -> bool:
        """Whether the lease is live but past its end."""
        return self.live and self.expires_at <= now


class _LeaseModel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    name: str
    username: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None = None


class _LeaseFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    format: str = "shieldwall-leases"
    version: int = 1
    leases: list[_LeaseModel] = Field(default_factory=list)


@dataclass(frozen=True, slots=True)
class LeaseFile:
    """The leases of one store."""

    path: Path

    def _lock(self) -> Path:
        return self.path.with_name(self.path.name + ".lock")

    def _read(self) -> _LeaseFile:
        if not self.path.exists():
            return _LeaseFile()
        try:
            return _LeaseFile.model_validate_json(self.path.read_bytes())
        except ValidationError:
            raise TamperedError(f"the lease file {self.path} is corrupt") from None

    def leases(self) -> list[Lease]:
        """Every lease, oldest first."""
        with locked(self._lock(), exclusive=False):
            return [Lease(**m.model_dump()) for m in self._read().leases]

    def update(self, change: Callable[[list[Lease]], list[Lease]]) -> None:
        """Read, change and write back the leases under an exclusive lock."""
        with locked(self._lock(), exclusive=True):
            leases = [Lease(**m.model_dump()) for m in self._read().leases]
            changed = change(leases)
            body = _LeaseFile(
                leases=[
                    _LeaseModel(
                        id=lease.id,
                        name=lease.name,
                        username=lease.username,
                        created_at=lease.created_at,
                        expires_at=lease.expires_at,
                        revoked_at=lease.revoked_at,
                    )
                    for lease in changed
                ]
            )
            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(self.path, body.model_dump_json(indent=1).encode())

    def add(self, lease: Lease) -> None:
        """Record a new lease."""
        self.update(lambda leases: [*leases, lease])

    def set(self, lease: Lease) -> None:
        """Replace the lease with the same id."""
        self.update(lambda leases: [lease if old.id == lease.id else old for old in leases])

    def get(self, lease_id: str) -> Lease | None:
        """The lease with this id, if any."""
        return next((lease for lease in self.leases() if lease.id == lease_id), None)


def revoked(lease: Lease, at: datetime) -> Lease:
    """The lease marked revoked at ``at``."""
    return replace(lease, revoked_at=at)
