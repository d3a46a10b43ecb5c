"""The scan orchestrator: plan, engine, merge and the ScanResult."""

from __future__ import annotations

from shieldwall.core.result import ScanResult
from shieldwall.scan.merge import merge_findings
from shieldwall.scan.plan import ScanPlan
from shieldwall.scan.progress import NoProgress, ProgressSink
from shieldwall.scan.run import plan_scan, run_scan, select_analyzers

__all__ = [
    "NoProgress",
    "ProgressSink",
    "ScanPlan",
    "ScanResult",
    "merge_findings",
    "plan_scan",
    "run_scan",
    "select_analyzers",
]
