"""Threat rules: STRIDE per element, a declarative condition, likelihood, impact, CWE, CAPEC.

Built-in rules live as YAML in ``library/``; custom rules use the same format. A rule is compiled
once: its condition is checked against the fact types, its metadata becomes a core ``Rule``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from shieldwall.core.errors import RuleDefinitionError
from shieldwall.core.rule import Rule
from shieldwall.core.severity import Severity
from shieldwall.threatmodel.conditions import (
    Condition,
    Predicate,
    compile_condition,
    to_predicate,
)
from shieldwall.threatmodel.errors import ModelError
from shieldwall.threatmodel.vocabulary import ControlKind, ElementType, Level, Stride
from shieldwall.threatmodel.yamlsource import decode, load_yaml

SCANNER = "threatmodel"


class _RuleSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    title: str
    stride: Stride
    element: ElementType
    when: dict[str, Any] = Field(default_factory=dict)
    likelihood: Level
    impact: Level
    cwe: list[int] = Field(default_factory=list)
    capec: list[int] = Field(default_factory=list)
    mitigated_by: list[ControlKind] = Field(default_factory=list)
    mitigations: list[str] = Field(default_factory=list)
    description: str = ""


class _RuleFileSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    rules: list[_RuleSpec]


def risk_severity(likelihood: Level, impact: Level) -> Severity:
    """Severity from a 3x3 risk matrix, the product of the two scores."""
    score = likelihood.score * impact.score
    if score >= 9:
        return Severity.CRITICAL
    if score >= 6:
        return Severity.HIGH
    if score >= 3:
        return Severity.MEDIUM
    return Severity.LOW


@dataclass(frozen=True, slots=True)
class ThreatRule:
    """A compiled threat rule."""

    rule: Rule
    stride: Stride
    element: ElementType
    condition: Condition
    likelihood: Level
    impact: Level
    capec: tuple[int, ...]
    mitigated_by: frozenset[ControlKind]
    source: str
    check: Predicate

    def __reduce__(self) -> tuple[object, ...]:
        # The compiled closure cannot be pickled; rebuild it from the condition instead.
        fields = (self.rule, self.stride, self.element, self.condition, self.likelihood)
        rest = (self.impact, self.capec, self.mitigated_by, self.source)
        return (_rebuild, (*fields, *rest))

    @property
    def id(self) -> str:
        """The rule id."""
        return self.rule.id


def _compile(spec: _RuleSpec, source: str) -> ThreatRule:
    where = f"{source}: rule {spec.id}"
    references = [f"https://capec.mitre.org/data/definitions/{c}.html" for c in spec.capec]
    rule = Rule.create(
        id=spec.id,
        title=spec.title,
        severity=risk_severity(spec.likelihood, spec.impact),
        scanner=SCANNER,
        description=spec.description,
        remediation="\n".join(f"- {m}" for m in spec.mitigations),
        cwe=[str(c) for c in spec.cwe],
        references=references,
        tags=[spec.stride.value, spec.element.value, *(f"CAPEC-{c}" for c in spec.capec)],
    )
    condition = compile_condition(spec.when, spec.element, where)
    return ThreatRule(
        rule=rule,
        stride=spec.stride,
        element=spec.element,
        condition=condition,
        likelihood=spec.likelihood,
        impact=spec.impact,
        capec=tuple(spec.capec),
        mitigated_by=frozenset(spec.mitigated_by),
        source=source,
        check=to_predicate(condition),
    )


def _rebuild(
    rule: Rule,
    stride: Stride,
    element: ElementType,
    condition: Condition,
    likelihood: Level,
    impact: Level,
    capec: tuple[int, ...],
    mitigated_by: frozenset[ControlKind],
    source: str,
) -> ThreatRule:
    return ThreatRule(
        rule,
        stride,
        element,
        condition,
        likelihood,
        impact,
        capec,
        mitigated_by,
        source,
        check=to_predicate(condition),
    )


def parse_rules(text: str, source: str) -> tuple[ThreatRule, ...]:
    """Compile the rules of one rule file's text."""
    raw, lines = load_yaml(text, source)
    try:
        spec = _RuleFileSpec.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        loc = tuple(p for p in first["loc"] if isinstance(p, str | int))
        line = lines.line_of(loc)
        where = ".".join(str(p) for p in loc)
        raise RuleDefinitionError(f"{source}:{line}: {where}: {first['msg']}") from exc
    compiled = []
    for index, rule_spec in enumerate(spec.rules):
        try:
            compiled.append(_compile(rule_spec, source))
        except RuleDefinitionError as exc:
            line = lines.line_of(("rules", index))
            raise RuleDefinitionError(f"{source}:{line}: {exc}") from exc
    return tuple(compiled)


def load_rule_file(path: Path) -> tuple[ThreatRule, ...]:
    """Compile a custom rule file."""
    try:
        text = decode(path.read_bytes(), str(path))
    except OSError as exc:
        raise RuleDefinitionError(f"cannot read rule file {path}: {exc.strerror}") from exc
    except ModelError as exc:
        raise RuleDefinitionError(str(exc)) from exc
    try:
        return parse_rules(text, str(path))
    except ModelError as exc:
        raise RuleDefinitionError(str(exc)) from exc


@cache
def builtin_rules() -> tuple[ThreatRule, ...]:
    """The rule library shipped with shieldwall, in id order."""
    library = resources.files("shieldwall.threatmodel") / "library"
    rules: list[ThreatRule] = []
    for entry in sorted(library.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            rules.extend(parse_rules(entry.read_text("utf-8"), f"library/{entry.name}"))
    return merge_rules(rules, ())


def merge_rules(base: Iterable[ThreatRule], extra: Iterable[ThreatRule]) -> tuple[ThreatRule, ...]:
    """Built-in and custom rules together; a repeated id is an error, not an override."""
    by_id: dict[str, ThreatRule] = {}
    for rule in [*base, *extra]:
        if rule.id in by_id:
            raise RuleDefinitionError(
                f"rule {rule.id} in {rule.source} is already defined in {by_id[rule.id].source}"
            )
        by_id[rule.id] = rule
    return tuple(sorted(by_id.values(), key=lambda r: r.id))
