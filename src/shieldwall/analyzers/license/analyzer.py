"""The license analyzer: declared licenses of locked and installed dependencies vs the policy.

Licenses come from the lockfiles that record them (package-lock.json v2+, composer.lock) and
from installed metadata (``*.dist-info/METADATA``), through the shared deps collectors.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import ClassVar

from pydantic import BaseModel

from shieldwall.analyzers.deps.collectors import (
    CollectorError,
    Inventory,
    Package,
    collector_for,
)
from shieldwall.analyzers.license.config import LicenseConfig
from shieldwall.analyzers.license.rules import DENIED_LICENSE, RULES, UNKNOWN_LICENSE
from shieldwall.analyzers.license.spdx import canonical_ids, normalize, permitted
from shieldwall.core.errors import AnalysisError
from shieldwall.core.file import File
from shieldwall.core.finding import Finding
from shieldwall.core.location import PackageLocation
from shieldwall.core.protocols import AnalysisContext, AnalyzerOutput, AnalyzerScope
from shieldwall.core.rule import Rule

# Lockfile formats that carry each package's license.
_WITH_LICENSES = frozenset(
    {"package-lock.json", "npm-shrinkwrap.json", "composer.lock", "METADATA"}
)


class LicenseAnalyzer:
    """Denied and unknown dependency licenses (SW-LIC-*)."""

    id: ClassVar[str] = "license"
    version: ClassVar[str] = "1"
    description: ClassVar[str] = "Dependency licenses checked against a deny/allow policy"
    scope: ClassVar[AnalyzerScope] = AnalyzerScope.FILE
    config_model: ClassVar[type[BaseModel] | None] = LicenseConfig

    def rules(self) -> Sequence[Rule]:
        """SW-LIC-001..002."""
        return RULES

    def wants(self, path: str) -> bool:
        """Lockfiles that record licenses, and installed package metadata."""
        name = path.rsplit("/", 1)[-1]
        if name not in _WITH_LICENSES:
            return False
        if name == "METADATA":
            return path.rsplit("/", 2)[-2].endswith(".dist-info")
        return "node_modules/" not in path

    def analyze(self, files: Sequence[File], ctx: AnalysisContext) -> Iterator[AnalyzerOutput]:
        """Findings for each file."""
        config = ctx.config if isinstance(ctx.config, LicenseConfig) else LicenseConfig()
        deny, allow = canonical_ids(config.deny), canonical_ids(config.allow)
        for file in files:
            collector = collector_for(file.path)
            if collector is None:
                continue
            try:
                inventory = collector.collect(file.path, file.read_text_strict())
            except CollectorError as exc:
                raise AnalysisError(str(exc)) from exc
            for package in inventory.packages:
                yield from _check(inventory, package, deny, allow, config.report_unknown)


def _location(inventory: Inventory, package: Package) -> PackageLocation:
    return PackageLocation(
        path=inventory.path,
        purl=package.purl,
        name=package.name,
        version=package.version,
        ecosystem=package.ecosystem.value,
        line=package.line,
        dependency_path=package.dependency_path,
    )


def _check(
    inventory: Inventory,
    package: Package,
    deny: frozenset[str],
    allow: frozenset[str],
    report_unknown: bool,
) -> Iterator[Finding]:
    # Several declared licenses (composer arrays, classifiers) mean the user may pick any.
    declared = " OR ".join(f"({d})" for d in package.licenses) if len(package.licenses) > 1 else (
        package.licenses[0] if package.licenses else "")  # fmt: skip
    parsed = normalize(declared)
    where = _location(inventory, package)
    if parsed.expression is None or parsed.unknown:
        if report_unknown:
            why = parsed.error or f"unknown license ids {', '.join(parsed.unknown)}"
            shown = f" {declared!r}" if declared else ""
            yield Finding.create(
                rule=UNKNOWN_LICENSE,
                message=f"{package.name} {package.version}: license{shown}: {why}",
                location=where,
                identity=f"{package.purl}|{declared}",
                properties={"declared": declared},
            )
        if parsed.expression is None:
            return
    if not permitted(parsed.expression, deny, allow):
        policy = "denied" if not allow else "not in the allow list"
        yield Finding.create(
            rule=DENIED_LICENSE,
            message=f"{package.name} {package.version} is licensed {parsed.spdx} ({policy})",
            location=where,
            identity=f"{package.purl}|{parsed.spdx}",
            properties={"declared": declared, "spdx": parsed.spdx},
        )
