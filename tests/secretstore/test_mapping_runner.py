"""``.shieldwall-secrets.toml`` parsing, resolving through the service, and ``run``."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from shieldwall.core.errors import UsageError
from shieldwall.secretstore import (
    AuditLog,
    EmbeddedStore,
    SecretConfigError,
    SecretNotFoundError,
    SecretRef,
    VaultBackend,
    load_mapping,
)
from shieldwall.secretstore.mapping import BackendKind
from shieldwall.secretstore.runner import run_with_secrets
from shieldwall.secretstore.service import SecretsService
from shieldwall.secretstore.settings import StoreSettings
from tests.secretstore.conftest import PASSPHRASE, SECRET
from tests.servers.vault_kv import KvState


def test_parse_reference() -> None:
    assert SecretRef.parse("store:db/password") == SecretRef(BackendKind.STORE, "db/password")
    assert SecretRef.parse("vault:/app/key#3") == SecretRef(BackendKind.VAULT, "app/key", 3)


@pytest.mark.parametrize("text", ["db/password", "s3:db/x", "store:", "store:a#x", "env:../x"])
def test_bad_reference(text: str) -> None:
    with pytest.raises(SecretConfigError):
        SecretRef.parse(text)


def test_load_mapping(tmp_path: Path) -> None:
    path = tmp_path / "m.toml"
    path.write_text(
        'DB_PASSWORD = "store:db/password"\nTOKEN = "vault:app/token#2"\n'
        '[vault]\nurl = "http://127.0.0.1:1"\nmount = "kv"\n'
    )
    mapping = load_mapping(path)
    assert mapping.variables["TOKEN"] == SecretRef(BackendKind.VAULT, "app/token", 2)
    assert (mapping.vault.url, mapping.vault.mount, mapping.vault.token_env) == (
        "http://127.0.0.1:1",
        "kv",
        "VAULT_TOKEN",
    )


@pytest.mark.parametrize(
    "content",
    [
        "X = 1\n",
        '"bad name" = "store:a"\n',
        "[vault]\nurl = 3\n",
        "[vault]\nunknown = 'x'\n",
        "not toml = = \n",
        "[other]\nx = 'y'\n",
    ],
)
def test_bad_mapping(tmp_path: Path, content: str) -> None:
    path = tmp_path / "m.toml"
    path.write_text(content)
    with pytest.raises(SecretConfigError):
        load_mapping(path)


def test_binary_mapping(tmp_path: Path) -> None:
    path = tmp_path / "m.toml"
    path.write_bytes(b"\xff\xfe\x00\x01")
    with pytest.raises(SecretConfigError):
        load_mapping(path)


def test_missing_mapping(tmp_path: Path) -> None:
    with pytest.raises(SecretConfigError, match="no secrets mapping"):
        load_mapping(tmp_path / "absent.toml")


def _service(store: EmbeddedStore, tmp_path: Path, environ: dict[str, str]) -> SecretsService:
    settings = StoreSettings(store.path, tmp_path / "audit.jsonl", PASSPHRASE)
    return SecretsService(settings, lambda: PASSPHRASE, environ)


def test_resolve_all_backends(store: EmbeddedStore, tmp_path: Path, vault: KvState) -> None:
    store.write("db/password", SECRET)
    vault.tokens["t0ken-xyz"] = ("",)
    service = _service(store, tmp_path, {"VAULT_TOKEN": "t0ken-xyz", "LEGACY_KEY": "from-env"})
    VaultBackend(vault.url, "t0ken-xyz").write("app/token", "vault-value")
    path = tmp_path / "m.toml"
    path.write_text(
        'DB = "store:db/password"\nTOKEN = "vault:app/token"\nOLD = "env:legacy/key"\n'
        f'[vault]\nurl = "{vault.url}"\n'
    )
    assert service.resolve(load_mapping(path)) == {
        "DB": SECRET,
        "TOKEN": "vault-value",
        "OLD": "from-env",
    }
    injected = [(e.backend, e.path) for e in AuditLog(tmp_path / "audit.jsonl").entries()]
    assert ("store", "db/password") in injected and ("env", "legacy/key") in injected


def test_resolve_missing_secret(store: EmbeddedStore, tmp_path: Path) -> None:
    path = tmp_path / "m.toml"
    path.write_text('DB = "store:db/absent"\n')
    with pytest.raises(SecretNotFoundError):
        _service(store, tmp_path, {}).resolve(load_mapping(path))


def test_vault_without_token(store: EmbeddedStore, tmp_path: Path) -> None:
    with pytest.raises(SecretConfigError, match="VAULT_TOKEN"):
        _service(store, tmp_path, {}).backend(BackendKind.VAULT)


def test_run_passes_env_not_argv(tmp_path: Path) -> None:
    out = tmp_path / "out.txt"
    script = (
        "import os, sys; "
        f"open({str(out)!r}, 'w').write(os.environ['DB'] + '|' + ' '.join(sys.argv)); "
        "sys.exit(5)"
    )
    code = run_with_secrets(
        [sys.executable, "-c", script], {"DB": SECRET}, {"PATH": "/usr/bin:/bin"}
    )
    assert code == 5
    value, argv = out.read_text().split("|")
    assert value == SECRET and SECRET not in argv


def test_run_signal_exit_code(tmp_path: Path) -> None:
    script = "import os, signal; os.kill(os.getpid(), signal.SIGTERM)"
    assert run_with_secrets([sys.executable, "-c", script], {}, {}) == 128 + 15


def test_run_unknown_command() -> None:
    with pytest.raises(UsageError, match="command not found"):
        run_with_secrets(["no-such-program-xyz"], {}, {"PATH": "/usr/bin"})
    with pytest.raises(UsageError):
        run_with_secrets([], {}, {})
