"""Collapsing a history scan: one finding per secret, at the commit that introduced it.

A secret committed once and carried through a hundred commits (or re-added on three branches)
is one problem. Findings of the same rule and secret hash become one finding, placed at the
earliest commit (by author date) that added it, with the number of commits that carry it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from datetime import UTC, datetime

from shieldwall.core.finding import Finding
from shieldwall.core.fingerprint import compute_fingerprint
from shieldwall.core.frozen import freeze
from shieldwall.scan.merge import sort_key


def collapse_history(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """The same secret (rule + secret hash) across commits becomes one finding.

    The kept finding is the first introduction; it gains ``commit_count`` (distinct commits that
    added it), ``latest_commit``, and a fingerprint without the commit, equal to the one a scan
    of the work tree gives the same secret in the same file. Findings without a commit (or
    without a secret hash) pass through unchanged.
    """
    groups: dict[tuple[str, str], list[tuple[int, Finding]]] = {}
    kept: list[Finding] = []
    for index, finding in enumerate(findings):
        secret = finding.properties.get("secret_hash")
        if not secret or "commit" not in finding.properties:
            kept.append(finding)
            continue
        groups.setdefault((finding.rule.id, str(secret)), []).append((index, finding))
    for (rule_id, secret), members in groups.items():
        # git log lists newest first, so on equal dates the later-listed one is older.
        ordered = sorted(members, key=lambda m: (_date(m[1]), -m[0]))
        first, latest = ordered[0][1], ordered[-1][1]
        properties = dict(first.properties)
        properties["commit_count"] = len({str(f.properties["commit"]) for _, f in members})
        properties["latest_commit"] = latest.properties["commit"]
        kept.append(
            dataclasses.replace(
                first,
                properties=freeze(properties),
                fingerprint=compute_fingerprint(rule_id, first.location.path, secret),
            )
        )
    return tuple(sorted(kept, key=sort_key))


def _date(finding: Finding) -> datetime:
    raw = str(finding.properties.get("date", ""))
    try:
        parsed = datetime.fromisoformat(raw)
    except ValueError:
        return datetime.max.replace(tzinfo=UTC)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
