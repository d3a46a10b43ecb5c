"""Fixtures: real OSV records, zipped the way osv.dev publishes them."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

DATA = Path(__file__).parent.parent / "data" / "osv"


def load_records() -> list[dict[str, Any]]:
    """The real OSV records copied into tests/data/osv."""
    return [json.loads(line) for line in (DATA / "records.jsonl").read_text().splitlines()]


def zip_records(records: list[dict[str, Any]]) -> bytes:
    """An all.zip: one ``<id>.json`` member per record."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for record in records:
            archive.writestr(f"{record['id']}.json", json.dumps(record))
    return buffer.getvalue()


def by_ecosystem(records: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Records grouped by the ecosystem of their first affected package."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for record in records:
        groups.setdefault(record["affected"][0]["package"]["ecosystem"], []).append(record)
    return groups


@pytest.fixture
def records() -> list[dict[str, Any]]:
    """Real OSV records."""
    return load_records()
