"""Vulnerabilities of the packages an image ships, matched against the local advisory index.

The view writes the image's inventory as a synthetic ``.shieldwall-image/packages.json`` after
the last layer; :class:`ImageVulnAnalyzer` reads it and matches

* OS packages against the distribution's own advisories in OSV form (``Debian:12``,
  ``Alpine:v3.19``, ``Rocky Linux:9`` ...), by *source* package where the distribution keys
  its advisories so (Debian, Ubuntu, Alpine, Rocky, Alma), with dpkg, apk or rpm ordering;
* language packages found in archives and binaries (jars, Go build info, gemspecs, installed
  npm packages, egg-info) against their registries' advisories, as the deps scanner does.

Every finding names the layer and Dockerfile step that first installed the package version,
the installed version, and the fixed versions (or that no fix is published yet).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from typing import Any, ClassVar

from pydantic import BaseModel

from shieldwall.analyzers.deps.collectors import Inventory, Package
from shieldwall.analyzers.deps.collectors.base import InventoryKind
from shieldwall.analyzers.deps.findings import vulnerability_findings
from shieldwall.analyzers.deps.rules import VULNERABLE_PACKAGE
from shieldwall.core.errors import AnalysisError, ScanAbortedError
from shieldwall.core.file import File
from shieldwall.core.finding import Finding, Fix
from shieldwall.core.frozen import freeze
from shieldwall.core.ids import Purl
from shieldwall.core.location import PackageLocation
from shieldwall.core.protocols import AnalysisContext, AnalyzerOutput, AnalyzerScope
from shieldwall.core.result import ScanError
from shieldwall.core.rule import Rule
from shieldwall.image.pkgdoc import PACKAGES_JSON, OsPackageModel, PackagesDocument
from shieldwall.image.rules import VULNERABLE_OS_PACKAGE
from shieldwall.vulndb.cache import resolve_index_path
from shieldwall.vulndb.distros import BY_SOURCE, OsEcosystem, ecosystems_for
from shieldwall.vulndb.errors import InvalidVersionError, VulnDbError
from shieldwall.vulndb.index import AdvisoryIndexLike
from shieldwall.vulndb.matcher import AdvisoryGroup, match_package, open_index

_NO_INDEX = (
    "no advisory database at {path}: run `shieldwall db update` (online) or "
    "`shieldwall db import PATH` (OSV records, including the distribution's) first"
)


class ImageVulnAnalyzer:
    """Known vulnerabilities of the OS and language packages an image ships."""

    id: ClassVar[str] = "image-vulns"
    version: ClassVar[str] = "1"
    description: ClassVar[str] = "Vulnerable OS packages and packages inside image binaries"
    scope: ClassVar[AnalyzerScope] = AnalyzerScope.FILE
    config_model: ClassVar[type[BaseModel] | None] = None

    def rules(self) -> Sequence[Rule]:
        """SW-IMG-006, and SW-DEP-001 for language packages (the deps scanner's rule)."""
        return (VULNERABLE_OS_PACKAGE, VULNERABLE_PACKAGE)

    def wants(self, path: str) -> bool:
        """Only the synthetic package document."""
        return path == PACKAGES_JSON

    def analyze(self, files: Sequence[File], ctx: AnalysisContext) -> Iterator[AnalyzerOutput]:
        """Findings for every vulnerable package of the document."""
        for file in files:
            yield from self._analyze_file(file, ctx)

    def _analyze_file(self, file: File, ctx: AnalysisContext) -> Iterator[AnalyzerOutput]:
        try:
            document = PackagesDocument.model_validate_json(file.read_bytes())
        except ValueError as exc:
            raise AnalysisError(f"{file.path}: not a package document: {exc}") from exc
        if not document.os_packages and not document.language_packages:
            return
        index = _open(ctx)
        yield from os_findings(index, document)
        yield from language_findings(index, document)


def _open(ctx: AnalysisContext) -> AdvisoryIndexLike:
    path = resolve_index_path(ctx.cache_dir)
    if not path.is_file():
        raise ScanAbortedError(_NO_INDEX.format(path=path))
    try:
        return open_index(path)
    except VulnDbError as exc:
        raise ScanAbortedError(str(exc)) from exc


def os_findings(
    index: AdvisoryIndexLike, document: PackagesDocument
) -> Iterator[Finding | ScanError]:
    """One finding per (OS package, vulnerability)."""
    ecosystems = ecosystems_for(document.os_id, document.os_version_id)
    if not ecosystems:
        return
    for package in document.os_packages:
        family = ecosystems[0].family
        by_source = family in BY_SOURCE and package.source_name
        name = package.source_name if by_source else package.name
        version = (package.source_version or package.version) if by_source else package.version
        seen: set[str] = set()
        for ecosystem in ecosystems:
            try:
                match = match_package(index, ecosystem, name, version)
            except InvalidVersionError as exc:
                yield ScanError(
                    package.database or PACKAGES_JSON, f"{package.name}: {exc}", "image-vulns"
                )
                break
            for group in match.groups:
                if group.primary in seen:
                    continue
                seen.add(group.primary)
                yield _os_finding(document, package, ecosystem, group, name, version)


def _os_finding(
    document: PackagesDocument,
    package: OsPackageModel,
    ecosystem: OsEcosystem,
    group: AdvisoryGroup,
    matched_name: str,
    matched_version: str,
) -> Finding:
    others = list(group.ids[1:])
    also = f" (also {', '.join(others)})" if others else ""
    source = f" (source {matched_name} {matched_version})" if matched_name != package.name else ""
    summary = f": {group.summary}" if group.summary else ""
    fixed = group.fixed_versions
    status = "fixed" if fixed else "not-fixed"
    tail = f"; fixed in {', '.join(fixed)}" if fixed else "; no fixed version published yet"
    message = (
        f"{package.name} {package.version}{source} in {document.os_name} is affected by "
        f"{group.primary}{also}{summary}{tail}"
    )
    severity = group.severity
    properties: dict[str, Any] = {
        "advisories": [a.id for a in group.advisories],
        "aliases": list(group.ids),
        "ecosystem": ecosystem.value,
        "package_manager": package.manager,
        "installed_version": package.version,
        "source_package": matched_name,
        "source_version": matched_version,
        "fixed_versions": list(fixed),
        "fix_status": status,
        "severity_source": severity.source if severity else "default",
        "references": [r for a in group.advisories for r in a.references][:8],
        "image_path": package.database,
        "image_layer": package.layer,
        "image_layer_index": package.layer_index,
        "image_created_by": package.created_by,
    }
    if severity is not None and severity.score is not None:
        properties["cvss_score"] = severity.score
        properties["cvss_vector"] = severity.vector
    return Finding.create(
        rule=VULNERABLE_OS_PACKAGE,
        message=message,
        location=PackageLocation(
            path=package.database.lstrip("/") or PACKAGES_JSON,
            purl=Purl(package.purl),
            name=package.name,
            version=package.version,
            ecosystem=ecosystem.value,
        ),
        severity=severity.severity if severity else None,
        identity=f"{package.purl}|{group.primary}",
        fix=Fix(
            fixed_versions=fixed,
            description=(
                f"upgrade {package.name} to {fixed[0]} or later (rebuild the image on an "
                "updated base, or add the package upgrade to the Dockerfile)"
                if fixed
                else "no fixed version is published for this release yet"
            ),
        ),
        properties=properties,
    )


def language_findings(
    index: AdvisoryIndexLike, document: PackagesDocument
) -> Iterator[Finding | ScanError]:
    """SW-DEP-001 findings for language packages found in archives and binaries."""
    for item in document.language_packages:
        package = Package(name=item.name, version=item.version, ecosystem=item.ecosystem)
        try:
            match = match_package(index, item.ecosystem, item.name, item.version)
        except InvalidVersionError as exc:
            yield ScanError(item.path, f"{item.name}: {exc}", "image-vulns")
            continue
        if not match.groups:
            continue
        inventory = Inventory(
            path=item.path, ecosystem=item.ecosystem, kind=InventoryKind.ENVIRONMENT,
            packages=(package,),
        )  # fmt: skip
        for finding in vulnerability_findings(inventory, package, match):
            extra = {
                "image_path": "/" + item.path,
                "image_layer": item.layer,
                "image_layer_index": item.layer_index,
                "image_created_by": item.created_by,
                "package_source": item.kind,
            }
            yield _with(finding, extra)


def _with(finding: Finding, extra: dict[str, Any]) -> Finding:
    return dataclasses.replace(finding, properties=freeze({**finding.properties, **extra}))
