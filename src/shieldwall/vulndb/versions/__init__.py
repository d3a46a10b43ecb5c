"""Version schemes per ecosystem: each turns a version string into a totally ordered key.

Every scheme follows its ecosystem's own rules (linked in each module) so that OSV ``ECOSYSTEM``
and ``SEMVER`` ranges are evaluated exactly as the ecosystem's package manager would.
"""

from __future__ import annotations

from shieldwall.vulndb.versions.base import VersionKey, VersionScheme
from shieldwall.vulndb.versions.registry import scheme_for, supported_ecosystems

__all__ = ["VersionKey", "VersionScheme", "scheme_for", "supported_ecosystems"]
