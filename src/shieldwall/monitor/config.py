"""``monitor.yaml``: the daemon's sources, rules, state folder and sinks."""

from __future__ import annotations

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


SinkConfig = Annotated[
    StdoutSinkConfig | FileSinkConfig | WebhookSinkConfig, Field(discriminator="kind")
]


class MonitorConfig(BaseModel):
    """The whole daemon configuration."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    sources: list[FileSourceConfig] = Field(min_length=1)
    rules: list[Path] = []
    builtin_rules: bool = True
    state_dir: Path = Path(".shieldwall-monitor")
    group_window: int = Field(300, ge=0, description="seconds")
    max_events: int = Field(20, ge=1)
    poll_interval: float = Field(1.0, gt=0)
    year: int | None = None
    sinks: list[SinkConfig] = [StdoutSinkConfig(kind="stdout")]


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
            "sources": [s.model_copy(update={"path": anchor(s.path)}) for s in config.sources],
            "rules": [anchor(r) for r in config.rules],
            "state_dir": anchor(config.state_dir),
            "sinks": [
                s.model_copy(update={"path": anchor(s.path)})
                if isinstance(s, FileSinkConfig)
                else s
                for s in config.sinks
            ],
        }
    )
