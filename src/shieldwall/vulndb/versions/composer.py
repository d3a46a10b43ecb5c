"""Composer (Packagist) versions: Composer's normalisation, then PHP's ``version_compare``.

Composer normalises ``v1.2`` to ``1.2.0.0`` (``VersionParser::normalize``) and compares with
``version_compare`` (php-src ``ext/standard/versioning.c``): parts split at ``.``, ``-``, ``_``,
``+`` and at digit/letter changes; ``dev < alpha = a < beta = b < RC = rc < number < pl = p``.
"""

from __future__ import annotations

import re
from functools import total_ordering

from shieldwall.vulndb.errors import InvalidVersionError

_NUMERIC = re.compile(r"^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:\.(\d+))?(.*)$", re.IGNORECASE)
_SUFFIX = re.compile(
    r"^[._-]?(?:(stable|beta|b|rc|alpha|a|patch|pl|p)((?:[.-]?\d+)*)?)?([.-]?dev)?$", re.IGNORECASE
)
_SPECIAL = (("dev", 0), ("alpha", 1), ("a", 1), ("beta", 2), ("b", 2), ("RC", 3), ("rc", 3),
            ("#", 4), ("pl", 5), ("p", 5))  # fmt: skip


def _special(form: str) -> int:
    # php's compare_special_version_forms matches by prefix, in table order; unknown forms are -6.
    for name, order in _SPECIAL:
        if form.startswith(name):
            return order
    return -6


def canonicalize(version: str) -> list[str]:
    """php_canonicalize_version, split into parts."""
    out: list[str] = []
    previous = ""
    for char in version:
        last = out[-1] if out else ""
        if not out:
            out.append(char)  # php copies the first character as it is
        elif char in "-_+" or not char.isalnum():
            if last != ".":
                out.append(".")
        elif previous and previous != "." and (previous.isdigit() != char.isdigit()):
            if last != ".":
                out.append(".")
            out.append(char)
        else:
            out.append(char)
        previous = char
    return [p for p in "".join(out).split(".") if p != ""]


def php_version_compare(left: str, right: str) -> int:
    """PHP's ``version_compare`` returning -1, 0 or 1."""
    lparts, rparts = canonicalize(left), canonicalize(right)
    for lp, rp in zip(lparts, rparts, strict=False):
        if lp.isdigit() and rp.isdigit():
            result = (int(lp) > int(rp)) - (int(lp) < int(rp))
        elif not lp.isdigit() and not rp.isdigit():
            result = (_special(lp) > _special(rp)) - (_special(lp) < _special(rp))
        elif lp.isdigit():
            result = (_special(rp) < 4) - (_special(rp) > 4)
        else:
            result = (_special(lp) > 4) - (_special(lp) < 4)
        if result:
            return result
    if len(lparts) > len(rparts):
        rest = lparts[len(rparts)]
        return 1 if rest.isdigit() else php_version_compare(rest, "#")
    if len(rparts) > len(lparts):
        rest = rparts[len(lparts)]
        return -1 if rest.isdigit() else php_version_compare("#", rest)
    return 0


def normalize(version: str) -> str:
    """Composer's normalised form: four numeric parts plus a stability suffix."""
    text = version.strip()
    match = _NUMERIC.match(text)
    if not match or not _SUFFIX.match(match.group(5)):
        raise InvalidVersionError(f"{version!r} is not a valid Composer version")
    numbers = ".".join(g or "0" for g in match.group(1, 2, 3, 4))
    suffix = _SUFFIX.match(match.group(5))
    assert suffix is not None  # noqa: S101 - checked above
    stability, number, dev = suffix.groups()
    result = numbers
    if stability and stability.lower() != "stable":
        label = {"b": "beta", "a": "alpha", "p": "patch", "pl": "patch"}.get(
            stability.lower(), stability.lower()
        )
        result += "-" + label + (number or "").lstrip(".-")
    if dev:
        result += "-dev"
    return result


@total_ordering
class ComposerKey:
    """A normalised Composer version."""

    __slots__ = ("normalized",)

    def __init__(self, normalized: str) -> None:
        self.normalized = normalized

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, ComposerKey)
            and php_version_compare(self.normalized, other.normalized) == 0
        )

    def __lt__(self, other: ComposerKey) -> bool:
        return php_version_compare(self.normalized, other.normalized) < 0

    def __hash__(self) -> int:
        # Equal under version_compare means the same parts, specials compared by their order.
        return hash(
            tuple(
                int(p) if p.isdigit() else _special(p) - 10 for p in canonicalize(self.normalized)
            )
        )


class ComposerScheme:
    """Composer ordering."""

    name = "composer"

    def key(self, version: str) -> ComposerKey:
        """The normalised version."""
        return ComposerKey(normalize(version))
