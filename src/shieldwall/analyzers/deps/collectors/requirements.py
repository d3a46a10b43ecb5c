"""pip requirements files (``requirements*.txt``), per pip's requirements file format.

https://pip.pypa.io/en/stable/reference/requirements-file-format/: one requirement per logical
line (``\\`` continues it), ``#`` comments, options (``-r``/``-c`` includes, ``--hash``, index
options), environment markers after ``;``. Only ``==``/``===`` with one exact version pins;
ranges, editable (``-e``) and URL/path requirements are reported as unpinned.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import ClassVar

from packaging.requirements import InvalidRequirement, Requirement

from shieldwall.analyzers.deps.collectors.base import (
    CollectorError,
    Inventory,
    InventoryKind,
    Package,
    Unpinned,
)
from shieldwall.vulndb.ecosystems import Ecosystem

_NAME = re.compile(r"^requirements[^/]*\.(?:txt|in)$|^[^/]*requirements\.txt$", re.IGNORECASE)
_HASH_OPTION = re.compile(r"\s--hash[=\s]\S+")
_INCLUDE = re.compile(r"^(?:-r|--requirement|-c|--constraint)(?:\s+|=)(\S+)")
_EDITABLE = re.compile(r"^(?:-e|--editable)(?:\s+|=)(\S+)")
_URL = re.compile(r"^(?:[a-z+]+://|git\+|\.{0,2}/)", re.IGNORECASE)
_EGG = re.compile(r"#egg=([A-Za-z0-9_.-]+)")
# The common case, `name==1.2.3` alone on its line, without the cost of a full PEP 508 parse.
_SIMPLE_PIN = re.compile(
    r"^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*===?\s*([A-Za-z0-9._+!-]+)$"
)


def logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """(first physical line number, logical line) with continuations joined, comments removed."""
    buffer: list[str] = []
    start = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        if not buffer:
            start = number
        line = re.sub(r"(^|\s)#.*$", "", raw)
        if line.endswith("\\"):
            buffer.append(line[:-1])
            continue
        buffer.append(line)
        joined = " ".join(part.strip() for part in buffer).strip()
        buffer = []
        if joined:
            yield start, joined


class RequirementsCollector:
    """Parses pip requirements files."""

    name: ClassVar[str] = "requirements"
    ecosystem: ClassVar[Ecosystem] = Ecosystem.PYPI
    kind: ClassVar[InventoryKind] = InventoryKind.MANIFEST

    def matches(self, path: str) -> bool:
        """``requirements.txt``, ``requirements-dev.txt``, ``dev-requirements.txt``, ``*.in``."""
        return bool(_NAME.match(path.rsplit("/", 1)[-1]))

    def collect(self, path: str, text: str) -> Inventory:
        """Pinned packages, unpinned requirements and includes."""
        if "\x00" in text:
            raise CollectorError(f"{path}: binary content, not a requirements file")
        packages: list[Package] = []
        unpinned: list[Unpinned] = []
        includes: list[str] = []
        bad = 0
        for number, line in logical_lines(text):
            line = _HASH_OPTION.sub("", " " + line).strip()
            if include := _INCLUDE.match(line):
                includes.append(include.group(1))
                continue
            if editable := _EDITABLE.match(line):
                target = editable.group(1)
                egg = _EGG.search(target)
                name = egg.group(1) if egg else target
                unpinned.append(Unpinned(name, line, number, "editable install"))
                continue
            if line.startswith("-"):
                continue  # index and install options
            if _URL.match(line):
                egg = _EGG.search(line)
                name = egg.group(1) if egg else line
                unpinned.append(Unpinned(name, line, number, "URL or path requirement"))
                continue
            if simple := _SIMPLE_PIN.match(line):
                name, version = simple.groups()
                packages.append(
                    Package(name, version, Ecosystem.PYPI, line=number, direct=True,
                            dependency_path=(f"{name}@{version}",))
                )  # fmt: skip
                continue
            try:
                requirement = Requirement(line)
            except InvalidRequirement:
                bad += 1
                continue
            packages_or_unpinned(requirement, line, number, packages, unpinned)
        if bad and not packages and not unpinned and not includes:
            raise CollectorError(f"{path}: not a requirements file (no line parses)")
        return Inventory(
            path=path,
            ecosystem=Ecosystem.PYPI,
            kind=InventoryKind.MANIFEST,
            packages=tuple(packages),
            unpinned=tuple(unpinned),
            includes=tuple(includes),
        )


def packages_or_unpinned(
    requirement: Requirement,
    line: str,
    number: int,
    packages: list[Package],
    unpinned: list[Unpinned],
) -> None:
    """Sort one parsed requirement into a pinned package or an unpinned requirement."""
    if requirement.url:
        unpinned.append(Unpinned(requirement.name, line, number, "URL requirement"))
        return
    specs = list(requirement.specifier)
    if len(specs) == 1 and specs[0].operator in {"==", "==="} and "*" not in specs[0].version:
        packages.append(
            Package(
                name=requirement.name,
                version=specs[0].version,
                ecosystem=Ecosystem.PYPI,
                line=number,
                direct=True,
                dependency_path=(f"{requirement.name}@{specs[0].version}",),
            )
        )
        return
    reason = "no version constraint" if not specs else f"version range {requirement.specifier}"
    unpinned.append(Unpinned(requirement.name, line, number, reason))
