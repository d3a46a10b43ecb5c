"""What every report format promises: registered, deterministic, safe to write, complete."""

from __future__ import annotations

import dataclasses
import io

import pytest

from shieldwall.core import Finding, Reporter, ScanResult, SourceLocation
from shieldwall.core.registry import build_registry
from shieldwall.plugins import builtin_reporters
from tests.report.sample import SECRET, SQLI, render

REPORTERS = builtin_reporters()
IDS = [r.format for r in REPORTERS]


def test_every_format_is_registered() -> None:
    # Only the reporters: building the full registry would import every analyzer.
    registry = build_registry(reporters=builtin_reporters(), include_entry_points=False)
    assert sorted(registry.reporters) == ["html", "json", "junit", "markdown", "sarif", "table"]
    for reporter in REPORTERS:
        assert reporter.binary is False
        assert reporter.description
        assert type(registry.reporter(reporter.format)) is type(reporter)


@pytest.mark.parametrize("reporter", REPORTERS, ids=IDS)
def test_output_is_deterministic(reporter: Reporter, result: ScanResult) -> None:
    assert render(reporter, result) == render(reporter, result)


@pytest.mark.parametrize("reporter", REPORTERS, ids=IDS)
def test_secret_never_appears(reporter: Reporter, result: ScanResult) -> None:
    text = render(reporter, result)
    assert SECRET not in text
    assert SECRET[:8] not in text


@pytest.mark.parametrize("reporter", REPORTERS, ids=IDS)
def test_scan_errors_are_shown(reporter: Reporter, result: ScanResult) -> None:
    text = render(reporter, result)
    for error in result.errors:
        assert error.path in text


@pytest.mark.parametrize("reporter", REPORTERS, ids=IDS)
def test_hostile_text_can_be_written_as_utf8(reporter: Reporter, result: ScanResult) -> None:
    # A lone surrogate (an undecodable byte kept by surrogateescape) and control characters
    # must not make the report fail on a strict UTF-8 file.
    nasty = Finding.create(
        rule=SQLI,
        message="bad byte \udcff, nul \x00, escape \x1b[2J, bidi \u202e",
        location=SourceLocation("weird\udce9.py", 3, snippet="x = '\udcff'"),
    )
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="utf-8", errors="strict", newline="")
    reporter.write(dataclasses.replace(result, findings=(nasty,)), stream)
    stream.flush()
    text = raw.getvalue().decode("utf-8")
    assert "\ufffd" in text
    assert "\x1b[2J" not in text or reporter.format in {"json", "sarif"}


@pytest.mark.parametrize("reporter", REPORTERS, ids=IDS)
def test_clean_scan(reporter: Reporter, clean: ScanResult) -> None:
    assert render(reporter, clean).strip()
