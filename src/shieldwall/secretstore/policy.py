"""Path policies: which identities may do which operations on which secret paths.

::

    # secrets.policy.toml, beside the store
    [[allow]]
    identity = "ci-*"                # fnmatch glob on the identity (default "*")
    paths = ["app/*", "shared/*"]    # fnmatch globs on secret paths
    operations = ["read", "list"]    # read (also covers `run` injection), write, list,
                                     # metadata, delete, rotate

    [[rotate]]                       # age reminders: `secrets due` lists what is overdue
    paths = ["db/*"]
    max_age_days = 90

Without a policy file everything is allowed (a single-user store). With one, everything not
allowed by some rule is denied. On a local file this guards against mistakes, not against a user
who holds the passphrase and can edit the file; the hub enforces policies server-side.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import datetime
from fnmatch import fnmatchcase
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from shieldwall.secretstore.audit import Operation
from shieldwall.secretstore.errors import AccessDeniedError, SecretConfigError
from shieldwall.secretstore.model import SecretBackend, SecretMetadata, SecretValue


class AllowRule(BaseModel):
    """One ``[[allow]]`` table."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    identity: str = "*"
    paths: tuple[str, ...]
    operations: tuple[Operation, ...]


class RotateRule(BaseModel):
    """One ``[[rotate]]`` table: secrets under ``paths`` should be rotated every N days."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    paths: tuple[str, ...]
    max_age_days: int = Field(ge=1)


class PolicyFile(BaseModel):
    """The whole policy file."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    allow: tuple[AllowRule, ...] = Field(default=())
    rotate: tuple[RotateRule, ...] = Field(default=())


@dataclass(frozen=True, slots=True)
class PathPolicy:
    """The rules of a policy file; ``None`` rules mean no file, so everything is allowed."""

    rules: tuple[AllowRule, ...] | None
    rotation: tuple[RotateRule, ...] = ()

    @classmethod
    def load(cls, path: Path) -> PathPolicy:
        """Read ``path``; a missing file allows everything, a bad one is a SecretConfigError."""
        if not path.exists():
            return cls(None)
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
            parsed = PolicyFile.model_validate(data)
            # A file with only [[rotate]] tables restricts nobody; an empty one, everybody.
            only_rotation = "allow" not in data and "rotate" in data
            return cls(None if only_rotation else parsed.allow, parsed.rotate)
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise SecretConfigError(f"cannot read the policy file {path}: {exc}") from exc
        except ValidationError as exc:
            raise SecretConfigError(f"invalid policy file {path}: {exc}") from None

    def allows(self, identity: str, operation: Operation, path: str) -> bool:
        """Whether some rule lets ``identity`` do ``operation`` on ``path``."""
        if self.rules is None:
            return True
        wanted = Operation.READ if operation is Operation.INJECT else operation
        return any(
            wanted in rule.operations
            and fnmatchcase(identity, rule.identity)
            and any(fnmatchcase(path, pattern) for pattern in rule.paths)
            for rule in self.rules
        )

    def max_age(self, path: str) -> int | None:
        """The shortest ``max_age_days`` of the ``[[rotate]]`` rules matching ``path``."""
        ages = [
            rule.max_age_days
            for rule in self.rotation
            if any(fnmatchcase(path, pattern) for pattern in rule.paths)
        ]
        return min(ages) if ages else None


@dataclass(frozen=True, slots=True)
class Overdue:
    """A secret whose current version is older than its rotation policy allows."""

    path: str
    age_days: int
    max_age_days: int


def overdue(backend: SecretBackend, policy: PathPolicy, now: datetime) -> list[Overdue]:
    """Every listed secret of ``backend`` whose current version is past its ``max_age_days``."""
    found = []
    for path in backend.list():
        limit = policy.max_age(path)
        if limit is None:
            continue
        meta = backend.metadata(path)
        current = [v for v in meta.versions if v.version == meta.current_version]
        created = current[0].created_at if current else meta.updated_at
        age = (now - created).days
        if age >= limit:
            found.append(Overdue(path, age, limit))
    return found


@dataclass(frozen=True, slots=True)
class PolicyBackend:
    """Checks every operation against a :class:`PathPolicy` before delegating."""

    inner: SecretBackend
    policy: PathPolicy
    identity: str
    read_operation: Operation = Operation.READ

    @property
    def name(self) -> str:
        """The wrapped backend's name."""
        return self.inner.name

    def _check(self, operation: Operation, path: str) -> None:
        if not self.policy.allows(self.identity, operation, path.strip("/")):
            raise AccessDeniedError(f"{self.identity!r} may not {operation} {path!r} (policy)")

    def read(self, path: str, version: int | None = None) -> SecretValue:
        """Read, if allowed."""
        self._check(self.read_operation, path)
        return self.inner.read(path, version)

    def write(self, path: str, value: str) -> int:
        """Write (or rotate, when rotating), if allowed."""
        rotating = self.read_operation is Operation.ROTATE
        self._check(Operation.ROTATE if rotating else Operation.WRITE, path)
        return self.inner.write(path, value)

    def list(self, prefix: str = "") -> list[str]:
        """The paths under ``prefix`` this identity may list."""
        return [
            p
            for p in self.inner.list(prefix)
            if self.policy.allows(self.identity, Operation.LIST, p)
        ]

    def metadata(self, path: str) -> SecretMetadata:
        """Metadata, if allowed."""
        self._check(Operation.METADATA, path)
        return self.inner.metadata(path)

    def delete(self, path: str, version: int | None = None) -> None:
        """Soft-delete, if allowed."""
        self._check(Operation.DELETE, path)
        self.inner.delete(path, version)
