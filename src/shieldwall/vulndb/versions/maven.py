"""Maven versions, ordered as Maven's ``ComparableVersion`` does.

https://maven.apache.org/pom.html#version-order-specification: items split at ``.`` and ``-`` and
at digit/letter changes; a ``-`` (or a change) starts a sub-list; trailing "null" items (``0``,
``ga``, ``final``, ``release``, empty) are trimmed; qualifiers order
``alpha < beta < milestone < rc = cr < snapshot < "" = ga = final = release < sp``, and unknown
qualifiers sort after ``sp``, alphabetically.
"""

from __future__ import annotations

from functools import total_ordering
from typing import Union

from shieldwall.vulndb.errors import InvalidVersionError

_QUALIFIERS = ("alpha", "beta", "milestone", "rc", "snapshot", "", "sp")
_ALIASES = {"ga": "", "final": "", "release": "", "cr": "rc"}
_RELEASE = str(_QUALIFIERS.index(""))

Item = Union[int, "_Str", "_List"]


class _Str:
    __slots__ = ("value",)

    def __init__(self, value: str, followed_by_digit: bool) -> None:
        if followed_by_digit and len(value) == 1:
            value = {"a": "alpha", "b": "beta", "m": "milestone"}.get(value, value)
        self.value = _ALIASES.get(value, value)

    @property
    def comparable(self) -> str:
        if self.value in _QUALIFIERS:
            return str(_QUALIFIERS.index(self.value))
        return f"{len(_QUALIFIERS)}-{self.value}"


class _List(list[Item]):
    def normalize(self) -> None:
        for i in range(len(self) - 1, -1, -1):
            if _is_null(self[i]):
                del self[i]
            elif not isinstance(self[i], _List):
                break


def _is_null(item: Item) -> bool:
    if isinstance(item, int):
        return item == 0
    if isinstance(item, _Str):
        return item.value == ""
    return len(item) == 0


def _compare(left: Item | None, right: Item | None) -> int:
    """ComparableVersion's Item.compareTo, with None as the missing item."""
    if left is None:
        return 0 if right is None else -_compare(right, None)
    if isinstance(left, int):
        if right is None:
            return 0 if left == 0 else 1
        if isinstance(right, int):
            return (left > right) - (left < right)
        return 1
    if isinstance(left, _Str):
        if right is None:
            return (left.comparable > _RELEASE) - (left.comparable < _RELEASE)
        if isinstance(right, _Str):
            return (left.comparable > right.comparable) - (left.comparable < right.comparable)
        return -1
    # left is a list
    if right is None:
        return 0 if not left else _compare(left[0], None)
    if isinstance(right, int):
        return -1
    if isinstance(right, _Str):
        return 1
    for i in range(max(len(left), len(right))):
        result = _compare(left[i] if i < len(left) else None, right[i] if i < len(right) else None)
        if result:
            return result
    return 0


def _parse_item(is_digit: bool, text: str) -> Item:
    return int(text) if is_digit else _Str(text, followed_by_digit=False)


def parse_maven(version: str) -> _List:
    """Parse a version into ComparableVersion's item tree."""
    text = version.strip().lower()
    if not text or any(c.isspace() for c in text):
        raise InvalidVersionError(f"{version!r} is not a valid Maven version")
    root = current = _List()
    stack = [root]
    is_digit = False
    start = 0
    for i, char in enumerate(text):
        if char in ".-":
            current.append(0 if i == start else _parse_item(is_digit, text[start:i]))
            start = i + 1
            if char == "-":
                child = _List()
                current.append(child)
                current = child
                stack.append(child)
        elif char.isdigit():
            if not is_digit and i > start:
                current.append(_Str(text[start:i], followed_by_digit=True))
                start = i
                child = _List()
                current.append(child)
                current = child
                stack.append(child)
            is_digit = True
        else:
            if is_digit and i > start:
                current.append(_parse_item(True, text[start:i]))
                start = i
                child = _List()
                current.append(child)
                current = child
                stack.append(child)
            is_digit = False
    if len(text) > start:
        current.append(_parse_item(is_digit, text[start:]))
    while stack:
        stack.pop().normalize()
    return root


def _canonical(item: Item) -> object:
    if isinstance(item, int):
        return ("i", item)
    if isinstance(item, _Str):
        return ("s", item.comparable)
    return ("l", tuple(_canonical(child) for child in item))


@total_ordering
class MavenKey:
    """A parsed Maven version."""

    __slots__ = ("items", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.items = parse_maven(text)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, MavenKey) and _compare(self.items, other.items) == 0

    def __lt__(self, other: MavenKey) -> bool:
        return _compare(self.items, other.items) < 0

    def __hash__(self) -> int:
        return hash(_canonical(self.items))  # equal versions ("1", "1.0", "1-ga") hash alike


class MavenScheme:
    """Maven ComparableVersion ordering."""

    name = "maven"

    def key(self, version: str) -> MavenKey:
        """The parsed version."""
        return MavenKey(version)
