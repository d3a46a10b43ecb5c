"""HashiCorp Vault and OpenBao KV version 2 through hvac (token, AppRole or Kubernetes auth).

Secret values are stored under the key ``value`` of the KV data map, so other Vault clients can
read them with ``vault kv get -field=value``. hvac's exceptions are translated into ours; their
messages are never copied because a server may echo request content in them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

import hvac
import requests
from hvac import exceptions as hvac_errors

from shieldwall.secretstore.errors import (
    AccessDeniedError,
    BackendUnavailableError,
    SecretNotFoundError,
    SecretStoreError,
)
from shieldwall.secretstore.model import SecretMetadata, SecretValue, VersionInfo, normalise_path

VALUE_KEY = "value"
DEFAULT_TIMEOUT = 10
T = TypeVar("T")


def _time(text: str | None) -> datetime | None:
    if not text:
        return None
    # Vault writes nanoseconds ("2024-01-01T00:00:00.123456789Z"); Python takes microseconds.
    head, _, frac = text.rstrip("Z").partition(".")
    return datetime.fromisoformat(f"{head}.{(frac + '000000')[:6]}+00:00")


@dataclass(frozen=True, slots=True)
class DatabaseLease:
    """Credentials from a database secrets engine and their lease. ``repr`` hides the password."""

    lease_id: str
    duration: int
    username: str
    password: str

    def __repr__(self) -> str:
        return f"DatabaseLease(lease_id={self.lease_id!r}, password=<redacted>)"


@dataclass(frozen=True, slots=True)
class VaultBackend:
    """A KV v2 mount on a Vault or OpenBao server."""

    url: str
    token: str
    mount: str = "secret"
    timeout: int = DEFAULT_TIMEOUT
    name: str = "vault"
    # One hvac client (and its pooled HTTP connections) per backend object, made on first use.
    _clients: dict[str, hvac.Client] = field(default_factory=dict, repr=False, compare=False)

    def __repr__(self) -> str:
        return f"VaultBackend(url={self.url!r}, mount={self.mount!r}, token=<redacted>)"

    @classmethod
    def with_approle(
        cls, url: str, role_id: str, secret_id: str, mount: str = "secret"
    ) -> VaultBackend:
        """Log in with AppRole and use the token it returns."""
        client = hvac.Client(url=url, timeout=DEFAULT_TIMEOUT)
        answer = _call(lambda: client.auth.approle.login(role_id=role_id, secret_id=secret_id))
        return cls(url, str(answer["auth"]["client_token"]), mount)

    @classmethod
    def with_kubernetes(
        cls,
        url: str,
        role: str,
        jwt: str,
        mount: str = "secret",
        auth_mount: str = "kubernetes",
    ) -> VaultBackend:
        """Log in with a Kubernetes service account JWT (Vault's kubernetes auth method)."""
        client = hvac.Client(url=url, timeout=DEFAULT_TIMEOUT)
        answer = _call(
            lambda: client.auth.kubernetes.login(
                role=role, jwt=jwt, use_token=False, mount_point=auth_mount
            )
        )
        return cls(url, str(answer["auth"]["client_token"]), mount)

    def database_credentials(self, role: str, mount: str = "database") -> DatabaseLease:
        """New credentials from a database secrets engine (Vault's, or the hub's)."""
        client = self._client()
        answer = _call(lambda: client.secrets.database.generate_credentials(role, mount), role)  # type: ignore[no-untyped-call]
        data = answer.get("data") or {}
        return DatabaseLease(
            str(answer["lease_id"]),
            int(answer.get("lease_duration") or 0),
            str(data["username"]),
            str(data["password"]),
        )

    def renew_lease(self, lease_id: str, increment: int | None = None) -> int:
        """Extend a lease; returns its new duration in seconds."""
        client = self._client()
        answer = _call(lambda: client.sys.renew_lease(lease_id, increment))  # type: ignore[no-untyped-call]
        return int(answer.get("lease_duration") or 0)

    def revoke_lease(self, lease_id: str) -> None:
        """End a lease now (the engine drops the login)."""
        client = self._client()
        _call(lambda: client.sys.revoke_lease(lease_id))  # type: ignore[no-untyped-call]

    def _client(self) -> hvac.Client:
        client = self._clients.get("client")
        if client is None:
            client = hvac.Client(url=self.url, token=self.token, timeout=self.timeout)
            self._clients["client"] = client
        return client

    def read(self, path: str, version: int | None = None) -> SecretValue:
        """The ``value`` field of the current version, or of ``version``."""
        path = normalise_path(path)
        kv = self._client().secrets.kv.v2
        answer = _call(
            lambda: kv.read_secret_version(
                path=path, version=version, mount_point=self.mount, raise_on_deleted_version=True
            ),
            path,
        )
        data = answer["data"]
        values = data.get("data") or {}
        if VALUE_KEY not in values:
            raise SecretNotFoundError(f"secret {path!r} has no {VALUE_KEY!r} field")
        return SecretValue(path, int(data["metadata"]["version"]), str(values[VALUE_KEY]))

    def write(self, path: str, value: str) -> int:
        """Write a new version; returns its number."""
        path = normalise_path(path)
        kv = self._client().secrets.kv.v2
        answer = _call(
            lambda: kv.create_or_update_secret(
                path=path, secret={VALUE_KEY: value}, mount_point=self.mount
            ),
            path,
        )
        return int(answer["data"]["version"])

    def list(self, prefix: str = "") -> list[str]:
        """Every secret path under ``prefix``, walking sub-folders."""
        kv = self._client().secrets.kv.v2
        found: list[str] = []
        pending = [prefix.strip("/")]
        while pending:
            folder = pending.pop()
            try:
                answer = _call(lambda f=folder: kv.list_secrets(path=f, mount_point=self.mount))  # type: ignore[misc]
            except SecretNotFoundError:
                continue
            for key in answer["data"]["keys"]:
                full = f"{folder}/{key}".strip("/") if folder else str(key)
                if str(key).endswith("/"):
                    pending.append(full.rstrip("/"))
                else:
                    found.append(full)
        return sorted(found)

    def metadata(self, path: str) -> SecretMetadata:
        """Versions with their creation and deletion times."""
        path = normalise_path(path)
        kv = self._client().secrets.kv.v2
        data = _call(lambda: kv.read_secret_metadata(path=path, mount_point=self.mount), path)[
            "data"
        ]
        versions = tuple(
            VersionInfo(
                int(number),
                _time(info.get("created_time")) or datetime.min,
                _time(info.get("deletion_time")),
                bool(info.get("destroyed")),
            )
            for number, info in sorted(data["versions"].items(), key=lambda kv_: int(kv_[0]))
        )
        return SecretMetadata(
            path,
            int(data["current_version"]),
            versions,
            _time(data.get("created_time")) or datetime.min,
            _time(data.get("updated_time")) or datetime.min,
        )

    def delete(self, path: str, version: int | None = None) -> None:
        """Soft-delete the current version (or ``version``)."""
        path = normalise_path(path)
        kv = self._client().secrets.kv.v2
        if version is None:
            _call(
                lambda: kv.delete_latest_version_of_secret(path=path, mount_point=self.mount), path
            )
        else:
            _call(
                lambda: kv.delete_secret_versions(
                    path=path, versions=[version], mount_point=self.mount
                ),
                path,
            )


def _call(action: Callable[[], T], path: str = "") -> T:
    """Run an hvac call, translating its errors into ours (without their messages)."""
    where = f" for {path!r}" if path else ""
    try:
        return action()
    except hvac_errors.InvalidPath as exc:
        raise SecretNotFoundError(f"no secret{where} in Vault") from exc
    except (hvac_errors.Forbidden, hvac_errors.Unauthorized) as exc:
        raise AccessDeniedError(f"Vault denied access{where} (token or policy)") from exc
    except hvac_errors.VaultDown as exc:
        raise BackendUnavailableError("Vault is sealed or in maintenance") from exc
    except hvac_errors.VaultError as exc:
        raise SecretStoreError(
            f"Vault answered with an error{where}: {type(exc).__name__}"
        ) from exc
    except requests.RequestException as exc:
        raise BackendUnavailableError(f"cannot reach Vault: {type(exc).__name__}") from exc
