"""Ordered severity and confidence levels shared by every scanner and report."""

from __future__ import annotations

from enum import StrEnum
from typing import assert_never


class Severity(StrEnum):
    """How bad a finding is, from ``info`` (lowest) to ``critical`` (highest)."""

    INFO = "info"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        """Position in the order info < low < medium < high < critical."""
        return _SEVERITY_ORDER.index(self)

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank >= other.rank

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank > other.rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank <= other.rank

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank < other.rank

    @property
    def security_severity(self) -> str:
        """The numeric score GitHub code scanning reads from SARIF ``security-severity``.

        GitHub maps > 9.0 to critical, 7.0-8.9 to high, 4.0-6.9 to medium and 0.1-3.9 to low.
        """
        match self:
            case Severity.CRITICAL:
                return "9.5"
            case Severity.HIGH:
                return "8.0"
            case Severity.MEDIUM:
                return "5.5"
            case Severity.LOW:
                return "2.0"
            case Severity.INFO:
                return "0.0"
            case _:
                assert_never(self)

    @classmethod
    def from_cvss_score(cls, score: float) -> Severity:
        """Map a CVSS base score to a level with the CVSS v3.1 qualitative scale."""
        if score >= 9.0:
            return cls.CRITICAL
        if score >= 7.0:
            return cls.HIGH
        if score >= 4.0:
            return cls.MEDIUM
        if score > 0.0:
            return cls.LOW
        return cls.INFO


_SEVERITY_ORDER: tuple[Severity, ...] = (
    Severity.INFO,
    Severity.LOW,
    Severity.MEDIUM,
    Severity.HIGH,
    Severity.CRITICAL,
)


class Confidence(StrEnum):
    """How sure the scanner is that a finding is real."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"

    @property
    def rank(self) -> int:
        """Position in the order low < medium < high."""
        return ("low", "medium", "high").index(self.value)
