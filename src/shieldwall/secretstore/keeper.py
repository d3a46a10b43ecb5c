"""Leases held for the life of ``secrets run``: issued before the child starts, renewed while it
runs (at half the TTL), revoked when it exits, however it exits."""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import TracebackType
from urllib.parse import quote

from shieldwall.secretstore.dynamic import Credentials, DynamicCredentials, PostgresDynamicRole
from shieldwall.secretstore.errors import SecretConfigError, SecretStoreError
from shieldwall.secretstore.mapping import DynamicSettings

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


@dataclass
class LeaseKeeper:
    """A context manager: ``with LeaseKeeper(...) as env`` gives the variables to inject."""

    manager: DynamicCredentials
    tables: Mapping[str, DynamicSettings]
    environ: Mapping[str, str]
    _held: list[tuple[PostgresDynamicRole, Credentials]] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def __enter__(self) -> dict[str, str]:
        env: dict[str, str] = {}
        try:
            for name, settings in self.tables.items():
                role = role_for(name, settings, self.environ)
                credentials = self.manager.issue(role)
                self._held.append((role, credentials))
                env[settings.user_var] = credentials.username
                env[settings.password_var] = credentials.password
                if settings.url_var:
                    env[settings.url_var] = connection_url(
                        role.conninfo, credentials.username, credentials.password
                    )
        except BaseException:
            self._revoke_all()
            raise
        if self._held:
            self._thread = threading.Thread(target=self._renew_loop, daemon=True)
            self._thread.start()
        return env

    def _renew_loop(self) -> None:
        interval = min(role.ttl for role, _ in self._held).total_seconds() / 2
        while not self._stop.wait(interval):
            for role, credentials in self._held:
                try:
                    self.manager.renew(role, credentials.lease.id)
                except SecretStoreError as exc:
                    # The child keeps running on what it has; the audit log has the failure.
                    LOG.warning("renewing lease %s failed: %s", credentials.lease.id, exc)

    def _revoke_all(self) -> None:
        for role, credentials in self._held:
            try:
                self.manager.revoke(role, credentials.lease.id)
            except SecretStoreError as exc:
                # Left for `secrets leases revoke-expired`; PostgreSQL refuses it after VALID UNTIL.
                LOG.warning("revoking lease %s failed: %s", credentials.lease.id, exc)
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
