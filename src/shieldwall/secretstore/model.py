"""Value types shared by every secret backend, and the backend contract."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, runtime_checkable

from shieldwall.secretstore.errors import SecretConfigError

# Slash-separated segments of safe characters: a path is also a Vault URL path and a file key.
_PATH = re.compile(r"^[A-Za-z0-9_.\-]+(/[A-Za-z0-9_.\-]+)*$")


def normalise_path(path: str) -> str:
    """The canonical form of a secret path (no leading/trailing slash), or a SecretConfigError."""
    cleaned = path.strip().strip("/")
    if not _PATH.fullmatch(cleaned) or any(part in {".", ".."} for part in cleaned.split("/")):
        raise SecretConfigError(f"invalid secret path {path!r}: use segments of [A-Za-z0-9_.-]")
    return cleaned


@dataclass(frozen=True, slots=True)
class VersionInfo:
    """Metadata of one version of a secret (never the value)."""

    version: int
    created_at: datetime
    deleted_at: datetime | None = None
    destroyed: bool = False

    @property
    def live(self) -> bool:
        """Whether this version can still be read."""
        return self.deleted_at is None and not self.destroyed


@dataclass(frozen=True, slots=True)
class SecretMetadata:
    """What a backend knows about a path: its versions and its current one."""

    path: str
    current_version: int
    versions: tuple[VersionInfo, ...]
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class SecretValue:
    """A read value with the version it came from. ``repr`` hides the value."""

    path: str
    version: int
    value: str

    def __repr__(self) -> str:
        return f"SecretValue(path={self.path!r}, version={self.version}, value=<redacted>)"


@runtime_checkable
class SecretBackend(Protocol):
    """The contract of every backend: embedded store, Vault/OpenBao KV v2, environment."""

    @property
    def name(self) -> str:
        """The backend's name in references and audit entries (``store``, ``vault``, ``env``)."""
        ...

    def read(self, path: str, version: int | None = None) -> SecretValue:
        """The value of ``path`` (latest live version unless ``version`` is given)."""
        ...

    def write(self, path: str, value: str) -> int:
        """Store a new version of ``path``; returns its version number."""
        ...

    def list(self, prefix: str = "") -> list[str]:
        """Paths under ``prefix``, sorted."""
        ...

    def metadata(self, path: str) -> SecretMetadata:
        """Versions and timestamps of ``path``."""
        ...

    def delete(self, path: str, version: int | None = None) -> None:
        """Soft-delete the latest version (or ``version``); older versions stay readable."""
        ...
