"""The organisation policy inside ``shieldwall scan``: what the gate counts and where it fails.

A suppression in the repository (inline comment or ignore-list entry) that breaks the policy does
not count: its finding is active again and the scan says why. The branch's threshold applies when
it is stricter than the configured ``fail_on``. Baseline and VEX suppressions are not the policy's
business: a baseline records accepted debt, VEX is the supplier's statement.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from shieldwall.ci.enforce import Violation, inline_expiry, suppression_problem
from shieldwall.ci.orgpolicy import SEVERITY_RANK, OrgPolicy, load_policy
from shieldwall.core.config import LoadedConfig
from shieldwall.core.finding import Finding, SuppressionKind
from shieldwall.core.location import location_line, location_path
from shieldwall.core.result import ScanResult

__all__ = [
    "DEFAULT_POLICY_FILES",
    "PolicyGate",
    "apply_org_policy",
    "find_policy_file",
    "with_policy_licenses",
]

DEFAULT_POLICY_FILES = ("shieldwall-policy.yaml", ".shieldwall/policy.yaml")
_REPO_KINDS = frozenset({SuppressionKind.INLINE, SuppressionKind.IGNORE})


def find_policy_file(root: Path) -> Path | None:
    """The policy file at the repository root, when there is one."""
    base = root if root.is_dir() else root.parent
    return next((base / name for name in DEFAULT_POLICY_FILES if (base / name).is_file()), None)


@dataclass(frozen=True, slots=True)
class PolicyGate:
    """The policy with what the scan needs to apply it."""

    policy: OrgPolicy
    branch: str
    source: str

    @classmethod
    def load(cls, path: Path, branch: str) -> PolicyGate:
        """Read the policy file (a malformed one is a :class:`PolicyError` with the line)."""
        return cls(load_policy(path), branch, str(path))

    def fail_on(self, configured: str) -> str:
        """The stricter of the configured threshold and the branch's."""
        required = self.policy.threshold_for(self.branch)
        return required if SEVERITY_RANK[required] < SEVERITY_RANK[configured] else configured


def with_policy_licenses(loaded: LoadedConfig, policy: OrgPolicy) -> LoadedConfig:
    """The config with the policy's denied licenses denied (and never allowed) by the scan."""
    if not policy.licenses.deny:
        return loaded
    # Imported here: the license package pulls in the dependency scanner and the advisory
    # database, which a scan without a license policy never needs.
    from shieldwall.analyzers.license.config import DEFAULT_DENY

    section = dict(loaded.config.analyzers.get("license", {}))
    denied = tuple(section.get("deny", DEFAULT_DENY))
    section["deny"] = denied + tuple(x for x in policy.licenses.deny if x not in denied)
    if section.get("allow"):
        section["allow"] = tuple(x for x in section["allow"] if x not in policy.licenses.deny)
    analyzers = {**loaded.config.analyzers, "license": section}
    config = loaded.config.model_copy(update={"analyzers": analyzers})
    return dataclasses.replace(loaded, config=config)


def lift_breaking_suppressions(
    policy: OrgPolicy, findings: Sequence[Finding], today: date
) -> tuple[tuple[Finding, ...], tuple[Violation, ...]]:
    """The findings with policy-breaking repository suppressions removed, and why each was."""
    lifted: list[Finding] = []
    violations: list[Violation] = []
    for finding in findings:
        suppression = finding.suppression
        if suppression is None or suppression.kind not in _REPO_KINDS:
            lifted.append(finding)
            continue
        expires = (
            date.fromisoformat(suppression.expires)
            if suppression.expires
            else inline_expiry(suppression.reason)
        )
        problem = suppression_problem(policy, finding.rule.id, suppression.reason, expires, today)
        if problem is None:
            lifted.append(finding)
            continue
        line = location_line(finding.location)
        where = location_path(finding.location) + (f":{line}" if line else "")
        violations.append(Violation(where, f"{suppression.kind} {finding.rule.id}: {problem}"))
        lifted.append(dataclasses.replace(finding, suppression=None))
    return tuple(lifted), tuple(violations)


def apply_org_policy(
    result: ScanResult, gate: PolicyGate, today: date, scanners: Sequence[str] = ()
) -> ScanResult:
    """The result with breaking suppressions lifted, and a warning for each and for scanners
    the policy requires that this scan did not run (``scanners`` empty: all of them ran)."""
    findings, violations = lift_breaking_suppressions(gate.policy, result.findings, today)
    warnings = tuple(
        f"{v.where}: suppression does not count under {gate.source}: {v.message}"
        for v in violations
    )
    missing = sorted(set(gate.policy.required_scanners) - set(scanners)) if scanners else []
    if missing:
        warnings += (f"{gate.source} requires scanners {', '.join(missing)}: not run here",)
    if not warnings:
        return result
    return dataclasses.replace(result, findings=findings, warnings=result.warnings + warnings)
