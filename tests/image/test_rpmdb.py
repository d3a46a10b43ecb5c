"""The sqlite rpmdb: real header blobs written by rpm 4.18, and broken ones."""

from __future__ import annotations

import shutil
import sqlite3
import struct
import subprocess
from pathlib import Path

import pytest

from shieldwall.image.entry import EntryKind, FileStatus, ImageEntry
from shieldwall.image.errors import ImageError
from shieldwall.image.inventory import build_inventory
from shieldwall.image.rpmbdb import BdbError, bdb_values
from shieldwall.image.rpmdb import (
    RpmHeaderError,
    parse_header,
    read_bdb_rpmdb,
    read_sqlite_rpmdb,
)
from tests.image.build import DATA

EXPECTED = {
    ("openssl", "1:3.0.7-24.el9", "openssl", "noarch", "ASL 2.0"),
    ("openssl-libs", "1:3.0.7-24.el9", "openssl", "noarch", "ASL 2.0"),
    ("bash", "5.1.8-6.el9_1", "bash", "noarch", "GPLv3+"),
}


def _summary(data: bytes) -> set[tuple[str, str, str, str, str]]:
    headers, problems = read_sqlite_rpmdb(data)
    assert problems == []
    return {(h.name, h.evr, h.source_name, h.arch, h.license) for h in headers}


def test_fixture_database_written_by_rpm() -> None:
    assert _summary((DATA / "rpmdb-rocky9.sqlite").read_bytes()) == EXPECTED


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("rpmbuild") is None, reason="rpm/rpmbuild are not installed")
def test_database_freshly_written_by_rpm(tmp_path: Path) -> None:
    """Regenerates the fixture: build the spec files and record them with ``rpm --justdb``."""
    top, db = tmp_path / "top", tmp_path / "db"
    for spec in sorted((DATA / "rpm").glob("*.spec")):
        subprocess.run(
            ["rpmbuild", "--define", f"_topdir {top}", "--define", "dist %{nil}", "-bb", str(spec)],
            check=True, capture_output=True,
        )  # fmt: skip
    rpms = sorted(str(p) for p in top.rglob("*.rpm"))
    db.mkdir()
    subprocess.run(["rpm", "--dbpath", str(db), "--initdb"], check=True)
    subprocess.run(
        [
            "rpm",
            "--dbpath",
            str(db),
            "-i",
            "--justdb",
            "--nodeps",
            "--ignorearch",
            "--ignoreos",
            *rpms,
        ],
        check=True,
        capture_output=True,
    )
    assert _summary((db / "rpmdb.sqlite").read_bytes()) == EXPECTED


def test_broken_headers_are_reported_one_by_one(tmp_path: Path) -> None:
    good = sqlite3.connect(":memory:")
    good.deserialize(_rollback((DATA / "rpmdb-rocky9.sqlite").read_bytes()))
    blob = good.execute("SELECT blob FROM Packages ORDER BY hnum LIMIT 1").fetchone()[0]
    path = tmp_path / "rpmdb.sqlite"
    conn = sqlite3.connect(path)
    conn.execute(
        "CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL)"
    )
    conn.executemany(
        "INSERT INTO Packages (blob) VALUES (?)",
        [(blob,), (blob[: len(blob) // 2],), (b"\x7f\xff\xff\xff\0\0\0\0",)],
    )
    conn.commit()
    conn.close()
    headers, problems = read_sqlite_rpmdb(path.read_bytes())
    assert [h.name for h in headers] == ["openssl"]
    assert problems == [
        "package #2: header blob is truncated",
        "package #3: header claims 2147483647 entries and 0 data bytes",
    ]
    with pytest.raises(RpmHeaderError):
        parse_header(b"\0\0")
    with pytest.raises(ImageError, match="not an rpm sqlite database"):
        read_sqlite_rpmdb(b"SQLite format 3\0" + b"\0" * 200)


def _rollback(data: bytes) -> bytes:
    return data[:18] + b"\x01\x01" + data[20:]


@pytest.mark.parametrize("name", ["Packages-bdb-512", "Packages-bdb-16k"])
def test_berkeley_db_packages_written_by_db_load(name: str) -> None:
    """Berkeley DB 5.3 hash files (``db5.3_load``) of the same headers: with 512-byte pages
    every header sits in an overflow chain, with 16 KiB pages inline."""
    headers, problems = read_bdb_rpmdb((DATA / "rpm" / name).read_bytes())
    assert problems == []
    assert {(h.name, h.evr, h.source_name, h.arch, h.license) for h in headers} == EXPECTED


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("db5.3_load") is None, reason="db5.3-util is not installed")
def test_berkeley_db_freshly_written(tmp_path: Path) -> None:
    """Regenerates the BDB fixtures from the sqlite one with Berkeley DB's own db_load."""
    conn = sqlite3.connect(":memory:")
    conn.deserialize(_rollback((DATA / "rpmdb-rocky9.sqlite").read_bytes()))
    rows = conn.execute("SELECT hnum, blob FROM Packages ORDER BY hnum").fetchall()
    for pagesize in (512, 4096, 65536):
        dump = tmp_path / f"dump{pagesize}.txt"
        lines = ["VERSION=3", "format=bytevalue", "type=hash", f"db_pagesize={pagesize}"]
        lines += ["HEADER=END", " 00000000", " 04000000"]  # rpm's key-0 counter record
        for hnum, blob in rows:
            lines += [" " + struct.pack("<I", hnum).hex(), " " + bytes(blob).hex()]
        dump.write_text("\n".join([*lines, "DATA=END", ""]))
        out = tmp_path / f"Packages{pagesize}"
        subprocess.run(["db5.3_load", "-f", str(dump), str(out)], check=True)
        headers, problems = read_bdb_rpmdb(out.read_bytes())
        assert problems == []
        assert {(h.name, h.evr, h.source_name, h.arch, h.license) for h in headers} == EXPECTED


def test_broken_berkeley_db_files_are_errors() -> None:
    good = (DATA / "rpm" / "Packages-bdb-512").read_bytes()
    with pytest.raises(BdbError, match="bad magic"):
        bdb_values(b"\0" * 4096)
    with pytest.raises(BdbError, match="truncated"):
        bdb_values(good[: len(good) // 2])
    broken = bytearray(good)
    for pgno in range(1, len(good) // 512):  # cut every overflow chain short
        if broken[pgno * 512 + 25] == 7:
            broken[pgno * 512 + 16 : pgno * 512 + 20] = b"\0\0\0\0"
    with pytest.raises(BdbError, match="overflow item is"):
        bdb_values(bytes(broken))


def _entry(path: str, data: bytes) -> ImageEntry:
    return ImageEntry(
        path, EntryKind.FILE, 0o644, len(data), 0, "sha256:x", "", FileStatus.PRESENT, data
    )


def test_bdb_in_an_image_and_ndb_reported_unsupported_not_clean() -> None:
    inventory = build_inventory(
        [
            _entry("etc/os-release", b"ID=centos\nVERSION_ID=7\n"),
            _entry("var/lib/rpm/Packages", (DATA / "rpm" / "Packages-bdb-512").read_bytes()),
        ]
    )
    assert sorted(p.name for p in inventory.packages) == ["bash", "openssl", "openssl-libs"]
    suse = build_inventory([_entry("usr/lib/sysimage/rpm/Packages.db", b"NDB garbage")])
    assert suse.packages == []
    assert any("NDB" in w and "not supported" in w for w in suse.warnings)
    corrupt = build_inventory([_entry("var/lib/rpm/rpmdb.sqlite", b"garbage")])
    assert any("not an rpm sqlite database" in w for w in corrupt.warnings)
    junk = build_inventory([_entry("var/lib/rpm/Packages", b"\0" * 100)])
    assert any("not a Berkeley DB file" in w for w in junk.warnings)
