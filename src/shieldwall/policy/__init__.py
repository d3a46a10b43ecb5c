"""Policy: suppression (inline, baseline, ignore list), diff-aware filtering and the gate."""

from __future__ import annotations

from shieldwall.policy.apply import apply_policy
from shieldwall.policy.baseline import Baseline, load_baseline, write_baseline
from shieldwall.policy.diff import DiffScope, filter_to_diff
from shieldwall.policy.gate import GateOutcome, evaluate_gate
from shieldwall.policy.ignorelist import IgnoreMatcher
from shieldwall.policy.inline import InlineDirective, parse_directive
from shieldwall.policy.suppress import SuppressionOutcome, suppress

__all__ = [
    "Baseline",
    "DiffScope",
    "GateOutcome",
    "IgnoreMatcher",
    "InlineDirective",
    "SuppressionOutcome",
    "apply_policy",
    "evaluate_gate",
    "filter_to_diff",
    "load_baseline",
    "parse_directive",
    "suppress",
    "write_baseline",
]
