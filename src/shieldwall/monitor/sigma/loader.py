"""Loading Sigma rules with pySigma and compiling each one; failures become reports, not aborts."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from sigma.collection import SigmaCollection
from sigma.correlations import SigmaCorrelationRule
from sigma.exceptions import SigmaError
from sigma.rule import SigmaRule

from shieldwall.monitor.sigma.compile import UnsupportedFeatureError, any_of, compile_condition
from shieldwall.monitor.sigma.correlation import CorrelationRule, compile_correlation, rule_key
from shieldwall.monitor.sigma.fields import field_name
from shieldwall.monitor.sigma.rule import CompiledRule, RouteKey, Unsupported, severity_of


@dataclass(frozen=True, slots=True)
class LoadedSigma:
    """What a rule set gave: compiled rules and the rules reported as unsupported."""

    rules: tuple[CompiledRule, ...]
    unsupported: tuple[Unsupported, ...]
    correlations: tuple[CorrelationRule, ...] = ()


def _author(rule: SigmaRule) -> str | None:
    return str(rule.author) if rule.author else None


def compile_rule(rule: SigmaRule, path: str) -> CompiledRule | Unsupported:
    """One pySigma rule compiled, or the reason it cannot be."""
    rule_id = rule_key(rule) if rule.id or rule.name else ""
    if rule.errors:
        return Unsupported(path, rule_id or None, rule.title, f"invalid rule: {rule.errors[0]}")
    source = rule.logsource
    rename = partial(field_name, product=source.product, category=source.category)
    try:
        trees = [c.parse() for c in rule.detection.parsed_condition]
        compiled = any_of([compile_condition(tree, rename) for tree in trees])
    except UnsupportedFeatureError as exc:
        return Unsupported(path, rule_id or None, rule.title, str(exc))
    except SigmaError as exc:
        return Unsupported(path, rule_id or None, rule.title, f"condition: {exc}")
    return CompiledRule(
        rule_id=rule_id or rule.title,
        title=rule.title,
        severity=severity_of(rule.level.name if rule.level else None),
        route=RouteKey(source.product, source.category, source.service),
        predicate=compiled.predicate,
        literals=compiled.literals,
        key_options=compiled.key_options,
        path=path,
        author=_author(rule),
        tags=tuple(str(t) for t in rule.tags or ()),
    )


def compile_documents(documents: Iterable[Mapping[str, Any]], path: str) -> LoadedSigma:
    """The Sigma documents of one file, compiled; every failure is reported with its reason."""
    rules: list[CompiledRule] = []
    problems: list[Unsupported] = []
    correlations: list[CorrelationRule] = []
    docs = [dict(d) for d in documents]
    try:
        collection = SigmaCollection.from_dicts(docs, collect_errors=True)
    except SigmaError as exc:
        if len(docs) == 1:
            return LoadedSigma((), (Unsupported(path, None, None, f"invalid rule: {exc}"),))
        # One bad document (a correlation naming a missing rule) fails the whole collection;
        # load the documents one by one so the others still load.
        parts = [compile_documents([doc], path) for doc in docs]
        return LoadedSigma(
            tuple(r for p in parts for r in p.rules),
            tuple(u for p in parts for u in p.unsupported),
            tuple(c for p in parts for c in p.correlations),
        )
    # A rule's own errors are reported with its id below; the collection repeats them.
    own = {str(e) for item in collection.rules for e in item.errors}
    problems.extend(
        Unsupported(path, None, None, f"invalid rule: {e}")
        for e in collection.errors
        if str(e) not in own
    )
    for item in collection.rules:
        if isinstance(item, SigmaCorrelationRule):
            compiled = compile_correlation(item, path)
            if isinstance(compiled, Unsupported):
                problems.append(compiled)
            else:
                correlations.append(compiled)
            continue
        result = compile_rule(item, path)
        (rules if isinstance(result, CompiledRule) else problems).append(result)  # type: ignore[arg-type]
    return LoadedSigma(tuple(rules), tuple(problems), tuple(correlations))
