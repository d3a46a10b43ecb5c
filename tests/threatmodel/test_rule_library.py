"""Every built-in threat rule fires on a model meant to trigger it, not on one meant not to."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
import yaml

from shieldwall.threatmodel.rules import builtin_rules
from shieldwall.threatmodel.vocabulary import Stride
from tests.threatmodel.harness import DATA, analyse_case, fired_on_t

CASES: dict[str, dict[str, Any]] = yaml.safe_load((DATA / "rule_cases.yaml").read_text())
RULES = {rule.id: rule for rule in builtin_rules()}


def test_library_size_and_shape() -> None:
    assert len(RULES) >= 120
    by_stride = Counter(rule.stride for rule in RULES.values())
    assert set(by_stride) == set(Stride)
    for rule in RULES.values():
        assert rule.rule.cwe, rule.id
        assert rule.capec, rule.id
        assert rule.rule.remediation, rule.id


def test_every_rule_has_a_case_and_every_case_a_rule() -> None:
    assert set(CASES) == set(RULES)


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_rule_fires_on_hit_and_not_on_miss(rule_id: str) -> None:
    rule = RULES[rule_id]
    case = CASES[rule_id]
    hit = analyse_case(rule.element, case["hit"], rules=(rule,))
    miss = analyse_case(rule.element, case["miss"], rules=(rule,))
    assert rule_id in fired_on_t(hit), "hit did not fire"
    assert rule_id not in fired_on_t(miss), "miss fired"
