"""Paths of the monitor test data."""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).parents[1] / "data" / "monitor"
LOGS = DATA / "logs"
SIGMA = DATA / "sigma"
