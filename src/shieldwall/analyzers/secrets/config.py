"""The secrets scanner's configuration slice (``[analyzers.secrets]``)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

from shieldwall.analyzers.secrets.ruleset import load_extra_rules
from shieldwall.core.config.paths import ConfigPath
from shieldwall.core.errors import ConfigError


class SecretsConfig(BaseModel):
    """Settings of the secrets scanner; unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    entropy_threshold: float = Field(
        default=3.5,
        ge=0.0,
        le=8.0,
        description=(
            "Minimum Shannon entropy (bits per character) of a base64-like value assigned to a "
            "secret-ish name before the generic rule reports it; hex values use this minus 0.5."
        ),
    )
    min_generic_length: int = Field(
        default=12, ge=4, le=200, description="Shortest token-like value the generic rule reports."
    )
    password_min_length: int = Field(
        default=8, ge=4, le=200, description="Shortest password the generic rule reports."
    )
    generic: bool = Field(default=True, description="Run the generic (name + entropy) detection.")
    extra_rules: str | None = Field(
        default=None,
        description="A TOML file of extra rules in the format of the built-in rule files.",
    )
    disabled_rules: tuple[str, ...] = Field(
        default=(), description="Rule ids not to report, e.g. ['SW-SEC-150']."
    )
    leak_fingerprints: ConfigPath | None = Field(
        default=None,
        description="A file from `shieldwall secrets fingerprints`: exact copies of stored "
        "secrets are reported as SW-SEC-900 (critical), naming the stored secret; a relative "
        "path is relative to the config file's directory.",
    )

    @model_validator(mode="after")
    def _extra_rules_load(self) -> SecretsConfig:
        """Fail at configuration time, naming the file, when the extra rules are broken."""
        if self.extra_rules:
            try:
                load_extra_rules(self.extra_rules)
            except ConfigError as exc:
                raise ValueError(str(exc)) from exc
        return self
