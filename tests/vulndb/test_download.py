"""`db update` against a real HTTP server on 127.0.0.1 serving OSV zip archives."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from shieldwall.vulndb.download import FetchStatus, OsvClient
from shieldwall.vulndb.ecosystems import Ecosystem
from shieldwall.vulndb.errors import DownloadError
from shieldwall.vulndb.index import index_path
from shieldwall.vulndb.service import status, update
from tests.servers.osv_server import OsvBucket, serve_osv
from tests.vulndb.conftest import by_ecosystem, zip_records


@pytest.fixture
def bucket(records: list[dict[str, Any]]) -> OsvBucket:
    return OsvBucket({eco: zip_records(recs) for eco, recs in by_ecosystem(records).items()})


def client_for(bucket: OsvBucket, max_bytes: int = 10**8) -> OsvClient:
    return OsvClient(httpx.Client(timeout=5.0), bucket.base_url, max_bytes=max_bytes)


def test_update_downloads_then_uses_conditional_requests(tmp_path: Path, bucket: OsvBucket) -> None:
    with serve_osv(bucket):
        first = update(tmp_path, client_for(bucket), [Ecosystem.PYPI, Ecosystem.NPM])
        assert [f.status for f in first.fetched] == [FetchStatus.UPDATED] * 2
        assert status(tmp_path).counts == {"PyPI": 2, "npm": 3}
        second = update(tmp_path, client_for(bucket), [Ecosystem.PYPI])
        assert [f.status for f in second.fetched] == [FetchStatus.NOT_MODIFIED]
        # Archives fetched earlier stay part of the index.
        assert status(tmp_path).counts == {"PyPI": 2, "npm": 3}
    conditional = [h for path, h in bucket.requests if path == "/PyPI/all.zip"][-1]
    assert conditional["If-None-Match"] == bucket.etag("PyPI")
    assert "If-Modified-Since" in conditional
    assert status(tmp_path).source.startswith("download: http://127.0.0.1:")


@pytest.mark.parametrize(
    ("fault", "message"),
    [
        ("truncate", "truncated|peer closed|incomplete"),
        ("bad-md5", "MD5 mismatch"),
        ("error", "HTTP 500"),
    ],
)
def test_failed_update_keeps_the_old_index(
    tmp_path: Path, bucket: OsvBucket, fault: str, message: str
) -> None:
    with serve_osv(bucket):
        update(tmp_path, client_for(bucket), [Ecosystem.NPM])
        before = index_path(tmp_path).read_bytes()
        bucket.faults["Go"] = fault
        with pytest.raises(DownloadError, match=message):
            update(tmp_path, client_for(bucket), [Ecosystem.GO])
    assert index_path(tmp_path).read_bytes() == before
    archives = index_path(tmp_path).parent / "archives"
    assert sorted(p.name for p in archives.iterdir()) == ["npm.meta.json", "npm.zip"]


def test_size_cap(tmp_path: Path, bucket: OsvBucket) -> None:
    with serve_osv(bucket), pytest.raises(DownloadError, match="cap"):
        update(tmp_path, client_for(bucket, max_bytes=100), [Ecosystem.PYPI])
    assert not index_path(tmp_path).exists()


def test_archive_with_path_traversal_is_refused(tmp_path: Path, bucket: OsvBucket) -> None:
    import io
    import zipfile

    evil = io.BytesIO()
    with zipfile.ZipFile(evil, "w") as archive:
        archive.writestr("../escape.json", "{}")
    bucket.archives["npm"] = evil.getvalue()
    with serve_osv(bucket), pytest.raises(Exception, match="path traversal"):
        update(tmp_path, client_for(bucket), [Ecosystem.NPM])
    assert not index_path(tmp_path).exists()


def test_unreachable_server(tmp_path: Path) -> None:
    client = OsvClient(httpx.Client(timeout=2.0), "http://127.0.0.1:9")
    with pytest.raises(DownloadError):
        update(tmp_path, client, [Ecosystem.NPM])
