"""The rules of the license analyzer."""

from __future__ import annotations

from shieldwall.core.rule import Rule

SCANNER = "license"

DENIED_LICENSE = Rule.create(
    id="SW-LIC-001",
    title="Dependency license not permitted by the license policy",
    severity="medium",
    scanner=SCANNER,
    description=(
        "A dependency's declared license is on the deny list, or outside the allow list, and "
        "its expression offers no permitted choice."
    ),
    remediation=(
        "Replace the dependency, obtain a different license, or record an exception with a "
        "reason in the ignore list."
    ),
    tags=("license", "compliance"),
)

UNKNOWN_LICENSE = Rule.create(
    id="SW-LIC-002",
    title="Dependency license unknown or not a valid SPDX expression",
    severity="low",
    scanner=SCANNER,
    confidence="medium",
    description=(
        "A dependency declares no license, or one that is not an SPDX expression, so the "
        "policy cannot be checked."
    ),
    remediation="Check the package's license by hand and record it, or replace the package.",
    tags=("license", "compliance"),
)

RULES = (DENIED_LICENSE, UNKNOWN_LICENSE)
