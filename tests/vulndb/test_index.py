"""The SQLite index: build, atomic swap, withdrawn records, matching, aliases, severity."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from shieldwall.vulndb.ecosystems import Ecosystem
from shieldwall.vulndb.errors import AdvisorySourceError, IndexMissingError, InvalidVersionError
from shieldwall.vulndb.index import AdvisoryIndex, index_path
from shieldwall.vulndb.matcher import match_package
from shieldwall.vulndb.service import import_source, status
from tests.vulndb.conftest import DATA


@pytest.fixture
def index(tmp_path: Path) -> AdvisoryIndex:
    import_source(tmp_path, DATA / "records.jsonl")
    return AdvisoryIndex(index_path(tmp_path))


def test_import_report_counts_and_problems(tmp_path: Path) -> None:
    report = import_source(tmp_path, DATA / "records.jsonl")
    assert report.withdrawn == 1  # PYSEC-2022-15 (loguru) is withdrawn
    assert report.records == 11
    assert dict(report.per_ecosystem) == {
        "Go": 2, "PyPI": 2, "Packagist": 1, "crates.io": 3, "npm": 3
    }  # fmt: skip
    joined = "\n".join(report.problems)
    assert "PYSEC-2019-125: fixed version '2019-09-12'" in joined  # malformed version
    assert "NSWG-ECO-305: fury-adapter-swagger: no usable ranges" in joined  # unconverted range


def test_withdrawn_advisories_are_dropped(index: AdvisoryIndex) -> None:
    assert index.affected(Ecosystem.PYPI, "loguru") == []


def test_names_are_normalised(index: AdvisoryIndex) -> None:
    for name in ("jinja2", "Jinja2", "JINJA2"):
        assert {r.advisory_id for r in index.affected(Ecosystem.PYPI, name)} == {
            "PYSEC-2014-8", "PYSEC-2014-82"
        }  # fmt: skip


def test_match_merges_and_scores(index: AdvisoryIndex) -> None:
    match = match_package(index, Ecosystem.NPM, "lodash", "4.17.4")
    assert [g.primary for g in match.groups] == ["CVE-2018-16487", "CVE-2018-3721"]
    first = match.groups[0]
    assert first.ids == ("CVE-2018-16487", "NSWG-ECO-493")
    assert first.fixed_versions == ("4.17.11",)
    assert first.severity is not None and first.severity.source == "CVSS_V3"
    assert first.severity.score == pytest.approx(5.7)  # scope changed: 1.08 × (2.73 + 2.52)
    assert match.recommended == "4.17.11"  # clears both advisories


def test_cvss_v4_is_scored(index: AdvisoryIndex) -> None:
    match = match_package(index, Ecosystem.CRATES_IO, "time", "0.3.10")
    (group,) = match.groups
    assert group.severity is not None and group.severity.source == "CVSS_V4"
    assert group.severity.severity.value in {"medium", "low", "high"}


def test_no_severity_vector_falls_back_to_none(index: AdvisoryIndex) -> None:
    (group,) = match_package(index, Ecosystem.GO, "github.com/gin-gonic/gin", "v1.5.0").groups
    assert group.severity is None


def test_not_affected_and_unknown_packages(index: AdvisoryIndex) -> None:
    assert match_package(index, Ecosystem.NPM, "lodash", "4.17.21").groups == ()
    assert match_package(index, Ecosystem.NPM, "left-pad", "1.0.0").groups == ()


def test_malformed_package_version(index: AdvisoryIndex) -> None:
    with pytest.raises(InvalidVersionError):
        match_package(index, Ecosystem.NPM, "lodash", "not.a.version")


def test_aliases_merge_into_one_group(tmp_path: Path, records: list[dict[str, Any]]) -> None:
    # The same vulnerability published by two databases: a GHSA record that aliases PYSEC-2014-8.
    pysec = next(r for r in records if r["id"] == "PYSEC-2014-8")
    ghsa = {**pysec, "id": "GHSA-8r7q-cvjq-x353", "aliases": ["CVE-2014-1402", "PYSEC-2014-8"],
            "severity": [{"type": "CVSS_V3",
                          "score": "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H"}]}  # fmt: skip
    source = tmp_path / "two.jsonl"
    source.write_text(json.dumps(pysec) + "\n" + json.dumps(ghsa) + "\n")
    import_source(tmp_path, source)
    index = AdvisoryIndex(index_path(tmp_path))
    (group,) = match_package(index, Ecosystem.PYPI, "jinja2", "2.7").groups
    assert group.ids == ("CVE-2014-1402", "GHSA-8r7q-cvjq-x353", "PYSEC-2014-8")
    assert {a.id for a in group.advisories} == {"PYSEC-2014-8", "GHSA-8r7q-cvjq-x353"}
    assert group.severity is not None and group.severity.score == pytest.approx(7.8)


def test_failed_import_keeps_the_old_index(tmp_path: Path) -> None:
    import_source(tmp_path, DATA / "records.jsonl")
    before = index_path(tmp_path).read_bytes()
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"PK\x03\x04 truncated")
    with pytest.raises(AdvisorySourceError):
        import_source(tmp_path, bad)
    empty = tmp_path / "empty.jsonl"
    empty.write_text('{"not": "osv"}\n')
    with pytest.raises(AdvisorySourceError, match="no usable advisories"):
        import_source(tmp_path, empty)
    assert index_path(tmp_path).read_bytes() == before
    assert not list(index_path(tmp_path).parent.glob("*.tmp"))
    assert status(tmp_path).counts["npm"] == 3


def test_missing_and_corrupt_index(tmp_path: Path) -> None:
    with pytest.raises(IndexMissingError, match="shieldwall db update"):
        AdvisoryIndex(index_path(tmp_path))
    path = index_path(tmp_path)
    path.parent.mkdir(parents=True)
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(Exception, match="corrupt"):
        AdvisoryIndex(path)


def test_cache_directory_with_uri_characters(tmp_path: Path) -> None:
    cache = tmp_path / "odd #dir?x"
    import_source(cache, DATA / "records.jsonl")
    assert status(cache).counts["PyPI"] == 2
