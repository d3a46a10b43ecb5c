"""Gitignore-style ignore rules at every level of a tree.

Git gives a deeper ``.gitignore`` precedence over a shallower one, and within one file the last
matching pattern wins; a pattern file only applies below the directory that holds it. Files
excluded by a directory pattern are never re-included (git does not descend into them either).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pathspec

IGNORE_FILENAMES: tuple[str, ...] = (".gitignore", ".shieldwallignore")


@dataclass(frozen=True, slots=True)
class IgnoreLayer:
    """The patterns of one directory (``base`` is relative to the scan root, '' for the root)."""

    base: str
    spec: pathspec.GitIgnoreSpec

    def decide(self, relpath: str, *, is_dir: bool) -> bool | None:
        """True: ignored; False: re-included by a negation; None: no pattern matched."""
        if self.base:
            prefix = self.base + "/"
            if not relpath.startswith(prefix):
                return None
            relpath = relpath[len(prefix) :]
        result = self.spec.check_file(relpath + "/" if is_dir else relpath)
        return result.include


def compile_patterns(base: str, lines: Iterable[str]) -> IgnoreLayer | None:
    """A layer from pattern lines, or None when there are no patterns."""
    cleaned = [line for line in lines if line.strip() and not line.lstrip().startswith("#")]
    if not cleaned:
        return None
    return IgnoreLayer(base=base, spec=pathspec.GitIgnoreSpec.from_lines(cleaned))


def read_ignore_files(directory: Path, base: str, present: Iterable[str]) -> list[IgnoreLayer]:
    """The layers of the ignore files among ``present`` names of one directory.

    Unreadable ignore files are treated as empty.
    """
    layers = []
    names = set(present)
    for name in IGNORE_FILENAMES:
        if name not in names:
            continue
        candidate = directory / name
        try:
            text = candidate.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        layer = compile_patterns(base, text.splitlines())
        if layer is not None:
            layers.append(layer)
    return layers


def is_ignored(layers: Sequence[IgnoreLayer], relpath: str, *, is_dir: bool) -> bool:
    """Whether the deepest layer with an opinion ignores ``relpath``."""
    for layer in reversed(layers):
        decision = layer.decide(relpath, is_dir=is_dir)
        if decision is not None:
            return decision
    return False
