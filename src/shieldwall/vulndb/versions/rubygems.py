"""RubyGems versions, ordered as ``Gem::Version#<=>`` does.

https://guides.rubygems.org/patterns/#prerelease-gems and ``rubygems/version.rb``: segments are
runs of digits or letters; a letter segment marks a pre-release and sorts below any number;
trailing zeros of the release part and of the pre-release part are dropped before comparing.
"""

from __future__ import annotations

import re
from functools import total_ordering

from shieldwall.vulndb.errors import InvalidVersionError

_VALID = re.compile(r"^[0-9]+(?:\.[0-9a-zA-Z]+)*(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$")
_SEGMENT = re.compile(r"[0-9]+|[a-zA-Z]+")


@total_ordering
class GemKey:
    """Canonical segments of a gem version."""

    __slots__ = ("segments",)

    def __init__(self, segments: tuple[int | str, ...]) -> None:
        self.segments = segments

    def _cmp(self, other: GemKey) -> int:
        left, right = self.segments, other.segments
        for i in range(max(len(left), len(right))):
            lhs: int | str = left[i] if i < len(left) else 0
            rhs: int | str = right[i] if i < len(right) else 0
            if lhs == rhs:
                continue
            if isinstance(lhs, str) and isinstance(rhs, int):
                return -1
            if isinstance(lhs, int) and isinstance(rhs, str):
                return 1
            return -1 if lhs < rhs else 1  # type: ignore[operator]
        return 0

    def __eq__(self, other: object) -> bool:
        return isinstance(other, GemKey) and self._cmp(other) == 0

    def __lt__(self, other: GemKey) -> bool:
        return self._cmp(other) < 0

    def __hash__(self) -> int:
        return hash(self.segments)


def _drop_trailing_zeros(parts: list[int | str]) -> list[int | str]:
    while parts and parts[-1] == 0:
        parts.pop()
    return parts


class RubyGemsScheme:
    """``Gem::Version`` ordering."""

    name = "rubygems"

    def key(self, version: str) -> GemKey:
        """The canonical segments of the version."""
        text = version.strip()
        if not _VALID.match(text):
            raise InvalidVersionError(f"{version!r} is not a valid RubyGems version")
        # Gem::Version treats "-" as ".pre." (1.0.0-rc1 == 1.0.0.pre.rc1).
        text = text.replace("-", ".pre.")
        segments: list[int | str] = [int(s) if s.isdigit() else s for s in _SEGMENT.findall(text)]
        first_str = next((i for i, s in enumerate(segments) if isinstance(s, str)), len(segments))
        release = _drop_trailing_zeros(segments[:first_str])
        pre = _drop_trailing_zeros(segments[first_str:])
        return GemKey(tuple(release + pre))
