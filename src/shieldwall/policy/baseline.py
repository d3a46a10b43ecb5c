"""Baseline files: the findings a team has accepted, matched by fingerprint.

Format (JSON, versioned)::

    {"version": 1, "tool": "shieldwall", "created": "2026-11-29T12:00:00+00:00",
     "findings": [{"fingerprint": "...", "rule": "SW-SEC-001", "path": "app.py",
                   "line": 3, "message": "..."}]}

The path, line and message are there for people reading the file; only the fingerprint matches.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from shieldwall.core.errors import BaselineError
from shieldwall.core.finding import Finding
from shieldwall.core.location import location_line

BASELINE_VERSION = 1


class BaselineEntry(BaseModel):
    """One accepted finding."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    fingerprint: str
    rule: str
    path: str
    line: int | None = None
    message: str = ""


class BaselineDocument(BaseModel):
    """The baseline file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: Literal[1]
    tool: Literal["shieldwall"] = "shieldwall"
    created: str = ""
    findings: tuple[BaselineEntry, ...] = ()


@dataclass(frozen=True, slots=True)
class Baseline:
    """The fingerprints of accepted findings."""

    path: str
    fingerprints: frozenset[str]

    def covers(self, finding: Finding) -> bool:
        """Whether the finding was accepted in the baseline."""
        return finding.fingerprint in self.fingerprints


def load_baseline(path: Path) -> Baseline:
    """Read a baseline file; a clear :class:`BaselineError` when it cannot be used."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise BaselineError(
            f"{path}: baseline file not found (create it with `shieldwall baseline create`)"
        ) from exc
    except OSError as exc:
        raise BaselineError(f"{path}: cannot read baseline ({exc})") from exc
    try:
        data = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise BaselineError(f"{path}: baseline is not valid JSON ({exc})") from exc
    data = _upgrade(data, path)
    try:
        document = BaselineDocument.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise BaselineError(f"{path}: corrupt baseline at '{where}': {first['msg']}") from exc
    return Baseline(str(path), frozenset(entry.fingerprint for entry in document.findings))


def _upgrade(data: object, path: Path) -> object:
    """Upgrade older baseline versions step by step (there is only version 1 so far)."""
    if not isinstance(data, dict):
        raise BaselineError(f"{path}: a baseline must be a JSON object")
    version = data.get("version")
    if version != BASELINE_VERSION:
        raise BaselineError(
            f"{path}: baseline version {version!r} is not supported (expected {BASELINE_VERSION})"
        )
    return data


def write_baseline(findings: Iterable[Finding], path: Path) -> int:
    """Write the findings as a baseline; returns how many entries were written."""
    entries = sorted(
        {
            f.fingerprint: BaselineEntry(
                fingerprint=f.fingerprint,
                rule=f.rule.id,
                path=f.location.path,
                line=location_line(f.location),
                message=f.message,
            )
            for f in findings
        }.values(),
        key=lambda e: (e.path, e.line or 0, e.rule, e.fingerprint),
    )
    document = BaselineDocument(
        version=BASELINE_VERSION,
        created=datetime.now(UTC).isoformat(timespec="seconds"),
        findings=tuple(entries),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document.model_dump(), indent=2) + "\n", encoding="utf-8")
    return len(entries)
