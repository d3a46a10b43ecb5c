"""Fingerprints that identify the same issue across scans even when lines move.

The fingerprint is a hash of the rule id, the path, and the normalised matched content plus its
context: never the line number, so inserting lines above a finding keeps its identity.
"""

from __future__ import annotations

import hashlib
import re

from shieldwall.core.ids import Fingerprint

_WHITESPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Collapse runs of whitespace so re-indentation does not change identity."""
    return _WHITESPACE.sub(" ", text).strip()


def compute_fingerprint(rule_id: str, path: str, *parts: str) -> Fingerprint:
    """A stable 32-hex-digit fingerprint from the rule, the path and identifying content."""
    digest = hashlib.sha256()
    for piece in (rule_id, path, *(normalise(p) for p in parts)):
        digest.update(piece.encode("utf-8", "surrogatepass"))
        digest.update(b"\x00")
    return Fingerprint(digest.hexdigest()[:32])
