"""The license analyzer: dependency licenses against a deny/allow policy."""

from __future__ import annotations

from shieldwall.analyzers.license.analyzer import LicenseAnalyzer
from shieldwall.analyzers.license.config import LicenseConfig

__all__ = ["LicenseAnalyzer", "LicenseConfig"]
