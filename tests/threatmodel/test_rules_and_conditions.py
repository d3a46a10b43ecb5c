"""Rule files: conditions are checked against the fact types when loaded; custom rules work."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from shieldwall.core.errors import RuleDefinitionError
from shieldwall.core.severity import Severity
from shieldwall.threatmodel.conditions import compile_condition, evaluate, to_predicate
from shieldwall.threatmodel.rules import builtin_rules, merge_rules, parse_rules, risk_severity
from shieldwall.threatmodel.vocabulary import ElementType, Level
from tests.threatmodel.harness import analyse_case, fired_on_t

RULE = """\
rules:
  - id: SW-TM-900
    title: Custom threat
    stride: tampering
    element: component
    when:
      kind: api
      features: {lacks: graphql}
      any: [{exposure: internet}, {not: {authentication: none}}]
    likelihood: high
    impact: low
    cwe: [20]
    capec: [153]
"""


def test_custom_rule_compiles_and_runs() -> None:
    (rule,) = parse_rules(RULE, "custom.yaml")
    assert rule.rule.severity is Severity.MEDIUM
    assert rule.rule.references == ("https://capec.mitre.org/data/definitions/153.html",)
    hit = {"kind": "api", "exposure": "internet"}
    assert "SW-TM-900" in fired_on_t(analyse_case(ElementType.COMPONENT, hit, (rule,)))
    for miss in (
        {"kind": "api", "exposure": "internal"},
        {"kind": "api", "exposure": "internet", "features": ["graphql"]},
        {"kind": "worker", "exposure": "internet"},
    ):
        assert not fired_on_t(analyse_case(ElementType.COMPONENT, miss, (rule,)))


@pytest.mark.parametrize(
    ("when", "message"),
    [
        ("{colour: red}", "has no fact 'colour'"),
        ("{kind: databse}", "kind is never 'databse'"),
        ("{encryption_at_rest: maybe}", "is true or false"),
        ("{kind: {has: api}}", "has needs a set fact"),
        ("{port: {gte: x}}", "port"),
        ("{kind: {between: [1, 2]}}", "unknown operator"),
        ("{any: []}", "non-empty list"),
        ("[kind]", "Input should be a valid dictionary"),
    ],
)
def test_bad_conditions_are_rejected_with_the_rule_line(when: str, message: str) -> None:
    element = "flow" if "port" in when else "component"
    text = RULE.replace(
        "    when:\n      kind: api\n      features: {lacks: graphql}\n"
        "      any: [{exposure: internet}, {not: {authentication: none}}]",
        f"    when: {when}",
    ).replace("element: component", f"element: {element}")
    with pytest.raises(RuleDefinitionError, match=message) as caught:
        parse_rules(text, "custom.yaml")
    assert "custom.yaml:" in str(caught.value)


def test_custom_rule_cannot_redefine_a_builtin() -> None:
    (rule,) = parse_rules(RULE.replace("SW-TM-900", "SW-TM-001"), "custom.yaml")
    with pytest.raises(RuleDefinitionError, match="already defined"):
        merge_rules(builtin_rules(), [rule])


def test_operators() -> None:
    facts = {"port": 8080, "controls": frozenset({"waf"}), "protocol": "http"}
    cases = {
        "{port: {gte: 1024}}": True,
        "{port: {lte: 1024}}": False,
        "{controls: {has_any: [waf, mfa]}}": True,
        "{controls: [mfa]}": False,
        "{protocol: {not_in: [https, tls]}}": True,
        "{protocol: {ne: http}}": False,
    }
    import yaml

    for text, expected in cases.items():
        condition = compile_condition(yaml.safe_load(text), ElementType.FLOW, "t")
        assert evaluate(condition, facts) is expected, text
        assert to_predicate(condition)(facts) is expected, text


def test_risk_matrix() -> None:
    assert risk_severity(Level.HIGH, Level.HIGH) is Severity.CRITICAL
    assert risk_severity(Level.MEDIUM, Level.HIGH) is Severity.HIGH
    assert risk_severity(Level.LOW, Level.HIGH) is Severity.MEDIUM
    assert risk_severity(Level.LOW, Level.LOW) is Severity.LOW


def test_rules_survive_pickling() -> None:
    rules = builtin_rules()
    again = pickle.loads(pickle.dumps(rules))  # noqa: S301 - our own bytes
    facts_case = {"kind": "web_app", "features": ["login"]}
    assert fired_on_t(analyse_case(ElementType.COMPONENT, facts_case, again)) == fired_on_t(
        analyse_case(ElementType.COMPONENT, facts_case, rules)
    )


def test_rule_file_errors(tmp_path: Path) -> None:
    from shieldwall.threatmodel.rules import load_rule_file

    bad = tmp_path / "bad.yaml"
    bad.write_text("rules:\n  - id: SW-TM-901\n    title: x\n")
    with pytest.raises(RuleDefinitionError, match=r"bad.yaml:2: rules.0.stride"):
        load_rule_file(bad)
    with pytest.raises(RuleDefinitionError, match="cannot read"):
        load_rule_file(tmp_path / "none.yaml")
