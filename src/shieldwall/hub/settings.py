"""Hub settings: the only place in the hub that reads the environment.

Every option is a field with a default and a description; its environment name is
``SHIELDWALL_<FIELD>`` (``SHIELDWALL_DATABASE_URL``, ``SHIELDWALL_BROKER_URL``...). Tests build a
:class:`HubSettings` directly instead of patching the environment.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from pydantic import BaseModel, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from shieldwall.core.severity import Severity


def default_data_dir() -> Path:
    """The user data directory (XDG) where the embedded database lives."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "shieldwall"


def default_database_url() -> str:
    """The embedded SQLite database in the user data directory."""
    return f"sqlite:///{default_data_dir() / 'hub.sqlite3'}"


class SlaPolicy(BaseModel):
    """Days to remediate per severity; ``None`` means no deadline."""

    critical: int | None = 7
    high: int | None = 30
    medium: int | None = 90
    low: int | None = 180
    info: int | None = None

    def days(self, severity: Severity) -> int | None:
        """The number of days allowed for a finding of this severity."""
        value: int | None = getattr(self, severity.value)
        return value


class HubSettings(BaseSettings):
    """Configuration of one hub process (API server, worker or admin command)."""

    model_config = SettingsConfigDict(env_prefix="SHIELDWALL_", extra="ignore", frozen=True)

    database_url: str = Field(default_factory=default_database_url, description="SQLAlchemy URL")
    broker_url: str | None = Field(
        default=None, description="Celery broker (redis://...); unset runs jobs in-process"
    )
    host: str = Field(default="127.0.0.1", description="address `serve` binds to")
    port: int = Field(default=8700, description="port `serve` listens on")
    max_upload_bytes: int = Field(
        default=256 * 1024 * 1024, description="largest accepted request body"
    )
    max_request_bytes: int = Field(
        default=1024 * 1024, description="largest accepted body on endpoints other than uploads"
    )
    session_hours: int = Field(default=12, description="lifetime of a browser session")
    cookie_secure: bool = Field(default=False, description="mark session cookies Secure (HTTPS)")
    login_max_failures: int = Field(
        default=5, description="failed logins per user within the window before 429"
    )
    login_window_seconds: int = Field(default=900, description="window of the login rate limit")
    sla: SlaPolicy = Field(default_factory=SlaPolicy, description="days to fix per severity")
    migrate_on_start: bool = Field(default=True, description="apply migrations when serving")
    job_retries: int = Field(default=3, description="attempts for a job that hit a database error")
    job_queue: str = Field(default="shieldwall-hub", description="Celery queue the hub uses")
    policy_file: Path | None = Field(
        default=None,
        description="organisation policy YAML: risk acceptances that break it are refused",
    )
    public_url: str = Field(
        default="http://127.0.0.1:8700",
        description="the hub's address as users reach it (links in notifications and tickets)",
    )
    secret_key: SecretStr | None = Field(
        default=None,
        description="key that encrypts stored channel and tracker credentials; unset, a random"
        " key is kept in secret.key in the data directory (set it when several processes share"
        " one database)",
    )
    periodic_seconds: int = Field(
        default=3600,
        description="embedded mode: seconds between runs of the periodic job (maintenance, SLA"
        " notifications, ticket sync); 0 disables it",
    )
    secrets_master_key: SecretStr | None = Field(
        default=None,
        description="base64 of the 32-byte master key of the KV secret server (/v1/<mount>/...);"
        " unset, the KV API answers 503 sealed",
    )
    secrets_mount: str = Field(default="secret", description="KV v2 mount the hub serves")
    secrets_kubernetes_host: str | None = Field(
        default=None,
        description="Kubernetes API URL for TokenReview (enables /v1/auth/kubernetes/login)",
    )
    secrets_kubernetes_reviewer_jwt: SecretStr | None = Field(
        default=None,
        description="token allowed to create TokenReviews; unset, the caller's JWT reviews itself",
    )
    secrets_kubernetes_ca_cert: str | None = Field(
        default=None, description="CA bundle of the Kubernetes API (default: system CAs)"
    )
    secrets_database_url: SecretStr | None = Field(
        default=None,
        description="PostgreSQL admin (CREATEROLE) connection string of the database secrets "
        "engine (/v1/database/creds/<role>); unset, the engine is off",
    )

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> HubSettings:
        """Settings from an explicit environment mapping (defaults to the process environment)."""
        if environ is None:
            return cls()
        prefix = "SHIELDWALL_"
        values = {
            key[len(prefix) :].lower(): value
            for key, value in environ.items()
            if key.startswith(prefix) and key[len(prefix) :].lower() in cls.model_fields
        }
        return cls.model_validate(values)


class ClientSettings(BaseSettings):
    """Where ``shieldwall hub upload`` sends reports (``SHIELDWALL_HUB_URL``, ``_TOKEN``)."""

    model_config = SettingsConfigDict(env_prefix="SHIELDWALL_", extra="ignore", frozen=True)

    hub_url: str = Field(default="http://127.0.0.1:8700", description="base URL of the hub")
    token: str | None = Field(default=None, description="API token with the upload scope")
    timeout_seconds: float = Field(default=300.0, description="timeout of one HTTP request")
