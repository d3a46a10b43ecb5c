"""Linking scanner findings to model components, and through CWE ids to their threats.

A component names the code (path globs), IaC resources and images that implement it. A finding
located there belongs to the component; when it shares a CWE id with a threat of that component,
the threat is *evidenced*: the scanners show it is real, not hypothetical.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from shieldwall.core.errors import UsageError
from shieldwall.core.finding import Finding
from shieldwall.core.location import ImageLocation, location_line
from shieldwall.threatmodel.model import Component


class _RuleRef(BaseModel):
    model_config = ConfigDict(extra="ignore")
    id: str
    title: str = ""
    cwe: list[str] = Field(default_factory=list)


class _LocationRef(BaseModel):
    model_config = ConfigDict(extra="ignore")
    kind: str = "source"
    path: str = ""
    url: str = ""
    image: str = ""
    start_line: int | None = None
    line: int | None = None


class _FindingRef(BaseModel):
    model_config = ConfigDict(extra="ignore")
    rule: _RuleRef
    severity: str = "medium"
    message: str = ""
    location: _LocationRef
    fingerprint: str = ""
    suppressed: bool = False
    properties: dict[str, object] = Field(default_factory=dict)


class _ReportRef(BaseModel):
    model_config = ConfigDict(extra="ignore")
    findings: list[_FindingRef]


@dataclass(frozen=True, slots=True)
class ScannerFinding:
    """The parts of a scanner finding that linking needs."""

    rule_id: str
    title: str
    severity: str
    message: str
    path: str
    line: int | None
    cwe: frozenset[str]
    fingerprint: str
    image: str = ""
    resource: str = ""

    @property
    def where(self) -> str:
        """``path:line`` (or the image) for reports."""
        if self.image:
            return f"{self.image}:{self.path}"
        return f"{self.path}:{self.line}" if self.line else self.path


@dataclass(frozen=True, slots=True)
class Evidence:
    """A finding that proves a threat of a component."""

    component: str
    finding: ScannerFinding
    cwe: tuple[str, ...]


def read_findings(path: Path) -> tuple[ScannerFinding, ...]:
    """The active findings of a shieldwall JSON report (``shieldwall scan --format json``)."""
    try:
        report = _ReportRef.model_validate_json(path.read_bytes())
    except OSError as exc:
        raise UsageError(f"cannot read findings {path}: {exc.strerror or exc}") from exc
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"])
        raise UsageError(
            f"{path} is not a shieldwall JSON report: {where}: {first['msg']}"
        ) from exc
    return tuple(_convert(f) for f in report.findings if not f.suppressed)


def _convert(finding: _FindingRef) -> ScannerFinding:
    loc = finding.location
    resource = finding.properties.get("resource") or finding.properties.get("address") or ""
    return ScannerFinding(
        rule_id=finding.rule.id,
        title=finding.rule.title,
        severity=finding.severity,
        message=finding.message,
        path=(loc.path or loc.url).removeprefix("./"),
        line=loc.start_line if loc.start_line is not None else loc.line,
        cwe=frozenset(c.upper() for c in finding.rule.cwe),
        fingerprint=finding.fingerprint,
        image=loc.image,
        resource=str(resource),
    )


def from_findings(findings: Iterable[Finding]) -> tuple[ScannerFinding, ...]:
    """The active findings of an in-process scan, in the form linking needs."""
    converted = []
    for finding in findings:
        if finding.suppressed:
            continue
        location = finding.location
        image = location.image if isinstance(location, ImageLocation) else ""
        resource = finding.properties.get("resource") or finding.properties.get("address") or ""
        converted.append(
            ScannerFinding(
                rule_id=finding.rule.id,
                title=finding.rule.title,
                severity=finding.severity.value,
                message=finding.message,
                path=location.path.removeprefix("./"),
                line=location_line(location),
                cwe=frozenset(c.upper() for c in finding.rule.cwe),
                fingerprint=finding.fingerprint,
                image=image,
                resource=str(resource),
            )
        )
    return tuple(converted)


def belongs_to(finding: ScannerFinding, component: Component) -> bool:
    """Whether ``finding`` is located in code, IaC or an image of ``component``."""
    if finding.image:
        return any(_image_matches(finding.image, ref) for ref in component.images)
    if any(path_matches(finding.path, pattern) for pattern in component.code):
        return True
    for ref in component.iac:
        if finding.resource and address_matches(finding.resource, ref):
            return True
        if path_matches(finding.path, ref):
            return True
    return False


def address_matches(address: str, ref: str) -> bool:
    """Whether an IaC resource address is ``ref``, matches it as a glob, or is a part of it
    (``aws_security_group.web.ingress[0]`` of ``aws_security_group.web``)."""
    if address == ref or fnmatch.fnmatchcase(address, ref):
        return True
    return address.startswith((ref + ".", ref + "/"))


def path_matches(path: str, pattern: str) -> bool:
    """Whether a repo-relative path matches a glob; a directory pattern covers what is below it."""
    pattern = pattern.removeprefix("./").rstrip("/")
    if fnmatch.fnmatchcase(path, pattern):
        return True
    # A directory, or a pattern ending in /** or /*, covers everything below it.
    base = pattern.removesuffix("/**").removesuffix("/*")
    return "*" not in base and (path == base or path.startswith(base + "/"))


def _image_matches(image: str, ref: str) -> bool:
    if image == ref:
        return True
    # "shop/web" matches "shop/web:1.2" and "shop/web@sha256:..."
    return image.split("@", 1)[0].rsplit(":", 1)[0] == ref or fnmatch.fnmatchcase(image, ref)


def link(
    components: Iterable[Component], findings: Iterable[ScannerFinding]
) -> dict[str, tuple[ScannerFinding, ...]]:
    """The findings of each component id (a finding may belong to several components)."""
    comps = tuple(components)
    linked: dict[str, list[ScannerFinding]] = {c.id: [] for c in comps}
    for finding in findings:
        for component in comps:
            if belongs_to(finding, component):
                linked[component.id].append(finding)
    return {cid: tuple(items) for cid, items in linked.items()}
