"""Leak recognition: keyed HMAC fingerprints of live secrets, never the values themselves.

The secrets scanner gets a :class:`LeakFingerprints` (a one-off random key, the HMACs of every live
value under it, and the byte lengths that occur) and calls :meth:`LeakFingerprints.find` on each
file's bytes. Candidates are runs of exactly a stored length, bounded by delimiters: first
whitespace, quotes and brackets (a whole token), then also ``= : @ / & ?`` (so the password part
of a connection URL is a candidate of its own). Only candidates are hashed, so a match is an
exact copy of a stored value or of one of its escaped forms (JSON string, URL component: see
:func:`encoded_forms`): no false positives beyond an HMAC-SHA256 collision.

Candidates are found by the C module ``_runscan`` where it was compiled at install time: it
classifies delimiters 64 bytes at a time and gives each run of a stored length a cheap keyed
64-bit *probe* hash; only runs whose probe is one of the stored values' probes (a bitmap of
``probe_bits`` bits, saved in the fingerprints file) are hashed with HMAC. Without it (or with a
file written before probes existed), every run of a stored length is found with Hyperscan or
``re`` and hashed: the same matches, slower when the store holds many lengths.

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
import math
import os
import re
import urllib.parse
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, cast

from shieldwall.secretstore.errors import SecretConfigError

try:
    from shieldwall.secretstore import _runscan
except ImportError:  # pragma: no cover - not compiled here (no C compiler at install time)
    _runscan = None  # type: ignore[assignment]

if TYPE_CHECKING:
    # Only build_fingerprints needs it, and the scanner imports this module on every scan.
    from shieldwall.secretstore.model import SecretBackend

FILE_FORMAT = "shieldwall-leak-fingerprints"

_WORD_DELIMS = r"\s\"'`,;()\[\]{}<>"
_PART_DELIMS = _WORD_DELIMS + r"=:@/&?"
_DELIM_BYTES = frozenset(b" \t\r\n\f\v\"'`,;()[]{}<>=:@/&?")
_PART_ONLY = frozenset(b"=:@/&?")
MIN_LENGTH = 8  # shorter values would be found by chance, not because they leaked
_MASK64 = (1 << 64) - 1
_PROBE_CONTEXT = b"shieldwall leak probe v1"
# Bits of the probe kept: enough that a run of a stored length is hashed with HMAC about once in
# 2**10 when it is not a stored value, capped so the bitmap stays small enough for the cache.
_MIN_PROBE_BITS, _MAX_PROBE_BITS = 16, 24

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


def _probe_hash(raw: bytes, seed: int) -> int:
    """The 64-bit probe of ``raw``: the Python twin of ``probe_hash`` in ``_runscan.c``.

    Not a cryptographic hash: it only spares HMACs of runs that cannot be a stored value (a
    keyed multiply-xorshift over little-endian 8-byte words, seeded from the fingerprints' key).
    """
    h = seed ^ ((len(raw) * 0x9E3779B97F4A7C15) & _MASK64)
    for offset in range(0, len(raw), 8):
        h = (
            (h ^ int.from_bytes(raw[offset : offset + 8], "little")) * 0xBF58476D1CE4E5B9
        ) & _MASK64
        h ^= h >> 31
    h ^= h >> 33
    h = (h * 0xFF51AFD7ED558CCD) & _MASK64
    return h ^ (h >> 33)


def _probe_seed(key: bytes) -> int:
    return int.from_bytes(hmac.digest(key, _PROBE_CONTEXT, "sha256")[:8], "little")


def _probe_bits(count: int) -> int:
    return max(_MIN_PROBE_BITS, min(_MAX_PROBE_BITS, math.ceil(math.log2(count + 1)) + 10))


def _native_plan(
    lengths: frozenset[int], word_lengths: frozenset[int], probes: frozenset[int], bits: int
) -> tuple[bytes, bytes, bytes, int]:
    """What ``_runscan.candidate_runs`` takes for a set of fingerprints (after data and classes).

    Length bitmaps (index n set: runs of n bytes are candidates), the probe bitmap, and the
    minimum run the C side may skip below (a power of two, at most the shortest length).
    """

    def length_map(sizes: frozenset[int]) -> bytes:
        table = bytearray(max(sizes) + 1 if sizes else 0)
        for size in sizes:
            table[size] = 1
        return bytes(table)

    bitmap = bytearray((1 << bits) // 8)
    for probe in probes:
        bitmap[probe >> 3] |= 1 << (probe & 7)
    shortest = min(lengths | word_lengths)
    min_run = min(32, 1 << (shortest.bit_length() - 1))
    return length_map(lengths), length_map(word_lengths), bytes(bitmap), min_run


def _delimiter_classes() -> bytes:
    """Byte -> 1 for a whole-token delimiter, 2 for ``= : @ / & ?`` only, 0 otherwise."""
    table = bytearray(256)
    for byte in _DELIM_BYTES:
        table[byte] = 2 if byte in _PART_ONLY else 1
    return bytes(table)


_CLASSES = _delimiter_classes()


@dataclass(frozen=True, slots=True)
class LeakFingerprints:
    """HMACs of live secret values under a one-off key, with the path and owner of each."""

    key: bytes
    digests: dict[bytes, tuple[str, str]]
    lengths: frozenset[int]
    word_lengths: frozenset[int] = frozenset()  # lengths of values containing ``= : @ / & ?``
    # The top ``probe_bits`` bits of each value's probe (none in files from before probes).
    probes: frozenset[int] = frozenset()
    probe_bits: int = 0
    # The C scanner, built once (its tables included): a file's search is then one C call.
    _native: _runscan.Scanner | None = field(init=False, default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if _runscan is None or not self.probe_bits or not self.digests:
            return
        part_map, word_map, bitmap, min_run = _native_plan(
            self.lengths, self.word_lengths, self.probes, self.probe_bits
        )
        seed = _probe_seed(self.key)
        scanner = _runscan.Scanner(
            _CLASSES, part_map, word_map, seed, bitmap, self.probe_bits, min_run
        )
        object.__setattr__(self, "_native", scanner)

    def __repr__(self) -> str:
        return f"LeakFingerprints({len(self.digests)} secrets)"

    def find(self, data: bytes) -> Iterator[LeakMatch]:
        """Every exact occurrence of a stored value in ``data`` (byte offsets)."""
        return iter(self.matches(data))

    def matches(self, data: bytes) -> list[LeakMatch]:
        """:meth:`find` as a list: the scanner's per-file call, with no generator to drive."""
        if not self.digests or len(data) < MIN_LENGTH:
            return []
        spans = self._candidates(data)
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

    def _candidates(self, data: bytes) -> list[tuple[int, int]]:
        if self._native is not None and _runscan is not None:
            return self._native.runs(data)
        return _scanner(self.lengths, self.word_lengths)(data)

    def find_in_line(self, line: str) -> Iterator[LeakMatch]:
        """:meth:`find` on one text line (offsets are into its UTF-8 encoding)."""
        return self.find(line.encode("utf-8", errors="surrogateescape"))


def encoded_forms(value: str) -> set[bytes]:
    """The bytes a stored value leaks as: itself, and the forms writers escape it into.

    A JSON string (``json.dumps``, ASCII-escaped or not: a log line, a config file) and a URL
    component (percent-encoded, ``+`` for spaces or not: a connection string, a query). Each
    form is fingerprinted like the value, so a copy in any of them is still an exact match.
    """
    forms = {value.encode("utf-8")}
    for ascii_only in (True, False):
        forms.add(json.dumps(value, ensure_ascii=ascii_only)[1:-1].encode("utf-8"))
    forms.add(urllib.parse.quote(value, safe="").encode("ascii"))
    forms.add(urllib.parse.quote_plus(value, safe="").encode("ascii"))
    return forms


def fingerprint_values(values: Iterable[tuple[str, str, str]]) -> LeakFingerprints:
    """Fingerprints of ``(path, owner, value)`` triples; values under MIN_LENGTH are skipped.

    Every form of :func:`encoded_forms` is fingerprinted, under the same path and owner.
    """
    key = os.urandom(32)
    seed = _probe_seed(key)
    digests: dict[bytes, tuple[str, str]] = {}
    lengths: set[int] = set()
    word_lengths: set[int] = set()
    full_probes: set[int] = set()
    for path, owner, value in values:
        if len(value) < MIN_LENGTH:
            continue
        for raw in encoded_forms(value):
            digests[hmac.new(key, raw, hashlib.sha256).digest()] = (path, owner)
            lengths.add(len(raw))
            full_probes.add(_probe_hash(raw, seed))
            if any(byte in _PART_ONLY for byte in raw):
                word_lengths.add(len(raw))
    bits = _probe_bits(len(digests))
    return LeakFingerprints(
        key,
        digests,
        frozenset(lengths),
        frozenset(word_lengths),
        frozenset(probe >> (64 - bits) for probe in full_probes),
        bits,
    )


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
        # Truncated fast hashes of the values: they only let a scanner skip most HMACs.
        "probe_bits": fingerprints.probe_bits,
        "probes": sorted(fingerprints.probes),
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
            frozenset(int(n) for n in body.get("probes", ())),
            _checked_probe_bits(body.get("probe_bits", 0)),
        )
    except OSError as exc:
        raise SecretConfigError(
            f"cannot read the leak fingerprints {path}: {exc.strerror}"
        ) from exc
    except (ValueError, KeyError, TypeError, AttributeError, binascii.Error) as exc:
        raise SecretConfigError(f"the leak fingerprints file {path} is malformed") from exc


def _checked_probe_bits(value: object) -> int:
    bits = int(cast("int", value))
    if bits and not _MIN_PROBE_BITS <= bits <= _MAX_PROBE_BITS:
        raise ValueError(f"probe_bits {bits} out of range")
    return bits
