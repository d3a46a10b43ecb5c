"""What every report shows the same way: counts, ordering, rules that ran and location labels.

Writers differ in syntax only; the numbers and the order they show come from here, so a table and
a SARIF file of the same scan never disagree.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import assert_never

from shieldwall.core.finding import Finding
from shieldwall.core.ids import RuleId
from shieldwall.core.location import (
    ImageLocation,
    Location,
    PackageLocation,
    SourceLocation,
    UrlLocation,
)
from shieldwall.core.result import ScanError, ScanResult
from shieldwall.core.rule import Rule
from shieldwall.core.severity import Severity

# Highest first: the order in which every report lists severities.
SEVERITIES_DESC: tuple[Severity, ...] = tuple(sorted(Severity, key=lambda s: s.rank, reverse=True))


@dataclass(frozen=True, slots=True)
class Summary:
    """The headline numbers of a scan."""

    total: int
    active: int
    suppressed: int
    by_severity: Mapping[Severity, int]
    errors: int
    skipped: int


def summarise(result: ScanResult) -> Summary:
    """Counts of active findings per severity (highest first), suppressed, errors and skipped."""
    counts = result.count_by_severity()
    return Summary(
        total=len(result.findings),
        active=len(result.active),
        suppressed=len(result.suppressed),
        by_severity={sev: counts[sev] for sev in SEVERITIES_DESC},
        errors=len(result.errors),
        skipped=len(result.skipped),
    )


def by_severity(findings: tuple[Finding, ...]) -> tuple[Finding, ...]:
    """Findings ordered highest severity first; stable, so the result's order breaks ties."""
    return tuple(sorted(findings, key=lambda f: -f.severity.rank))


def rules_that_ran(result: ScanResult) -> tuple[Rule, ...]:
    """The rules of the analyzers that ran plus any rule a finding names, sorted by id.

    ``result.rules`` is filled by the engine; findings are added too so that a result built by
    hand (or imported) still lists the rule of every finding.
    """
    rules: dict[RuleId, Rule] = dict(result.rules)
    for finding in result.findings:
        rules.setdefault(finding.rule.id, finding.rule)
    return tuple(rules[key] for key in sorted(rules))


def location_label(location: Location) -> str:
    """A short human label: ``app.py:12``, ``x@1 (requirements.txt:3)``, ``GET url [q]``."""
    match location:
        case SourceLocation():
            return f"{location.path}:{location.start_line}"
        case PackageLocation():
            where = location.path + (f":{location.line}" if location.line is not None else "")
            return f"{location.name}@{location.version} ({where})"
        case ImageLocation():
            where = location.path + (f":{location.line}" if location.line is not None else "")
            return f"{location.image}:{where}"
        case UrlLocation():
            param = f" [{location.parameter}]" if location.parameter else ""
            return f"{location.method} {location.url}{param}"
        case _:
            assert_never(location)


_SURROGATE = re.compile("[\ud800-\udfff]")


def scrub(text: str) -> str:
    """``text`` with lone surrogates replaced by U+FFFD, so it can always be written as UTF-8.

    Text decoded with ``surrogateescape`` (file names, git output) keeps undecodable bytes as lone
    surrogates; writing one to a UTF-8 stream raises, and a report must not fail on one byte.
    """
    return _SURROGATE.sub("\ufffd", text)


# C0 and C1 controls other than tab and newlines: terminal escapes, NUL, bell.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def no_controls(text: str) -> str:
    """``text`` with control characters (ANSI escapes, NUL) replaced by U+FFFD."""
    return _CONTROL.sub("\ufffd", text)


def error_text(error: ScanError) -> str:
    """``path: message``, without repeating the path when the message already starts with it."""
    if error.path and not error.message.startswith(error.path):
        return f"{error.path}: {error.message}"
    return error.message


def cwe_url(cwe_id: str) -> str:
    """The MITRE page of a ``CWE-89`` style id."""
    return f"https://cwe.mitre.org/data/definitions/{cwe_id.removeprefix('CWE-')}.html"
