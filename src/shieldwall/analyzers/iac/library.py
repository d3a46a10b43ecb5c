"""The built-in policy library: YAML policies shipped in ``policies/`` plus the Python checks.

Loaded once per process (the data is immutable) and indexed by resource type.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources

from shieldwall.analyzers.iac.checks import DOCKERFILE_CHECKS, PYTHON_CHECKS, DockerfileCheck
from shieldwall.analyzers.iac.policy import Check, load_policies
from shieldwall.core.errors import RuleDefinitionError
from shieldwall.core.rule import Rule


@dataclass(frozen=True, slots=True)
class Library:
    """Every check, and the checks of each resource type."""

    checks: tuple[Check, ...]
    dockerfile_checks: tuple[DockerfileCheck, ...]
    by_type: Mapping[str, tuple[Check, ...]]

    @property
    def rules(self) -> tuple[Rule, ...]:
        """Every rule, in id order."""
        found = [c.rule for c in self.checks] + [c.rule for c in self.dockerfile_checks]
        return tuple(sorted(found, key=lambda r: r.id))

    def extended(self, extra: Sequence[Check]) -> Library:
        """This library plus custom checks; a custom id that clashes with another is an error."""
        if not extra:
            return self
        known = {r.id for r in self.rules}
        for check in extra:
            if check.rule.id in known:
                raise RuleDefinitionError(f"custom policy {check.rule.id}: id already in use")
            known.add(check.rule.id)
        return build_library((*self.checks, *extra), self.dockerfile_checks)


def build_library(checks: Sequence[Check], dockerfile_checks: Sequence[DockerfileCheck]) -> Library:
    """Index checks by resource type."""
    by_type: dict[str, list[Check]] = defaultdict(list)
    for check in checks:
        for rtype in sorted(check.resource_types):
            by_type[rtype].append(check)
    return Library(
        tuple(checks), tuple(dockerfile_checks), {k: tuple(v) for k, v in by_type.items()}
    )


@functools.cache
def builtin_library() -> Library:
    """The built-in library (YAML files in ``policies/`` and the Python checks)."""
    checks: list[Check] = []
    folder = resources.files("shieldwall.analyzers.iac") / "policies"
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            checks.extend(
                load_policies(entry.read_text(encoding="utf-8"), f"policies/{entry.name}")
            )
    checks.extend(PYTHON_CHECKS)
    ids = [c.rule.id for c in checks] + [c.rule.id for c in DOCKERFILE_CHECKS]
    duplicates = {i for i in ids if ids.count(i) > 1}
    if duplicates:
        raise RuleDefinitionError(f"duplicate IaC rule ids: {sorted(duplicates)}")
    return build_library(checks, DOCKERFILE_CHECKS)
