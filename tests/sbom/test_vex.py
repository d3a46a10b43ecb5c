"""CycloneDX VEX statements suppress not_affected dependency findings, keeping the reason."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from shieldwall.analyzers.deps import DepsAnalyzer, DepsConfig
from shieldwall.core import AnalysisContext, File, Finding, SuppressionKind, UsageError
from shieldwall.policy.vex import apply_vex
from shieldwall.vulndb.service import import_source

TESTS = Path(__file__).parent.parent


@pytest.fixture
def findings(tmp_path: Path) -> list[Finding]:
    import_source(tmp_path / "cache", TESTS / "data/osv/records.jsonl")
    lock = TESTS / "corpus/deps/SW-DEP-001.npm/package-lock.json"
    ctx = AnalysisContext(
        root=str(tmp_path), config=DepsConfig(), cache_dir=str(tmp_path / "cache")
    )
    files = [File("package-lock.json", str(lock), lock.stat().st_size)]
    return [f for f in DepsAnalyzer().analyze(files, ctx) if isinstance(f, Finding)]


def vex(
    tmp_path: Path,
    vulnerabilities: list[dict[str, object]],
    components: list[dict[str, str]] | None = None,
) -> Path:
    path = tmp_path / "vex.json"
    path.write_text(
        json.dumps(
            {
                "bomFormat": "CycloneDX",
                "specVersion": "1.6",
                "version": 1,
                "components": components or [],
                "vulnerabilities": vulnerabilities,
            }
        )
    )
    return path


def test_not_affected_suppresses_with_justification(
    tmp_path: Path, findings: list[Finding]
) -> None:
    path = vex(
        tmp_path,
        [
            {
                "id": "CVE-2018-16487",
                "analysis": {"state": "not_affected", "justification": "code_not_reachable",
                             "detail": "merge() is never called"},
                "affects": [{"ref": "lodash-ref"}],
            },
            {
                "id": "CVE-2018-3721",
                "analysis": {"state": "exploitable"},
                "affects": [{"ref": "pkg:npm/lodash@4.17.4"}],
            },
        ],
        components=[
            {"bom-ref": "lodash-ref", "purl": "pkg:npm/lodash@4.17.4", "type": "library",
             "name": "lodash"}
        ],
    )  # fmt: skip
    result = {f.properties["aliases"][0]: f for f in apply_vex(findings, path)}
    suppressed = result["CVE-2018-16487"]
    assert suppressed.suppression is not None
    assert suppressed.suppression.kind is SuppressionKind.VEX
    assert "code_not_reachable" in suppressed.suppression.reason
    assert "merge() is never called" in suppressed.suppression.reason
    assert result["CVE-2018-3721"].suppression is None  # exploitable: not suppressed


def test_statement_for_another_version_or_package_does_not_apply(
    tmp_path: Path, findings: list[Finding]
) -> None:
    path = vex(
        tmp_path,
        [
            {"id": "CVE-2018-16487", "analysis": {"state": "not_affected"},
             "affects": [{"ref": "pkg:npm/lodash@4.17.10"}]},
            {"id": "NSWG-ECO-368", "analysis": {"state": "not_affected"},
             "affects": [{"ref": "pkg:npm/underscore@1.0.0"}]},
        ],
    )  # fmt: skip
    assert all(f.suppression is None for f in apply_vex(findings, path))


def test_version_less_purl_and_advisory_id_match(tmp_path: Path, findings: list[Finding]) -> None:
    path = vex(
        tmp_path,
        [{"id": "NSWG-ECO-368", "analysis": {"state": "false_positive"},
          "affects": [{"ref": "pkg:npm/lodash"}]}],
    )  # fmt: skip
    suppressed = [f for f in apply_vex(findings, path) if f.suppression]
    assert [f.properties["aliases"] for f in suppressed] == [["CVE-2018-3721", "NSWG-ECO-368"]]


@pytest.mark.parametrize("content", ["{not json", '{"bomFormat": "SPDX"}', "[]"])
def test_bad_vex_file(tmp_path: Path, content: str) -> None:
    path = tmp_path / "vex.json"
    path.write_text(content)
    with pytest.raises(UsageError, match=r"vex\.json"):
        apply_vex([], path)
    with pytest.raises(UsageError, match="cannot read"):
        apply_vex([], tmp_path / "missing.json")


def test_apply_vex_to_result(tmp_path: Path, findings: list[Finding]) -> None:
    from shieldwall.core import ScanResult
    from shieldwall.policy.vex import apply_vex_to_result

    path = vex(tmp_path, [{"id": "CVE-2018-3721", "analysis": {"state": "not_affected"}}])
    result = apply_vex_to_result(ScanResult(target=".", findings=tuple(findings)), path)
    assert len(result.suppressed) == 1 and len(result.active) == len(findings) - 1
