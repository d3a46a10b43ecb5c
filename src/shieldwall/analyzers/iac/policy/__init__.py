"""Policies: the condition language, YAML loading and validation, and Python checks' contract."""

from __future__ import annotations

from shieldwall.analyzers.iac.policy.check import Check, CheckContext, Hit
from shieldwall.analyzers.iac.policy.conditions import Condition, Outcome
from shieldwall.analyzers.iac.policy.loader import PolicyError, load_policies, parse_policies

__all__ = [
    "Check",
    "CheckContext",
    "Condition",
    "Hit",
    "Outcome",
    "PolicyError",
    "load_policies",
    "parse_policies",
]
