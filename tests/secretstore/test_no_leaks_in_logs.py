"""Values never reach log records, even with every logger at DEBUG (hvac, requests, boto3)."""

from __future__ import annotations

import logging

import pytest

from shieldwall.secretstore import AuditedBackend, AuditLog, EmbeddedStore, VaultBackend
from tests.secretstore.conftest import SECRET
from tests.servers.vault_kv import KvState


def test_embedded_and_vault_log_no_values(
    store: EmbeddedStore, audit: AuditLog, vault: KvState, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    backend = AuditedBackend(store, audit)
    backend.write("db/password", SECRET)
    backend.read("db/password")
    remote = VaultBackend(vault.url, "root-token")
    remote.write("db/password", SECRET)
    remote.read("db/password")
    assert caplog.records  # the libraries did log at DEBUG
    assert SECRET not in caplog.text
