"""NuGet versions: SemVer 2.0 with an optional fourth (revision) number.

https://learn.microsoft.com/nuget/concepts/package-versioning: ``1.0`` equals ``1.0.0.0``,
pre-release labels compare as in SemVer but case-insensitively, metadata is ignored.
"""

from __future__ import annotations

import re

from shieldwall.vulndb.errors import InvalidVersionError
from shieldwall.vulndb.versions.semver import SemverKey

_NUGET = re.compile(
    r"^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:\.(\d+))?"
    r"(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z.-]*)?$"
)


class NuGetScheme:
    """NuGet ordering."""

    name = "nuget"

    def key(self, version: str) -> SemverKey:
        """The parsed version (four numbers, lower-cased pre-release labels)."""
        match = _NUGET.match(version.strip())
        if not match:
            raise InvalidVersionError(f"{version!r} is not a valid NuGet version")
        core = tuple(int(g or 0) for g in match.group(1, 2, 3, 4))
        label = match.group(5)
        pre: tuple[int | str, ...] = ()
        if label:
            pre = tuple(int(p) if p.isdigit() else p.lower() for p in label.split("."))
        return SemverKey(core, pre)
