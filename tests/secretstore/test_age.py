"""Stores whose master key is sealed to age recipients (pyrage)."""

from __future__ import annotations

import json
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


def _ssh_key(tmp_path: Path) -> tuple[str, str]:
    """A fresh unencrypted ed25519 key pair from ssh-keygen: (public line, private key file)."""
    import shutil
    import subprocess

    keygen = shutil.which("ssh-keygen")
    if keygen is None:
        pytest.skip("ssh-keygen is not installed")
    key = tmp_path / "id_ed25519"
    subprocess.run(
        [keygen, "-q", "-t", "ed25519", "-N", "", "-C", "test", "-f", str(key)], check=True
    )
    return key.with_suffix(".pub").read_text().strip(), key.read_text()


def test_ssh_recipient_and_identity(tmp_path: Path) -> None:
    public, private = _ssh_key(tmp_path)
    path = tmp_path / "s.json"
    EmbeddedStore.init_age(path, [public]).write("db/password", SECRET)
    assert EmbeddedStore.open(path, age_identity=private).read("db/password").value == SECRET
    assert "OPENSSH PRIVATE KEY" not in path.read_text()
    with pytest.raises(WrongKeyError):
        EmbeddedStore.open(path, age_identity=str(x25519.Identity.generate()))


def test_reseal_adds_and_removes_people(tmp_path: Path, identity: x25519.Identity) -> None:
    newcomer = x25519.Identity.generate()
    path = tmp_path / "s.json"
    store = EmbeddedStore.init_age(path, [str(identity.to_public())])
    store.write("db/password", SECRET)
    before = json.loads(path.read_text())["secrets"]
    store.reseal([str(newcomer.to_public())])
    assert EmbeddedStore.open(path, age_identity=str(newcomer)).read("db/password").value == SECRET
    with pytest.raises(WrongKeyError):
        EmbeddedStore.open(path, age_identity=str(identity))  # left out: locked out
    assert json.loads(path.read_text())["secrets"] == before  # no secret re-encrypted
    passphrase_store = EmbeddedStore.init(tmp_path / "p.json", PASSPHRASE, scrypt_n=2**10)
    with pytest.raises(SecretConfigError, match="not sealed to age"):
        passphrase_store.reseal([str(newcomer.to_public())])


def test_cli_reseal(tmp_path: Path, identity: x25519.Identity) -> None:
    other = x25519.Identity.generate()
    path = tmp_path / "s.json"
    EmbeddedStore.init_age(path, [str(identity.to_public())]).write("k/v", SECRET)
    key_file = tmp_path / "id.txt"
    key_file.write_text(f"{identity}\n")
    env = {"SHIELDWALL_SECRETS_STORE": str(path), "SHIELDWALL_SECRETS_AGE_IDENTITY": str(key_file)}
    args = ["secrets", "reseal", "--age-recipient", str(identity.to_public())]
    result = CliRunner().invoke(app, [*args, "--age-recipient", str(other.to_public())], env=env)
    assert result.exit_code == 0, result.output
    assert EmbeddedStore.open(path, age_identity=str(other)).read("k/v").value == SECRET
    assert str(identity) not in result.output
