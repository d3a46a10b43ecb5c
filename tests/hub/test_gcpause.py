"""The collector hold around imports: nested, concurrent, and restoring the prior state."""

from __future__ import annotations

import gc
import threading

import pytest
from sqlalchemy.orm import Session, sessionmaker

from shieldwall.hub.errors import ImportFormatError
from shieldwall.hub.importers import ImportedReport
from shieldwall.hub.scans import ingest as ingest_module
from shieldwall.hub.scans.gcpause import collector_paused
from tests.hub.test_lifecycle import project, sarif, upload


def test_the_collector_resumes_when_the_last_holder_ends() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer hold is still on
    assert gc.isenabled()


def test_a_collector_disabled_before_stays_disabled() -> None:
    gc.disable()
    try:
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_an_exception_releases_the_hold() -> None:
    try:
        with collector_paused():
            raise ValueError("boom")
    except ValueError:
        pass
    assert gc.isenabled()


def test_overlapping_holds_in_threads_release_once_all_end() -> None:
    inside = threading.Barrier(2)
    first_done = threading.Event()
    seen: list[bool] = []

    def first() -> None:
        with collector_paused():
            inside.wait()
        first_done.set()

    def second() -> None:
        with collector_paused():
            inside.wait()
            first_done.wait()
            seen.append(gc.isenabled())  # the first thread ended; this one still holds

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen == [False]
    assert gc.isenabled()


def test_an_import_runs_with_the_collector_held_and_releases_it(
    sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[bool] = []
    real = ingest_module.parse_document

    def spy(data: bytes, fmt: str | None) -> tuple[str, ImportedReport]:
        seen.append(gc.isenabled())
        return real(data, fmt)

    monkeypatch.setattr(ingest_module, "parse_document", spy)
    pid = project(sessions)
    assert upload(sessions, pid, sarif("A", "B")).new == 2
    assert seen == [False]
    assert gc.isenabled()
    with pytest.raises(ImportFormatError):
        upload(sessions, pid, b'{"version": "2.1.0", "runs": [{"results": [{"level": 3}]}]}')
    assert gc.isenabled()
