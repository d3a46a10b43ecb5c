"""Collecting the inventories of a group of files: lockfiles, manifests, includes, parent poms.

Files that another file pulls in (``-r base.txt``, a parent ``pom.xml``) are read from the group
when they are in it, else from disk but never from outside the scan root.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from shieldwall.analyzers.deps.collectors import CollectorError, Inventory, collector_for
from shieldwall.analyzers.deps.collectors.maven import PomCollector, collect_pom
from shieldwall.analyzers.deps.collectors.requirements import RequirementsCollector
from shieldwall.core.errors import AnalysisError
from shieldwall.core.file import File
from shieldwall.core.result import ScanError
from shieldwall.vulndb.models import OsvRecord
from shieldwall.vulndb.sources import parse_document

VENDORED_DIR = ".shieldwall/advisories/"
_MAX_INCLUDE_DEPTH = 10


def is_vendored_advisory(path: str) -> bool:
    """Whether a path is an OSV record vendored in the tree."""
    return (path.startswith(VENDORED_DIR) or f"/{VENDORED_DIR}" in path) and path.endswith(".json")


@dataclass
class Collected:
    """Everything read from a group of files."""

    inventories: list[Inventory] = field(default_factory=list)
    errors: list[ScanError] = field(default_factory=list)
    vendored: list[OsvRecord] = field(default_factory=list)
    paths: set[str] = field(default_factory=set)


def _reader(files: dict[str, File], root: str) -> Callable[[str], str | None]:
    base = Path(root).resolve() if root else None

    def read(path: str) -> str | None:
        if path.startswith("../") or path == "..":
            return None  # outside the scan root
        if path in files:
            return files[path].read_text_strict()
        if base is None:
            return None
        candidate = (base / path).resolve()
        if not candidate.is_relative_to(base) or not candidate.is_file():
            return None
        try:
            return candidate.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    return read


def collect_group(files: Sequence[File], root: str) -> Collected:
    """Inventories of every file; per-file problems become errors and the rest goes on."""
    out = Collected(paths={f.path for f in files})
    by_path = {f.path: f for f in files}
    read = _reader(by_path, root)
    go_mod_dirs = {posixpath.dirname(p) for p in out.paths if p.rsplit("/", 1)[-1] == "go.mod"}
    included: set[str] = set()
    for file in files:
        if file.name == "go.sum" and posixpath.dirname(file.path) in go_mod_dirs:
            continue  # go.mod names the build list; go.sum also hashes versions not built
        try:
            if is_vendored_advisory(file.path):
                out.vendored.extend(_vendored(file))
                continue
            collector = collector_for(file.path)
            if collector is None:
                continue
            text = file.read_text_strict()
            if isinstance(collector, PomCollector):
                out.inventories.append(collect_pom(file.path, text, read))
                continue
            inventory = collector.collect(file.path, text)
            out.inventories.append(inventory)
            if isinstance(collector, RequirementsCollector):
                _follow_includes(inventory, read, out, included, 0)
        except (AnalysisError, CollectorError) as exc:
            out.errors.append(ScanError(file.path, str(exc), "deps"))
    return out


def _vendored(file: File) -> list[OsvRecord]:
    parsed = list(parse_document(file.path, file.read_bytes(), ".json"))
    problems = [p.problem for p in parsed if p.record is None]
    if problems:
        raise AnalysisError(f"{file.path}: vendored advisory unusable: {problems[0]}")
    return [p.record for p in parsed if p.record is not None]


def _follow_includes(
    inventory: Inventory,
    read: Callable[[str], str | None],
    out: Collected,
    seen: set[str],
    depth: int,
) -> None:
    if depth >= _MAX_INCLUDE_DEPTH:
        return
    for include in inventory.includes:
        path = posixpath.normpath(posixpath.join(posixpath.dirname(inventory.path), include))
        if path in out.paths or path in seen:
            continue  # scanned on its own (or already followed)
        seen.add(path)
        text = read(path)
        if text is None:
            continue
        try:
            child = RequirementsCollector().collect(path, text)
        except CollectorError as exc:
            out.errors.append(ScanError(path, str(exc), "deps"))
            continue
        out.inventories.append(child)
        _follow_includes(child, read, out, seen, depth + 1)
