"""The bundled example: the IaC analyzer finds exactly the flaws listed in its EXPECTED.md."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from shieldwall.analyzers.iac import IacAnalyzer, IacConfig
from shieldwall.core import AnalysisContext, File, Finding, ScanError

EXAMPLE = Path(__file__).parents[3] / "examples" / "vulnerable-shop"


def expected() -> set[tuple[str, str, int]]:
    text = (EXAMPLE / "EXPECTED.md").read_text(encoding="utf-8")
    fence = re.search(r"```expected-iac\n(.*?)```", text, re.DOTALL)
    assert fence is not None
    result = set()
    for line in fence.group(1).splitlines():
        rule, where = line.split()
        path, number = where.rsplit(":", 1)
        result.add((rule, path, int(number)))
    return result


def test_example_findings_match_expected() -> None:
    analyzer = IacAnalyzer()
    groups: dict[Path, list[File]] = defaultdict(list)
    for path in sorted(EXAMPLE.rglob("*")):
        rel = path.relative_to(EXAMPLE).as_posix()
        if path.is_file() and analyzer.wants(rel):
            groups[path.parent].append(File(path=rel, abspath=str(path), size=path.stat().st_size))
    ctx = AnalysisContext(root=str(EXAMPLE), config=IacConfig())
    outputs = [o for files in groups.values() for o in analyzer.analyze(files, ctx)]
    assert not [o for o in outputs if isinstance(o, ScanError)]
    findings = [o for o in outputs if isinstance(o, Finding)]
    found = {(f.rule.id, f.location.path, f.location.start_line) for f in findings}  # type: ignore[union-attr]
    assert found == expected()
