"""Uploads never held whole: spooled, stored in chunks, large SARIF parsed as a stream."""

from __future__ import annotations

import io
import json

import pytest
from sqlalchemy import func, select

from shieldwall.hub import importers
from shieldwall.hub.db.models import Finding, ImportChunk, ImportJob
from shieldwall.hub.errors import ImportFormatError
from shieldwall.hub.importers.sarif import SarifImporter
from shieldwall.hub.importers.sarif_stream import parse_sarif_file
from shieldwall.hub.scans import service
from tests.hub.conftest import World, data
from tests.hub.test_lifecycle import sarif

SARIF_FIXTURES = ("bandit.sarif", "checkov.sarif", "semgrep.sarif", "shieldwall.sarif")


def two_runs() -> bytes:
    """Two runs; the second's results come before its tool (SARIF does not fix the order)."""
    first = json.loads(sarif("A", "B", tool="semgrep"))["runs"][0]
    second = json.loads(sarif("C", tool="bandit"))["runs"][0]
    second = {"results": second["results"], "tool": second["tool"]}
    return json.dumps({"version": "2.1.0", "runs": [first, second]}).encode()


@pytest.mark.parametrize("name", SARIF_FIXTURES)
def test_streamed_sarif_equals_the_whole_document_parse(name: str) -> None:
    document = data(name)
    assert parse_sarif_file(io.BytesIO(document)) == SarifImporter().parse_report(document)


def test_streamed_sarif_keeps_runs_apart_whatever_their_key_order() -> None:
    document = two_runs()
    streamed = parse_sarif_file(io.BytesIO(document))
    assert streamed == SarifImporter().parse_report(document)
    assert [(f.rule.id, f.scanner) for f in streamed.findings] == [
        ("A", "semgrep"),
        ("B", "semgrep"),
        ("C", "bandit"),
    ]


def test_large_documents_take_the_streamed_path(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []

    def spy(handle: io.BytesIO) -> importers.ImportedReport:
        calls.append(1)
        return parse_sarif_file(handle)

    monkeypatch.setattr(importers, "parse_sarif_file", spy)
    monkeypatch.setattr(importers, "STREAM_BYTES", 100)
    fmt, report = importers.parse_document(io.BytesIO(two_runs()))
    assert (fmt, len(report.findings), calls) == ("sarif", 3, [1])
    monkeypatch.setattr(importers, "STREAM_BYTES", 10**9)
    importers.parse_document(io.BytesIO(two_runs()))
    assert calls == [1]


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (b'{"version": "2.1.0", "runs": [', "invalid JSON"),
        (b'{"runs": []}', "version"),
        (b'{"version": "2.0.0", "runs": []}', "not supported"),
        (b'{"version": "2.1.0", "runs": [{"results": [{"level": 3}]}]}', "level"),
        (b'{"version": "2.1.0", "runs": [{"results": []}]}\xff', "sarif"),
    ],
)
def test_streamed_sarif_errors_are_clear(document: bytes, message: str) -> None:
    with pytest.raises(ImportFormatError, match=message):
        parse_sarif_file(io.BytesIO(document))


def test_an_upload_is_stored_in_chunks_and_dropped_once_imported(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(service, "CHUNK_BYTES", 256)
    stored: list[int] = []
    real = service._store_chunks

    def counting(session, job_id, document):  # type: ignore[no-untyped-def]
        real(session, job_id, document)
        stored.append(
            int(session.scalar(select(func.count()).where(ImportChunk.job_id == job_id)) or 0)
        )

    monkeypatch.setattr(service, "_store_chunks", counting)
    document = sarif(*(f"R{i}" for i in range(20)))
    response = world.client.post(
        "/api/v1/projects/shop/scans", content=document, headers=world.auth("developer")
    )
    assert response.status_code == 201, response.text
    assert response.json()["new"] == 20
    assert stored == [-(-len(document) // 256)]  # ceil: every byte went into a chunk
    with world.sessions() as session:
        assert session.scalar(select(func.count()).select_from(ImportChunk)) == 0
        job = session.scalars(select(ImportJob)).one()
        assert job.payload is None and job.status == "done"
        assert session.scalar(select(func.count()).select_from(Finding)) == 20


def test_whitespace_only_upload_is_refused(world: World) -> None:
    response = world.client.post(
        "/api/v1/projects/shop/scans", content=b" \n" * 5000, headers=world.auth("developer")
    )
    assert response.status_code == 422  # InvalidRequestError, as for any invalid request
    assert "empty" in response.text
