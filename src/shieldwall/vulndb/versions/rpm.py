"""RPM package versions, ordered as rpm orders them.

``[epoch:]version-release``: the epoch compares as a number (missing means 0), then the version
and the release each with ``rpmvercmp`` (rpm ``rpmio/rpmvercmp.c``): segments of letters or of
digits, separators ignored; a digit segment beats a letter segment; digit segments compare as
numbers of any length; ``~`` sorts before anything, even the end (pre-releases), and ``^`` after
the end but before any further segment (post-release snapshots).
"""

from __future__ import annotations

from functools import total_ordering

from shieldwall.vulndb.errors import InvalidVersionError


def _alnum(char: str) -> bool:
    return char.isascii() and char.isalnum()


def rpmvercmp(left: str, right: str) -> int:
    """rpm's ``rpmvercmp``: -1, 0 or 1."""
    if left == right:
        return 0
    a, b = left, right
    i = j = 0
    while i < len(a) or j < len(b):
        while i < len(a) and not _alnum(a[i]) and a[i] not in "~^":
            i += 1
        while j < len(b) and not _alnum(b[j]) and b[j] not in "~^":
            j += 1
        ca = a[i] if i < len(a) else ""
        cb = b[j] if j < len(b) else ""
        if ca == "~" or cb == "~":  # the tilde sorts before everything else
            if ca != "~":
                return 1
            if cb != "~":
                return -1
            i, j = i + 1, j + 1
            continue
        if ca == "^" or cb == "^":  # the caret sorts after the end, before anything else
            if not ca:
                return -1
            if not cb:
                return 1
            if ca != "^":
                return 1
            if cb != "^":
                return -1
            i, j = i + 1, j + 1
            continue
        if not (ca and cb):
            break
        numeric = ca.isdigit()
        end_a, end_b = i, j
        if numeric:
            while end_a < len(a) and a[end_a].isascii() and a[end_a].isdigit():
                end_a += 1
            while end_b < len(b) and b[end_b].isascii() and b[end_b].isdigit():
                end_b += 1
        else:
            while end_a < len(a) and a[end_a].isascii() and a[end_a].isalpha():
                end_a += 1
            while end_b < len(b) and b[end_b].isascii() and b[end_b].isalpha():
                end_b += 1
        seg_a, seg_b = a[i:end_a], b[j:end_b]
        if not seg_b:  # different kinds: a number is newer than letters
            return 1 if numeric else -1
        if numeric:
            seg_a, seg_b = seg_a.lstrip("0"), seg_b.lstrip("0")
            if len(seg_a) != len(seg_b):
                return 1 if len(seg_a) > len(seg_b) else -1
        if seg_a != seg_b:
            return 1 if seg_a > seg_b else -1
        i, j = end_a, end_b
    if i >= len(a) and j >= len(b):
        return 0
    return -1 if i >= len(a) else 1


def split_evr(evr: str) -> tuple[int, str, str]:
    """``(epoch, version, release)`` of ``[epoch:]version[-release]``."""
    text = evr.strip()
    if not text or any(c.isspace() for c in text):
        raise InvalidVersionError(f"invalid RPM version {evr!r}")
    epoch = 0
    head, sep, rest = text.partition(":")
    if sep:
        if not head.isdigit():
            raise InvalidVersionError(f"invalid RPM version {evr!r}: epoch is not a number")
        epoch, text = int(head), rest
    version, _, release = text.rpartition("-") if "-" in text else (text, "", "")
    if not version:
        raise InvalidVersionError(f"invalid RPM version {evr!r}: empty version")
    return epoch, version, release


def compare_evr(left: tuple[int, str, str], right: tuple[int, str, str]) -> int:
    """rpm's ``rpmVersionCompare``: epoch, then version, then release.

    A missing release is the empty string, older than any release: this keeps the order total,
    which sorting range events needs (rpm's dependency matching would ignore it instead).
    """
    if left[0] != right[0]:
        return -1 if left[0] < right[0] else 1
    return rpmvercmp(left[1], right[1]) or rpmvercmp(left[2], right[2])


@total_ordering
class RpmKey:
    """A parsed RPM EVR, comparable with others."""

    __slots__ = ("evr",)

    def __init__(self, evr: tuple[int, str, str]) -> None:
        self.evr = evr

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RpmKey) and compare_evr(self.evr, other.evr) == 0

    def __lt__(self, other: RpmKey) -> bool:
        return compare_evr(self.evr, other.evr) < 0

    def __hash__(self) -> int:
        return hash(self.evr[0])

    def __repr__(self) -> str:
        return f"RpmKey({self.evr!r})"


class RpmScheme:
    """RPM-based distributions (OSV ``Red Hat``, ``Rocky Linux``, ``AlmaLinux``, ``SUSE`` ...)."""

    name = "rpm"

    def key(self, version: str) -> RpmKey:
        """The key of an ``[epoch:]version-release``; raises ``InvalidVersionError``."""
        return RpmKey(split_evr(version))
