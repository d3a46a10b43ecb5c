"""A scan plan: what to scan, with which analyzers, each with its context."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from shieldwall.core.file import File
from shieldwall.core.protocols import AnalysisContext, Analyzer
from shieldwall.target.walker import WalkOptions


@dataclass(frozen=True, slots=True)
class ScanPlan:
    """Everything the engine needs; built by :func:`shieldwall.scan.run.plan_scan`.

    ``files`` replaces the walk when the target is not a directory tree (git history, the
    staged index, an image filesystem).
    """

    target: Path
    root: Path
    analyzers: tuple[Analyzer, ...]
    contexts: Mapping[str, AnalysisContext]
    walk_options: WalkOptions = field(default_factory=WalkOptions)
    jobs: int = 0
    files: Iterable[File] | None = None
