"""Rule metadata of the SAST analyzer: taint rules (one per sink kind) and pattern rules."""

from __future__ import annotations

from shieldwall.analyzers.sast.rules.catalog import SCANNER, make_rule
from shieldwall.analyzers.sast.rules.taint import TAINT_RULES, rule_for_kind

__all__ = ["SCANNER", "TAINT_RULES", "make_rule", "rule_for_kind"]
