"""Before a scan: warn about a stale advisory index, and refresh it when the config allows.

The CLI calls :func:`preflight` once, in the main process, before the analyzers run (an update
inside a pool worker would race the other workers).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx

from shieldwall.vulndb.download import DEFAULT_TIMEOUT, OsvClient
from shieldwall.vulndb.ecosystems import parse_ecosystem
from shieldwall.vulndb.errors import IndexMissingError, VulnDbError
from shieldwall.vulndb.service import status, update

ClientFactory = Callable[[httpx.Client, str], OsvClient]


def preflight(
    cache_dir: Path,
    *,
    max_age_days: int,
    auto_update: bool,
    offline: bool,
    client_factory: ClientFactory = OsvClient,
) -> tuple[str, ...]:
    """Warnings for the scan result; updates the index first when stale and allowed."""
    try:
        current = status(cache_dir)
    except IndexMissingError:
        return ()  # the deps analyzer aborts with instructions
    age = current.age_days
    if not max_age_days or age is None or age <= max_age_days:
        return ()
    stale = f"the advisory database is {age:.0f} days old (limit {max_age_days})"
    if not auto_update or offline or not current.source.startswith("download:"):
        return (f"{stale}; run `shieldwall db update` (or `db import` when offline)",)
    ecosystems = [parse_ecosystem(name) for name in current.counts]
    base_url = current.source.split()[1]  # "download: <base url> (<ecosystems>)"
    try:
        with httpx.Client(timeout=DEFAULT_TIMEOUT, follow_redirects=True) as client:
            update(cache_dir, client_factory(client, base_url), ecosystems)
    except VulnDbError as exc:
        return (f"{stale}; the automatic update failed ({exc}), so the old index was used",)
    return ()
