"""The configuration schema: every option declared once, with its description and default.

The CLI flag (``--fail-on``) and the environment name (``SHIELDWALL_FAIL_ON``) derive from the
field name; ``load.py`` merges defaults < file < environment < CLI.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from shieldwall.core.redaction import DEFAULT_SALT

FailOn = Literal["critical", "high", "medium", "low", "info", "none"]

_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmg]?)i?b?\s*$", re.IGNORECASE)
_SIZE_FACTORS = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}


def parse_size(value: object) -> int:
    """Bytes from ``1048576``, ``"512k"``, ``"2MB"`` or ``"1 GiB"``."""
    if isinstance(value, bool):
        raise TypeError("a size must be a number of bytes or a string like '2MB'")
    if isinstance(value, int):
        return value
    match = _SIZE.match(str(value))
    if not match:
        raise ValueError(f"{value!r} is not a size; use bytes or a string like '2MB'")
    return int(float(match.group(1)) * _SIZE_FACTORS[match.group(2).lower()])


class IgnoreEntry(BaseModel):
    """An entry of the ignore list: what it matches, why, and until when."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    rule: str | None = Field(default=None, description="Rule id to ignore, e.g. SW-SEC-001.")
    path: str | None = Field(default=None, description="Glob of paths, relative to the scan root.")
    fingerprint: str | None = Field(default=None, description="One finding's fingerprint.")
    reason: str = Field(min_length=1, description="Why this is acceptable (mandatory).")
    expires: date | None = Field(default=None, description="After this date it stops applying.")

    @model_validator(mode="after")
    def _needs_a_matcher(self) -> IgnoreEntry:
        if not (self.rule or self.path or self.fingerprint):
            raise ValueError("an ignore entry needs at least one of rule, path or fingerprint")
        if not self.reason.strip():
            raise ValueError("an ignore entry needs a reason")
        return self


class ShieldwallConfig(BaseModel):
    """The effective configuration of a scan."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    scanners: tuple[str, ...] = Field(
        default=(), description="Scanners to run (empty: every installed scanner)."
    )
    fail_on: FailOn = Field(
        default="high", description="Lowest severity that fails the gate ('none' never fails)."
    )
    exclude: tuple[str, ...] = Field(
        default=(), description="Gitignore-style patterns of paths not to scan."
    )
    max_file_size: int = Field(
        default=2 * 1024 * 1024, description="Files larger than this (bytes or '2MB') are skipped."
    )
    jobs: int = Field(default=0, ge=0, description="Worker processes (0: one per core).")
    baseline: str | None = Field(default=None, description="Baseline file of accepted findings.")
    policy: str | None = Field(
        default=None,
        description="Organisation policy YAML (default: shieldwall-policy.yaml or "
        ".shieldwall/policy.yaml at the scan root, when present).",
    )
    cache_dir: str | None = Field(default=None, description="Where caches and databases live.")
    offline: bool = Field(default=False, description="Never touch the network.")
    secret_salt: str = Field(
        default=DEFAULT_SALT, description="Salt of the hashes that stand in for secrets."
    )
    progress: bool = Field(default=True, description="Show a progress bar on a terminal.")
    ignore: tuple[IgnoreEntry, ...] = Field(
        default=(), description="Findings to ignore, each with a reason and optional expiry."
    )
    analyzers: dict[str, dict[str, Any]] = Field(
        default_factory=dict, description="Per-scanner settings, e.g. [analyzers.secrets]."
    )

    @field_validator("max_file_size", mode="before")
    @classmethod
    def _size(cls, value: object) -> int:
        return parse_size(value)

    @field_validator("scanners", "exclude", mode="before")
    @classmethod
    def _comma_list(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(",") if part.strip())
        return value


SCALAR_FIELDS: tuple[str, ...] = tuple(
    name for name in ShieldwallConfig.model_fields if name not in {"ignore", "analyzers"}
)


def env_name(field_name: str) -> str:
    """The environment variable that sets a field: ``SHIELDWALL_`` + its upper-case name."""
    return "SHIELDWALL_" + field_name.upper()


def flag_name(field_name: str) -> str:
    """The CLI flag that sets a field."""
    return "--" + field_name.replace("_", "-")
