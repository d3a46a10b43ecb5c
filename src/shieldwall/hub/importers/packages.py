"""Package identity across tools: ecosystems, names and vulnerability ids normalised.

Two scanners reporting the same advisory in the same package must land on one hub finding, so the
package and the advisory id are normalised the same way whatever the tool called them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from shieldwall.core.ids import Purl

# Tool-specific ecosystem names (Trivy types, OSV ecosystems, Dependabot ecosystems) → purl types.
_ECOSYSTEMS = {
    "pypi": "pypi",
    "pip": "pypi",
    "pipenv": "pypi",
    "poetry": "pypi",
    "python-pkg": "pypi",
    "uv": "pypi",
    "npm": "npm",
    "yarn": "npm",
    "pnpm": "npm",
    "node-pkg": "npm",
    "go": "golang",
    "golang": "golang",
    "gomod": "golang",
    "gobinary": "golang",
    "crates.io": "cargo",
    "cargo": "cargo",
    "rust": "cargo",
    "packagist": "composer",
    "composer": "composer",
    "maven": "maven",
    "jar": "maven",
    "pom": "maven",
    "gradle": "maven",
    "rubygems": "gem",
    "bundler": "gem",
    "gemspec": "gem",
    "gem": "gem",
    "nuget": "nuget",
    "dotnet-core": "nuget",
}
_PYPI_NAME = re.compile(r"[-_.]+")
_PURL = re.compile(r"^pkg:(?P<type>[^/]+)/(?P<name>[^@?#]+)(?:@(?P<version>[^?#]+))?")


def ecosystem(name: str) -> str:
    """The purl type for a tool's ecosystem name (unknown names are lower-cased as they are)."""
    key = name.strip().lower()
    return _ECOSYSTEMS.get(key, key)


def package_name(eco: str, name: str) -> str:
    """A package name compared the way its ecosystem compares names (PEP 503 for PyPI)."""
    if eco == "pypi":
        return _PYPI_NAME.sub("-", name).lower()
    if eco in {"npm", "cargo", "composer", "gem", "nuget"}:
        return name.lower()
    return name


def make_purl(eco: str, name: str, version: str) -> Purl:
    """A package URL (version omitted when unknown)."""
    suffix = f"@{version}" if version else ""
    return Purl(f"pkg:{eco}/{name}{suffix}")


def parse_purl(purl: str) -> tuple[str, str, str] | None:
    """``(type, name, version)`` of a package URL, or ``None`` when it is not one."""
    match = _PURL.match(purl.strip())
    if not match:
        return None
    from urllib.parse import unquote

    return match["type"].lower(), unquote(match["name"]), unquote(match["version"] or "")


def canonical_vuln_id(ids: Iterable[str]) -> str:
    """The id two tools most likely share: the CVE if any, else a GHSA, else the first."""
    cleaned = [i.strip() for i in ids if i and i.strip()]
    for prefix in ("CVE-", "GHSA-"):
        matching = sorted(i for i in cleaned if i.upper().startswith(prefix))
        if matching:
            return matching[0].upper() if prefix == "CVE-" else matching[0]
    return cleaned[0] if cleaned else ""
