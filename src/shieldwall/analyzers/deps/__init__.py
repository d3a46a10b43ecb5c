"""The deps analyzer: lockfile collectors, vulnerable and unpinned dependencies."""

from __future__ import annotations

from shieldwall.analyzers.deps.analyzer import DepsAnalyzer
from shieldwall.analyzers.deps.config import DepsConfig

__all__ = ["DepsAnalyzer", "DepsConfig"]
