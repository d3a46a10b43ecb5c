"""Rule metadata: ids, CWE order, OWASP tags, remediation."""

from __future__ import annotations

from shieldwall.analyzers.sast import SastAnalyzer


def test_at_least_sixty_rules_with_complete_metadata() -> None:
    rules = SastAnalyzer().rules()
    assert len(rules) >= 60
    assert len({r.id for r in rules}) == len(rules)
    for rule in rules:
        assert rule.id.startswith("SW-PY-") and rule.scanner == "sast"
        assert rule.cwe and rule.description and rule.remediation
        assert any(tag.startswith("owasp:A") for tag in rule.tags), rule.id


def test_most_specific_cwe_first() -> None:
    by_id = {r.id: r for r in SastAnalyzer().rules()}
    assert by_id["SW-PY-020"].cwe[0] == "CWE-328"  # weak hash, not the generic 327
    assert by_id["SW-PY-003"].cwe[:2] == ("CWE-95", "CWE-94")  # eval: not 78
    assert by_id["SW-PY-047"].cwe[0] == "CWE-95"
    assert by_id["SW-PY-002"].cwe[0] == "CWE-78"
