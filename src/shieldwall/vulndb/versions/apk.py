"""Alpine package versions, ordered as apk-tools orders them (``src/version.c``).

A Gentoo-style version ``{digit}{.digit}...{letter}{_suffix{#}}...{-r#}``, read as a stream of
typed tokens. Pre-release suffixes ``_alpha``, ``_beta``, ``_pre``, ``_rc`` sort below the bare
version; post-release suffixes ``_cvs``, ``_svn``, ``_git``, ``_hg``, ``_p`` above it; ``-rN`` is
the package revision. A digit group after a dot that starts with ``0`` counts its leading zeros
as a negative value (``1.01 < 1.1``), as apk does. Numbers are unbounded here, where apk's C
``int`` would overflow on 14-digit date suffixes.
"""

from __future__ import annotations

from functools import total_ordering

from shieldwall.vulndb.errors import InvalidVersionError

INVALID, DIGIT_OR_ZERO, DIGIT, LETTER, SUFFIX, SUFFIX_NO, REVISION_NO, END = range(-1, 7)
_PRE = ("alpha", "beta", "pre", "rc")
_POST = ("cvs", "svn", "git", "hg", "p")


class _Cursor:
    """A version string being tokenised (apk's ``apk_blob_t`` and token type)."""

    __slots__ = ("pos", "text", "type")

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.type = DIGIT

    def left(self) -> int:
        return len(self.text) - self.pos

    def at(self, offset: int = 0) -> str:
        index = self.pos + offset
        return self.text[index] if index < len(self.text) else ""


def _next_token(cur: _Cursor) -> None:
    """apk's ``next_token``: the type of the token that starts at the cursor."""
    n = INVALID
    char = cur.at()
    if cur.left() == 0 or char == "\0":
        n = END
    elif cur.type in {DIGIT, DIGIT_OR_ZERO} and char.isascii() and char.islower():
        n = LETTER
    elif cur.type == LETTER and char.isdigit():
        n = DIGIT
    elif cur.type == SUFFIX and char.isdigit():
        n = SUFFIX_NO
    else:
        if char == ".":
            n = DIGIT_OR_ZERO
        elif char == "_":
            n = SUFFIX
        elif char == "-" and cur.left() > 1 and cur.at(1) == "r":
            n = REVISION_NO
            cur.pos += 1
        cur.pos += 1
    if n < cur.type and not (
        (n == DIGIT_OR_ZERO and cur.type == DIGIT)
        or (n == SUFFIX and cur.type == SUFFIX_NO)
        or (n == DIGIT and cur.type == LETTER)
    ):
        n = INVALID
    cur.type = n


def _digits(cur: _Cursor) -> tuple[int, int]:
    i, value = 0, 0
    while cur.at(i).isdigit() and cur.at(i).isascii():
        value = value * 10 + int(cur.at(i))
        i += 1
    return value, i


def _suffix(cur: _Cursor) -> tuple[int, int] | None:
    rest = cur.text[cur.pos :]
    for n, word in enumerate(_PRE):
        if rest.startswith(word):
            return n - len(_PRE), len(word)
    for n, word in enumerate(_POST):
        if rest.startswith(word):
            return n, len(word)
    return None


def _get_token(cur: _Cursor) -> int:
    """apk's ``get_token``: the value of the current token; advances to the next one."""
    if cur.left() <= 0:
        cur.type = END
        return 0
    next_type = INVALID
    if cur.type == DIGIT_OR_ZERO and cur.at() == "0":
        i = 0
        while cur.at(i) == "0":
            i += 1
        value, next_type = -i, DIGIT
    elif cur.type in {DIGIT_OR_ZERO, DIGIT, SUFFIX_NO, REVISION_NO}:
        value, i = _digits(cur)
    elif cur.type == LETTER:
        value, i = ord(cur.at()), 1
    elif cur.type == SUFFIX and (found := _suffix(cur)) is not None:
        value, i = found
    else:
        cur.type = INVALID
        return -1
    cur.pos += i
    if cur.left() == 0:
        cur.type = END
    elif next_type != INVALID:
        cur.type = next_type
    else:
        _next_token(cur)
    return value


def is_valid(version: str) -> bool:
    """apk's ``apk_version_validate``."""
    cur = _Cursor(version)
    while cur.type not in {END, INVALID}:
        _get_token(cur)
    return cur.type == END


def compare(left: str, right: str) -> int:
    """apk's ``apk_version_compare``: -1, 0 or 1 (invalid versions compare as apk does)."""
    a, b = _Cursor(left), _Cursor(right)
    av = bv = 0
    while a.type == b.type and a.type not in {END, INVALID} and av == bv:
        av = _get_token(a)
        bv = _get_token(b)
    if av != bv:
        return -1 if av < bv else 1
    if a.type == b.type:
        return 0
    # Equal so far: the longer version is newer unless what follows is a pre-release suffix.
    if a.type == SUFFIX and _get_token(_copy(a)) < 0:
        return -1
    if b.type == SUFFIX and _get_token(_copy(b)) < 0:
        return 1
    if a.type > b.type:
        return -1
    if b.type > a.type:
        return 1
    return 0


def _copy(cur: _Cursor) -> _Cursor:
    clone = _Cursor(cur.text)
    clone.pos, clone.type = cur.pos, cur.type
    return clone


@total_ordering
class ApkKey:
    """A valid apk version, comparable with others."""

    __slots__ = ("version",)

    def __init__(self, version: str) -> None:
        self.version = version

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ApkKey) and compare(self.version, other.version) == 0

    def __lt__(self, other: ApkKey) -> bool:
        return compare(self.version, other.version) < 0

    def __hash__(self) -> int:
        return 0  # equal versions can be spelt differently ("1.0" and "1.0-r0")

    def __repr__(self) -> str:
        return f"ApkKey({self.version!r})"


class ApkScheme:
    """Alpine, Wolfi and Chainguard package versions (OSV ``Alpine`` and friends)."""

    name = "apk"

    def key(self, version: str) -> ApkKey:
        """The key of an apk version; raises ``InvalidVersionError`` when apk rejects it."""
        text = version.strip()
        if not text or not is_valid(text):
            raise InvalidVersionError(f"invalid apk version {version!r}")
        return ApkKey(text)
