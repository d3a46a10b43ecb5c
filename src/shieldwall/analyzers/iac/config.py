"""The ``[analyzers.iac]`` configuration slice."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class IacConfig(BaseModel):
    """Settings of the IaC analyzer."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    custom_policies: tuple[str, ...] = Field(
        default=(),
        description="YAML policy files (relative to the scan root) added to the built-in library.",
    )
    skip_rules: tuple[str, ...] = Field(
        default=(), description="Rule ids (built-in or custom) never to report."
    )
