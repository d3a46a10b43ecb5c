"""Leak recognition: keyed HMAC fingerprints of live secrets, never the values themselves.

The secrets scanner gets a :class:`LeakFingerprints` (a one-off random key, the HMACs of every live
value under it, and the lengths that occur) and calls :meth:`LeakFingerprints.find` on each line.
Candidates are the line's tokens (split at whitespace, quotes and brackets) and their parts (split
again at ``= : @ / & ?``, so ``postgres://u:VALUE@host`` yields ``VALUE``); only candidates of a
stored length are hashed. A match is an exact copy of a stored value: no false positives beyond an
HMAC-SHA256 collision.

Hook the scanner needs (``shieldwall.analyzers.secrets``): an optional ``LeakFingerprints`` in its
context, and for each text line ``fingerprints.find(line)`` turned into a critical finding that
names ``match.path`` and ``match.owner`` and suggests ``shieldwall secrets rotate``.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from shieldwall.secretstore.model import SecretBackend

_TOKEN = re.compile(r"[^\s\"'`,;()\[\]{}<>]+")
_PART = re.compile(r"[^=:@/&?]+")
MIN_LENGTH = 8  # shorter values would be found by chance, not because they leaked


@dataclass(frozen=True, slots=True)
class LeakMatch:
    """A stored secret found in scanned text: which one, whose, and where in the line."""

    path: str
    owner: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class LeakFingerprints:
    """HMACs of live secret values under a one-off key, with the path and owner of each."""

    key: bytes
    digests: dict[bytes, tuple[str, str]]
    lengths: frozenset[int]

    def __repr__(self) -> str:
        return f"LeakFingerprints({len(self.digests)} secrets)"

    def find(self, line: str) -> Iterator[LeakMatch]:
        """Every exact occurrence of a stored value among the candidates of ``line``."""
        if not self.digests or len(line) < MIN_LENGTH:
            return
        seen: set[int] = set()
        lengths, digests, key = self.lengths, self.digests, self.key
        for token in _TOKEN.finditer(line):
            text, base = token.group(), token.start()
            candidates = [(text, base)]
            if len(text) > MIN_LENGTH:
                candidates.extend((p.group(), base + p.start()) for p in _PART.finditer(text))
            for candidate, start in candidates:
                if len(candidate) not in lengths or start in seen:
                    continue
                mac = hmac.new(key, candidate.encode("utf-8"), hashlib.sha256).digest()
                hit = digests.get(mac)
                if hit is not None:
                    seen.add(start)
                    yield LeakMatch(hit[0], hit[1], start, start + len(candidate))


def fingerprint_values(values: Iterable[tuple[str, str, str]]) -> LeakFingerprints:
    """Fingerprints of ``(path, owner, value)`` triples; values under MIN_LENGTH are skipped."""
    key = os.urandom(32)
    digests: dict[bytes, tuple[str, str]] = {}
    lengths: set[int] = set()
    for path, owner, value in values:
        if len(value) >= MIN_LENGTH:
            digests[hmac.new(key, value.encode("utf-8"), hashlib.sha256).digest()] = (path, owner)
            lengths.add(len(value))
    return LeakFingerprints(key, digests, frozenset(lengths))


def build_fingerprints(
    backend: SecretBackend, owner: str, paths: Iterable[str] | None = None
) -> LeakFingerprints:
    """Fingerprints of the current value of every listed path of ``backend`` (or ``paths``)."""
    chosen = backend.list() if paths is None else list(paths)
    return fingerprint_values((path, owner, backend.read(path).value) for path in chosen)
