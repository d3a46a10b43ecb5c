"""Check a repository against the organisation policy, and re-gate a report under it.

A suppression that breaks the policy (no reason, no or too distant expiry, a restricted rule) does
not count: in :func:`regate_report` its finding is active again and the gate says why. The same
:func:`suppression_problem` decides for the hub whether a risk acceptance may be recorded.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from shieldwall.ci.orgpolicy import SEVERITY_RANK, OrgPolicy
from shieldwall.core.config.schema import ShieldwallConfig
from shieldwall.core.errors import UsageError
from shieldwall.policy.inline import parse_directive
from shieldwall.target.walker import WalkOptions, walk

__all__ = [
    "GateVerdict",
    "Violation",
    "check_config",
    "check_inline",
    "inline_expiry",
    "regate_report",
    "suppression_problem",
]

_EXPIRY = re.compile(r"\b(?:expires|until)[:=]?\s*(\d{4}-\d{2}-\d{2})\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Violation:
    """One way the repository breaks the policy."""

    where: str
    message: str


def inline_expiry(reason: str) -> date | None:
    """The expiry an inline suppression states in its reason (``expires 2026-12-31``)."""
    match = _EXPIRY.search(reason)
    if not match:
        return None
    try:
        return date.fromisoformat(match.group(1))
    except ValueError:
        return None


def suppression_problem(
    policy: OrgPolicy,
    rule_id: str,
    reason: str,
    expires: date | None,
    today: date,
    *,
    approver: str | Collection[str] | None = None,
) -> str | None:
    """Why this suppression breaks the policy, or None when it is acceptable.

    ``approver`` is who accepts the risk on the hub (a name, or the user's name and teams);
    suppressions in the repository have none, so restricted rules can only be accepted there.
    """
    rules = policy.suppressions
    restriction = rules.restriction_for(rule_id)
    names = {approver} if isinstance(approver, str) else set(approver or ())
    if restriction is not None and not names & set(restriction.approvers):
        who = ", ".join(restriction.approvers) or "nobody"
        return f"{rule_id} may only be accepted on the hub by {who}"
    if rules.require_reason and not reason.strip():
        return "no reason given"
    if rules.max_expiry_days is not None:
        limit = today + timedelta(days=rules.max_expiry_days)
        if expires is None:
            return f"no expiry (at most {rules.max_expiry_days} days)"
        if expires > limit:
            return f"expires {expires} is beyond the maximum of {rules.max_expiry_days} days"
    return None


def check_config(
    policy: OrgPolicy, config: ShieldwallConfig, branch: str, today: date, where: str
) -> list[Violation]:
    """Required scanners, the branch's threshold, licenses and the ignore list."""
    found = []
    if config.scanners:
        missing = sorted(set(policy.required_scanners) - set(config.scanners))
        if missing:
            found.append(Violation(where, f"scanners {missing} are required but not configured"))
    required = policy.threshold_for(branch)
    if SEVERITY_RANK[config.fail_on] > SEVERITY_RANK[required]:
        found.append(
            Violation(
                where, f"fail_on = {config.fail_on!r} is weaker than {required!r} for {branch!r}"
            )
        )
    # Imported here: the license package pulls in the dependency scanner and the advisory
    # database, which a scan without a license policy never needs.
    from shieldwall.analyzers.license.config import DEFAULT_DENY

    license_config = config.analyzers.get("license", {})
    denied = set(license_config.get("deny", DEFAULT_DENY))
    allowed = set(license_config.get("allow", ()))
    found.extend(
        Violation(where, f"license {spdx} is denied by policy but not by config")
        for spdx in policy.licenses.deny
        if spdx not in denied or spdx in allowed
    )
    for i, entry in enumerate(config.ignore):
        rule = entry.rule or "*"
        problem = suppression_problem(policy, rule, entry.reason, entry.expires, today)
        if problem:
            found.append(Violation(f"{where} ignore[{i}]", problem))
    return found


def check_inline(
    policy: OrgPolicy, root: Path, exclude: tuple[str, ...], today: date
) -> list[Violation]:
    """Every inline ``shieldwall: ignore[...]`` comment under ``root`` that breaks the policy."""
    found = []
    for file in walk(root, WalkOptions(exclude=exclude)):
        try:
            raw = file.data if file.data is not None else Path(file.abspath).read_bytes()
        except OSError:
            continue  # unreadable files are the walker's business, not the policy's
        if b"shieldwall:" not in raw or b"\0" in raw[:8192]:
            continue
        for number, line in enumerate(raw.decode("utf-8", "replace").splitlines(), 1):
            directive = parse_directive(line)
            if directive is None:
                continue
            expires = inline_expiry(directive.reason)
            for rule in sorted(directive.rules):
                problem = suppression_problem(policy, rule, directive.reason, expires, today)
                if problem:
                    found.append(Violation(f"{file.path}:{number}", f"ignore[{rule}]: {problem}"))
    return found


@dataclass(frozen=True, slots=True)
class GateVerdict:
    """The gate under the policy: what fails, and which suppressions did not count."""

    threshold: str
    failing: int
    not_counted: tuple[Violation, ...]

    @property
    def passed(self) -> bool:
        """No active finding at or above the threshold."""
        return self.failing == 0


def regate_report(policy: OrgPolicy, report: Path, branch: str, today: date) -> GateVerdict:
    """Re-decide the gate of a JSON report: policy-breaking suppressions do not count."""
    try:
        data = json.loads(report.read_bytes())
        findings = data["findings"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise UsageError(f"{report}: not a shieldwall JSON report") from exc
    threshold = policy.threshold_for(branch)
    failing = 0
    not_counted = []
    for finding in findings:
        active = not finding.get("suppressed")
        suppression = finding.get("suppression") or {}
        if not active and suppression.get("kind") in {"inline", "ignore"}:
            reason = suppression.get("reason") or ""
            expires = suppression.get("expires")
            expiry = date.fromisoformat(expires) if expires else inline_expiry(reason)
            problem = suppression_problem(policy, finding["rule"]["id"], reason, expiry, today)
            if problem:
                active = True
                loc = finding.get("location", {})
                where = f"{loc.get('path')}:{loc.get('start_line') or loc.get('line') or ''}"
                not_counted.append(Violation(where, f"{finding['rule']['id']}: {problem}"))
        if active and SEVERITY_RANK[finding["severity"]] >= SEVERITY_RANK[threshold]:
            failing += 1
    return GateVerdict(threshold, failing, tuple(not_counted))
