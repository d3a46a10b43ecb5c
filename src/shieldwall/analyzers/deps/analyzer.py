"""The deps analyzer: lockfiles and manifests in, vulnerable and unpinned dependencies out.

It sees every wanted file of the target together (PROJECT scope) because a manifest's lockfile
may sit in a parent folder (workspaces), requirements include other files, and poms inherit.
The advisory index is opened lazily in whichever process runs the analysis.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator, Sequence
from typing import ClassVar

from pydantic import BaseModel

from shieldwall.analyzers.deps.collectors import Inventory, collector_for
from shieldwall.analyzers.deps.collectors.manifests import LOCKFILES
from shieldwall.analyzers.deps.config import DepsConfig
from shieldwall.analyzers.deps.findings import (
    missing_lockfile_finding,
    unpinned_finding,
    vulnerability_findings,
)
from shieldwall.analyzers.deps.inventory import Collected, collect_group, is_vendored_advisory
from shieldwall.analyzers.deps.rules import RULES
from shieldwall.core.errors import ScanAbortedError
from shieldwall.core.file import File
from shieldwall.core.protocols import AnalysisContext, AnalyzerOutput, AnalyzerScope
from shieldwall.core.result import ScanError
from shieldwall.core.rule import Rule
from shieldwall.vulndb.cache import resolve_index_path
from shieldwall.vulndb.errors import InvalidVersionError, VulnDbError
from shieldwall.vulndb.index import AdvisoryIndexLike
from shieldwall.vulndb.matcher import match_package, open_index
from shieldwall.vulndb.memory import CombinedIndex, MemoryIndex

_NO_INDEX = (
    "no advisory database at {path}: run `shieldwall db update` (online) or "
    "`shieldwall db import PATH` (an OSV all.zip, folder or .jsonl[.gz]) first"
)


class DepsAnalyzer:
    """Known vulnerabilities and unpinned versions in dependencies (SW-DEP-*)."""

    id: ClassVar[str] = "deps"
    version: ClassVar[str] = "1"
    description: ClassVar[str] = "Vulnerable and unpinned dependencies, from lockfiles and OSV"
    scope: ClassVar[AnalyzerScope] = AnalyzerScope.PROJECT
    config_model: ClassVar[type[BaseModel] | None] = DepsConfig

    def rules(self) -> Sequence[Rule]:
        """SW-DEP-001..003."""
        return RULES

    def wants(self, path: str) -> bool:
        """Lockfiles, manifests, installed metadata and vendored advisories."""
        if "node_modules/" in path and not path.endswith("/METADATA"):
            return False
        return collector_for(path) is not None or is_vendored_advisory(path)

    def analyze(self, files: Sequence[File], ctx: AnalysisContext) -> Iterator[AnalyzerOutput]:
        """Findings for every inventory of the group."""
        config = ctx.config if isinstance(ctx.config, DepsConfig) else DepsConfig()
        collected = collect_group(files, ctx.root)
        yield from collected.errors
        if config.report_unpinned:
            yield from _pinning_findings(collected)
        packaged = [inv for inv in collected.inventories if inv.packages]
        if not packaged:
            return
        index = _open(ctx, collected)
        for inventory in packaged:
            yield from _match_inventory(index, inventory, config)


def _pinning_findings(collected: Collected) -> Iterator[AnalyzerOutput]:
    dirs_with_lock: dict[str, set[str]] = {}
    for path in collected.paths:
        dirs_with_lock.setdefault(path.rsplit("/", 1)[-1], set()).add(posixpath.dirname(path))
    for inventory in collected.inventories:
        for unpinned in inventory.unpinned:
            yield unpinned_finding(inventory, unpinned)
        filename = inventory.path.rsplit("/", 1)[-1]
        if inventory.dependencies_line is None or filename not in LOCKFILES:
            continue
        lock_dirs = {d for lock in LOCKFILES[filename] for d in dirs_with_lock.get(lock, ())}
        if not any(_is_ancestor(d, posixpath.dirname(inventory.path)) for d in lock_dirs):
            yield missing_lockfile_finding(inventory)


def _is_ancestor(folder: str, path: str) -> bool:
    return folder == "" or path == folder or path.startswith(folder + "/")


def _open(ctx: AnalysisContext, collected: Collected) -> AdvisoryIndexLike:
    vendored = MemoryIndex(collected.vendored)
    path = resolve_index_path(ctx.cache_dir)
    if not path.is_file():
        if vendored:
            return vendored  # a self-contained project: its vendored records are the database
        raise ScanAbortedError(_NO_INDEX.format(path=path))
    try:
        index = open_index(path)
    except VulnDbError as exc:
        raise ScanAbortedError(str(exc)) from exc
    return CombinedIndex(vendored, index) if vendored else index


def _match_inventory(
    index: AdvisoryIndexLike, inventory: Inventory, config: DepsConfig
) -> Iterator[AnalyzerOutput]:
    for package in inventory.packages:
        if package.dev and not config.include_dev:
            continue
        try:
            match = match_package(index, package.ecosystem, package.name, package.version)
        except InvalidVersionError as exc:
            where = f"{inventory.path}:{package.line}" if package.line else inventory.path
            yield ScanError(where, f"{package.name}: {exc}", "deps")
            continue
        yield from vulnerability_findings(inventory, package, match)
