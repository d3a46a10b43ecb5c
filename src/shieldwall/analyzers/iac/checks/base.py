"""Helpers to declare Python checks: rule metadata in one call, and the Dockerfile check shape."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from shieldwall.analyzers.iac.dockerfile import Dockerfile
from shieldwall.analyzers.iac.policy import Check, Hit
from shieldwall.analyzers.iac.policy.check import CheckFn
from shieldwall.core.rule import Rule
from shieldwall.core.severity import Severity


def rule(
    id: str,
    title: str,
    severity: Severity,
    cwe: str,
    remediation: str,
    description: str = "",
) -> Rule:
    """Rule metadata of an IaC check."""
    return Rule.create(
        id=id,
        title=title,
        severity=severity,
        scanner="iac",
        cwe=(cwe,),
        remediation=remediation,
        description=description or title,
    )


def python_check(r: Rule, types: tuple[str, ...], fn: CheckFn) -> Check:
    """A check whose logic is a Python function."""
    return Check(rule=r, resource_types=frozenset(types), function=fn)


DockerfileFn = Callable[[Dockerfile], Iterator[Hit]]


@dataclass(frozen=True, slots=True)
class DockerfileCheck:
    """A rule over a whole Dockerfile (instructions in order, stages)."""

    rule: Rule
    function: DockerfileFn

    def evaluate(self, dockerfile: Dockerfile) -> Iterator[Hit]:
        """The violations in one Dockerfile."""
        return self.function(dockerfile)
