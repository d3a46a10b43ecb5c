"""Pattern rules of the SAST analyzer, collected explicitly from each theme module."""

from __future__ import annotations

from shieldwall.analyzers.sast.patterns import code, crypto, transport, web
from shieldwall.analyzers.sast.patterns.base import PatternCheck, PatternHit, run_checks

ALL_CHECKS: tuple[PatternCheck, ...] = (
    *crypto.CHECKS,
    *transport.CHECKS,
    *web.CHECKS,
    *code.CHECKS,
)

__all__ = ["ALL_CHECKS", "PatternCheck", "PatternHit", "run_checks"]
