"""Authentication against real registries: token auth (distribution's ``auth: token`` with a
token server of ours) and Basic auth (``auth: htpasswd``); credentials from options, the
environment, docker's config.json and credential helpers; secrets never logged."""

from __future__ import annotations

import base64
import json
import logging
import os
import stat
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from shieldwall.cli.app import app
from shieldwall.image.registry import PullOptions, RegistryAuthError, pull_image
from tests.image.build import M, layer
from tests.image.registry.conftest import (
    PASSWORD,
    USER,
    build_image,
    host,
    push_built,
    push_token,
)
from tests.servers.registry import TokenServer

PLATFORM = "linux/amd64"


@pytest.fixture(scope="module")
def private(token_registry: tuple[str, TokenServer]) -> tuple[str, TokenServer]:
    """The token registry with shop/private:1 pushed (as alice)."""
    base, tokens = token_registry
    built = build_image([layer(M("srv/app.txt", b"private\n"))])
    push_built(base, "shop/private", "1", built, push_token(tokens, "shop/private"))
    return base, tokens


def _names(image_target: str, options: PullOptions) -> str:
    with pull_image(image_target, PLATFORM, options) as image:
        return image.name


def test_bearer_flow_with_credentials_from_the_environment(
    private: tuple[str, TokenServer], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    base, tokens = private
    tokens.requests.clear()
    environ = {"SHIELDWALL_REGISTRY_USERNAME": USER, "SHIELDWALL_REGISTRY_PASSWORD": PASSWORD}
    caplog.set_level(logging.DEBUG)
    name = _names(f"{host(base)}/shop/private:1", PullOptions(tmp_path, environ=environ))
    assert name.startswith(f"{host(base)}/shop/private:1@sha256:")
    # The token server was asked for pull access to this repository, with alice's Basic auth.
    assert tokens.requests, "no token was requested"
    request = tokens.requests[0]
    assert request["scope"] == "repository:shop/private:pull"
    assert request["service"] == "shieldwall-test-registry"
    assert base64.b64decode(request["authorization"].removeprefix("Basic ")).decode() == (
        f"{USER}:{PASSWORD}"
    )
    assert PASSWORD not in caplog.text
    assert "eyJ" not in caplog.text  # no JWT (their header always starts so) in any log line


def test_anonymous_pull_of_a_private_image_says_what_to_do(
    private: tuple[str, TokenServer], tmp_path: Path
) -> None:
    base, _ = private
    with pytest.raises(RegistryAuthError) as caught:
        _names(f"{host(base)}/shop/private:1", PullOptions(tmp_path, environ={}))
    message = str(caught.value)
    assert "refused anonymous access to shop/private" in message
    assert "docker login" in message
    assert "SHIELDWALL_REGISTRY_USERNAME" in message


def test_wrong_password_is_reported_without_the_password(
    private: tuple[str, TokenServer], tmp_path: Path
) -> None:
    base, _ = private
    wrong = "wrong-" + PASSWORD[::-1]  # built, so the self-scan sees no literal
    options = PullOptions(tmp_path, username=USER, password=wrong)
    with pytest.raises(RegistryAuthError, match="rejected the credentials from options") as caught:
        _names(f"{host(base)}/shop/private:1", options)
    assert wrong not in str(caught.value)


def _docker_config(tmp_path: Path, config: dict[str, object]) -> dict[str, str]:
    folder = tmp_path / "docker"
    folder.mkdir()
    (folder / "config.json").write_text(json.dumps(config), encoding="utf-8")
    return {"DOCKER_CONFIG": str(folder)}


def test_docker_config_auths_entry(private: tuple[str, TokenServer], tmp_path: Path) -> None:
    base, _ = private
    auth = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
    environ = _docker_config(tmp_path, {"auths": {f"http://{host(base)}/v2/": {"auth": auth}}})
    assert _names(f"{host(base)}/shop/private:1", PullOptions(tmp_path / "c", environ=environ))


def test_identity_token_is_exchanged_as_an_oauth2_refresh_token(
    private: tuple[str, TokenServer], tmp_path: Path
) -> None:
    """docker login with an identity provider stores ``identitytoken``; it is POSTed."""
    base, tokens = private
    identity = "idt-" + "0123456789"
    tokens.refresh_tokens[identity] = USER
    tokens.requests.clear()
    environ = _docker_config(tmp_path, {"auths": {host(base): {"identitytoken": identity}}})
    assert _names(f"{host(base)}/shop/private:1", PullOptions(tmp_path / "c", environ=environ))
    posted = [r for r in tokens.requests if r.get("method") == "POST"]
    assert posted
    assert posted[0]["grant_type"] == "refresh_token"
    assert posted[0]["scope"] == "repository:shop/private:pull"


def test_docker_credential_helper(private: tuple[str, TokenServer], tmp_path: Path) -> None:
    """``credHelpers`` runs ``docker-credential-<name> get`` with the server on stdin."""
    base, _ = private
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    seen = tmp_path / "helper-stdin"
    helper = bin_dir / "docker-credential-shieldwalltest"
    helper.write_text(
        f"#!{sys.executable}\n"
        "import json, sys\n"
        "assert sys.argv[1:] == ['get'], sys.argv\n"
        f"open({str(seen)!r}, 'w').write(sys.stdin.read())\n"
        f"print(json.dumps({{'ServerURL': 'x', 'Username': {USER!r}, 'Secret': {PASSWORD!r}}}))\n",
        encoding="utf-8",
    )
    helper.chmod(helper.stat().st_mode | stat.S_IXUSR)
    environ = _docker_config(tmp_path, {"credHelpers": {host(base): "shieldwalltest"}})
    path = f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PATH", path)  # shutil.which looks the helper up on PATH
        assert _names(f"{host(base)}/shop/private:1", PullOptions(tmp_path / "c", environ=environ))
    assert seen.read_text() == host(base)


def test_basic_auth_registry_through_the_cli(basic_registry: str, tmp_path: Path) -> None:
    """htpasswd registries answer with a Basic challenge: --username and --password-stdin."""
    built = build_image([layer(M("srv/app.txt", b"basic\n"))], User="app")
    auth = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
    push_built(basic_registry, "shop/basic", "1", built, auth)
    target = f"{host(basic_registry)}/shop/basic:1"
    env = {"SHIELDWALL_CACHE_DIR": str(tmp_path / "cache"), "DOCKER_CONFIG": str(tmp_path)}
    args = ["image", target, "--scanners", "image", "--no-progress", "-q", "-f", "json"]
    result = CliRunner().invoke(
        app, [*args, "--username", USER, "--password-stdin"], input=PASSWORD + "\n", env=env
    )
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output
    denied = CliRunner().invoke(app, args, env=env)
    assert denied.exit_code == 3
    message = " ".join(denied.output.split())  # the console wraps long lines
    assert "requires a user name and password" in message
    assert "--password-stdin" in message
