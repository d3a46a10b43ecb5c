"""The contract of a version scheme."""

from __future__ import annotations

from typing import Any, Protocol

# A key is any value with a total order within one scheme (tuples of comparable parts, or a
# wrapper class with __lt__/__eq__); keys of different schemes are never compared.
VersionKey = Any


class VersionScheme(Protocol):
    """Parses versions of one ecosystem into comparable keys."""

    name: str

    def key(self, version: str) -> VersionKey:
        """The sort key of a version; raises ``InvalidVersionError`` when it is malformed."""
        ...
