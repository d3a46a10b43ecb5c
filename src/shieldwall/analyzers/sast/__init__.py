"""Python SAST: inter-procedural taint analysis with traces, and a library of pattern rules."""

from __future__ import annotations

from shieldwall.analyzers.sast.analyzer import SastAnalyzer
from shieldwall.analyzers.sast.config import SastConfig

__all__ = ["SastAnalyzer", "SastConfig"]
