"""One parametrised corpus test for every rule of every built-in analyzer."""

from __future__ import annotations

from pathlib import Path

import pytest

from shieldwall.core import AnalysisContext, Analyzer
from shieldwall.plugins import builtin_analyzers
from tests.corpus import case_config, corpus_cases, found_triples, read_labels, run_analyzer

ANALYZERS = {a.id: a for a in builtin_analyzers()}
RULES = [(a.id, rule.id) for a in ANALYZERS.values() for rule in a.rules()]


def _context(analyzer: Analyzer, entry: Path) -> AnalysisContext:
    return AnalysisContext(root=".", config=case_config(analyzer, entry))


@pytest.mark.parametrize(("analyzer_id", "rule_id"), RULES, ids=[r for _, r in RULES])
def test_rule_has_positive_and_negative_corpus(analyzer_id: str, rule_id: str) -> None:
    entries = corpus_cases(analyzer_id).get(rule_id, [])
    assert entries, f"rule {rule_id} has no corpus under tests/corpus/{analyzer_id}/"
    labels = [read_labels(e) for e in entries]
    assert any(r == rule_id for lab in labels for _, r, _ in lab.expected), (
        f"{rule_id}: no 'shieldwall: expect {rule_id}' label in its corpus"
    )
    assert any(r == rule_id for lab in labels for _, r, _ in lab.negatives), (
        f"{rule_id}: no 'shieldwall: expect-not {rule_id}' label in its corpus"
    )


CASES = [
    (analyzer_id, rule_id, entry)
    for analyzer_id in ANALYZERS
    for rule_id, entries in corpus_cases(analyzer_id).items()
    for entry in entries
]


@pytest.mark.parametrize(
    ("analyzer_id", "rule_id", "entry"), CASES, ids=[e.name for _, _, e in CASES]
)
def test_corpus_findings_match_labels_exactly(analyzer_id: str, rule_id: str, entry) -> None:  # type: ignore[no-untyped-def]
    analyzer = ANALYZERS[analyzer_id]
    labels = read_labels(entry)
    found = found_triples(run_analyzer(analyzer, entry, _context(analyzer, entry)))
    missing = labels.expected - found
    unexpected = found - labels.expected
    assert not missing and not unexpected, (
        f"{entry}: missing {sorted(missing)}; unlabelled {sorted(unexpected)}"
    )
    assert not (found & labels.negatives), f"{entry}: labelled negatives found"


def test_every_corpus_entry_names_a_known_rule() -> None:
    known = {rule_id for _, rule_id in RULES}
    for analyzer_id in ANALYZERS:
        for rule_id in corpus_cases(analyzer_id):
            assert rule_id in known, f"tests/corpus/{analyzer_id}/{rule_id}: no such rule"
