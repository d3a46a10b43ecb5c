"""The ``[analyzers.license]`` config slice."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

# Network-copyleft and source-available licenses: using them in a service obliges publishing
# or licensing terms most companies do not accept. A team replaces the list in its config.
DEFAULT_DENY = (
    "AGPL-1.0-only",
    "AGPL-1.0-or-later",
    "AGPL-3.0-only",
    "AGPL-3.0-or-later",
    "SSPL-1.0",
    "BUSL-1.1",
)


class LicenseConfig(BaseModel):
    """The license policy: SPDX ids denied, and optionally the only ones allowed."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    deny: tuple[str, ...] = Field(default=DEFAULT_DENY, description="SPDX ids never allowed.")
    allow: tuple[str, ...] = Field(
        default=(), description="If set, only these SPDX ids are allowed."
    )
    report_unknown: bool = Field(
        default=True, description="Report packages whose license is missing or not SPDX."
    )
