"""Durations as people write them on a command line: ``90``, ``30s``, ``10m``, ``1h``."""

from __future__ import annotations

import re

from shieldwall.core.errors import UsageError

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$")
_FACTOR = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}


def parse_duration(text: str) -> float:
    """Seconds in ``text``; a bare number is seconds."""
    match = _DURATION.match(text)
    if not match:
        raise UsageError(f"{text!r} is not a duration (examples: 90, 30s, 10m, 1h)")
    seconds = float(match.group(1)) * _FACTOR[match.group(2) or "s"]
    if seconds <= 0:
        raise UsageError(f"duration {text!r} must be positive")
    return seconds
