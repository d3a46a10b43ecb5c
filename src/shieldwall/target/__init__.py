"""What is scanned: the filesystem walker (and, in sibling modules, git history and images)."""

from __future__ import annotations

from shieldwall.target.walker import WalkCounters, WalkOptions, walk

__all__ = ["WalkCounters", "WalkOptions", "walk"]
