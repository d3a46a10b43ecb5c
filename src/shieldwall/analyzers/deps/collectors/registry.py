"""The built-in collectors and dispatch by file name."""

from __future__ import annotations

from shieldwall.analyzers.deps.collectors.base import Collector, Inventory
from shieldwall.analyzers.deps.collectors.cargo import CargoLockCollector
from shieldwall.analyzers.deps.collectors.composer import ComposerLockCollector
from shieldwall.analyzers.deps.collectors.distinfo import DistInfoCollector
from shieldwall.analyzers.deps.collectors.gemfile import GemfileLockCollector
from shieldwall.analyzers.deps.collectors.gomod import GoModCollector, GoSumCollector
from shieldwall.analyzers.deps.collectors.manifests import ManifestCollector
from shieldwall.analyzers.deps.collectors.maven import GradleLockCollector, PomCollector
from shieldwall.analyzers.deps.collectors.npm import PackageLockCollector
from shieldwall.analyzers.deps.collectors.nuget import NuGetLockCollector
from shieldwall.analyzers.deps.collectors.pnpm import PnpmLockCollector
from shieldwall.analyzers.deps.collectors.pylock import (
    PdmLockCollector,
    PipfileLockCollector,
    PoetryLockCollector,
    UvLockCollector,
)
from shieldwall.analyzers.deps.collectors.requirements import RequirementsCollector
from shieldwall.analyzers.deps.collectors.yarn import YarnLockCollector

COLLECTORS: tuple[Collector, ...] = (
    RequirementsCollector(),
    PoetryLockCollector(),
    UvLockCollector(),
    PdmLockCollector(),
    PipfileLockCollector(),
    DistInfoCollector(),
    PackageLockCollector(),
    YarnLockCollector(),
    PnpmLockCollector(),
    GoModCollector(),
    GoSumCollector(),
    CargoLockCollector(),
    GemfileLockCollector(),
    ComposerLockCollector(),
    PomCollector(),
    GradleLockCollector(),
    NuGetLockCollector(),
    ManifestCollector(),
)


def collector_for(path: str) -> Collector | None:
    """The collector for a relative path, or None."""
    return next((c for c in COLLECTORS if c.matches(path)), None)


def collect_file(path: str, text: str) -> Inventory | None:
    """The inventory of a file, or None when no collector reads it."""
    collector = collector_for(path)
    return collector.collect(path, text) if collector else None
