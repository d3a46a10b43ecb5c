"""``.shieldwall-secrets.toml``: which environment variable gets which secret.

::

    DATABASE_URL = "store:db/url"               # NAME = "backend:path[#version]"
    API_TOKEN = "vault:app/api-token"
    LEGACY = "env:old/legacy-token"

    [vault]                                      # optional: settings of the vault backend
    url = "http://127.0.0.1:8200"
    mount = "secret"
    token_env = "VAULT_TOKEN"                    # the variable holding the token (never the file)
    # auth = "kubernetes"                        # or log in with the pod's service account:
    # role = "app"                               #   the kubernetes auth role, and the JWT file
    # jwt_path = "/var/run/secrets/kubernetes.io/serviceaccount/token"

    [aws]                                        # optional: AWS Secrets Manager
    region = "eu-west-1"

    [dynamic.app_db]                             # optional: a PostgreSQL login made per `run`
    admin_url_env = "SHIELDWALL_DYNAMIC_POSTGRES_URL"   # CREATEROLE connection (never the file)
    member_of = ["app_rw"]                       # roles the login joins (grants live there)
    ttl_seconds = 3600                           # lease length, renewed while `run` lives
    max_ttl_seconds = 86400                      # never renewed past this from creation
    user_var = "DB_USER"
    password_var = "DB_PASSWORD"
    url_var = "DATABASE_URL"                     # optional: postgresql:// URL with the login
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from shieldwall.secretstore.errors import SecretConfigError
from shieldwall.secretstore.model import normalise_path

DEFAULT_FILE = ".shieldwall-secrets.toml"
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class BackendKind(StrEnum):
    """The backends a reference may name."""

    STORE = "store"
    VAULT = "vault"
    AWS = "aws"
    ENV = "env"


@dataclass(frozen=True, slots=True)
class SecretRef:
    """A parsed ``backend:path[#version]`` reference."""

    backend: BackendKind
    path: str
    version: int | None = None

    @classmethod
    def parse(cls, text: str) -> SecretRef:
        """Parse a reference; a bad one is a SecretConfigError naming the text."""
        backend, sep, rest = text.partition(":")
        if not sep or backend not in BackendKind.__members__.values():
            kinds = ", ".join(k.value for k in BackendKind)
            raise SecretConfigError(f"invalid secret reference {text!r}: use one of {kinds}:PATH")
        path, _, version = rest.partition("#")
        if version and not version.isdigit():
            raise SecretConfigError(f"invalid version in secret reference {text!r}")
        return cls(BackendKind(backend), normalise_path(path), int(version) if version else None)


class VaultSettings(BaseModel):
    """The ``[vault]`` table (``auth = "kubernetes"`` logs in with the pod's service account)."""

    model_config = ConfigDict(extra="forbid")
    url: str = "http://127.0.0.1:8200"
    mount: str = "secret"
    token_env: str = "VAULT_TOKEN"  # noqa: S105 - the name of a variable
    auth: Literal["token", "kubernetes"] = "token"
    role: str | None = None  # the kubernetes auth role
    auth_mount: str = "kubernetes"
    jwt_path: str = "/var/run/secrets/kubernetes.io/serviceaccount/token"


class AwsSettings(BaseModel):
    """The ``[aws]`` table; credentials come from the usual AWS chain, never from this file."""

    model_config = ConfigDict(extra="forbid")
    region: str = "us-east-1"
    endpoint_url: str | None = None


class DynamicSettings(BaseModel):
    """A ``[dynamic.NAME]`` table: PostgreSQL credentials issued per run, with a lease."""

    model_config = ConfigDict(extra="forbid")
    # postgres: shieldwall makes the login itself; vault: a database secrets engine makes it
    # (Vault's or the hub's, reached with the [vault] settings) from its `role`.
    engine: Literal["postgres", "vault"] = "postgres"
    role: str | None = None
    mount: str = "database"
    admin_url_env: str = "SHIELDWALL_DYNAMIC_POSTGRES_URL"
    member_of: list[str] = Field(default_factory=list)
    ttl_seconds: int = Field(default=3600, ge=1)
    max_ttl_seconds: int = Field(default=86400, ge=1)
    user_var: str = Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    password_var: str = Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    url_var: str | None = Field(default=None, pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True, slots=True)
class SecretsMapping:
    """Environment variable names to references, plus backend settings."""

    variables: dict[str, SecretRef]
    vault: VaultSettings
    aws: AwsSettings = field(default_factory=AwsSettings)
    dynamic: dict[str, DynamicSettings] = field(default_factory=dict)


def load_mapping(path: Path) -> SecretsMapping:
    """Read and validate a mapping file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise SecretConfigError(f"no secrets mapping file at {path}") from exc
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise SecretConfigError(f"cannot read {path}: {exc}") from exc
    variables: dict[str, SecretRef] = {}
    vault, aws = VaultSettings(), AwsSettings()
    dynamic: dict[str, DynamicSettings] = {}
    for key, value in data.items():
        if key == "dynamic" and isinstance(value, dict):
            for name, table in value.items():
                try:
                    dynamic[name] = DynamicSettings.model_validate(table)
                except ValidationError as exc:
                    raise SecretConfigError(f"{path}: invalid [dynamic.{name}]: {exc}") from None
        elif key in {"vault", "aws"} and isinstance(value, dict):
            try:
                if key == "vault":
                    vault = VaultSettings.model_validate(value)
                else:
                    aws = AwsSettings.model_validate(value)
            except ValidationError as exc:
                raise SecretConfigError(f"{path}: invalid [{key}] table: {exc}") from None
        elif isinstance(value, str) and _NAME.fullmatch(key):
            variables[key] = SecretRef.parse(value)
        else:
            raise SecretConfigError(
                f'{path}: {key!r} must be NAME = "backend:path" or a [vault], [aws] or '
                "[dynamic.NAME] table"
            )
    return SecretsMapping(variables, vault, aws, dynamic)
