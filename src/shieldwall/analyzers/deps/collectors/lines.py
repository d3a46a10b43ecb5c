"""Line numbers of keys in text formats whose parsers do not keep positions (JSON, TOML)."""

from __future__ import annotations

import bisect
import re


class LineIndex:
    """Maps character offsets of a text to 1-based line numbers."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._starts = [0]
        self._starts.extend(m.end() for m in re.finditer("\n", text))

    def line_of(self, offset: int) -> int:
        """The line of a character offset."""
        return bisect.bisect_right(self._starts, offset)

    def find(self, needle: str, start: int = 0) -> int | None:
        """The line of the first occurrence of ``needle`` at or after ``start``."""
        offset = self.text.find(needle, start)
        return None if offset < 0 else self.line_of(offset)

    def offset(self, needle: str, start: int = 0) -> int:
        """The offset of ``needle`` (``-1`` when absent)."""
        return self.text.find(needle, start)


def toml_package_offset(text: str, name: str, version: str) -> int:
    """Offset of a ``[[package]]`` table's ``name = "x"`` line (with that version when locked).

    Anchored at the start of a line: uv's dependency lists also say ``{ name = "x" }``.
    """
    quoted = re.escape(name)
    found = re.search(
        rf'^name = "{quoted}"[^\n]*\nversion = "{re.escape(version)}"', text, re.M
    ) or re.search(rf'^name = "{quoted}"', text, re.M)
    return found.start() if found else -1
