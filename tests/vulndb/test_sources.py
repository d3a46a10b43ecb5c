"""Import sources: zip, folder (advisory repo clone), JSON lines, gzip; and bad input."""

from __future__ import annotations

import gzip
import io
import json
import zipfile
from pathlib import Path

import pytest

from shieldwall.vulndb.errors import AdvisorySourceError
from shieldwall.vulndb.sources import read_source

DATA = Path(__file__).parent.parent / "data" / "osv"
RECORDS = [json.loads(line) for line in (DATA / "records.jsonl").read_text().splitlines()]


def make_zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def ids(path: Path) -> set[str]:
    return {p.record.id for p in read_source(path) if p.record}


def test_all_formats_give_the_same_records(tmp_path: Path) -> None:
    expected = {r["id"] for r in RECORDS}
    members = {f"{r['id']}.json": json.dumps(r).encode() for r in RECORDS}
    assert ids(make_zip(tmp_path / "all.zip", members)) == expected
    assert ids(DATA / "records.jsonl") == expected
    gz = tmp_path / "all.jsonl.gz"
    gz.write_bytes(gzip.compress((DATA / "records.jsonl").read_bytes()))
    assert ids(gz) == expected
    folder = tmp_path / "clone" / "vulns"
    folder.mkdir(parents=True)
    for r in RECORDS:
        (folder / f"{r['id'].replace(':', '_')}.json").write_text(json.dumps(r))
    (tmp_path / "clone" / ".git").mkdir()
    (tmp_path / "clone" / ".git" / "config.json").write_text("{}")  # hidden dirs are skipped
    assert ids(tmp_path / "clone") == expected


def test_yaml_advisory_repository(tmp_path: Path) -> None:
    # The PyPA advisory database stores YAML with unquoted timestamps.
    (tmp_path / "PYSEC-2014-8.yaml").write_text(
        "id: PYSEC-2014-8\nmodified: 2021-07-05T00:01:22.043149Z\n"
        "affected:\n- package: {name: jinja2, ecosystem: PyPI}\n"
        "  ranges:\n  - type: ECOSYSTEM\n    events:\n    - introduced: '0'\n    - fixed: 2.7.2\n"
    )
    (record,) = [p.record for p in read_source(tmp_path) if p.record]
    assert record.modified.startswith("2021-07-05T00:01:22")
    assert record.affected[0].ranges[0].events[1].fixed == "2.7.2"


def test_zip_with_path_traversal_is_refused(tmp_path: Path) -> None:
    bad = make_zip(tmp_path / "evil.zip", {"../../etc/evil.json": json.dumps(RECORDS[0]).encode()})
    with pytest.raises(AdvisorySourceError, match="path traversal"):
        list(read_source(bad))


def test_truncated_zip_is_refused(tmp_path: Path) -> None:
    good = make_zip(
        tmp_path / "good.zip",
        {f"{i}.json": json.dumps(r).encode() * 50 for i, r in enumerate(RECORDS)},
    )
    truncated = tmp_path / "truncated.zip"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(AdvisorySourceError, match="not a readable zip"):
        list(read_source(truncated))


def test_corrupt_member_is_refused(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("a.json", json.dumps(RECORDS[0]))
    data = bytearray(buffer.getvalue())
    data[40] ^= 0xFF  # flip a byte of the stored member: its CRC no longer matches
    corrupt = tmp_path / "corrupt.zip"
    corrupt.write_bytes(bytes(data))
    with pytest.raises(AdvisorySourceError, match="corrupt"):
        list(read_source(corrupt))


def test_truncated_gzip_is_refused(tmp_path: Path) -> None:
    gz = gzip.compress((DATA / "records.jsonl").read_bytes())
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(gz[: len(gz) // 2])
    with pytest.raises(AdvisorySourceError, match="gzip"):
        list(read_source(path))


def test_bad_lines_are_reported_and_the_rest_is_read(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_text(
        json.dumps(RECORDS[0])
        + "\n{not json\n"
        + json.dumps({"x": 1})
        + "\n"
        + json.dumps({"id": "X-1", "affected": "nope"})
        + "\n\xff\n"
    )
    parsed = list(read_source(path))
    assert [p.record.id for p in parsed if p.record] == [RECORDS[0]["id"]]
    problems = [p for p in parsed if p.record is None]
    assert [p.where for p in problems] == [
        "mixed.jsonl:2", "mixed.jsonl:3", "mixed.jsonl:4", "mixed.jsonl:5"
    ]  # fmt: skip


def test_unknown_source_kind(tmp_path: Path) -> None:
    other = tmp_path / "advisories.tar"
    other.write_bytes(b"\x00" * 10)
    with pytest.raises(AdvisorySourceError, match="unknown kind"):
        list(read_source(other))
    with pytest.raises(AdvisorySourceError, match="no such"):
        list(read_source(tmp_path / "missing.zip"))
    (tmp_path / "empty").mkdir()
    with pytest.raises(AdvisorySourceError, match="no OSV"):
        list(read_source(tmp_path / "empty"))
