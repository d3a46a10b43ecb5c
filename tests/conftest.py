"""Shared pytest options and fixtures."""

from __future__ import annotations

import pytest

from tests.golden import Golden


def pytest_addoption(parser: pytest.Parser) -> None:
    """``--update-golden`` rewrites golden files instead of comparing with them."""
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite tests/golden/ files from the current output",
    )


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Golden:
    """Compare output with tests/golden/<name>: ``golden.check("report/x.json", text)``."""
    return Golden(update=bool(request.config.getoption("--update-golden")))


@pytest.fixture(autouse=True)
def _hermetic_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Tests never see the caller's shieldwall settings (CI exports SHIELDWALL_CACHE_DIR, a
    developer may have SHIELDWALL_FAIL_ON set); only the SHIELDWALL_TEST_* service URLs pass.
    The user cache defaults to a per-session temporary directory, never ~/.cache."""
    import os

    for name in list(os.environ):
        if name.startswith("SHIELDWALL_") and not name.startswith("SHIELDWALL_TEST_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "xdg-cache"))
