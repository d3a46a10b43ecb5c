"""The outcome of a scan: findings, per-file errors, skipped files and statistics."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from shieldwall.core.finding import Finding
from shieldwall.core.frozen import FrozenDict
from shieldwall.core.ids import RuleId
from shieldwall.core.rule import Rule
from shieldwall.core.severity import Severity


@dataclass(frozen=True, slots=True)
class ScanError:
    """A file (or a whole analyzer run) that could not be analysed; the scan went on."""

    path: str
    message: str
    analyzer: str = ""


@dataclass(frozen=True, slots=True)
class ScanNote:
    """Something an analyzer could not resolve and left unknown, for the user to know about
    (a module from a registry, a variable without a value); it becomes a warning of the scan."""

    path: str
    message: str
    analyzer: str = ""
    line: int | None = None

    def describe(self) -> str:
        """``path:line: message`` for warning lists."""
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


class SkipReason(StrEnum):
    """Why the walker did not hand a file to any analyzer."""

    BINARY = "binary"
    TOO_LARGE = "too-large"
    SYMLINK_OUTSIDE = "symlink-outside-root"
    UNREADABLE = "unreadable"
    SPECIAL = "not-a-regular-file"


@dataclass(frozen=True, slots=True)
class SkippedFile:
    """A file the walker saw but did not scan, and why."""

    path: str
    reason: SkipReason
    detail: str = ""


@dataclass(frozen=True, slots=True)
class ScanStats:
    """Counters and timing of one scan."""

    files_scanned: int = 0
    bytes_scanned: int = 0
    files_skipped: int = 0
    files_ignored: int = 0
    duration_seconds: float = 0.0
    findings_by_analyzer: Mapping[str, int] = field(default_factory=FrozenDict)
    outside_diff: int = 0


@dataclass(frozen=True, slots=True)
class ScanResult:
    """Everything one scan produced, in deterministic order."""

    target: str
    findings: tuple[Finding, ...]
    errors: tuple[ScanError, ...] = ()
    skipped: tuple[SkippedFile, ...] = ()
    stats: ScanStats = field(default_factory=ScanStats)
    rules: Mapping[RuleId, Rule] = field(default_factory=FrozenDict)
    analyzers: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    started_at: str = ""
    tool_version: str = ""

    @property
    def active(self) -> tuple[Finding, ...]:
        """Findings that are not suppressed."""
        return tuple(f for f in self.findings if not f.suppressed)

    @property
    def suppressed(self) -> tuple[Finding, ...]:
        """Findings a suppression applies to; kept so reports can show them."""
        return tuple(f for f in self.findings if f.suppressed)

    def count_by_severity(self, *, include_suppressed: bool = False) -> dict[Severity, int]:
        """Active (or all) findings per severity, every level present."""
        counts = dict.fromkeys(Severity, 0)
        for finding in self.findings if include_suppressed else self.active:
            counts[finding.severity] += 1
        return counts
