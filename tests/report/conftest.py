"""Fixtures for the report tests: one realistic result and one clean one."""

from __future__ import annotations

import pytest

from shieldwall.core import ScanResult
from tests.report.sample import empty_result, sample_result


@pytest.fixture
def result() -> ScanResult:
    """The realistic result (every location kind, trace, suppressions, errors, a secret)."""
    return sample_result()


@pytest.fixture
def clean() -> ScanResult:
    """A scan that found nothing."""
    return empty_result()
