"""The bundled example: a scan finds exactly the flaws listed in its EXPECTED.md."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from shieldwall.cli.app import app

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "vulnerable-shop"
_FENCE = re.compile(r"```expected-(\w+)\n(.*?)```", re.DOTALL)
_LINE = re.compile(r"^(SW-[A-Z]+-\d+) (\S+):(\d+)$")


def expected_findings() -> set[tuple[str, str, int]]:
    """(rule, path, line) of every line inside the ```expected-*``` fences of EXPECTED.md."""
    expected = set()
    for _, body in _FENCE.findall((EXAMPLE / "EXPECTED.md").read_text()):
        for raw in body.strip().splitlines():
            match = _LINE.match(raw.strip())
            assert match, f"EXPECTED.md: malformed line {raw!r}"
            expected.add((match.group(1), match.group(2), int(match.group(3))))
    return expected


@pytest.mark.slow
def test_scan_finds_exactly_the_expected_flaws(tmp_path: Path) -> None:
    runner = CliRunner()
    env = {"SHIELDWALL_CACHE_DIR": str(tmp_path / "cache")}
    imported = runner.invoke(app, ["db", "import", str(EXAMPLE / "advisories")], env=env)
    assert imported.exit_code == 0, imported.output
    shop = tmp_path / "shop"
    shutil.copytree(EXAMPLE, shop)
    report = tmp_path / "report.json"
    result = runner.invoke(
        app, ["scan", str(shop), "--no-progress", "-q", "-f", "json", "-o", str(report)], env=env
    )
    assert result.exit_code == 1, result.output  # the example is vulnerable: the gate fails
    document = json.loads(report.read_text())
    assert document["errors"] == []
    found = {
        (
            f["rule"]["id"],
            f["location"]["path"],
            f["location"].get("start_line") or f["location"].get("line"),
        )
        for f in document["findings"]
    }
    expected = expected_findings()
    assert found - expected == set(), "findings not listed in EXPECTED.md"
    assert expected - found == set(), "EXPECTED.md lists flaws the scan did not find"


def test_expected_md_lists_every_scanner() -> None:
    sections = {name for name, _ in _FENCE.findall((EXAMPLE / "EXPECTED.md").read_text())}
    assert sections == {"secrets", "deps", "iac", "sast"}
    assert len(expected_findings()) > 40
