from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from shieldwall.core import BaselineError, Finding, SourceLocation, SuppressionKind
from shieldwall.core.config import IgnoreEntry, load_config
from shieldwall.core.registry import build_registry
from shieldwall.policy import (
    apply_policy,
    evaluate_gate,
    load_baseline,
    write_baseline,
)
from shieldwall.scan import plan_scan, run_scan
from shieldwall.scan.diffscan import diff_scope_since
from tests.fakes import LOW_RULE, MARKER_RULE, MarkerAnalyzer
from tests.gitrepo import GitRepo

REGISTRY = build_registry(analyzers=[MarkerAnalyzer()], include_entry_points=False)


def _scan(root: Path):  # type: ignore[no-untyped-def]
    loaded = load_config(root=root, env={})
    plan = plan_scan(root, loaded, REGISTRY)
    return plan, run_scan(plan)


def test_inline_comment_same_line_and_line_above(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text(
        "DANGER(a)  # shieldwall: ignore[SW-TST-001] test data\n"
        "# shieldwall: ignore[SW-TST-001] also fine\n"
        "DANGER(b)\n"
        "DANGER(c)  # shieldwall: ignore[SW-TST-999] other rule\n"
        "x = 1  # shieldwall: ignore[SW-TST-001] not above a finding line\n"
        "\n"
        "DANGER(d)\n"
    )
    _, result = _scan(tmp_path)
    marked = apply_policy(result, root=tmp_path)
    states = {f.message: f.suppression for f in marked.findings}
    assert states["danger a"] is not None and states["danger a"].reason == "test data"
    assert states["danger a"].kind is SuppressionKind.INLINE
    assert states["danger b"] is not None and states["danger b"].reason == "also fine"
    assert states["danger c"] is None and states["danger d"] is None
    assert len(marked.findings) == 4, "suppressed findings are kept"


def test_baseline_round_trip_and_only_new_findings_block(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("DANGER(old)\n")
    _, result = _scan(tmp_path)
    baseline_path = tmp_path / "baseline.json"
    assert write_baseline(result.findings, baseline_path) == 1
    (tmp_path / "a.txt").write_text("\n\nmoved down\nDANGER(old)\nDANGER(new)\n")
    _, later = _scan(tmp_path)
    marked = apply_policy(later, root=tmp_path, baseline=load_baseline(baseline_path))
    assert [(f.message, f.suppressed) for f in marked.findings] == [
        ("danger old", True),
        ("danger new", False),
    ]
    assert evaluate_gate(marked, "high").blocking == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON"),
        ('{"version": 7, "findings": []}', "version 7 is not supported"),
        ('{"version": 1, "findings": [{"rule": "x"}]}', "corrupt baseline"),
        ("[]", "must be a JSON object"),
    ],
)
def test_corrupt_baselines_are_clear_errors(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "b.json"
    path.write_text(content)
    with pytest.raises(BaselineError, match=message):
        load_baseline(path)
    with pytest.raises(BaselineError, match="not found"):
        load_baseline(tmp_path / "missing.json")


def test_ignore_list_with_expiry(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("DANGER(x)\nCAUTION\n")
    (tmp_path / "vendor").mkdir()
    (tmp_path / "vendor" / "b.txt").write_text("DANGER(y)\n")
    _, result = _scan(tmp_path)
    ignore = (
        IgnoreEntry(rule="SW-TST-002", reason="accepted", expires=date(2027, 1, 1)),
        IgnoreEntry(path="vendor/", reason="third-party code"),
        IgnoreEntry(rule="SW-TST-001", path="a.txt", reason="old", expires=date(2026, 1, 1)),
    )
    marked = apply_policy(result, root=tmp_path, ignore=ignore, today=date(2026, 6, 1))
    states = {(f.location.path, f.rule.id): f.suppression for f in marked.findings}
    assert states[("a.txt", "SW-TST-002")] is not None
    assert states[("a.txt", "SW-TST-002")].expires == "2027-01-01"
    assert states[("vendor/b.txt", "SW-TST-001")] is not None
    assert states[("a.txt", "SW-TST-001")] is None, "an expired entry stops suppressing"
    assert any("expired on 2026-01-01" in w for w in marked.warnings)
    later = apply_policy(result, root=tmp_path, ignore=ignore, today=date(2027, 1, 2))
    assert sum(f.suppressed for f in later.findings) == 1


def test_gate_thresholds() -> None:
    def finding(rule=MARKER_RULE) -> Finding:  # type: ignore[no-untyped-def]
        return Finding.create(rule=rule, message="m", location=SourceLocation("a", 1))

    from shieldwall.core import ScanResult

    result = ScanResult(target=".", findings=(finding(), finding(LOW_RULE)))
    assert not evaluate_gate(result, "high").passed
    assert evaluate_gate(result, "critical").passed
    assert evaluate_gate(result, "low").blocking == 2
    assert evaluate_gate(result, "none").passed


def test_since_keeps_only_findings_introduced_after_the_ref(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "repo")
    repo.write("svc/a.txt", "DANGER(old)\nplain\n")
    repo.write("svc/same.txt", "DANGER(untouched)\n")
    base = repo.commit("base")
    repo.write("svc/a.txt", "inserted\nDANGER(old)\nplain\nDANGER(new)\n")
    repo.write("svc/added.txt", "DANGER(fresh)\n")
    root = tmp_path / "repo" / "svc"
    plan, result = _scan(root)
    scope = diff_scope_since(plan, base)
    filtered = apply_policy(result, root=root, diff=scope)
    assert [f.message for f in filtered.findings] == ["danger new", "danger fresh"]
    assert filtered.stats.outside_diff == 2


def test_since_with_a_reformatted_line_is_not_new(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "repo")
    repo.write("a.txt", "DANGER(x)\n")
    repo.commit()
    repo.write("a.txt", "   DANGER(x)   \n")
    plan, result = _scan(repo.path)
    filtered = apply_policy(result, root=repo.path, diff=diff_scope_since(plan, "HEAD"))
    assert filtered.findings == ()


def test_since_with_an_unknown_ref(tmp_path: Path) -> None:
    from shieldwall.core import GitError

    repo = GitRepo(tmp_path / "repo")
    repo.write("a.txt", "x\n")
    repo.commit()
    plan, _ = _scan(repo.path)
    with pytest.raises(GitError, match="'no-such-branch' does not exist"):
        diff_scope_since(plan, "no-such-branch")


def test_baseline_file_format_is_readable(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("DANGER(x)\n")
    _, result = _scan(tmp_path)
    write_baseline(result.findings, tmp_path / "b.json")
    document = json.loads((tmp_path / "b.json").read_text())
    assert document["version"] == 1
    assert document["findings"][0]["rule"] == "SW-TST-001"
    assert document["findings"][0]["path"] == "a.txt"


def test_history_findings_use_the_committed_line_for_inline_directives(tmp_path: Path) -> None:
    from shieldwall.core import ScanResult

    (tmp_path / "a.py").write_text(
        "x = 1  # shieldwall: ignore[SW-TST-001] only in the work tree\n"
    )

    def committed(snippet: str) -> Finding:
        return Finding.create(
            rule=MARKER_RULE,
            message="m",
            location=SourceLocation("a.py", 1, snippet=snippet),
            properties={"commit": "0" * 40},
        )

    result = ScanResult(
        target=".",
        findings=(
            committed("DANGER(x)  # shieldwall: ignore[SW-TST-001] fixture"),
            committed("DANGER(y)"),
        ),
    )
    marked = apply_policy(result, root=tmp_path)
    assert [f.suppressed for f in marked.findings] == [True, False]
