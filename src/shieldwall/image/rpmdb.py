"""The RPM database of RHEL 9, Fedora 33+ and their rebuilds: ``var/lib/rpm/rpmdb.sqlite``.

rpm's sqlite backend (``lib/backend/sqlite.c``) keeps one header blob per installed package in
``Packages(hnum, blob)``. A blob is an rpm header without the lead magic (``lib/header.c``,
``headerImport``): big-endian ``il`` (index entries) and ``dl`` (data bytes), ``il`` 16-byte
entries ``(tag, type, offset, count)``, then the data store. Tags are from ``rpmtag.h``.

The BerkeleyDB ``Packages`` file of RHEL 8 and older holds the same header blobs in a Berkeley
DB hash database, read by :mod:`shieldwall.image.rpmbdb`. The NDB ``Packages.db`` of SUSE is not
read: the image reports it as unsupported rather than clean.
"""

from __future__ import annotations

import sqlite3
import struct
from collections.abc import Iterable
from dataclasses import dataclass

from shieldwall.image.errors import ImageError

SQLITE_PATH = "var/lib/rpm/rpmdb.sqlite"
# The usr/lib location is where Fedora 36+ and RHEL 10 keep it (var/lib/rpm is a symlink).
SQLITE_PATHS = (SQLITE_PATH, "usr/lib/sysimage/rpm/rpmdb.sqlite")
BDB_PATHS = ("var/lib/rpm/Packages", "usr/lib/sysimage/rpm/Packages")
NDB_PATHS = ("var/lib/rpm/Packages.db", "usr/lib/sysimage/rpm/Packages.db")

TAG_NAME, TAG_VERSION, TAG_RELEASE, TAG_EPOCH = 1000, 1001, 1002, 1003
TAG_LICENSE, TAG_ARCH, TAG_SOURCERPM = 1014, 1022, 1044
TYPE_INT32, TYPE_STRING, TYPE_STRING_ARRAY, TYPE_I18NSTRING = 4, 6, 8, 9
_ENTRY = struct.Struct(">iiii")
_MAX_ENTRIES = 65536  # rpm's own sanity limit on header index entries (HEADER_TAGS_MAX)
_MAX_DATA = 256 << 20  # and on the data store (HEADER_DATA_MAX)
_MAX_PROGRESS_CALLS = 1_000_000  # x 1000 SQLite VM instructions


class RpmHeaderError(ImageError):
    """A header blob that does not follow rpm's format."""


@dataclass(frozen=True, slots=True)
class RpmHeader:
    """The tags of one installed package that the inventory needs."""

    name: str
    version: str
    release: str
    epoch: int | None
    arch: str
    source_rpm: str
    license: str

    @property
    def evr(self) -> str:
        """``[epoch:]version-release``, the form OSV RPM advisories use."""
        head = f"{self.epoch}:" if self.epoch else ""
        return f"{head}{self.version}-{self.release}"

    @property
    def source_name(self) -> str:
        """The source package name, from ``name-version-release.src.rpm``."""
        base = self.source_rpm.removesuffix(".rpm")
        base = base.rsplit(".", 1)[0] if base.endswith((".src", ".nosrc")) else base
        parts = base.rsplit("-", 2)
        return parts[0] if len(parts) == 3 else self.name


def parse_header(blob: bytes) -> RpmHeader:
    """The package tags of one header blob."""
    if len(blob) < 8:
        raise RpmHeaderError("header blob shorter than its preamble")
    il, dl = struct.unpack_from(">ii", blob, 0)
    if not (0 < il <= _MAX_ENTRIES) or not (0 <= dl <= _MAX_DATA):
        raise RpmHeaderError(f"header claims {il} entries and {dl} data bytes")
    store = 8 + il * _ENTRY.size
    if len(blob) < store + dl:
        raise RpmHeaderError("header blob is truncated")
    data = blob[store : store + dl]
    values: dict[int, str | int] = {}
    for n in range(il):
        tag, kind, offset, count = _ENTRY.unpack_from(blob, 8 + n * _ENTRY.size)
        if tag not in {TAG_NAME, TAG_VERSION, TAG_RELEASE, TAG_EPOCH, TAG_LICENSE, TAG_ARCH,
                       TAG_SOURCERPM}:  # fmt: skip
            continue
        if not 0 <= offset < dl or count < 1:
            raise RpmHeaderError(f"tag {tag}: offset {offset} outside the data store")
        if kind == TYPE_INT32:
            if offset + 4 > dl:
                raise RpmHeaderError(f"tag {tag}: integer past the data store")
            values[tag] = struct.unpack_from(">i", data, offset)[0]
        elif kind in {TYPE_STRING, TYPE_STRING_ARRAY, TYPE_I18NSTRING}:
            end = data.find(b"\0", offset)
            if end < 0:
                raise RpmHeaderError(f"tag {tag}: unterminated string")
            values[tag] = data[offset:end].decode("utf-8", errors="replace")
    name, version, release = (values.get(t) for t in (TAG_NAME, TAG_VERSION, TAG_RELEASE))
    if not isinstance(name, str) or not isinstance(version, str) or not isinstance(release, str):
        raise RpmHeaderError("header without name, version or release")
    epoch = values.get(TAG_EPOCH)
    return RpmHeader(
        name=name,
        version=version,
        release=release,
        epoch=epoch if isinstance(epoch, int) else None,
        arch=str(values.get(TAG_ARCH, "")),
        source_rpm=str(values.get(TAG_SOURCERPM, "")),
        license=str(values.get(TAG_LICENSE, "")),
    )


def read_sqlite_rpmdb(data: bytes) -> tuple[list[RpmHeader], list[str]]:
    """Installed packages of an rpmdb.sqlite given as bytes, and problems met per header.

    The database is opened in memory from its bytes (``sqlite3.Connection.deserialize``):
    nothing of the image is written to disk.
    """
    if data[:16] == b"SQLite format 3\0" and data[18:20] == b"\x02\x02":
        # rpm keeps the database in WAL mode; an in-memory copy cannot open a WAL file, so it
        # is marked as a rollback-journal file (file format bytes 18-19, sqlite.org/fileformat2
        # §1.3.4). rpm checkpoints on close: images ship an empty -wal beside it.
        data = data[:18] + b"\x01\x01" + data[20:]
    conn = sqlite3.connect(":memory:")
    steps = [0]

    def budget() -> int:
        # A hostile image could make Packages an expensive view: stop after a bounded amount
        # of work (a real rpmdb is a plain table read in a few thousand VM steps per row).
        steps[0] += 1
        return 1 if steps[0] > _MAX_PROGRESS_CALLS else 0

    try:
        conn.deserialize(data)
        kind = conn.execute("SELECT type FROM sqlite_master WHERE name = 'Packages'").fetchone()
        if kind is None or kind[0] != "table":
            raise ImageError("not an rpm sqlite database: no Packages table")
        conn.set_progress_handler(budget, 1000)
        rows = conn.execute("SELECT hnum, blob FROM Packages ORDER BY hnum").fetchall()
    except sqlite3.DatabaseError as exc:
        raise ImageError(f"not an rpm sqlite database: {exc}") from exc
    finally:
        conn.close()
    return _headers((hnum, bytes(blob)) for hnum, blob in rows)


def read_bdb_rpmdb(data: bytes) -> tuple[list[RpmHeader], list[str]]:
    """Installed packages of a BerkeleyDB ``Packages`` file, and problems met per header."""
    from shieldwall.image.rpmbdb import bdb_values

    return _headers(enumerate(bdb_values(data), start=1))


def _headers(blobs: Iterable[tuple[int, bytes]]) -> tuple[list[RpmHeader], list[str]]:
    headers: list[RpmHeader] = []
    problems: list[str] = []
    for number, blob in blobs:
        try:
            header = parse_header(blob)
        except RpmHeaderError as exc:
            problems.append(f"package #{number}: {exc}")
            continue
        if header.name != "gpg-pubkey":  # imported signing keys are not software
            headers.append(header)
    return headers, problems
