"""``monitor.yaml``: the daemon's sources, rules, state folder and sinks."""

from __future__ import annotations

from datetime import datetime, time
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from shieldwall.core.errors import ConfigError
from shieldwall.monitor.parsers import LogFormat


class FileSourceConfig(BaseModel):
    """A log file to follow."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["file"] = "file"
    path: Path
    format: LogFormat = LogFormat.AUTO


class SyslogSourceConfig(BaseModel):
    """A syslog listener (RFC 3164 and 5424 messages; RFC 6587 framing on TCP)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["syslog"]
    protocol: Literal["udp", "tcp"] = "udp"
    host: str = "127.0.0.1"
    port: int = Field(5514, ge=0, le=65535)
    tls_certificate: Path | None = Field(None, description="PEM; TCP only (RFC 5425)")
    tls_key: Path | None = None


class HttpSourceConfig(BaseModel):
    """The HTTP ingest endpoint (JSON lines, bearer token from an environment variable)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["http"]
    host: str = "127.0.0.1"
    port: int = Field(8514, ge=0, le=65535)
    token_env: str = "SHIELDWALL_INGEST_TOKEN"  # noqa: S105 (a variable name, not a secret)
    max_body: int = Field(10 * 1024 * 1024, ge=1024, description="bytes per request")
    ack_timeout: float = Field(30.0, gt=0, description="seconds a request waits for processing")
    tls_certificate: Path | None = Field(None, description="PEM: serve HTTPS")
    tls_key: Path | None = None


class StdinSourceConfig(BaseModel):
    """Lines on standard input (the daemon stops at end of input when it is the only source)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["stdin"]
    format: LogFormat = LogFormat.AUTO


class RuntimeSourceConfig(BaseModel):
    """The runtime collector: new processes and listening sockets from /proc, writes under
    sensitive paths from inotify (profiles are learnt by ``runtime:``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["runtime"]
    proc: Path = Path("/proc")
    processes: bool = True
    paths: list[Path] = [Path("/etc"), Path("/root/.ssh"), Path("/usr/local/bin")]


SourceConfig = (
    FileSourceConfig
    | SyslogSourceConfig
    | HttpSourceConfig
    | StdinSourceConfig
    | RuntimeSourceConfig
)


class RuntimeProfileConfig(BaseModel):
    """Runtime profiles per container image (or host), learnt from runtime, Falco and auditd
    events; after ``learning`` seconds anything new alerts once."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    learning: int = Field(86_400, ge=0, description="seconds")
    max_values: int = Field(10_000, ge=1, description="values kept per kind and profile")


class StdoutSinkConfig(BaseModel):
    """Alerts as JSON lines on standard output."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["stdout"]


class FileSinkConfig(BaseModel):
    """Alerts appended as JSON lines to a file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["file"]
    path: Path


class WebhookSinkConfig(BaseModel):
    """Alerts POSTed to a URL, signed with the secret held in an environment variable."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["webhook"]
    url: str
    secret_env: str = "SHIELDWALL_WEBHOOK_SECRET"  # noqa: S105 (a variable name, not a secret)


class HubSinkConfig(BaseModel):
    """Alerts POSTed to a project of a shieldwall hub with an API token (upload scope)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["hub"]
    url: str
    project: str
    token_env: str = "SHIELDWALL_HUB_TOKEN"  # noqa: S105 (a variable name, not a secret)


class ChatSinkConfig(BaseModel):
    """A Slack- or Teams-compatible incoming webhook; its URL (a secret) from a variable."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["slack", "teams"]
    url_env: str
    rate_limit: int = Field(10, ge=1, description="messages per rate_window")
    rate_window: int = Field(60, ge=1, description="seconds")


class EmailSinkConfig(BaseModel):
    """Alerts e-mailed over SMTP, the matched events attached as JSON."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["email"]
    host: str = "127.0.0.1"
    port: int = Field(25, ge=1, le=65535)
    sender: str
    recipients: list[str] = Field(min_length=1)
    starttls: bool = False
    username: str | None = None
    password_env: str | None = None
    rate_limit: int = Field(10, ge=1, description="messages per rate_window")
    rate_window: int = Field(300, ge=1, description="seconds")


SinkConfig = Annotated[
    StdoutSinkConfig
    | FileSinkConfig
    | WebhookSinkConfig
    | HubSinkConfig
    | ChatSinkConfig
    | EmailSinkConfig,
    Field(discriminator="kind"),
]


class SuppressionConfig(BaseModel):
    """Alerts to keep quiet: a rule (glob), field values, a time of day, until an expiry."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    rule: str = "*"
    fields: dict[str, str | list[str]] = {}
    between: tuple[time, time] | None = None
    expires: datetime | None = None
    reason: str = Field(min_length=1)


class ScaleConfig(BaseModel):
    """Scale-out: ``monitor run`` publishes events to Redis Streams; ``monitor worker``s detect."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    redis_url: str = "redis://127.0.0.1:6379/0"
    prefix: str = "shieldwall:events"
    partitions: int = Field(4, ge=1, le=1024)
    group: str = "detect"


class MonitorConfig(BaseModel):
    """The whole daemon configuration."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    sources: list[SourceConfig] = Field(min_length=1)
    rules: list[Path] = []
    builtin_rules: bool = True
    state_dir: Path = Path(".shieldwall-monitor")
    group_window: int = Field(300, ge=0, description="seconds")
    max_events: int = Field(20, ge=1)
    poll_interval: float = Field(1.0, gt=0)
    year: int | None = None
    sinks: list[SinkConfig] = [StdoutSinkConfig(kind="stdout")]
    suppressions: list[SuppressionConfig] = []
    scale: ScaleConfig | None = None
    runtime: RuntimeProfileConfig | None = None
    inbox_capacity: int = Field(100_000, ge=1, description="messages queued from push sources")
    leak_fingerprints: Path | None = Field(
        None,
        description="a `shieldwall secrets fingerprints` file: stored secrets in logs alert "
        "as SW-MON-900 and are redacted",
    )


def load_monitor_config(path: Path) -> MonitorConfig:
    """Read and validate ``monitor.yaml``; relative paths are relative to its folder."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        config = MonitorConfig.model_validate(raw)
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot read the monitor config: {exc}") from exc
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ConfigError(f"{path}: {where}: {first['msg']}") from exc
    base = path.parent

    def anchor(p: Path) -> Path:
        return p if p.is_absolute() else base / p

    return config.model_copy(
        update={
            "sources": [
                s.model_copy(update={"path": anchor(s.path)})
                if isinstance(s, FileSourceConfig)
                else s
                for s in config.sources
            ],
            "rules": [anchor(r) for r in config.rules],
            "state_dir": anchor(config.state_dir),
            "leak_fingerprints": config.leak_fingerprints and anchor(config.leak_fingerprints),
            "sinks": [
                s.model_copy(update={"path": anchor(s.path)})
                if isinstance(s, FileSinkConfig)
                else s
                for s in config.sinks
            ],
        }
    )
