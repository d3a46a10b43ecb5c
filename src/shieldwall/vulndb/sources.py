"""Reading OSV records from an import source: all.zip, a folder or clone, JSON lines (gzipped).

Sources are read, never extracted: a zip member's name is checked for path traversal anyway,
because a zip that tries it is hostile and should be refused as a whole rather than half-read.
"""

from __future__ import annotations

import gzip
import json
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path, PurePosixPath
from typing import Any

import yaml
from pydantic import ValidationError

from shieldwall.vulndb.errors import AdvisorySourceError
from shieldwall.vulndb.models import OSV_RECORD, OsvRecord

MAX_MEMBER_BYTES = 32 * 1024 * 1024  # one advisory; the largest real ones are ~1 MB
MAX_TOTAL_BYTES = 8 * 1024 * 1024 * 1024  # a whole archive, uncompressed (zip-bomb guard)
_RECORD_SUFFIXES = (".json", ".yaml", ".yml")


@dataclass(frozen=True, slots=True)
class Parsed:
    """One record from a source, or why an entry of the source was not a record."""

    where: str
    record: OsvRecord | None = None
    problem: str = ""


def read_source(path: Path) -> Iterator[Parsed]:
    """Every record of an import source; raises ``AdvisorySourceError`` when it is unusable."""
    if path.is_dir():
        yield from _read_folder(path)
        return
    if not path.is_file():
        raise AdvisorySourceError(f"{path}: no such file or folder")
    name = path.name.lower()
    if name.endswith(".zip"):
        yield from read_zip(path)
    elif name.endswith((".jsonl.gz", ".json.gz", ".ndjson.gz")):
        yield from _read_jsonl_gz(path)
    elif name.endswith((".jsonl", ".ndjson")):
        with path.open("rb") as stream:
            yield from _read_lines(path.name, stream)
    elif name.endswith(_RECORD_SUFFIXES):
        yield from parse_document(str(path), path.read_bytes(), name)
    else:
        raise AdvisorySourceError(
            f"{path}: unknown kind of source; expected an OSV all.zip, a folder of OSV JSON, "
            ".jsonl or .jsonl.gz"
        )


def check_member_name(name: str) -> None:
    """Refuse a zip member whose name would escape an extraction folder."""
    pure = PurePosixPath(name.replace("\\", "/"))
    drive = re.match(r"^[A-Za-z]:", name) is not None  # C:\... escapes on Windows
    if pure.is_absolute() or ".." in pure.parts or drive:
        raise AdvisorySourceError(f"unsafe path in zip: {name!r} (path traversal); refused")


def read_zip(path: Path) -> Iterator[Parsed]:
    """Records of an OSV ``all.zip``; a corrupt, truncated or hostile zip is refused."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise AdvisorySourceError(f"{path}: not a readable zip archive ({exc})") from exc
    with archive:
        members = archive.infolist()
        for member in members:
            check_member_name(member.filename)
        total = sum(m.file_size for m in members)
        if total > MAX_TOTAL_BYTES:
            raise AdvisorySourceError(f"{path}: expands to {total} bytes, over the cap; refused")
        for member in members:
            if member.is_dir() or not member.filename.lower().endswith(".json"):
                continue
            if member.file_size > MAX_MEMBER_BYTES:
                yield Parsed(member.filename, problem="member larger than the per-record cap")
                continue
            try:
                data = archive.read(member)
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
                raise AdvisorySourceError(
                    f"{path}: corrupt or truncated archive at {member.filename!r} ({exc})"
                ) from exc
            yield from parse_document(member.filename, data, ".json")


def _read_folder(root: Path) -> Iterator[Parsed]:
    files = sorted(
        p
        for p in root.rglob("*")
        if p.suffix.lower() in _RECORD_SUFFIXES
        and p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(root).parts)
    )
    if not files:
        raise AdvisorySourceError(f"{root}: no OSV .json or .yaml files in this folder")
    for file in files:
        if file.stat().st_size > MAX_MEMBER_BYTES:
            yield Parsed(str(file), problem="file larger than the per-record cap")
            continue
        yield from parse_document(str(file), file.read_bytes(), file.suffix.lower())


def _read_jsonl_gz(path: Path) -> Iterator[Parsed]:
    try:
        with gzip.open(path, "rb") as stream:
            yield from _read_lines(path.name, stream)
    except (EOFError, gzip.BadGzipFile, zlib.error, OSError) as exc:
        raise AdvisorySourceError(f"{path}: corrupt or truncated gzip ({exc})") from exc


def _read_lines(name: str, stream: Any) -> Iterator[Parsed]:
    for number, raw in enumerate(stream, start=1):
        if raw.strip():
            yield from parse_document(f"{name}:{number}", raw, ".json")


def _stringify_dates(value: Any) -> Any:
    # YAML turns ISO timestamps into datetimes; OSV keeps them as RFC 3339 strings.
    if isinstance(value, dict):
        return {k: _stringify_dates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_stringify_dates(v) for v in value]
    if isinstance(value, (datetime, date)):
        return value.isoformat().replace("+00:00", "Z")
    return value


def parse_document(where: str, data: bytes, suffix: str) -> Iterator[Parsed]:
    """Records in one JSON or YAML document (a record or a list of records)."""
    try:
        if suffix in {".yaml", ".yml"}:
            document: Any = _stringify_dates(yaml.safe_load(data))
        else:
            document = json.loads(data)
    except (ValueError, yaml.YAMLError) as exc:
        yield Parsed(where, problem=f"not valid JSON/YAML ({str(exc).splitlines()[0]})")
        return
    documents = document if isinstance(document, list) else [document]
    for item in documents:
        if not isinstance(item, dict) or "id" not in item:
            yield Parsed(where, problem="not an OSV record (no 'id')")
            continue
        try:
            yield Parsed(where, record=OSV_RECORD.validate_python(item))
        except ValidationError as exc:
            yield Parsed(where, problem=f"not a valid OSV record ({exc.error_count()} errors)")
