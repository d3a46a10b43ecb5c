"""Inline suppression comments: ``shieldwall: ignore[RULE-ID] reason``.

The comment may end the flagged line or stand alone on the line just above it, in any comment
syntax (``#``, ``//``, ``/* */``, ``--``, ``<!-- -->``, ``;``, ``%``, ``'``, ``REM``).
``ignore[*]`` suppresses every rule on that line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

_COMMENT_LEAD = r"(?:#|//|/\*|--|<!--|;|%|'|\bREM\b|\{\{/\*|\{#)"
_DIRECTIVE = re.compile(
    _COMMENT_LEAD
    + r"\s*shieldwall:\s*ignore\[\s*([A-Za-z0-9*,\s-]+?)\s*\]"
    + r"\s*(.*?)\s*(?:\*/|-->|#\}|\*/\}\})?\s*$"
)
_ONLY_COMMENT = re.compile(r"^\s*" + _COMMENT_LEAD)


@dataclass(frozen=True, slots=True)
class InlineDirective:
    """The rules an inline comment suppresses, and the reason given."""

    rules: frozenset[str]
    reason: str

    def covers(self, rule_id: str, aliases: tuple[str, ...] = ()) -> bool:
        """Whether the directive names this rule (or one of its old ids), or ``*``."""
        return "*" in self.rules or rule_id in self.rules or any(a in self.rules for a in aliases)


def parse_directive(line: str) -> InlineDirective | None:
    """The directive on a line of source, if any."""
    if "shieldwall:" not in line:
        return None
    match = _DIRECTIVE.search(line)
    if not match:
        return None
    rules = frozenset(r.strip().upper() for r in match.group(1).split(",") if r.strip())
    return InlineDirective(rules=rules, reason=match.group(2).strip())


class SourceLines:
    """Reads lines of files under a root once, for looking up directives."""

    def __init__(self, root: Path) -> None:
        """Read files relative to ``root``."""
        self._root = root

    def line(self, path: str, number: int) -> str:
        """Line ``number`` (1-based) of ``path``, or '' when there is none."""
        lines = self._lines(path)
        return lines[number - 1] if 0 < number <= len(lines) else ""

    @lru_cache(maxsize=256)  # noqa: B019 - the instance lives for one policy pass
    def _lines(self, path: str) -> tuple[str, ...]:
        try:
            raw = (self._root / path).read_bytes()
        except OSError:
            return ()
        return tuple(raw.decode("utf-8", "replace").splitlines())


def directive_for(lines: SourceLines, path: str, line: int) -> InlineDirective | None:
    """The directive applying to ``line``: on the line itself or alone on the line above."""
    same = parse_directive(lines.line(path, line))
    if same is not None:
        return same
    above = lines.line(path, line - 1)
    if above and _ONLY_COMMENT.match(above):
        return parse_directive(above)
    return None
