"""The Vault KV v2 backend through hvac against a KV-v2-compatible server on 127.0.0.1."""

from __future__ import annotations

import socket

import pytest

from shieldwall.secretstore import (
    AccessDeniedError,
    BackendUnavailableError,
    SecretNotFoundError,
    SecretStoreError,
    VaultBackend,
)
from tests.secretstore.conftest import SECRET
from tests.servers.vault_kv import KvState


def test_roundtrip_versions_list(vault: KvState) -> None:
    backend = VaultBackend(vault.url, "root-token")
    assert backend.write("db/password", "first-value") == 1
    assert backend.write("db/password", SECRET) == 2
    backend.write("app/deep/key", "other-value")
    assert backend.read("db/password").value == SECRET
    assert backend.read("db/password", 1).value == "first-value"
    assert backend.list() == ["app/deep/key", "db/password"]
    assert backend.list("app") == ["app/deep/key"]
    meta = backend.metadata("db/password")
    assert meta.current_version == 2 and [v.version for v in meta.versions] == [1, 2]
    # Stored as the ``value`` field, so `vault kv get -field=value` reads it too.
    assert vault.secrets["db/password"]["versions"][2]["data"] == {"value": SECRET}


def test_soft_delete(vault: KvState) -> None:
    backend = VaultBackend(vault.url, "root-token")
    backend.write("db/password", "first-value")
    backend.write("db/password", SECRET)
    backend.delete("db/password")
    with pytest.raises(SecretNotFoundError):
        backend.read("db/password")
    assert backend.read("db/password", 1).value == "first-value"
    backend.delete("db/password", 1)
    meta = backend.metadata("db/password")
    assert all(v.deleted_at is not None for v in meta.versions)


def test_missing(vault: KvState) -> None:
    backend = VaultBackend(vault.url, "root-token")
    with pytest.raises(SecretNotFoundError):
        backend.read("absent")
    assert backend.list("absent") == []


def test_bad_token_and_policy(vault: KvState) -> None:
    vault.tokens["app-token"] = ("app/",)
    VaultBackend(vault.url, "root-token").write("db/password", SECRET)
    with pytest.raises(AccessDeniedError) as info:
        VaultBackend(vault.url, "wrong").read("db/password")
    assert SECRET not in str(info.value)
    with pytest.raises(AccessDeniedError):
        VaultBackend(vault.url, "app-token").read("db/password")
    VaultBackend(vault.url, "app-token").write("app/key", "allowed-value")


def test_sealed(vault: KvState) -> None:
    vault.sealed = True
    with pytest.raises(BackendUnavailableError, match="sealed"):
        VaultBackend(vault.url, "root-token").read("db/password")


def test_down() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(BackendUnavailableError, match="cannot reach"):
        VaultBackend(f"http://127.0.0.1:{port}", "root-token", timeout=2).read("db/password")


def test_repr_hides_token(vault: KvState) -> None:
    assert "root-token" not in repr(VaultBackend(vault.url, "root-token"))


def test_approle_login(vault: KvState) -> None:
    vault.tokens["approle-token"] = ("app/",)
    vault.approles[("role-1", "secret-1")] = "approle-token"
    backend = VaultBackend.with_approle(vault.url, "role-1", "secret-1")
    backend.write("app/key", SECRET)
    assert backend.read("app/key").value == SECRET
    with pytest.raises(SecretStoreError):
        VaultBackend.with_approle(vault.url, "role-1", "wrong")
