"""Turning inventories and matches into findings."""

from __future__ import annotations

from shieldwall.analyzers.deps.collectors import Inventory, Package, Unpinned
from shieldwall.analyzers.deps.collectors.manifests import LOCKFILES
from shieldwall.analyzers.deps.rules import (
    MISSING_LOCKFILE,
    UNPINNED_REQUIREMENT,
    VULNERABLE_PACKAGE,
)
from shieldwall.core.finding import Finding, Fix
from shieldwall.core.ids import Purl
from shieldwall.core.location import PackageLocation
from shieldwall.vulndb.ecosystems import purl_for
from shieldwall.vulndb.matcher import AdvisoryGroup, PackageMatch


def package_location(inventory: Inventory, package: Package) -> PackageLocation:
    """Where a package is: its lockfile, line and path from a direct dependency."""
    return PackageLocation(
        path=inventory.path,
        purl=package.purl,
        name=package.name,
        version=package.version,
        ecosystem=package.ecosystem.value,
        line=package.line,
        dependency_path=package.dependency_path,
    )


def vulnerability_findings(
    inventory: Inventory, package: Package, match: PackageMatch
) -> list[Finding]:
    """One finding per vulnerability (advisories merged by alias)."""
    return [_vulnerability(inventory, package, group, match.recommended) for group in match.groups]


def _vulnerability(
    inventory: Inventory, package: Package, group: AdvisoryGroup, recommended: str | None
) -> Finding:
    others = list(group.ids[1:])
    also = f" (also {', '.join(others)})" if others else ""
    fix_text = f"; fixed in {', '.join(group.fixed_versions)}" if group.fixed_versions else ""
    summary = f": {group.summary}" if group.summary else ""
    message = f"{package.name} {package.version} is affected by {group.primary}{also}{summary}"
    message += fix_text
    severity = group.severity
    properties: dict[str, object] = {
        "advisories": [a.id for a in group.advisories],
        "aliases": list(group.ids),
        "direct": package.direct,
        "dev": package.dev,
        "dependency_path": list(package.dependency_path),
        "fixed_versions": list(group.fixed_versions),
        "recommended_version": recommended,
        "severity_source": severity.source if severity else "default",
        "references": [r for a in group.advisories for r in a.references][:8],
    }
    if severity is not None and severity.score is not None:
        properties["cvss_score"] = severity.score
        properties["cvss_vector"] = severity.vector
    fix = Fix(
        fixed_versions=group.fixed_versions,
        description=(
            f"upgrade {package.name} to {recommended}, the smallest version that clears every "
            "known advisory on it"
            if recommended
            else "no fixed version is known"
        ),
    )
    return Finding.create(
        rule=VULNERABLE_PACKAGE,
        message=message,
        location=package_location(inventory, package),
        severity=severity.severity if severity else None,
        identity=f"{package.purl}|{group.primary}",
        fix=fix,
        properties=properties,
    )


def unpinned_finding(inventory: Inventory, unpinned: Unpinned) -> Finding:
    """A requirement that does not pin one version."""
    purl = Purl(purl_for(inventory.ecosystem, unpinned.name)) if " " not in unpinned.name else ""
    return Finding.create(
        rule=UNPINNED_REQUIREMENT,
        message=f"{unpinned.name} is not pinned to an exact version ({unpinned.reason})",
        location=PackageLocation(
            path=inventory.path,
            purl=Purl(purl),
            name=unpinned.name,
            version="",
            ecosystem=inventory.ecosystem.value,
            line=unpinned.line,
        ),
        identity=f"{unpinned.name}|{unpinned.spec}",
        properties={"spec": unpinned.spec, "reason": unpinned.reason},
    )


def missing_lockfile_finding(inventory: Inventory) -> Finding:
    """A manifest that declares dependencies with no lockfile for them."""
    filename = inventory.path.rsplit("/", 1)[-1]
    expected = ", ".join(sorted(LOCKFILES[filename]))
    return Finding.create(
        rule=MISSING_LOCKFILE,
        message=f"{filename} declares dependencies but no lockfile pins them (expected {expected})",
        location=PackageLocation(
            path=inventory.path,
            purl=Purl(""),
            name=filename,
            version="",
            ecosystem=inventory.ecosystem.value,
            line=inventory.dependencies_line,
        ),
        identity=f"missing-lockfile|{filename}",
        properties={"expected_lockfiles": sorted(LOCKFILES[filename])},
    )
