"""Debian package versions, ordered exactly as dpkg orders them.

``[epoch:]upstream_version[-debian_revision]`` (Debian Policy §5.6.12): the epoch compares as a
number; the upstream version and the revision each compare with dpkg's ``verrevcmp``
(``lib/dpkg/version.c``): alternating runs of non-digits and digits; in a non-digit run letters
sort before other characters and ``~`` before everything, even the end of the string; digit
runs compare as numbers. The revision starts after the *last* hyphen.
"""

from __future__ import annotations

import re
from functools import total_ordering

from shieldwall.vulndb.errors import InvalidVersionError

_UPSTREAM = re.compile(r"^[A-Za-z0-9.+~:-]+$")
_REVISION = re.compile(r"^[A-Za-z0-9.+~]*$")


def _order(char: str) -> int:
    """dpkg's ``order()``: the weight of one character of a non-digit run ('' is the end)."""
    if not char or char.isdigit():
        return 0
    if char.isascii() and char.isalpha():
        return ord(char)
    if char == "~":
        return -1
    return ord(char) + 256


def verrevcmp(left: str, right: str) -> int:
    """dpkg's comparison of two upstream versions or two revisions: <0, 0 or >0."""
    i = j = 0
    while i < len(left) or j < len(right):
        first_diff = 0
        while (i < len(left) and not left[i].isdigit()) or (
            j < len(right) and not right[j].isdigit()
        ):
            lc = _order(left[i] if i < len(left) else "")
            rc = _order(right[j] if j < len(right) else "")
            if lc != rc:
                return lc - rc
            i += 1
            j += 1
        while i < len(left) and left[i] == "0":
            i += 1
        while j < len(right) and right[j] == "0":
            j += 1
        while i < len(left) and j < len(right) and left[i].isdigit() and right[j].isdigit():
            if not first_diff:
                first_diff = ord(left[i]) - ord(right[j])
            i += 1
            j += 1
        if i < len(left) and left[i].isdigit():
            return 1
        if j < len(right) and right[j].isdigit():
            return -1
        if first_diff:
            return first_diff
    return 0


def split_version(version: str) -> tuple[int, str, str]:
    """``(epoch, upstream, revision)`` of a Debian version, as dpkg's ``parseversion`` splits it."""
    text = version.strip()
    if not text or any(c.isspace() for c in text):
        raise InvalidVersionError(f"invalid Debian version {version!r}")
    epoch = 0
    if ":" in text:
        head, _, text = text.partition(":")
        if not head.isdigit():
            raise InvalidVersionError(f"invalid Debian version {version!r}: epoch is not a number")
        epoch = int(head)
    upstream, _, revision = text.rpartition("-") if "-" in text else (text, "", "")
    if not upstream or ("-" in text and not revision):
        raise InvalidVersionError(f"invalid Debian version {version!r}: empty part")
    if not _UPSTREAM.match(upstream) or not _REVISION.match(revision):
        raise InvalidVersionError(f"invalid Debian version {version!r}: bad character")
    return epoch, upstream, revision


def compare(left: str, right: str) -> int:
    """``dpkg --compare-versions``: -1, 0 or 1."""
    a, b = split_version(left), split_version(right)
    if a[0] != b[0]:
        return -1 if a[0] < b[0] else 1
    result = verrevcmp(a[1], b[1]) or verrevcmp(a[2], b[2])
    return (result > 0) - (result < 0)


@total_ordering
class DpkgKey:
    """A parsed Debian version, comparable with others."""

    __slots__ = ("parts",)

    def __init__(self, parts: tuple[int, str, str]) -> None:
        self.parts = parts

    def _cmp(self, other: DpkgKey) -> int:
        a, b = self.parts, other.parts
        if a[0] != b[0]:
            return -1 if a[0] < b[0] else 1
        return verrevcmp(a[1], b[1]) or verrevcmp(a[2], b[2])

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DpkgKey) and self._cmp(other) == 0

    def __lt__(self, other: DpkgKey) -> bool:
        return self._cmp(other) < 0

    def __hash__(self) -> int:
        # Equal versions ("1.0" and "1.00", "0:1" and "1") must hash alike: hash the epoch only.
        return hash(self.parts[0])

    def __repr__(self) -> str:
        return f"DpkgKey({self.parts!r})"


class DpkgScheme:
    """Debian and Ubuntu package versions (OSV ``Debian``, ``Ubuntu`` ecosystems)."""

    name = "dpkg"

    def key(self, version: str) -> DpkgKey:
        """The key of a Debian version; raises ``InvalidVersionError`` when malformed."""
        return DpkgKey(split_version(version))
