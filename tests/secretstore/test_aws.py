"""The AWS Secrets Manager backend through boto3 against moto's server on 127.0.0.1."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

moto_server = pytest.importorskip("moto.server")

from shieldwall.secretstore import (  # noqa: E402
    BackendUnavailableError,
    SecretNotFoundError,
    SecretStoreError,
)
from shieldwall.secretstore.aws import AwsSecretsManagerBackend  # noqa: E402
from tests.secretstore.conftest import SECRET  # noqa: E402


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def aws(endpoint: str, monkeypatch: pytest.MonkeyPatch) -> AwsSecretsManagerBackend:
    # Dummy credentials for the local server; nothing leaves 127.0.0.1.
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    backend = AwsSecretsManagerBackend("eu-west-1", endpoint_url=endpoint)
    for name in backend.list():
        backend._client().delete_secret(SecretId=name, ForceDeleteWithoutRecovery=True)
    return backend


def test_roundtrip_and_versions(aws: AwsSecretsManagerBackend) -> None:
    assert aws.write("db/password", "first-value") == 1
    assert aws.write("db/password", SECRET) == 2
    aws.write("app/key", "other-value")
    assert aws.read("db/password").value == SECRET
    assert aws.read("db/password").version == 2
    assert aws.read("db/password", 1).value == "first-value"
    assert aws.list() == ["app/key", "db/password"]
    assert aws.list("db") == ["db/password"]
    meta = aws.metadata("db/password")
    assert meta.current_version == 2 and [v.version for v in meta.versions] == [1, 2]


def test_missing_and_delete(aws: AwsSecretsManagerBackend) -> None:
    with pytest.raises(SecretNotFoundError):
        aws.read("absent/secret")
    aws.write("tmp/x", SECRET)
    with pytest.raises(SecretNotFoundError):
        aws.read("tmp/x", 5)
    with pytest.raises(SecretStoreError, match="single version"):
        aws.delete("tmp/x", 1)
    aws.delete("tmp/x")
    with pytest.raises(SecretNotFoundError) as info:
        aws.read("tmp/x")
    assert SECRET not in str(info.value)


def test_unreachable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    backend = AwsSecretsManagerBackend("eu-west-1", f"http://127.0.0.1:{port}", timeout=2)
    with pytest.raises(BackendUnavailableError):
        backend.read("db/password")


def test_resolve_through_mapping(
    aws: AwsSecretsManagerBackend,
    endpoint: str,
    store,
    tmp_path,  # type: ignore[no-untyped-def]
) -> None:
    from shieldwall.secretstore import load_mapping
    from shieldwall.secretstore.service import SecretsService
    from shieldwall.secretstore.settings import StoreSettings
    from tests.secretstore.conftest import PASSPHRASE

    aws.write("app/token", SECRET)
    mapping = tmp_path / "m.toml"
    mapping.write_text(
        f'TOKEN = "aws:app/token"\n[aws]\nregion = "eu-west-1"\nendpoint_url = "{endpoint}"\n'
    )
    settings = StoreSettings(store.path, tmp_path / "audit.jsonl", PASSPHRASE)
    service = SecretsService(settings, lambda: PASSPHRASE, {})
    assert service.resolve(load_mapping(mapping)) == {"TOKEN": SECRET}


def test_no_value_in_debug_logs(
    aws: AwsSecretsManagerBackend, caplog: pytest.LogCaptureFixture
) -> None:
    import logging

    caplog.set_level(logging.DEBUG)
    aws.write("logs/check", SECRET)
    assert aws.read("logs/check").value == SECRET
    assert caplog.records
    assert SECRET not in caplog.text
