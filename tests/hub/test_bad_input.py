"""Hostile and unlucky uploads: too large, malformed, unknown, duplicated, concurrent, and a
database that goes away in the middle of an import."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import event, func, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from shieldwall.hub.db.engine import make_engine, transaction
from shieldwall.hub.db.models import Finding, ImportJob, Occurrence, Scan
from tests.hub.conftest import World, build_world, data
from tests.hub.test_lifecycle import project, sarif, upload


@pytest.fixture
def small_world(sqlite_url: str) -> Iterator[World]:
    yield from build_world(sqlite_url, max_upload_bytes=4096, max_request_bytes=2048)


def count(sessions: sessionmaker[Session], model: Any) -> int:
    with sessions() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_oversized_uploads_are_refused_by_length_and_while_streaming(small_world: World) -> None:
    headers = small_world.auth("developer")
    big = b'{"runs": [], "version": "2.1.0", "pad": "' + b"x" * 5000 + b'"}'
    response = small_world.client.post("/api/v1/projects/shop/scans", content=big, headers=headers)
    assert response.status_code == 413

    def chunks() -> Iterator[bytes]:  # no Content-Length: only counting can catch it
        for _ in range(10):
            yield b" " * 1000

    streamed = small_world.client.post(
        "/api/v1/projects/shop/scans", content=chunks(), headers=headers
    )
    assert streamed.status_code == 413
    json_body = small_world.client.post(
        "/api/v1/projects", json={"name": "x" * 3000}, headers=small_world.auth("global-admin")
    )
    assert json_body.status_code == 413
    assert count(small_world.sessions, Scan) == 0


@pytest.mark.parametrize(
    ("body", "query", "message"),
    [
        (b"{broken", "", "could not recognise"),
        (b'{"version": "2.1.0", "$schema": "sarif", "runs": [{"results": 5}]}', "", "results"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "", "could not recognise"),
        (b'{"a": 1}', "&format=nessus", "unknown format"),
        (b"", "", "empty"),
    ],
)
def test_malformed_uploads_fail_cleanly(
    sqlite_world: World, body: bytes, query: str, message: str
) -> None:
    response = sqlite_world.client.post(
        f"/api/v1/projects/shop/scans?branch=main{query}",
        content=body,
        headers=sqlite_world.auth("developer"),
    )
    assert response.status_code == 422
    assert message in response.json()["detail"]
    assert count(sqlite_world.sessions, Scan) == 0
    assert count(sqlite_world.sessions, Finding) == 0
    with sqlite_world.sessions() as session:
        jobs = session.scalars(select(ImportJob)).all()
    assert all(j.status == "failed" and j.payload is None for j in jobs)


def test_duplicate_upload_is_idempotent_over_http(sqlite_world: World) -> None:
    headers = sqlite_world.auth("developer")
    first = sqlite_world.client.post(
        "/api/v1/projects/shop/scans", content=data("trivy.json"), headers=headers
    ).json()
    second = sqlite_world.client.post(
        "/api/v1/projects/shop/scans", content=data("trivy.json"), headers=headers
    ).json()
    assert second["duplicate"] and second["scan_id"] == first["scan_id"]
    assert count(sqlite_world.sessions, Scan) == 1
    assert count(sqlite_world.sessions, Finding) == 5


def test_concurrent_uploads_to_one_project_make_no_duplicates(
    sessions: sessionmaker[Session],
) -> None:
    pid = project(sessions)
    errors: list[BaseException] = []

    def worker(i: int) -> None:
        try:
            upload(sessions, pid, sarif("A", "B", "C", salt=str(i)), branch=f"b{i % 2}")
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert count(sessions, Finding) == 3
    assert count(sessions, Scan) == 6
    assert count(sessions, Occurrence) == 18


def _break_findings_inserts(engine: Any, times: int) -> dict[str, int]:
    """Make the database go away at the first findings insert, ``times`` times.

    On PostgreSQL the server really ends the connection (pg_terminate_backend); on SQLite the
    driver error is raised where the connection would have failed.
    """
    state = {"left": times, "hits": 0}

    def before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if not statement.startswith("INSERT INTO findings") or state["left"] <= 0:
            return
        state["left"] -= 1
        state["hits"] += 1
        if conn.dialect.name == "postgresql":
            pid = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar()
            killer = make_engine(conn.engine.url.render_as_string(hide_password=False))
            with killer.connect() as other:
                other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            killer.dispose()
        else:
            raise OperationalError(statement, None, Exception("disk I/O error"))

    event.listen(engine, "before_cursor_execute", before)
    return state


def test_database_failure_mid_import_retries_and_leaves_no_half_scan(world: World) -> None:
    state = _break_findings_inserts(world.client.app.state.hub.engine, times=1)  # type: ignore[attr-defined]
    response = world.client.post(
        "/api/v1/projects/shop/scans", content=data("trivy.json"), headers=world.auth("developer")
    )
    assert state["hits"] == 1
    assert response.status_code == 201, response.text
    assert response.json()["new"] == 5
    assert count(world.sessions, Scan) == 1
    with world.sessions() as session:
        job = session.scalars(select(ImportJob)).one()
    assert (job.status, job.payload) == ("done", None)


def test_database_failure_on_every_attempt_fails_cleanly(world: World) -> None:
    state = _break_findings_inserts(world.client.app.state.hub.engine, times=100)  # type: ignore[attr-defined]
    response = world.client.post(
        "/api/v1/projects/shop/scans", content=data("trivy.json"), headers=world.auth("developer")
    )
    assert response.status_code == 503
    assert state["hits"] == 3  # job_retries
    assert count(world.sessions, Scan) == 0
    assert count(world.sessions, Finding) == 0
    with world.sessions() as session:
        job = session.scalars(select(ImportJob)).one()
    assert job.status == "failed" and job.payload is None
    state["left"] = 0
    again = world.client.post(
        "/api/v1/projects/shop/scans", content=data("trivy.json"), headers=world.auth("developer")
    )
    assert again.status_code == 201 and again.json()["new"] == 5


def test_sessions_in_tests_are_isolated(sessions: sessionmaker[Session]) -> None:
    with transaction(sessions) as session:
        assert session.scalar(select(func.count()).select_from(Scan)) == 0
