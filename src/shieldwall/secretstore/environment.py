"""Environment variables as a read-only backend: path ``db/password`` reads ``DB_PASSWORD``."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from shieldwall.secretstore.errors import SecretNotFoundError, SecretStoreError
from shieldwall.secretstore.model import SecretMetadata, SecretValue


def variable_name(path: str) -> str:
    """The environment variable a path maps to: upper case, ``/ . -`` become ``_``."""
    return re.sub(r"[/.\-]", "_", path.strip("/")).upper()


@dataclass(frozen=True, slots=True)
class EnvironmentBackend:
    """Reads secrets from a mapping (``os.environ`` by default); has no versions."""

    environ: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    name: str = "env"

    def read(self, path: str, version: int | None = None) -> SecretValue:
        """The variable's value; only version 1 (or none) exists."""
        name = variable_name(path)
        if name not in self.environ or version not in (None, 1):
            raise SecretNotFoundError(f"environment variable {name} is not set")
        return SecretValue(path, 1, self.environ[name])

    def write(self, path: str, value: str) -> int:  # noqa: ARG002 - the contract's signature
        """Environment variables are read-only here."""
        raise SecretStoreError("the env backend is read-only")

    def list(self, prefix: str = "") -> list[str]:  # noqa: ARG002
        """Variables are not listed: the environment holds far more than secrets."""
        raise SecretStoreError("the env backend cannot list secrets")

    def metadata(self, path: str) -> SecretMetadata:  # noqa: ARG002
        """The env backend has no metadata."""
        raise SecretStoreError("the env backend has no versions or metadata")

    def delete(self, path: str, version: int | None = None) -> None:  # noqa: ARG002
        """Environment variables are read-only here."""
        raise SecretStoreError("the env backend is read-only")
