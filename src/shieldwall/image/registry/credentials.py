"""Where registry credentials come from: options, the environment, docker's ``config.json``.

Order: ``--username``/``--password-stdin``, then ``SHIELDWALL_REGISTRY_USERNAME`` and
``SHIELDWALL_REGISTRY_PASSWORD``, then docker's config (``$DOCKER_CONFIG/config.json``, else
``~/.docker/config.json``): a ``credHelpers`` entry for the host, else ``credsStore``, else the
base64 ``auth`` of ``auths``. Helpers are docker's credential-helper protocol
(docker/docker-credential-helpers): ``docker-credential-<name> get`` with the server URL on
stdin, JSON ``{"Username", "Secret"}`` on stdout; a ``<token>`` user means an identity token.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shieldwall.image.registry.errors import RegistryAuthError
from shieldwall.image.registry.reference import DOCKER_HUB

USERNAME_ENV = "SHIELDWALL_REGISTRY_USERNAME"
PASSWORD_ENV = "SHIELDWALL_REGISTRY_PASSWORD"  # noqa: S105  (a variable name, not a password)
DOCKER_HUB_KEY = "https://index.docker.io/v1/"  # the key docker writes for Docker Hub
_HELPER_TIMEOUT = 30.0
_HELPER_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


@dataclass(frozen=True, slots=True)
class Credentials:
    """A user and a secret (password or token); ``repr`` never shows the secret."""

    username: str = ""
    password: str = field(default="", repr=False)
    identity_token: str = field(default="", repr=False)
    source: str = "anonymous"

    @property
    def anonymous(self) -> bool:
        """Whether there is nothing to authenticate with."""
        return not (self.username or self.password or self.identity_token)


ANONYMOUS = Credentials()


def _server_key(registry: str) -> str:
    return DOCKER_HUB_KEY if registry == DOCKER_HUB else registry


def _hostname(key: str) -> str:
    """docker's ``ConvertToHostname``: ``https://host:port/v1/`` is ``host:port``."""
    for prefix in ("http://", "https://"):
        key = key.removeprefix(prefix)
    host = key.split("/", 1)[0]
    return DOCKER_HUB if host in {"index.docker.io", "registry-1.docker.io"} else host


def docker_config_path(environ: Mapping[str, str]) -> Path:
    """``$DOCKER_CONFIG/config.json``, else ``~/.docker/config.json``."""
    base = environ.get("DOCKER_CONFIG")
    return (Path(base).expanduser() if base else Path.home() / ".docker") / "config.json"


def _load_config(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RegistryAuthError(f"{path}: cannot read docker's config: {exc}") from exc
    return data if isinstance(data, dict) else {}


def from_helper(helper: str, registry: str) -> Credentials | None:
    """Credentials from ``docker-credential-<helper> get``; None when it has none."""
    if not _HELPER_NAME.match(helper):
        # The name becomes part of a program name looked up on PATH: no paths, no options.
        raise RegistryAuthError(f"docker's config names an invalid credential helper {helper!r}")
    program = shutil.which(f"docker-credential-{helper}")
    if program is None:
        raise RegistryAuthError(
            f"docker's config names the credential helper {helper!r} but "
            f"docker-credential-{helper} is not on PATH"
        )
    try:
        done = subprocess.run(
            [program, "get"],
            input=_server_key(registry).encode(),
            capture_output=True,
            timeout=_HELPER_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise RegistryAuthError(f"docker-credential-{helper} failed: {exc}") from exc
    if done.returncode != 0:
        # "credentials not found in native keychain": no entry, not an error.
        return None
    try:
        answer = json.loads(done.stdout)
        username, secret = str(answer["Username"]), str(answer["Secret"])
    except (ValueError, KeyError, TypeError) as exc:
        raise RegistryAuthError(
            f"docker-credential-{helper} answered something else than JSON"
        ) from exc
    source = f"docker-credential-{helper}"
    if username == "<token>":
        return Credentials(identity_token=secret, source=source)
    return Credentials(username=username, password=secret, source=source)


def _from_auths(auths: object, registry: str, path: Path) -> Credentials | None:
    if not isinstance(auths, dict):
        return None
    for key, entry in auths.items():
        if _hostname(str(key)) != registry or not isinstance(entry, dict):
            continue
        token = str(entry.get("identitytoken") or "")
        user, password = str(entry.get("username") or ""), str(entry.get("password") or "")
        if entry.get("auth"):
            try:
                user, _, password = base64.b64decode(str(entry["auth"])).decode().partition(":")
            except (binascii.Error, UnicodeDecodeError) as exc:
                raise RegistryAuthError(
                    f"{path}: the auth entry for {key} is not base64 user:password"
                ) from exc
        creds = Credentials(user, password, token, source=str(path))
        if not creds.anonymous:
            return creds
    return None


def from_docker_config(registry: str, environ: Mapping[str, str]) -> Credentials | None:
    """The credentials docker would use for ``registry`` (a host, or ``docker.io``)."""
    path = docker_config_path(environ)
    config = _load_config(path)
    helpers = config.get("credHelpers")
    if isinstance(helpers, dict):
        for key, helper in helpers.items():
            if _hostname(str(key)) == registry:
                return from_helper(str(helper), registry)
    if config.get("credsStore"):
        found = from_helper(str(config["credsStore"]), registry)
        if found is not None:
            return found
    return _from_auths(config.get("auths"), registry, path)


def resolve_credentials(
    registry: str,
    environ: Mapping[str, str],
    username: str | None = None,
    password: str | None = None,
) -> Credentials:
    """The credentials for ``registry``: options, then environment, then docker's config."""
    if username or password:
        return Credentials(username or "", password or "", source="options")
    env_user, env_password = environ.get(USERNAME_ENV, ""), environ.get(PASSWORD_ENV, "")
    if env_user or env_password:
        return Credentials(env_user, env_password, source="environment")
    return from_docker_config(registry, environ) or ANONYMOUS
