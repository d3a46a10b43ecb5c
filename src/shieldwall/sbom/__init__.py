"""Software bills of materials: CycloneDX 1.6 JSON and SPDX 2.3 JSON from a target's lockfiles."""

from __future__ import annotations

from enum import StrEnum

from shieldwall.sbom.cyclonedx import to_cyclonedx
from shieldwall.sbom.inventory import Component, SoftwareInventory, build_inventory
from shieldwall.sbom.spdx import to_spdx


class SbomFormat(StrEnum):
    """The SBOM formats shieldwall writes."""

    CYCLONEDX = "cyclonedx"
    SPDX = "spdx"
    SPDX_JSON = "spdx-json"  # the same SPDX 2.3 JSON, under the name other tools use


__all__ = [
    "Component",
    "SbomFormat",
    "SoftwareInventory",
    "build_inventory",
    "to_cyclonedx",
    "to_spdx",
]
