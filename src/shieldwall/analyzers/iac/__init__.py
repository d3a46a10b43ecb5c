"""Infrastructure-as-code scanning: parsers, one resource model, and the policy library."""

from __future__ import annotations

from shieldwall.analyzers.iac.analyzer import IacAnalyzer
from shieldwall.analyzers.iac.config import IacConfig

__all__ = ["IacAnalyzer", "IacConfig"]
