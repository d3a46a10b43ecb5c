"""Dynamic database credentials: a PostgreSQL login made for one run, with a lease.

``issue`` creates a role ``sw_<name>_<random>`` with a random password, ``VALID UNTIL`` the
lease's end (so PostgreSQL itself refuses the password once the lease is over, even if nobody
revokes it) and membership of the configured roles (the grants live there, not here). ``renew``
moves ``VALID UNTIL`` forward, never past ``max_ttl`` from creation. ``revoke`` ends the role's
sessions and drops it. Every step is recorded in the lease file and the audit log (with an HMAC
of the password, so a leaked copy can be matched to its lease); statements carrying a password
are never repeated in errors.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from shieldwall.secretstore.audit import AuditLog, Operation, Outcome
from shieldwall.secretstore.errors import (
    BackendUnavailableError,
    SecretConfigError,
    SecretNotFoundError,
    SecretStoreError,
)
from shieldwall.secretstore.leases import Lease, LeaseFile, revoked
from shieldwall.secretstore.rotation import random_value

BACKEND = "postgres"
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,30}$")


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class PostgresDynamicRole:
    """How to make logins for one ``[dynamic.NAME]`` table: admin connection, roles, TTLs."""

    name: str
    conninfo: str  # an admin (CREATEROLE) connection string, from the environment
    member_of: tuple[str, ...] = ()
    ttl: timedelta = timedelta(hours=1)
    max_ttl: timedelta = timedelta(hours=24)
    connect_timeout: int = 10

    def __post_init__(self) -> None:
        if not _NAME.fullmatch(self.name):
            raise SecretConfigError(
                f"dynamic credentials name {self.name!r}: use [a-z][a-z0-9_]*, at most 31 chars"
            )

    def __repr__(self) -> str:
        return f"PostgresDynamicRole(name={self.name!r}, conninfo=<redacted>)"

    def _execute(self, statements: list[Any], what: str) -> None:
        # psycopg is imported here: only dynamic credentials and the postgres rotator need it.
        import psycopg

        try:
            connection = psycopg.connect(
                self.conninfo, connect_timeout=self.connect_timeout, autocommit=False
            )
        except psycopg.Error as exc:
            raise BackendUnavailableError(
                f"cannot connect to PostgreSQL to {what}: {type(exc).__name__}"
            ) from None
        with connection:
            try:
                for statement in statements:
                    connection.execute(statement)
            except psycopg.Error as exc:
                connection.rollback()
                # The statements may hold a password: never repeat the server's message.
                raise SecretStoreError(
                    f"PostgreSQL refused to {what}: {type(exc).__name__}"
                ) from None

    def create(self, username: str, password: str, until: datetime) -> None:
        """``CREATE ROLE`` with login, password, expiry and memberships."""
        from psycopg import sql

        members: sql.Composable = sql.SQL("")
        if self.member_of:
            members = sql.SQL(" IN ROLE {}").format(
                sql.SQL(", ").join(sql.Identifier(r) for r in self.member_of)
            )
        # CREATE ROLE takes no bind parameters: Literal quotes the values, Identifier the names.
        statement = sql.SQL("CREATE ROLE {} WITH LOGIN PASSWORD {} VALID UNTIL {}{}").format(
            sql.Identifier(username), sql.Literal(password), sql.Literal(until.isoformat()), members
        )
        self._execute([statement], f"create the login for {self.name!r}")

    def extend(self, username: str, until: datetime) -> None:
        """``ALTER ROLE ... VALID UNTIL``."""
        from psycopg import sql

        statement = sql.SQL("ALTER ROLE {} VALID UNTIL {}").format(
            sql.Identifier(username), sql.Literal(until.isoformat())
        )
        self._execute([statement], f"renew the login {username!r}")

    def drop(self, username: str) -> None:
        """End the role's sessions, hand over anything it owns, and drop it."""
        from psycopg import sql

        statements = [
            sql.SQL(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = {}"
            ).format(sql.Literal(username)),
            sql.SQL(
                "DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = {}) THEN "
                "EXECUTE format('REASSIGN OWNED BY %I TO CURRENT_USER', {}); "
                "EXECUTE format('DROP OWNED BY %I', {}); END IF; END $$"
            ).format(sql.Literal(username), sql.Literal(username), sql.Literal(username)),
            sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(username)),
        ]
        self._execute(statements, f"revoke the login {username!r}")


@dataclass(frozen=True, slots=True)
class Credentials:
    """Issued credentials: the lease, and the password (``repr`` hides it)."""

    lease: Lease
    password: str

    @property
    def username(self) -> str:
        """The login name."""
        return self.lease.username

    def __repr__(self) -> str:
        return f"Credentials(lease={self.lease.id!r}, password=<redacted>)"


@dataclass(frozen=True, slots=True)
class DynamicCredentials:
    """Issues, renews and revokes leases, recording each in the lease file and audit log."""

    leases: LeaseFile
    audit: AuditLog

    def issue(self, role: PostgresDynamicRole) -> Credentials:
        """A new login for ``role``'s TTL."""
        now = _now()
        username = f"sw_{role.name}_{secrets.token_hex(6)}"
        password = random_value(40)
        lease = Lease(secrets.token_hex(12), role.name, username, now, now + role.ttl)
        path = f"dynamic/{role.name}/{username}"
        try:
            role.create(username, password, lease.expires_at)
        except SecretStoreError:
            self.audit.record(Operation.LEASE, BACKEND, path, outcome=Outcome.FAILED)
            raise
        self.leases.add(lease)
        self.audit.record(Operation.LEASE, BACKEND, path, value=password)
        return Credentials(lease, password)

    def renew(self, role: PostgresDynamicRole, lease_id: str) -> Lease:
        """Extend a live lease by the role's TTL, capped at ``max_ttl`` from its creation."""
        lease = self._live(lease_id)
        until = min(_now() + role.ttl, lease.created_at + role.max_ttl)
        path = f"dynamic/{lease.name}/{lease.username}"
        try:
            role.extend(lease.username, until)
        except SecretStoreError:
            self.audit.record(Operation.RENEW, BACKEND, path, outcome=Outcome.FAILED)
            raise
        renewed = replace(lease, expires_at=until)
        self.leases.set(renewed)
        self.audit.record(Operation.RENEW, BACKEND, path)
        return renewed

    def revoke(self, role: PostgresDynamicRole, lease_id: str) -> Lease:
        """Drop the lease's login now."""
        lease = self._live(lease_id)
        path = f"dynamic/{lease.name}/{lease.username}"
        try:
            role.drop(lease.username)
        except SecretStoreError:
            self.audit.record(Operation.REVOKE, BACKEND, path, outcome=Outcome.FAILED)
            raise
        ended = revoked(lease, _now())
        self.leases.set(ended)
        self.audit.record(Operation.REVOKE, BACKEND, path)
        return ended

    def revoke_expired(self, roles: dict[str, PostgresDynamicRole]) -> list[Lease]:
        """Revoke every live lease past its end whose role config is known; returns them."""
        now = _now()
        return [
            self.revoke(roles[lease.name], lease.id)
            for lease in self.leases.leases()
            if lease.expired(now) and lease.name in roles
        ]

    def _live(self, lease_id: str) -> Lease:
        lease = self.leases.get(lease_id)
        if lease is None or not lease.live:
            raise SecretNotFoundError(f"no live lease {lease_id!r}")
        return lease
