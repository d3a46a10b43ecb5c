"""The bundled example: SAST finds exactly the code flaws listed in its EXPECTED.md."""

from __future__ import annotations

import re
from pathlib import Path

from shieldwall.analyzers.sast import SastAnalyzer, SastConfig
from shieldwall.core import AnalysisContext, File, Finding

EXAMPLE = Path(__file__).parents[3] / "examples" / "vulnerable-shop"


def expected() -> set[tuple[str, str, int]]:
    text = (EXAMPLE / "EXPECTED.md").read_text(encoding="utf-8")
    fence = re.search(r"```expected-sast\n(.*?)```", text, re.DOTALL)
    assert fence is not None
    result = set()
    for line in fence.group(1).splitlines():
        rule, where = line.split()
        path, number = where.rsplit(":", 1)
        result.add((rule, path, int(number)))
    return result


def test_example_findings_match_expected() -> None:
    analyzer = SastAnalyzer()
    files = [
        File(path=p.relative_to(EXAMPLE).as_posix(), abspath=str(p), size=p.stat().st_size)
        for p in sorted(EXAMPLE.rglob("*.py"))
    ]
    outputs = list(analyzer.analyze(files, AnalysisContext(root=str(EXAMPLE), config=SastConfig())))
    findings = [o for o in outputs if isinstance(o, Finding)]
    assert len(findings) == len(outputs)
    found = {(f.rule.id, f.location.path, f.location.start_line) for f in findings}  # type: ignore[union-attr]
    assert found == expected()
