"""YAML policies (built-in and custom) to :class:`Check` objects, with clear validation errors.

A policy file is a mapping with a ``policies`` list; each policy names its rule metadata, the
resource types it applies to, an optional ``when`` and the ``assert`` a compliant resource meets.
See ``docs/iac.md`` for the language. Every error names the file, the policy and the key.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from shieldwall.analyzers.iac.policy.check import Check
from shieldwall.analyzers.iac.policy.conditions import (
    AllOf,
    Always,
    AnyOf,
    AttrCondition,
    Condition,
    Each,
    Not,
    Op,
    Quantifier,
    Related,
)
from shieldwall.analyzers.iac.values import to_python
from shieldwall.analyzers.iac.yaml_values import load_documents
from shieldwall.core.errors import AnalysisError, RuleDefinitionError
from shieldwall.core.rule import Rule
from shieldwall.core.severity import Severity

SCANNER = "iac"


class PolicyError(RuleDefinitionError):
    """A policy file or one of its policies is invalid."""


class PolicySpec(BaseModel):
    """One policy as written in YAML."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    id: str
    title: str
    severity: Severity
    resource: str | list[str]
    assert_: Any = Field(alias="assert")
    when: Any = None
    cwe: list[str] = Field(default_factory=list)
    description: str = ""
    remediation: str = ""
    references: list[str] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)


class PolicyFile(BaseModel):
    """A policy file: ``policies: [...]``."""

    model_config = ConfigDict(extra="forbid")

    policies: list[dict[str, Any]]


def load_policies(text: str, source: str) -> list[Check]:
    """The checks of one policy file's text; ``source`` names it in errors."""
    try:
        docs = list(load_documents(text, source))
    except AnalysisError as exc:
        raise PolicyError(str(exc)) from exc
    if len(docs) != 1:
        raise PolicyError(f"{source}: expected one YAML document with a 'policies' list")
    return parse_policies(to_python(docs[0]), source)


def parse_policies(data: object, source: str) -> list[Check]:
    """The checks of an already-loaded policy document."""
    try:
        envelope = PolicyFile.model_validate(data)
    except ValidationError as exc:
        raise PolicyError(f"{source}: {_first_error(exc)}") from exc
    checks: list[Check] = []
    seen: set[str] = set()
    for index, raw in enumerate(envelope.policies):
        where = f"{source}: policy #{index + 1} ({raw.get('id', '?')})"
        try:
            spec = PolicySpec.model_validate(raw)
        except ValidationError as exc:
            raise PolicyError(f"{where}: {_first_error(exc)}") from exc
        if spec.id in seen:
            raise PolicyError(f"{where}: duplicate id {spec.id}")
        seen.add(spec.id)
        checks.append(_check(spec, where))
    return checks


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    loc = ".".join(str(p) for p in err["loc"])
    return f"{loc}: {err['msg']}" if loc else str(err["msg"])


def _check(spec: PolicySpec, where: str) -> Check:
    try:
        rule = Rule.create(
            id=spec.id,
            title=spec.title,
            severity=spec.severity,
            scanner=SCANNER,
            description=spec.description,
            remediation=spec.remediation,
            cwe=spec.cwe,
            references=spec.references,
            tags=spec.tags,
        )
    except RuleDefinitionError as exc:
        raise PolicyError(f"{where}: {exc}") from exc
    types = [spec.resource] if isinstance(spec.resource, str) else spec.resource
    if not types:
        raise PolicyError(f"{where}: resource: name at least one resource type")
    return Check(
        rule=rule,
        resource_types=frozenset(types),
        assertion=parse_condition(spec.assert_, f"{where}: assert"),
        when=parse_condition(spec.when, f"{where}: when") if spec.when is not None else Always(),
    )


def parse_condition(raw: object, where: str) -> Condition:
    """A condition from its YAML form; errors say which key of which policy is wrong."""
    if isinstance(raw, list):
        return AllOf(tuple(parse_condition(r, f"{where}[{i}]") for i, r in enumerate(raw)))
    if not isinstance(raw, dict) or not raw:
        raise PolicyError(f"{where}: a condition must be a mapping such as {{attr: x, equals: y}}")
    keys = set(raw)
    if keys <= {"and"} or keys <= {"or"}:
        ((kind, items),) = raw.items()
        if not isinstance(items, list) or not items:
            raise PolicyError(f"{where}.{kind}: expected a non-empty list of conditions")
        parsed = tuple(parse_condition(r, f"{where}.{kind}[{i}]") for i, r in enumerate(items))
        return AllOf(parsed) if kind == "and" else AnyOf(parsed)
    if keys == {"not"}:
        return Not(parse_condition(raw["not"], f"{where}.not"))
    if "attr" in keys:
        return _attr(raw, where)
    if "each" in keys:
        quant = _quantifier(raw, where, {"each"})
        return Each(
            _path(raw["each"], f"{where}.each"),
            quant,
            parse_condition(raw[quant.value], f"{where}.{quant.value}"),
        )
    if "related" in keys:
        return _related(raw, where)
    raise PolicyError(
        f"{where}: unknown condition keys {sorted(keys)}; use attr, and, or, not, each or related"
    )


def _path(raw: object, where: str) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise PolicyError(f"{where}: expected an attribute path such as 'versioning.enabled'")
    return raw.strip()


def _quantifier(raw: dict[str, Any], where: str, base: set[str]) -> Quantifier:
    rest = set(raw) - base
    found = [q for q in Quantifier if q.value in rest]
    if len(found) != 1 or rest - {found[0].value}:
        raise PolicyError(f"{where}: expected exactly one of any, all, none (found {sorted(rest)})")
    return found[0]


def _related(raw: dict[str, Any], where: str) -> Condition:
    rtype = _path(raw["related"], f"{where}.related")
    if set(raw) == {"related", "exists"}:
        if not isinstance(raw["exists"], bool):
            raise PolicyError(f"{where}.exists: expected true or false")
        return Related(rtype, None, None, raw["exists"])
    quant = _quantifier(raw, where, {"related"})
    return Related(rtype, quant, parse_condition(raw[quant.value], f"{where}.{quant.value}"))


def _attr(raw: dict[str, Any], where: str) -> Condition:
    path = _path(raw["attr"], f"{where}.attr")
    ops = [op for op in Op if op.value in raw]
    extra = set(raw) - {"attr", "default", "quantifier"} - {op.value for op in ops}
    if len(ops) != 1 or extra:
        names = ", ".join(op.value for op in Op)
        raise PolicyError(
            f"{where}: attr {path!r} needs exactly one operator of: {names}"
            + (f" (unknown keys {sorted(extra)})" if extra else "")
        )
    op = ops[0]
    operand = raw[op.value]
    if op in (Op.REGEX, Op.NOT_REGEX):
        try:
            re.compile(str(operand))
        except re.error as exc:
            raise PolicyError(f"{where}.{op.value}: invalid regular expression: {exc}") from exc
    if op in (Op.GT, Op.GTE, Op.LT, Op.LTE) and not isinstance(operand, int | float):
        raise PolicyError(f"{where}.{op.value}: expected a number, got {operand!r}")
    if op is Op.EXISTS and not isinstance(operand, bool):
        raise PolicyError(f"{where}.exists: expected true or false")
    try:
        quantifier = Quantifier(raw.get("quantifier", "all"))
    except ValueError as exc:
        raise PolicyError(f"{where}.quantifier: expected any, all or none") from exc
    return AttrCondition(path, op, operand, raw.get("default"), "default" in raw, quantifier)
