"""Rule metadata: what a detection looks for, how bad it is, and how to fix it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from shieldwall.core.errors import RuleDefinitionError
from shieldwall.core.ids import RuleId
from shieldwall.core.severity import Confidence, Severity

_RULE_ID = re.compile(r"^[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+$")
_CWE_ID = re.compile(r"^CWE-\d+$")


@dataclass(frozen=True, slots=True)
class Rule:
    """One detection with a stable id (``SW-SEC-001``); ids are never reused.

    ``cwe`` lists the most specific weakness first, then broader ones.
    """

    id: RuleId
    title: str
    severity: Severity
    scanner: str
    description: str = ""
    remediation: str = ""
    confidence: Confidence = Confidence.HIGH
    cwe: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    aliases: tuple[str, ...] = field(default=())

    @classmethod
    def create(
        cls,
        *,
        id: str,
        title: str,
        severity: Severity | str,
        scanner: str,
        description: str = "",
        remediation: str = "",
        confidence: Confidence | str = Confidence.HIGH,
        cwe: tuple[str, ...] | list[str] = (),
        references: tuple[str, ...] | list[str] = (),
        tags: tuple[str, ...] | list[str] = (),
        aliases: tuple[str, ...] | list[str] = (),
    ) -> Rule:
        """Build a rule, validating the id and CWE formats."""
        if not _RULE_ID.match(id):
            raise RuleDefinitionError(f"rule id {id!r} must look like SW-SEC-001")
        cwe_ids = tuple(_normalise_cwe(c) for c in cwe)
        for cwe_id in cwe_ids:
            if not _CWE_ID.match(cwe_id):
                raise RuleDefinitionError(f"rule {id}: CWE {cwe_id!r} must look like CWE-79")
        if not title.strip():
            raise RuleDefinitionError(f"rule {id}: title is empty")
        return cls(
            id=RuleId(id),
            title=title.strip(),
            severity=Severity(severity),
            scanner=scanner,
            description=description.strip(),
            remediation=remediation.strip(),
            confidence=Confidence(confidence),
            cwe=cwe_ids,
            references=tuple(references),
            tags=tuple(tags),
            aliases=tuple(aliases),
        )


def _normalise_cwe(value: str | int) -> str:
    text = str(value).strip().upper()
    return text if text.startswith("CWE-") else f"CWE-{text}"
