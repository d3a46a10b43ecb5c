"""Severity of an advisory: CVSS vectors scored by the ``cvss`` library, else its rating."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from cvss import CVSS2, CVSS3, CVSS4  # type: ignore[import-untyped]
from cvss.exceptions import CVSSError  # type: ignore[import-untyped]

from shieldwall.core.severity import Severity

# GitHub and other databases rate in words; "moderate" is GitHub's word for medium.
_RATINGS = {
    "critical": Severity.CRITICAL,
    "high": Severity.HIGH,
    "moderate": Severity.MEDIUM,
    "medium": Severity.MEDIUM,
    "low": Severity.LOW,
    "none": Severity.INFO,
    "informational": Severity.INFO,
}


@dataclass(frozen=True, slots=True)
class ScoredSeverity:
    """A severity with where it came from: a scored vector or a rating."""

    severity: Severity
    score: float | None
    source: str  # "CVSS_V3", "CVSS_V4", "rating" or "default"
    vector: str = ""


@lru_cache(maxsize=16384)
def score_vector(kind: str, vector: str) -> float | None:
    """The CVSS base score of a vector, or None when it cannot be parsed."""
    try:
        if kind == "CVSS_V4" or vector.startswith("CVSS:4"):
            return float(CVSS4(vector).base_score)
        if kind == "CVSS_V3" or vector.startswith("CVSS:3"):
            return float(CVSS3(vector).scores()[0])
        if kind == "CVSS_V2":
            return float(CVSS2(vector).scores()[0])
    except (CVSSError, ValueError, KeyError, IndexError):
        return None
    return None


def advisory_severity(
    vectors: Iterable[tuple[str, str]], ratings: Iterable[str] = ()
) -> ScoredSeverity | None:
    """The highest scored vector; else the highest word rating; else None."""
    best: ScoredSeverity | None = None
    for kind, vector in vectors:
        score = score_vector(kind, vector)
        if score is not None and (best is None or (best.score or 0.0) < score):
            best = ScoredSeverity(Severity.from_cvss_score(score), score, kind, vector)
    if best is not None:
        return best
    levels = [_RATINGS[r.strip().lower()] for r in ratings if r.strip().lower() in _RATINGS]
    if levels:
        return ScoredSeverity(max(levels), None, "rating")
    return None
