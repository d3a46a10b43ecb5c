"""Rotators: make a new value, apply it where it is used, then store it as a new version.

``RandomRotator`` only generates. ``PostgresRotator`` changes a role's password inside a
transaction, stores the new version, and only then commits: if storing fails, the password change
is rolled back; if the commit fails, the new version is soft-deleted again.
"""

from __future__ import annotations

import secrets
import string
from dataclasses import dataclass
from typing import Protocol

from shieldwall.secretstore.errors import BackendUnavailableError, SecretStoreError
from shieldwall.secretstore.model import SecretBackend

# URL- and shell-safe, so a rotated value also survives connection strings unquoted.
ALPHABET = string.ascii_letters + string.digits + "-_"


def random_value(length: int = 32) -> str:
    """A random value from ``ALPHABET`` (``secrets`` CSPRNG); 32 characters give ~190 bits."""
    if length < 16:
        raise SecretStoreError("rotated values must be at least 16 characters")
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


class Rotator(Protocol):
    """Rotates one secret in a backend; returns the new version number."""

    def rotate(self, backend: SecretBackend, path: str) -> int:
        """Generate, apply and store a new value for ``path``."""
        ...


@dataclass(frozen=True, slots=True)
class RandomRotator:
    """A new random value, nothing applied elsewhere."""

    length: int = 32

    def rotate(self, backend: SecretBackend, path: str) -> int:
        """Store a fresh random value as the next version."""
        return backend.write(path, random_value(self.length))


@dataclass(frozen=True, slots=True)
class PostgresRotator:
    """``ALTER ROLE <role> PASSWORD ...`` on a server reached with an admin connection string."""

    conninfo: str
    role: str
    length: int = 32
    connect_timeout: int = 10

    def __repr__(self) -> str:
        return f"PostgresRotator(role={self.role!r}, conninfo=<redacted>)"

    def rotate(self, backend: SecretBackend, path: str) -> int:
        """Change the password and store it; the two succeed or fail together."""
        # psycopg is imported here: only this rotator needs it, and it is slow to import.
        import psycopg
        from psycopg import sql

        value = random_value(self.length)
        # ALTER ROLE takes no bind parameters: sql.Literal quotes the value, Identifier the role.
        statement = sql.SQL("ALTER ROLE {} WITH PASSWORD {}").format(
            sql.Identifier(self.role), sql.Literal(value)
        )
        try:
            connection = psycopg.connect(self.conninfo, connect_timeout=self.connect_timeout)
        except psycopg.Error as exc:
            raise BackendUnavailableError(
                f"cannot connect to PostgreSQL to rotate {path!r}: {type(exc).__name__}"
            ) from None
        with connection:
            try:
                connection.execute(statement)
            except psycopg.Error as exc:
                connection.rollback()
                # The statement contains the new password: never repeat the server's message.
                raise SecretStoreError(
                    f"PostgreSQL refused the password change of role {self.role!r}: "
                    f"{type(exc).__name__}"
                ) from None
            version = backend.write(path, value)  # raising here rolls the ALTER back
            try:
                connection.commit()
            except psycopg.Error:
                backend.delete(path, version)
                raise SecretStoreError(f"commit of the rotation of {path!r} failed") from None
        return version
