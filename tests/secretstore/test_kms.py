"""The embedded store's master key wrapped by AWS KMS, against moto's server on 127.0.0.1."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

moto_server = pytest.importorskip("moto.server")

import boto3  # noqa: E402

from shieldwall.cli.secretstore import app  # noqa: E402
from shieldwall.secretstore import (  # noqa: E402
    BackendUnavailableError,
    EmbeddedStore,
    SecretConfigError,
    WrongKeyError,
)
from shieldwall.secretstore.kms import AwsKms  # noqa: E402
from tests.secretstore.conftest import SECRET  # noqa: E402

REGION = "eu-west-1"


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def kms(endpoint: str, monkeypatch: pytest.MonkeyPatch) -> object:
    # Dummy credentials for the local server; nothing leaves 127.0.0.1.
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    return boto3.client("kms", region_name=REGION, endpoint_url=endpoint)


def _key(kms: object) -> str:
    return str(kms.create_key(Description="shieldwall test")["KeyMetadata"]["KeyId"])  # type: ignore[attr-defined]


def test_kms_sealed_store_roundtrip(kms: object, endpoint: str, tmp_path: Path) -> None:
    key_id = _key(kms)
    path = tmp_path / "secrets.json"
    store = EmbeddedStore.init_kms(path, AwsKms(key_id, REGION, endpoint))
    store.write("db/password", SECRET)
    header = json.loads(path.read_text())["kms"]
    assert header["key_id"] == key_id and header["wrapped_master"]
    assert store.master.key.hex() not in path.read_text()
    assert EmbeddedStore.sealed_with(path) == "kms"
    reopened = EmbeddedStore.open(path)
    assert reopened.read("db/password").value == SECRET


def test_wrong_or_tampered_wrapped_key(kms: object, endpoint: str, tmp_path: Path) -> None:
    path = tmp_path / "secrets.json"
    EmbeddedStore.init_kms(path, AwsKms(_key(kms), REGION, endpoint)).write("a/b", SECRET)
    body = json.loads(path.read_text())
    wrapped = body["kms"]["wrapped_master"]
    body["kms"]["wrapped_master"] = wrapped[:-8] + ("A" * 8 if wrapped[-8:] != "A" * 8 else "B" * 8)
    tampered = tmp_path / "tampered.json"
    tampered.write_text(json.dumps(body))
    with pytest.raises((WrongKeyError, SecretConfigError)):
        EmbeddedStore.open(tampered)
    assert json.loads(tampered.read_text())["kms"]["wrapped_master"] != wrapped  # not rewritten


def test_unknown_key(kms: object, endpoint: str, tmp_path: Path) -> None:
    # (moto does not refuse a disabled key, so that error path is not tested here.)
    del kms
    with pytest.raises(SecretConfigError, match="no usable KMS key"):
        EmbeddedStore.init_kms(
            tmp_path / "other.json",
            AwsKms("11111111-2222-3333-4444-555555555555", REGION, endpoint),
        )
    assert not (tmp_path / "other.json").exists()


def test_kms_down(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with pytest.raises(BackendUnavailableError):
        EmbeddedStore.init_kms(
            tmp_path / "s.json", AwsKms("alias/x", REGION, "http://127.0.0.1:9", timeout=1)
        )


def test_cli_init_with_kms_then_set_and_get(kms: object, endpoint: str, tmp_path: Path) -> None:
    key_id = _key(kms)
    store = tmp_path / "secrets.json"
    env = {
        "SHIELDWALL_SECRETS_STORE": str(store),
        "SHIELDWALL_SECRETS_KMS_ENDPOINT": endpoint,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
    }
    runner = CliRunner()
    result = runner.invoke(
        app,
        ["init", "--kms-key", key_id, "--kms-region", REGION, "--kms-endpoint", endpoint],
        env=env,
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["set", "db/password"], input=SECRET + "\n", env=env)
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["get", "db/password"], env=env)
    assert result.exit_code == 0 and result.output.strip() == SECRET
