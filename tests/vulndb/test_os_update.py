"""``db update -e Debian -e Alpine``: distribution archives from a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from shieldwall.vulndb.distros import OsEcosystem, OsFamily
from shieldwall.vulndb.download import OsvClient
from shieldwall.vulndb.ecosystems import Ecosystem
from shieldwall.vulndb.errors import AdvisorySourceError
from shieldwall.vulndb.index import index_path
from shieldwall.vulndb.matcher import match_package, open_index
from shieldwall.vulndb.service import parse_ecosystems, status, update
from tests.servers.osv_server import OsvBucket, serve_osv
from tests.vulndb.conftest import by_ecosystem, zip_records

FIXTURES = Path(__file__).parent.parent / "data" / "image" / "osv-os.jsonl"


def test_distributions_are_fetched_when_named(tmp_path: Path) -> None:
    records = [json.loads(line) for line in FIXTURES.read_text().splitlines()]
    groups: dict[str, list[dict[str, object]]] = {}
    for ecosystem, members in by_ecosystem(records).items():
        groups.setdefault(ecosystem.split(":")[0], []).extend(members)
    bucket = OsvBucket({name: zip_records(members) for name, members in groups.items()})
    with serve_osv(bucket):
        client = OsvClient(httpx.Client(timeout=5.0), bucket.base_url)
        update(tmp_path, client, parse_ecosystems(["debian", "Alpine"]))
    counts = status(tmp_path).counts
    assert counts["Debian:12"] == 7 and counts["Debian:11"] == 1 and counts["Alpine:v3.19"] == 3
    index = open_index(index_path(tmp_path))
    found = match_package(index, OsEcosystem(OsFamily.DEBIAN, "12"), "openssl", "3.0.19-1~deb12u2")
    assert [g.primary for g in found.groups] == ["CVE-2099-0001"]


def test_parse_ecosystems() -> None:
    assert parse_ecosystems([]) == tuple(Ecosystem)  # distributions only when named
    assert parse_ecosystems(["rocky linux", "PyPI"]) == (OsFamily.ROCKY, Ecosystem.PYPI)
    with pytest.raises(AdvisorySourceError, match=r"known: .*Debian"):
        parse_ecosystems(["Plan9"])
