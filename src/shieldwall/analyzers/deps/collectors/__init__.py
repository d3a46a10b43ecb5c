"""Collectors: pure parsers from one lockfile or manifest to an inventory of packages.

They are shared by the deps and license analyzers, SBOM output and image inventories.
"""

from __future__ import annotations

from shieldwall.analyzers.deps.collectors.base import (
    Collector,
    CollectorError,
    Inventory,
    InventoryKind,
    Package,
    Unpinned,
)
from shieldwall.analyzers.deps.collectors.registry import COLLECTORS, collect_file, collector_for

__all__ = [
    "COLLECTORS",
    "Collector",
    "CollectorError",
    "Inventory",
    "InventoryKind",
    "Package",
    "Unpinned",
    "collect_file",
    "collector_for",
]
