"""The rules of the deps analyzer. Advisory ids are data in findings, never rules."""

from __future__ import annotations

from shieldwall.core.rule import Rule

SCANNER = "deps"

VULNERABLE_PACKAGE = Rule.create(
    id="SW-DEP-001",
    title="Dependency with a known vulnerability",
    severity="high",
    scanner=SCANNER,
    description=(
        "A locked or installed package version is affected by a published advisory (OSV). "
        "The finding lists every identifier of the vulnerability (CVE, GHSA, PYSEC, ...), its "
        "severity from the CVSS vector, and the dependency path from a direct dependency."
    ),
    remediation=(
        "Upgrade to the suggested version, which clears every known advisory on the package; "
        "for a transitive dependency, upgrade the direct dependency that pulls it in."
    ),
    cwe=("CWE-1395",),
    references=("https://ossf.github.io/osv-schema/",),
    tags=("supply-chain", "sca"),
)

MISSING_LOCKFILE = Rule.create(
    id="SW-DEP-002",
    title="Manifest without a lockfile: dependency versions are not pinned",
    severity="info",
    scanner=SCANNER,
    description=(
        "The manifest declares dependencies but no lockfile pins them, so every install may "
        "resolve different versions and the scan cannot tell which ones ship."
    ),
    remediation="Commit the lockfile your package manager writes (npm, poetry, uv, bundler, ...).",
    cwe=("CWE-1357",),
    tags=("supply-chain",),
)

UNPINNED_REQUIREMENT = Rule.create(
    id="SW-DEP-003",
    title="Requirement not pinned to an exact version",
    severity="low",
    scanner=SCANNER,
    description=(
        "A requirement names a version range, no version, an editable install or a URL, so the "
        "installed version is not reproducible and cannot be checked against advisories."
    ),
    remediation="Pin with `name==version` (and `--hash`), e.g. with pip-compile or uv pip compile.",
    cwe=("CWE-1357",),
    tags=("supply-chain",),
)

RULES = (VULNERABLE_PACKAGE, MISSING_LOCKFILE, UNPINNED_REQUIREMENT)
