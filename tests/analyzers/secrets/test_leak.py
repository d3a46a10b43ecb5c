"""Never leak: scan a tree full of secrets, render every report format, grep for the values."""

from __future__ import annotations

import io
import logging
import re
from pathlib import Path

import pytest

from shieldwall.analyzers.secrets import SecretsConfig
from shieldwall.analyzers.secrets.analyzer import build_detector
from shieldwall.analyzers.secrets.generic import is_config_file
from shieldwall.core.config import load_config
from shieldwall.plugins import default_registry
from shieldwall.scan.pipeline import ScanRequest, scan_with_policy
from tests.analyzers.secrets.build_corpus import render
from tests.analyzers.secrets.samples import SAMPLES

_BREAKS = re.compile(r"\\[rn]|[\r\n]+")


def _tree(root: Path) -> None:
    """One file per provider rule (positives and near misses) plus the generic corpus."""
    from shieldwall.analyzers.secrets.ruleset import builtin_rules

    names = {r.name: r.rule.id for r in builtin_rules()}
    for name in SAMPLES:
        filename, content, _ = render(names[name], name)
        (root / "src" / name).mkdir(parents=True)
        (root / "src" / name / filename.replace("SW-SEC-", "file-")).write_text(content)
    corpus = Path(__file__).resolve().parents[2] / "corpus" / "secrets"
    for generic in corpus.glob("SW-SEC-00[12].*"):
        if not generic.name.endswith(".expect"):
            (root / "config").mkdir(exist_ok=True)
            (root / "config" / generic.name).write_bytes(generic.read_bytes())


def _raw_values(root: Path) -> set[str]:
    """The raw secrets the detector finds in the tree (what must never be printed)."""
    detector = build_detector(SecretsConfig())
    values: set[str] = set()
    for path in root.rglob("*"):
        if path.is_file():
            text = path.read_bytes().decode("latin-1")
            for cand in detector.scan(text, config_file=is_config_file(path.name), minified=False):
                value = cand.secret.encode("latin-1").decode("utf-8", "replace")
                values.update(p for p in _BREAKS.split(value) if len(p) >= 8)
    return values


def _probes(value: str) -> set[str]:
    """The whole value and a 12-character slice of its middle (the random part)."""
    middle = len(value) // 2
    return {value, value[max(0, middle - 6) : middle + 6]} if len(value) >= 16 else {value}


@pytest.mark.slow  # ~6 s, most of it importing every analyzer and reporter
def test_no_report_format_and_no_log_contains_a_secret(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    root = tmp_path / "tree"
    _tree(root)
    secrets = _raw_values(root)
    assert len(secrets) > 250
    registry = default_registry(include_entry_points=False)
    loaded = load_config(root=root, cli={"scanners": ("secrets",), "progress": False, "jobs": 1})
    with caplog.at_level(logging.DEBUG):
        outcome = scan_with_policy(ScanRequest(target=root, loaded=loaded), registry)
    result = outcome.result
    assert not result.errors
    assert len(result.findings) >= len(SAMPLES)
    rendered: dict[str, str] = {}
    for fmt, reporter in registry.reporters.items():
        stream: io.BytesIO | io.StringIO = io.BytesIO() if reporter.binary else io.StringIO()
        reporter.write(result, stream, color=False)
        value = stream.getvalue()
        rendered[fmt] = value.decode("utf-8", "replace") if isinstance(value, bytes) else value
    rendered["log"] = caplog.text
    rendered["repr"] = repr(result)
    assert {"json", "sarif"} <= set(rendered)
    for fmt, text in rendered.items():
        leaked = sorted(s for s in secrets if any(p in text for p in _probes(s)))
        assert not leaked, f"{fmt} output contains {len(leaked)} secrets, e.g. {leaked[0][:4]}…"
