"""Leak recognition: keyed HMAC fingerprints of live secrets, never the values themselves.

The secrets scanner gets a :class:`LeakFingerprints` (a one-off random key, the HMACs of every live
value under it, and the byte lengths that occur) and calls :meth:`LeakFingerprints.find` on each
file's bytes. Candidates are runs of exactly a stored length, bounded by delimiters: first
whitespace, quotes and brackets (a whole token), then also ``= : @ / & ?`` (so the password part
of a connection URL is a candidate of its own). Only candidates are hashed, so a match is an
exact copy of a stored value: no false positives beyond an HMAC-SHA256 collision.

Candidates are found with Hyperscan where it is installed (hundreds of MB/s, so the hook adds a few
per cent to a scan) and with Python's ``re`` elsewhere.

Hook the scanner needs (``shieldwall.analyzers.secrets``): an optional ``LeakFingerprints`` in its
context; per file ``fingerprints.find(data)`` with each match turned into a critical finding at
the match's line that names ``match.path`` and ``match.owner`` and suggests
``shieldwall secrets rotate``. The object is picklable for the process pool.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, cast

from shieldwall.secretstore.errors import SecretConfigError

if TYPE_CHECKING:
    # Only build_fingerprints needs it, and the scanner imports this module on every scan.
    from shieldwall.secretstore.model import SecretBackend

FILE_FORMAT = "shieldwall-leak-fingerprints"

_WORD_DELIMS = r"\s\"'`,;()\[\]{}<>"
_PART_DELIMS = _WORD_DELIMS + r"=:@/&?"
_DELIM_BYTES = frozenset(b" \t\r\n\f\v\"'`,;()[]{}<>=:@/&?")
_PART_ONLY = frozenset(b"=:@/&?")
MIN_LENGTH = 8  # shorter values would be found by chance, not because they leaked

Scanner = Callable[[bytes], list[tuple[int, int]]]  # candidate spans, in order


@dataclass(frozen=True, slots=True)
class LeakMatch:
    """A stored secret found in scanned bytes: which one, whose, and the byte span."""

    path: str
    owner: str
    start: int
    end: int


def _python_scanner(lengths: tuple[int, ...], word_lengths: tuple[int, ...]) -> Scanner:
    def bounded(delims: str, sizes: tuple[int, ...]) -> str:
        runs = "|".join(f"[^{delims}]{{{n}}}" for n in sizes)
        return f"(?<![^{delims}])(?:{runs})(?![^{delims}])"

    alternatives = [bounded(_PART_DELIMS, lengths)]
    if word_lengths:
        alternatives.append(bounded(_WORD_DELIMS, word_lengths))
    pattern = re.compile("|".join(alternatives).encode())

    def scan(data: bytes) -> list[tuple[int, int]]:
        return [match.span() for match in pattern.finditer(data)]

    return scan


def _hyperscan_scanner(lengths: tuple[int, ...], word_lengths: tuple[int, ...]) -> Scanner | None:
    try:
        import hyperscan
    except ImportError:
        return None
    # Hyperscan has no lookaround: the pattern includes the delimiter (or the data's edge). No
    # start-of-match tracking (SOM costs Hyperscan much of its speed): a run has exactly n bytes,
    # so the end offset, less the trailing delimiter if one was matched, gives the span. "^" and
    # "$" are the data's edges; a line break is a delimiter anyway.
    word_bytes = _DELIM_BYTES - _PART_ONLY
    kinds = [(n, _DELIM_BYTES) for n in lengths] + [(n, word_bytes) for n in word_lengths]
    expressions = [
        f"(?:^|[{delims}])[^{delims}]{{{n}}}(?:[{delims}]|$)".encode()
        for delims, sizes in ((_PART_DELIMS, lengths), (_WORD_DELIMS, word_lengths))
        for n in sizes
    ]
    database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    database.compile(
        expressions=expressions,
        ids=list(range(len(expressions))),
        elements=len(expressions),
        flags=[0] * len(expressions),
    )

    scan_database = database.scan

    def scan(data: bytes) -> list[tuple[int, int]]:
        ends: list[tuple[int, int]] = []
        # One module-level callback, the list as its context: no closure built per file.
        scan_database(data, match_event_handler=_collect_end, context=ends)
        spans = []
        for ident, end in ends:
            size, delims = kinds[ident]
            last = end - 1 if data[end - 1] in delims else end
            spans.append((last - size, last))
        return spans

    return scan


def _collect_end(ident: int, _start: int, end: int, _flags: int, ends: object) -> None:
    cast("list[tuple[int, int]]", ends).append((ident, end))


@lru_cache(maxsize=8)
def _scanner(lengths: frozenset[int], word_lengths: frozenset[int]) -> Scanner:
    """One compiled candidate scanner per set of lengths (per process, reused for every file).

    Part candidates (bounded by the wider delimiter set) are searched for every length; whole
    tokens only for the lengths of values that themselves contain a part delimiter, since any
    other whole-token copy is also a part candidate. Keyed by the frozensets themselves (their
    hash is cached), so a file's lookup costs no sorting.
    """
    sizes, word_sizes = tuple(sorted(lengths)), tuple(sorted(word_lengths))
    return _hyperscan_scanner(sizes, word_sizes) or _python_scanner(sizes, word_sizes)


@dataclass(frozen=True, slots=True)
class LeakFingerprints:
    """HMACs of live secret values under a one-off key, with the path and owner of each."""

    key: bytes
    digests: dict[bytes, tuple[str, str]]
    lengths: frozenset[int]
    word_lengths: frozenset[int] = frozenset()  # lengths of values containing ``= : @ / & ?``

    def __repr__(self) -> str:
        return f"LeakFingerprints({len(self.digests)} secrets)"

    def find(self, data: bytes) -> Iterator[LeakMatch]:
        """Every exact occurrence of a stored value in ``data`` (byte offsets)."""
        return iter(self.matches(data))

    def matches(self, data: bytes) -> list[LeakMatch]:
        """:meth:`find` as a list: the scanner's per-file call, with no generator to drive."""
        if not self.digests or len(data) < MIN_LENGTH:
            return []
        spans = _scanner(self.lengths, self.word_lengths)(data)
        if not spans:
            return []  # most files: no run of a stored length at all
        found: list[LeakMatch] = []
        seen: set[int] = set()
        key, lengths, digests = self.key, self.lengths, self.digests
        view = memoryview(data)  # a candidate is hashed from a view: no bytes copy each
        for start, end in spans:
            if start in seen or end - start not in lengths:
                continue
            hit = digests.get(hmac.digest(key, view[start:end], "sha256"))
            if hit is not None:
                seen.add(start)
                found.append(LeakMatch(hit[0], hit[1], start, end))
        return found

    def find_in_line(self, line: str) -> Iterator[LeakMatch]:
        """:meth:`find` on one text line (offsets are into its UTF-8 encoding)."""
        return self.find(line.encode("utf-8", errors="surrogateescape"))


def fingerprint_values(values: Iterable[tuple[str, str, str]]) -> LeakFingerprints:
    """Fingerprints of ``(path, owner, value)`` triples; values under MIN_LENGTH are skipped."""
    key = os.urandom(32)
    digests: dict[bytes, tuple[str, str]] = {}
    lengths: set[int] = set()
    word_lengths: set[int] = set()
    for path, owner, value in values:
        raw = value.encode("utf-8")
        if len(value) >= MIN_LENGTH:
            digests[hmac.new(key, raw, hashlib.sha256).digest()] = (path, owner)
            lengths.add(len(raw))
            if any(byte in _PART_ONLY for byte in raw):
                word_lengths.add(len(raw))
    return LeakFingerprints(key, digests, frozenset(lengths), frozenset(word_lengths))


def build_fingerprints(
    backend: SecretBackend, owner: str, paths: Iterable[str] | None = None
) -> LeakFingerprints:
    """Fingerprints of the current value of every listed path of ``backend`` (or ``paths``)."""
    chosen = backend.list() if paths is None else list(paths)
    return fingerprint_values((path, owner, backend.read(path).value) for path in chosen)


def save_fingerprints(fingerprints: LeakFingerprints, path: Path) -> None:
    """Write ``fingerprints`` to ``path`` (mode 0600): the one-off key and the HMACs, no values.

    The file is not a secret of the same order as the store, but with its key an attacker could
    test guesses of a stored value offline, so it is kept private like a key file.
    """
    body = {
        "format": FILE_FORMAT,
        "version": 1,
        "key": base64.b64encode(fingerprints.key).decode("ascii"),
        "secrets": [
            {"hmac": digest.hex(), "path": path_, "owner": owner}
            for digest, (path_, owner) in sorted(fingerprints.digests.items())
        ],
        "lengths": sorted(fingerprints.lengths),
        "word_lengths": sorted(fingerprints.word_lengths),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(body, handle, indent=1)


def load_fingerprints(path: Path) -> LeakFingerprints:
    """Read a file written by :func:`save_fingerprints`; a bad one is a SecretConfigError."""
    try:
        body = json.loads(path.read_text(encoding="utf-8"))
        if body.get("format") != FILE_FORMAT or body.get("version") != 1:
            raise SecretConfigError(f"{path} is not a shieldwall leak fingerprints file")
        digests = {
            bytes.fromhex(item["hmac"]): (str(item["path"]), str(item["owner"]))
            for item in body["secrets"]
        }
        return LeakFingerprints(
            base64.b64decode(body["key"], validate=True),
            digests,
            frozenset(int(n) for n in body["lengths"]),
            frozenset(int(n) for n in body["word_lengths"]),
        )
    except OSError as exc:
        raise SecretConfigError(
            f"cannot read the leak fingerprints {path}: {exc.strerror}"
        ) from exc
    except (ValueError, KeyError, TypeError, AttributeError, binascii.Error) as exc:
        raise SecretConfigError(f"the leak fingerprints file {path} is malformed") from exc
