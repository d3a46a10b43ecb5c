"""The gate: does the result fail the build?"""

from __future__ import annotations

from dataclasses import dataclass

from shieldwall.core.result import ScanResult
from shieldwall.core.severity import Severity


@dataclass(frozen=True, slots=True)
class GateOutcome:
    """The verdict, the threshold it used, and the findings that decided it."""

    passed: bool
    fail_on: str
    blocking: int
    summary: str


def evaluate_gate(result: ScanResult, fail_on: str) -> GateOutcome:
    """Fail when an active (unsuppressed) finding is at or above ``fail_on``.

    ``fail_on="none"`` never fails.
    """
    if fail_on == "none":
        return GateOutcome(True, fail_on, 0, "gate passed (--fail-on none)")
    threshold = Severity(fail_on)
    blocking = sum(1 for f in result.active if f.severity >= threshold)
    if blocking:
        noun = "finding" if blocking == 1 else "findings"
        return GateOutcome(
            False, fail_on, blocking, f"gate failed: {blocking} {noun} at or above {fail_on}"
        )
    return GateOutcome(True, fail_on, 0, f"gate passed: no finding at or above {fail_on}")
