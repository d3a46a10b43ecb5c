"""The bundled example: deps and license find exactly the flaws in its EXPECTED.md fence.

The advisories come from the records the example ships (``advisories/``), as in ``make demo``
offline.
"""

from __future__ import annotations

import re
from pathlib import Path

from shieldwall.analyzers.deps import DepsAnalyzer, DepsConfig
from shieldwall.analyzers.license import LicenseAnalyzer, LicenseConfig
from shieldwall.core import AnalysisContext, File, Finding
from shieldwall.core.location import location_line
from shieldwall.vulndb.service import import_source

EXAMPLE = Path(__file__).parents[3] / "examples" / "vulnerable-shop"


def expected() -> set[tuple[str, str, int]]:
    text = (EXAMPLE / "EXPECTED.md").read_text(encoding="utf-8")
    fence = re.search(r"```expected-deps\n(.*?)```", text, re.DOTALL)
    assert fence is not None
    result = set()
    for line in fence.group(1).splitlines():
        rule, where = line.split()
        path, number = where.rsplit(":", 1)
        result.add((rule, path, int(number)))
    return result


def test_example_findings_match_expected(tmp_path: Path) -> None:
    report = import_source(tmp_path, EXAMPLE / "advisories")
    assert report.records == 24 and not report.problems
    found: set[tuple[str, str, int]] = set()
    for analyzer, config in ((DepsAnalyzer(), DepsConfig()), (LicenseAnalyzer(), LicenseConfig())):
        files = [
            File(path=rel, abspath=str(p), size=p.stat().st_size)
            for p in sorted(EXAMPLE.rglob("*"))
            if p.is_file() and analyzer.wants(rel := p.relative_to(EXAMPLE).as_posix())
        ]
        ctx = AnalysisContext(root=str(EXAMPLE), config=config, cache_dir=str(tmp_path))
        outputs = list(analyzer.analyze(files, ctx))
        assert all(isinstance(o, Finding) for o in outputs), outputs
        found |= {
            (o.rule.id, o.location.path, location_line(o.location) or 0)
            for o in outputs
            if isinstance(o, Finding)
        }
    assert found == expected()
