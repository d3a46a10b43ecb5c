"""The whole job behind ``shieldwall scan``: config, plan, run, policy, gate.

The CLI and the hub's scan jobs both call :func:`scan_with_policy`, so they give the same answer.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from shieldwall.ci.scangate import PolicyGate, apply_org_policy
from shieldwall.core.config import LoadedConfig
from shieldwall.core.file import File
from shieldwall.core.registry import Registry
from shieldwall.core.result import ScanResult
from shieldwall.policy.apply import apply_policy
from shieldwall.policy.baseline import load_baseline
from shieldwall.policy.gate import GateOutcome, evaluate_gate
from shieldwall.policy.vex import apply_vex_to_result
from shieldwall.scan.diffscan import diff_scope_since
from shieldwall.scan.history import collapse_history
from shieldwall.scan.progress import ProgressSink
from shieldwall.scan.run import plan_scan, run_scan


@dataclass(frozen=True, slots=True)
class ScanRequest:
    """One scan as a user asked for it."""

    target: Path
    loaded: LoadedConfig
    since: str | None = None
    files: Iterable[File] | None = None
    root: Path | None = None
    use_baseline: bool = True
    today: date | None = None
    history: bool = False  # files are commits' added lines: one finding per secret
    vex: Path | None = None
    warnings: tuple[str, ...] = ()
    org_policy: PolicyGate | None = None


@dataclass(frozen=True, slots=True)
class ScanOutcome:
    """The result after policy and the gate's verdict on it."""

    result: ScanResult
    gate: GateOutcome


def scan_with_policy(
    request: ScanRequest, registry: Registry, progress: ProgressSink | None = None
) -> ScanOutcome:
    """Scan, suppress, filter to the diff when asked, and evaluate the gate."""
    config = request.loaded.config
    plan = plan_scan(
        request.target, request.loaded, registry, files=request.files, root=request.root
    )
    baseline = None
    if request.use_baseline and config.baseline:
        baseline = load_baseline(request.loaded.path_option("baseline", config.baseline))
    diff = diff_scope_since(plan, request.since) if request.since else None
    result = run_scan(plan, progress)
    if request.history:
        result = dataclasses.replace(result, findings=collapse_history(result.findings))
    if request.warnings:
        result = dataclasses.replace(result, warnings=request.warnings + result.warnings)
    result = apply_policy(
        result,
        root=plan.root,
        baseline=baseline,
        ignore=config.ignore,
        diff=diff,
        today=request.today,
    )
    if request.vex is not None:
        result = apply_vex_to_result(result, request.vex)
    fail_on: str = config.fail_on
    if request.org_policy is not None:
        result = apply_org_policy(
            result, request.org_policy, request.today or date.today(), config.scanners
        )
        fail_on = request.org_policy.fail_on(fail_on)
    return ScanOutcome(result=result, gate=evaluate_gate(result, fail_on))
