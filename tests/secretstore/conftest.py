"""Fixtures of the secret-store tests: a fast-KDF store, its audit log, a Vault KV server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from shieldwall.secretstore import AuditLog, EmbeddedStore
from tests.servers.vault_kv import KvState, vault_kv_server

PASSPHRASE = "correct horse battery staple"
# The production cost (n=2**17) is for attackers; tests use the smallest valid one for speed.
FAST_N = 2**10
SECRET = "s3cr3t-Value-7f9c2e41d8"  # shieldwall: ignore[SW-SEC-001] test value, never real


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "secrets.json"


@pytest.fixture
def store(store_path: Path) -> EmbeddedStore:
    return EmbeddedStore.init(store_path, PASSPHRASE, scrypt_n=FAST_N)


@pytest.fixture
def audit(tmp_path: Path) -> AuditLog:
    return AuditLog(tmp_path / "audit.jsonl", identity="alice", client="test")


@pytest.fixture
def vault() -> Iterator[KvState]:
    with vault_kv_server() as state:
        yield state
