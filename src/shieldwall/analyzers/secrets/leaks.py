"""Leaked stored secrets: exact copies of values kept in a secret store, found by fingerprint.

``[analyzers.secrets] leak_fingerprints`` names a file written by ``shieldwall secrets
fingerprints`` (keyed HMACs of the live values, never the values). Every exact copy of one of
them, anywhere in a scanned file, is a critical finding that names the stored secret and its
owner; a generic or provider finding on the same bytes is replaced by it. There are no false
positives by construction: a match is an HMAC-SHA256 equality of the same length of bytes.
"""

from __future__ import annotations

import dataclasses
import os
import time
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from shieldwall.analyzers.secrets.detector import Candidate
from shieldwall.analyzers.secrets.ruleset import SCANNER_ID
from shieldwall.core.errors import ConfigError
from shieldwall.core.finding import Finding
from shieldwall.core.rule import Rule
from shieldwall.core.severity import Confidence

if TYPE_CHECKING:
    # The secret store (cryptography, pyrage) is imported only when fingerprints are configured.
    from shieldwall.secretstore.fingerprints import LeakFingerprints, LeakMatch

LEAKED_STORED_SECRET_RULE = Rule.create(
    id="SW-SEC-900",
    title="Leaked stored secret",
    severity="critical",
    scanner=SCANNER_ID,
    confidence="high",
    cwe=["CWE-798", "CWE-200"],
    tags=["secret", "leak", "secret-store"],
    description=(
        "An exact copy of a live value from the secret store (matched by its keyed fingerprint) "
        "is in this file. Reported only when [analyzers.secrets] leak_fingerprints is set."
    ),
    remediation="Remove it, and rotate the stored secret: `shieldwall secrets rotate PATH`.",
)


# path -> (when it was last checked, the fingerprints then): a file is stat'ed at most once a
# second, not once per scanned file (the analyzer is called file by file).
_RECENT: dict[str, tuple[float, LeakFingerprints]] = {}
_RECHECK_SECONDS = 1.0


def load_leak_fingerprints(path: str | None) -> LeakFingerprints | None:
    """The fingerprints of ``path`` (cached per process, re-read when the file changes)."""
    if not path:
        return None
    now = time.monotonic()
    recent = _RECENT.get(path)
    if recent is not None and now - recent[0] < _RECHECK_SECONDS:
        return recent[1]
    try:
        stat = os.stat(path)  # noqa: PTH116 - no pathlib parsing on this hot path
    except OSError as exc:
        raise ConfigError(
            f"[analyzers.secrets] leak_fingerprints: cannot read {path}: {exc.strerror}"
        ) from exc
    loaded = _load(path, (stat.st_mtime_ns, stat.st_size))
    _RECENT[path] = (now, loaded)
    return loaded


@lru_cache(maxsize=4)
def _load(path: str, stamp: tuple[int, int]) -> LeakFingerprints:
    del stamp  # only part of the cache key
    from shieldwall.secretstore.errors import SecretConfigError
    from shieldwall.secretstore.fingerprints import load_fingerprints

    try:
        return load_fingerprints(Path(path))
    except SecretConfigError as exc:
        raise ConfigError(f"[analyzers.secrets] leak_fingerprints: {exc}") from exc


def leak_candidates(
    fingerprints: LeakFingerprints, data: bytes, limit: int
) -> list[tuple[Candidate, LeakMatch]]:
    """Candidates (in ``data``'s latin-1 text offsets) for every stored value found in ``data``."""
    found = []
    for match in fingerprints.matches(data):
        if match.start >= limit:
            continue  # the next chunk reports it
        value = data[match.start : match.end].decode("latin-1")
        candidate = Candidate(
            rule=LEAKED_STORED_SECRET_RULE,
            secret=value,
            start=match.start,
            end=match.end,
            match_start=match.start,
            match_end=match.end,
            provider=True,
        )
        found.append((candidate, match))
    return found


def merge(candidates: list[Candidate], leaks: list[tuple[Candidate, LeakMatch]]) -> list[Candidate]:
    """The detector's candidates without those on a leaked value's bytes, plus the leaks."""
    if not leaks:
        return candidates
    spans = [(c.start, c.end) for c, _ in leaks]
    kept = [
        c for c in candidates if not any(c.start < end and start < c.end for start, end in spans)
    ]
    return sorted([*kept, *(c for c, _ in leaks)], key=lambda c: c.start)


def name_leaks(findings: Iterator[Finding], matches: list[LeakMatch]) -> Iterator[Finding]:
    """Give each leak finding (in candidate order) the stored secret's path and owner."""
    pending = iter(matches)
    for finding in findings:
        if finding.rule.id != LEAKED_STORED_SECRET_RULE.id:
            yield finding
            continue
        match = next(pending)
        yield dataclasses.replace(
            finding,
            message=(
                f"Leaked stored secret {match.path!r} (owner {match.owner}): an exact copy of its "
                f"live value; rotate it with `shieldwall secrets rotate {match.path}`"
            ),
            confidence=Confidence.HIGH,  # an HMAC match: even in a test fixture, it is the value
            properties={**finding.properties, "secret_path": match.path, "owner": match.owner},
        )
