"""Stores whose master key is sealed to age recipients (pyrage)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyrage import x25519
from typer.testing import CliRunner

from shieldwall.cli.app import app
from shieldwall.secretstore import EmbeddedStore, SecretConfigError, WrongKeyError
from tests.secretstore.conftest import PASSPHRASE, SECRET


@pytest.fixture
def identity() -> x25519.Identity:
    return x25519.Identity.generate()


def test_age_store_roundtrip(tmp_path: Path, identity: x25519.Identity) -> None:
    other = x25519.Identity.generate()
    path = tmp_path / "s.json"
    recipients = [str(identity.to_public()), str(other.to_public())]
    EmbeddedStore.init_age(path, recipients).write("db/password", SECRET)
    for who in (identity, other):  # every recipient opens it
        text = f"# created by age-keygen\n{who}\n"
        assert EmbeddedStore.open(path, age_identity=text).read("db/password").value == SECRET
    assert str(identity) not in path.read_text()


def test_wrong_identity(tmp_path: Path, identity: x25519.Identity) -> None:
    path = tmp_path / "s.json"
    EmbeddedStore.init_age(path, [str(identity.to_public())])
    with pytest.raises(WrongKeyError):
        EmbeddedStore.open(path, age_identity=str(x25519.Identity.generate()))
    with pytest.raises(SecretConfigError, match="age identity"):
        EmbeddedStore.open(path, PASSPHRASE)


@pytest.mark.parametrize("text", ["", "# only a comment\n", "AGE-SECRET-KEY-1NOTVALID\n"])
def test_bad_identity_file(tmp_path: Path, identity: x25519.Identity, text: str) -> None:
    path = tmp_path / "s.json"
    EmbeddedStore.init_age(path, [str(identity.to_public())])
    with pytest.raises(SecretConfigError) as info:
        EmbeddedStore.open(path, age_identity=text)
    assert "NOTVALID" not in str(info.value)


def test_bad_recipient(tmp_path: Path) -> None:
    with pytest.raises(SecretConfigError):
        EmbeddedStore.init_age(tmp_path / "s.json", ["age1notarecipient"])
    with pytest.raises(SecretConfigError):
        EmbeddedStore.init_age(tmp_path / "s.json", [])


def test_cli_with_age(tmp_path: Path, identity: x25519.Identity) -> None:
    key_file = tmp_path / "key.txt"
    key_file.write_text(f"{identity}\n")
    env = {
        "SHIELDWALL_SECRETS_STORE": str(tmp_path / "s.json"),
        "SHIELDWALL_SECRETS_AGE_IDENTITY": str(key_file),
        "SHIELDWALL_SECRETS_PASSPHRASE": "",
    }
    runner = CliRunner()
    init = ["secrets", "init", "--age-recipient", str(identity.to_public())]
    assert runner.invoke(app, init, env=env).exit_code == 0
    assert runner.invoke(app, ["secrets", "set", "a/b"], env=env, input=SECRET).exit_code == 0
    result = runner.invoke(app, ["secrets", "get", "a/b"], env=env)
    assert result.exit_code == 0 and result.stdout == SECRET + "\n"
