from __future__ import annotations

import io

import pytest
from rich.console import Console

from shieldwall.cli import progress as progress_module
from shieldwall.cli.progress import RichProgress


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    fake = FakeClock()
    monkeypatch.setattr(progress_module.time, "monotonic", fake)
    return fake


def test_bar_appears_on_a_terminal_after_a_second(clock: FakeClock) -> None:
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=100)
    with RichProgress(console, enabled=True) as bar:
        bar.advance(10, 1000)
        assert bar._progress is None, "nothing is drawn during the first second"
        clock.now += 2.0
        bar.advance(90, 9000)
        assert bar._progress is not None
        bar._progress.refresh()
    assert "files/s" in out.getvalue()
    assert "100 files" in out.getvalue()


def test_nothing_on_a_non_terminal(clock: FakeClock) -> None:
    out = io.StringIO()
    console = Console(file=out, force_terminal=False)
    with RichProgress(console, enabled=True) as bar:
        clock.now += 5.0
        bar.advance(10, 1000)
    assert out.getvalue() == ""


def test_disabled_by_config(clock: FakeClock) -> None:
    out = io.StringIO()
    console = Console(file=out, force_terminal=True)
    with RichProgress(console, enabled=False) as bar:
        clock.now += 5.0
        bar.advance(10, 1000)
    assert out.getvalue() == ""
