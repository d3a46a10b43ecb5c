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
