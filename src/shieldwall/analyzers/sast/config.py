"""The ``[analyzers.sast]`` configuration slice."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from shieldwall.core.config.paths import ConfigPath
from shieldwall.core.severity import Confidence


class SastConfig(BaseModel):
    """Options of the Python SAST analyzer."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    extra_specs: tuple[ConfigPath, ...] = Field(
        default=(),
        description="Paths of team taint specs (TOML) added to the built-in ones; a relative path "
        "is relative to the config file's directory.",
    )
    min_confidence: Confidence = Field(
        default=Confidence.LOW, description="Findings below this confidence are not reported."
    )
    taint: bool = Field(default=True, description="Run the inter-procedural taint analysis.")
    max_file_lines: int = Field(
        default=200_000, ge=1, description="Modules longer than this are reported and skipped."
    )
    max_taint_bytes: int = Field(
        default=100 * 1024**2,
        ge=0,
        description="Above this much Python source the taint analysis (which keeps every module's "
        "tree in memory, about 40 bytes per byte of source) is skipped with a warning; pattern "
        "rules still run, one module at a time.",
    )
    max_visits: int = Field(
        default=6,
        ge=1,
        le=50,
        description="How often one function may be re-analysed (recursion bound).",
    )
    time_limit_seconds: float = Field(
        default=600.0, gt=0, description="Wall-clock budget of the taint fixed point per project."
    )
