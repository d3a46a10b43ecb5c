"""Go modules: go.mod (``require`` directives; ``// indirect`` marks transitive ones) and go.sum.

https://go.dev/ref/mod#go-mod-file. ``replace`` directives that point at another module version
change what is built, so the replacement is what gets matched.
"""

from __future__ import annotations

import re
from typing import ClassVar

from shieldwall.analyzers.deps.collectors.base import (
    CollectorError,
    Inventory,
    InventoryKind,
    Package,
)
from shieldwall.vulndb.ecosystems import Ecosystem

_REQUIRE = re.compile(r"^(?:require\s+)?([^\s()]+)\s+(v[^\s]+)(\s*//\s*indirect)?")
_REPLACE = re.compile(r"^(?:replace\s+)?([^\s()]+)(?:\s+v\S+)?\s+=>\s+([^\s]+)\s+(v\S+)")
_SUM = re.compile(r"^(\S+)\s+(v[^\s/]+)(/go\.mod)?\s+h1:\S+$")


def _statements(text: str) -> list[tuple[int, str, str]]:
    """(line, block verb, statement) with comments kept (they carry ``// indirect``)."""
    out = []
    block = ""
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("//"):
            continue
        if block:
            if line == ")":
                block = ""
            else:
                out.append((number, block, line))
            continue
        verb, _, rest = line.partition(" ")
        if rest.strip() == "(":
            block = verb
        else:
            out.append((number, verb, line))
    return out


class GoModCollector:
    """go.mod."""

    name: ClassVar[str] = "go.mod"
    ecosystem: ClassVar[Ecosystem] = Ecosystem.GO
    kind: ClassVar[InventoryKind] = InventoryKind.LOCKFILE

    def matches(self, path: str) -> bool:
        """The file name is go.mod."""
        return path.rsplit("/", 1)[-1] == "go.mod"

    def collect(self, path: str, text: str) -> Inventory:
        """Required modules, after replacements."""
        statements = _statements(text)
        if not any(verb == "module" for _, verb, _ in statements):
            raise CollectorError(f"{path}: no module directive; not a go.mod")
        replaced: dict[str, tuple[str, str]] = {}
        for _, verb, line in statements:
            if verb == "replace" and (m := _REPLACE.match(line)):
                replaced[m.group(1)] = (m.group(2), m.group(3))
        packages = []
        for number, verb, line in statements:
            if verb != "require" or not (m := _REQUIRE.match(line)):
                continue
            name, version = replaced.get(m.group(1), (m.group(1), m.group(2)))
            packages.append(
                Package(
                    name=name,
                    version=version,
                    ecosystem=Ecosystem.GO,
                    line=number,
                    direct=m.group(3) is None,
                    dependency_path=(f"{name}@{version}",),
                )
            )
        return Inventory(path, Ecosystem.GO, InventoryKind.LOCKFILE, tuple(packages))


class GoSumCollector:
    """go.sum: module versions with hashes (used when no go.mod sits beside it)."""

    name: ClassVar[str] = "go.sum"
    ecosystem: ClassVar[Ecosystem] = Ecosystem.GO
    kind: ClassVar[InventoryKind] = InventoryKind.LOCKFILE

    def matches(self, path: str) -> bool:
        """The file name is go.sum."""
        return path.rsplit("/", 1)[-1] == "go.sum"

    def collect(self, path: str, text: str) -> Inventory:
        """Each module version whose content (not only go.mod) is hashed."""
        packages = []
        for number, raw in enumerate(text.splitlines(), start=1):
            if not raw.strip():
                continue
            m = _SUM.match(raw.strip())
            if not m:
                raise CollectorError(f"{path}:{number}: not a go.sum line")
            if m.group(3) is None:
                packages.append(
                    Package(
                        m.group(1),
                        m.group(2),
                        Ecosystem.GO,
                        line=number,
                        dependency_path=(f"{m.group(1)}@{m.group(2)}",),
                    )
                )
        return Inventory(path, Ecosystem.GO, InventoryKind.LOCKFILE, tuple(packages))
