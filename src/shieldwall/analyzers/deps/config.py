"""The ``[analyzers.deps]`` config slice."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class DepsConfig(BaseModel):
    """Settings of the deps analyzer."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    max_db_age_days: int = Field(
        default=7, ge=0, description="Warn when the advisory index is older than this (0: never)."
    )
    auto_update: bool = Field(
        default=False, description="Update a stale index before scanning (unless offline)."
    )
    include_dev: bool = Field(default=True, description="Also match development-only dependencies.")
    report_unpinned: bool = Field(
        default=True, description="Report manifests without lockfiles and unpinned requirements."
    )
