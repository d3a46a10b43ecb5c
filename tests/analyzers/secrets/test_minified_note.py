from __future__ import annotations

from shieldwall.analyzers.secrets import SecretsAnalyzer
from shieldwall.analyzers.secrets.config import SecretsConfig
from shieldwall.core import AnalysisContext, File, ScanNote


def _outputs(text: str) -> list[object]:
    analyzer = SecretsAnalyzer()
    ctx = AnalysisContext(root=".", config=SecretsConfig())
    return list(analyzer.analyze([File.virtual("dist/app.js", text.encode())], ctx))


def test_minified_files_are_noted_so_the_skip_is_counted() -> None:
    minified = "var a=" + ";".join(f"x{i}={i}" for i in range(3000)) + ";\n"
    notes = [o for o in _outputs(minified * 2) if isinstance(o, ScanNote)]
    assert [(n.path, n.analyzer) for n in notes] == [("dist/app.js", "secrets")]


def test_ordinary_code_has_no_note() -> None:
    ordinary = "".join(f"const x{i} = {i};\n" for i in range(3000))
    assert not [o for o in _outputs(ordinary) if isinstance(o, ScanNote)]
