"""The labelled programs: each sink class, vulnerable and safe, across functions and modules."""

from __future__ import annotations

from pathlib import Path

from shieldwall.analyzers.sast import SastAnalyzer, SastConfig
from shieldwall.analyzers.sast.rules import TAINT_RULES
from shieldwall.core import AnalysisContext
from tests.corpus import found_triples, read_labels, run_analyzer

PROGRAMS = Path(__file__).parents[2] / "data" / "sast" / "programs"


def test_programs_find_exactly_the_labelled_flaws() -> None:
    labels = read_labels(PROGRAMS)
    ctx = AnalysisContext(root=str(PROGRAMS), config=SastConfig())
    found = found_triples(run_analyzer(SastAnalyzer(), PROGRAMS, ctx))
    assert found == set(labels.expected)
    assert not found & labels.negatives


def test_every_taint_rule_but_the_niche_ones_has_a_program() -> None:
    labels = read_labels(PROGRAMS)
    covered = {rule for _, rule, _ in labels.expected} & {r.id for r in TAINT_RULES.values()}
    negatives = {rule for _, rule, _ in labels.negatives}
    assert len(covered) >= 14
    assert covered <= negatives  # each vulnerable class has a safe variant too


def test_cross_module_traces_start_at_the_source() -> None:
    ctx = AnalysisContext(root=str(PROGRAMS), config=SastConfig())
    findings = list(run_analyzer(SastAnalyzer(), PROGRAMS, ctx))
    sql = next(
        f
        for f in findings
        if f.rule.id == "SW-PY-001"
        and f.location.path == "shop/sql_repo.py"
        and f.location.start_line == 11  # type: ignore[union-attr]
    )
    paths = [step.location.path for step in sql.trace]
    assert paths[0] == "shop/sql_app.py" and paths[-1] == "shop/sql_repo.py"
    assert "request.args" in sql.trace[0].message
    assert len(sql.trace) >= 4
