"""Typed identifiers used across the package."""

from __future__ import annotations

from typing import NewType

RuleId = NewType("RuleId", str)
Fingerprint = NewType("Fingerprint", str)
Purl = NewType("Purl", str)
AnalyzerId = NewType("AnalyzerId", str)

__all__ = ["AnalyzerId", "Fingerprint", "Purl", "RuleId"]
