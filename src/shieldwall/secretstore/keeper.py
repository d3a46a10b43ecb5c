"""Leases held for the life of ``secrets run``: issued before the child starts, renewed while it
runs (at half the TTL), revoked when it exits, however it exits."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import TYPE_CHECKING, Protocol
from urllib.parse import quote

from shieldwall.secretstore.audit import AuditLog, Operation, Outcome
from shieldwall.secretstore.dynamic import Credentials, DynamicCredentials, PostgresDynamicRole
from shieldwall.secretstore.errors import SecretConfigError, SecretStoreError
from shieldwall.secretstore.mapping import DynamicSettings

if TYPE_CHECKING:
    from shieldwall.secretstore.vault import DatabaseLease, VaultBackend

LOG = logging.getLogger(__name__)


def role_for(
    name: str, settings: DynamicSettings, environ: Mapping[str, str]
) -> PostgresDynamicRole:
    """The role of a ``[dynamic.NAME]`` table, with the admin connection from the environment."""
    from datetime import timedelta

    conninfo = environ.get(settings.admin_url_env)
    if not conninfo:
        raise SecretConfigError(
            f"[dynamic.{name}] needs an admin connection string in ${settings.admin_url_env}"
        )
    return PostgresDynamicRole(
        name,
        conninfo,
        tuple(settings.member_of),
        timedelta(seconds=settings.ttl_seconds),
        timedelta(seconds=settings.max_ttl_seconds),
    )


def connection_url(admin_conninfo: str, username: str, password: str) -> str:
    """A ``postgresql://`` URL to the admin connection's host, port and database as ``username``."""
    from psycopg.conninfo import conninfo_to_dict

    parts = conninfo_to_dict(admin_conninfo)
    host = str(parts.get("host") or "127.0.0.1")
    port = str(parts.get("port") or "5432")
    database = str(parts.get("dbname") or "postgres")
    user, secret, db = (quote(part, safe="") for part in (username, password, database))
    return f"postgresql://{user}:{secret}@{host}:{port}/{db}"


class _Held(Protocol):
    """One lease held for the run: its id, its renewal interval, and how to renew or end it."""

    @property
    def lease_id(self) -> str: ...

    @property
    def interval(self) -> float: ...

    def renew(self) -> None: ...

    def revoke(self) -> None: ...


@dataclass
class _LocalLease:
    """A login made by shieldwall itself on the PostgreSQL of ``[dynamic.NAME]``."""

    manager: DynamicCredentials
    role: PostgresDynamicRole
    credentials: Credentials

    @property
    def lease_id(self) -> str:
        return self.credentials.lease.id

    @property
    def interval(self) -> float:
        return self.role.ttl.total_seconds() / 2

    def renew(self) -> None:
        self.manager.renew(self.role, self.lease_id)

    def revoke(self) -> None:
        self.manager.revoke(self.role, self.lease_id)


@dataclass
class _VaultLease:
    """A login from a database secrets engine (Vault's, or the hub's) under its lease."""

    backend: VaultBackend
    lease: DatabaseLease
    audit: AuditLog
    path: str

    @property
    def lease_id(self) -> str:
        return self.lease.lease_id

    @property
    def interval(self) -> float:
        return max(self.lease.duration, 2) / 2

    def renew(self) -> None:
        try:
            self.backend.renew_lease(self.lease_id)
        except SecretStoreError:
            self.audit.record(Operation.RENEW, "vault", self.path, outcome=Outcome.FAILED)
            raise
        self.audit.record(Operation.RENEW, "vault", self.path)

    def revoke(self) -> None:
        try:
            self.backend.revoke_lease(self.lease_id)
        except SecretStoreError:
            self.audit.record(Operation.REVOKE, "vault", self.path, outcome=Outcome.FAILED)
            raise
        self.audit.record(Operation.REVOKE, "vault", self.path)


@dataclass
class LeaseKeeper:
    """A context manager: ``with LeaseKeeper(...) as env`` gives the variables to inject.

    ``vault`` opens the Vault backend (token or Kubernetes login) for ``engine = "vault"``
    tables; it is called only if there is one.
    """

    manager: DynamicCredentials
    tables: Mapping[str, DynamicSettings]
    environ: Mapping[str, str]
    vault: Callable[[], VaultBackend] | None = None
    _held: list[_Held] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def _issue(self, name: str, settings: DynamicSettings, env: dict[str, str]) -> None:
        if settings.engine == "vault":
            if self.vault is None or not settings.role:
                raise SecretConfigError(f"[dynamic.{name}] engine = 'vault' needs a role")
            backend = self.vault()
            path = f"{settings.mount}/creds/{settings.role}"
            try:
                lease = backend.database_credentials(settings.role, settings.mount)
            except SecretStoreError:
                self.manager.audit.record(Operation.LEASE, "vault", path, outcome=Outcome.FAILED)
                raise
            self.manager.audit.record(Operation.LEASE, "vault", path, value=lease.password)
            self._held.append(_VaultLease(backend, lease, self.manager.audit, path))
            env[settings.user_var], env[settings.password_var] = lease.username, lease.password
            return
        role = role_for(name, settings, self.environ)
        credentials = self.manager.issue(role)
        self._held.append(_LocalLease(self.manager, role, credentials))
        env[settings.user_var] = credentials.username
        env[settings.password_var] = credentials.password
        if settings.url_var:
            env[settings.url_var] = connection_url(
                role.conninfo, credentials.username, credentials.password
            )

    def __enter__(self) -> dict[str, str]:
        env: dict[str, str] = {}
        try:
            for name, settings in self.tables.items():
                self._issue(name, settings, env)
        except BaseException:
            self._revoke_all()
            raise
        if self._held:
            self._thread = threading.Thread(target=self._renew_loop, daemon=True)
            self._thread.start()
        return env

    def _renew_loop(self) -> None:
        interval = min(held.interval for held in self._held)
        while not self._stop.wait(interval):
            for held in self._held:
                try:
                    held.renew()
                except SecretStoreError as exc:
                    # The child keeps running on what it has; the audit log has the failure.
                    LOG.warning("renewing lease %s failed: %s", held.lease_id, exc)

    def _revoke_all(self) -> None:
        for held in self._held:
            try:
                held.revoke()
            except SecretStoreError as exc:
                # Left for `secrets leases revoke --expired` (or the engine's expiry);
                # PostgreSQL refuses the password after VALID UNTIL anyway.
                LOG.warning("revoking lease %s failed: %s", held.lease_id, exc)
        self._held.clear()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self._revoke_all()
