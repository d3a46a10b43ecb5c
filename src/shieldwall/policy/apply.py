"""Applying the whole policy to a scan result: suppression, then the diff filter."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from shieldwall.core.config.schema import IgnoreEntry
from shieldwall.core.result import ScanResult
from shieldwall.policy.baseline import Baseline
from shieldwall.policy.diff import DiffScope, filter_to_diff
from shieldwall.policy.suppress import suppress


def apply_policy(
    result: ScanResult,
    *,
    root: Path,
    baseline: Baseline | None = None,
    ignore: Sequence[IgnoreEntry] = (),
    diff: DiffScope | None = None,
    today: date | None = None,
) -> ScanResult:
    """The result with suppressions marked and, with a diff scope, only new findings kept."""
    outcome = suppress(
        result.findings,
        root=root,
        baseline=baseline,
        ignore=ignore,
        today=today or date.today(),
    )
    findings = outcome.findings
    outside = 0
    if diff is not None:
        findings, outside = filter_to_diff(findings, diff)
    stats = dataclasses.replace(result.stats, outside_diff=outside)
    return dataclasses.replace(
        result,
        findings=findings,
        stats=stats,
        warnings=result.warnings + outcome.warnings,
    )
