"""The contract of a check: a rule, the resource types it applies to, and a pure evaluation.

Built-in YAML policies, custom YAML policies and Python checks all take this shape, so the
analyzer runs them the same way. A check never keeps state: it receives the resource and a
read-only context (every resource of the group by address, for documents referenced across files).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

from shieldwall.analyzers.iac.model import Resource
from shieldwall.analyzers.iac.policy.conditions import Always, Condition, Subject
from shieldwall.core.rule import Rule


@dataclass(frozen=True, slots=True)
class Hit:
    """One violation: where it is and an optional detail for the message and the fingerprint."""

    path: str
    line: int
    detail: str = ""
    secret: str = ""  # a literal secret the finding must redact


@dataclass(frozen=True, slots=True)
class CheckContext:
    """What a check may look at besides its resource."""

    resources: Mapping[str, Resource]


CheckFn = Callable[[Resource, CheckContext], Iterator[Hit]]


@dataclass(frozen=True, slots=True)
class Check:
    """A rule and how to test a resource for it.

    ``assertion`` is what a compliant resource satisfies (YAML policies); ``function`` is used
    instead for checks written in Python. ``when`` limits which resources the rule applies to.
    """

    rule: Rule
    resource_types: frozenset[str]
    assertion: Condition | None = None
    when: Condition = field(default_factory=Always)
    function: CheckFn | None = None

    def evaluate(self, res: Resource, ctx: CheckContext) -> Iterator[Hit]:
        """The violations of this check on one resource."""
        subject = Subject(res.attributes, res)
        applies = self.when.evaluate(subject)
        if applies.result is not True:
            return
        if self.function is not None:
            yield from self.function(res, ctx)
            return
        if self.assertion is None:
            return
        outcome = self.assertion.evaluate(subject)
        if outcome.result is False:
            yield Hit(outcome.path, outcome.line, outcome.detail)
