"""Semantic Versioning 2.0.0 (npm, crates.io, Go, OSV ``SEMVER`` ranges).

Precedence follows https://semver.org/#spec-item-11: numeric core, then a pre-release sorts below
its release, pre-release identifiers compare numerically when both are digits, numeric below
alphanumeric, a shorter identifier list first when all else is equal; build metadata is ignored
(which is also what makes Go's ``+incompatible`` compare like the plain version).
"""

from __future__ import annotations

import re
from functools import total_ordering

from shieldwall.vulndb.errors import InvalidVersionError

_SEMVER = re.compile(
    r"^(0|[1-9]\d*)(?:\.(0|[1-9]\d*))?(?:\.(0|[1-9]\d*))?"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$"
)


@total_ordering
class SemverKey:
    """A parsed semantic version, ordered by SemVer precedence."""

    __slots__ = ("core", "pre")

    def __init__(self, core: tuple[int, ...], pre: tuple[int | str, ...]) -> None:
        self.core = core
        self.pre = pre

    def _cmp(self, other: SemverKey) -> int:
        if self.core != other.core:
            return -1 if self.core < other.core else 1
        if self.pre == other.pre:
            return 0
        if not self.pre:  # a release is greater than any of its pre-releases
            return 1
        if not other.pre:
            return -1
        for mine, theirs in zip(self.pre, other.pre, strict=False):
            if mine == theirs:
                continue
            if isinstance(mine, int) and isinstance(theirs, int):
                return -1 if mine < theirs else 1
            if isinstance(mine, int):  # numeric identifiers have lower precedence
                return -1
            if isinstance(theirs, int):
                return 1
            return -1 if mine < theirs else 1
        return -1 if len(self.pre) < len(other.pre) else 1

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SemverKey) and self._cmp(other) == 0

    def __lt__(self, other: SemverKey) -> bool:
        return self._cmp(other) < 0

    def __hash__(self) -> int:
        return hash((self.core, self.pre))

    def __repr__(self) -> str:
        return f"SemverKey({self.core}, {self.pre})"


def parse_semver(version: str, *, strip_v: bool = True, partial: bool = True) -> SemverKey:
    """Parse a semantic version; ``partial`` accepts ``1`` and ``1.2`` as ``1.0.0``/``1.2.0``.

    A leading ``v`` (Go, git tags) and npm's ``=`` prefix are accepted when ``strip_v``.
    """
    text = version.strip()
    if strip_v:
        text = text.lstrip("=")
        if text[:1] in {"v", "V"}:
            text = text[1:]
    match = _SEMVER.match(text)
    if not match or (not partial and (match.group(2) is None or match.group(3) is None)):
        raise InvalidVersionError(f"{version!r} is not a valid semantic version")
    core = (int(match.group(1)), int(match.group(2) or 0), int(match.group(3) or 0))
    pre_text = match.group(4)
    pre: tuple[int | str, ...] = ()
    if pre_text:
        pre = tuple(int(p) if p.isdigit() else p for p in pre_text.split("."))
    return SemverKey(core, pre)


class SemverScheme:
    """SemVer 2.0.0 precedence (npm, crates.io, OSV SEMVER)."""

    name = "semver"

    def key(self, version: str) -> SemverKey:
        """The parsed version."""
        return parse_semver(version)


class GoScheme:
    """Go module versions: semver with a ``v`` prefix; pseudo-versions are pre-releases.

    ``v0.0.0-20200131131040-063a3fb69896`` is a valid semver pre-release, so it orders by its
    timestamp as https://go.dev/ref/mod#pseudo-versions intends; ``+incompatible`` is build
    metadata and ignored.
    """

    name = "go"

    def key(self, version: str) -> SemverKey:
        """The parsed version."""
        return parse_semver(version)
