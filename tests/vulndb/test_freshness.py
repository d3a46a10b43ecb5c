"""A stale index: a warning, or an automatic update when allowed and online."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import httpx

from shieldwall.vulndb.download import OsvClient
from shieldwall.vulndb.ecosystems import Ecosystem
from shieldwall.vulndb.freshness import preflight
from shieldwall.vulndb.index import index_path
from shieldwall.vulndb.service import import_source, status, update
from tests.servers.osv_server import OsvBucket, serve_osv
from tests.vulndb.conftest import DATA, by_ecosystem, load_records, zip_records


def age(cache: Path, built_at: str) -> None:
    with sqlite3.connect(index_path(cache)) as conn:
        conn.execute("UPDATE meta SET value = ? WHERE key = 'built_at'", (built_at,))


def test_fresh_missing_and_stale_index(tmp_path: Path) -> None:
    assert preflight(tmp_path, max_age_days=7, auto_update=True, offline=False) == ()
    import_source(tmp_path, DATA / "records.jsonl")
    assert preflight(tmp_path, max_age_days=7, auto_update=False, offline=False) == ()
    age(tmp_path, "2020-01-01T00:00:00+00:00")
    (warning,) = preflight(tmp_path, max_age_days=7, auto_update=False, offline=False)
    assert "days old (limit 7)" in warning and "db update" in warning
    assert preflight(tmp_path, max_age_days=0, auto_update=False, offline=False) == ()
    # An imported index cannot be refreshed automatically: it has no download source.
    assert preflight(tmp_path, max_age_days=7, auto_update=True, offline=False)


def test_auto_update_refreshes_from_the_same_mirror(tmp_path: Path) -> None:
    bucket = OsvBucket({e: zip_records(r) for e, r in by_ecosystem(load_records()).items()})
    with serve_osv(bucket):
        update(tmp_path, OsvClient(httpx.Client(timeout=5), bucket.base_url), [Ecosystem.NPM])
        age(tmp_path, "2020-01-01T00:00:00+00:00")
        offline = preflight(tmp_path, max_age_days=7, auto_update=True, offline=True)
        assert offline and "days old" in offline[0]
        assert preflight(tmp_path, max_age_days=7, auto_update=True, offline=False) == ()
    current = status(tmp_path)
    assert current.age_days is not None and current.age_days < 1
    assert current.counts == {"npm": 3}


def test_failed_auto_update_warns_and_keeps_the_index(tmp_path: Path) -> None:
    bucket = OsvBucket({e: zip_records(r) for e, r in by_ecosystem(load_records()).items()})
    with serve_osv(bucket):
        update(tmp_path, OsvClient(httpx.Client(timeout=5), bucket.base_url), [Ecosystem.NPM])
    age(tmp_path, "2020-01-01T00:00:00+00:00")  # the server is gone now
    (warning,) = preflight(tmp_path, max_age_days=7, auto_update=True, offline=False)
    assert "automatic update failed" in warning
    assert status(tmp_path).counts == {"npm": 3}
