"""The configured ignore list: entries with a mandatory reason and an optional expiry date."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import pathspec

from shieldwall.core.config.schema import IgnoreEntry
from shieldwall.core.finding import Finding


@dataclass(frozen=True, slots=True)
class IgnoreMatcher:
    """Compiled ignore entries, split into live and expired ones as of ``today``."""

    live: tuple[tuple[IgnoreEntry, pathspec.GitIgnoreSpec | None], ...]
    expired: tuple[IgnoreEntry, ...]

    @classmethod
    def build(cls, entries: Sequence[IgnoreEntry], today: date) -> IgnoreMatcher:
        """Compile the entries; an entry expires at the end of its ``expires`` day."""
        live = []
        expired = []
        for entry in entries:
            if entry.expires is not None and entry.expires < today:
                expired.append(entry)
                continue
            spec = pathspec.GitIgnoreSpec.from_lines([entry.path]) if entry.path else None
            live.append((entry, spec))
        return cls(tuple(live), tuple(expired))

    def match(self, finding: Finding) -> IgnoreEntry | None:
        """The first live entry matching the finding."""
        for entry, spec in self.live:
            if (
                entry.rule
                and entry.rule != finding.rule.id
                and entry.rule not in finding.rule.aliases
            ):
                continue
            if entry.fingerprint and entry.fingerprint != finding.fingerprint:
                continue
            if spec is not None and not spec.match_file(finding.location.path):
                continue
            return entry
        return None

    def warnings(self) -> list[str]:
        """One warning per expired entry: it no longer suppresses anything."""
        return [
            f"ignore entry for {_describe(entry)} expired on {entry.expires} and no longer "
            f"suppresses findings (reason was: {entry.reason})"
            for entry in self.expired
        ]


def _describe(entry: IgnoreEntry) -> str:
    parts = [p for p in (entry.rule, entry.path, entry.fingerprint) if p]
    return " ".join(parts)
