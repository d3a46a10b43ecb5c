"""The hash-chained audit log: entries, value HMACs, and every kind of tampering."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from shieldwall.secretstore import (
    AuditedBackend,
    AuditLog,
    EmbeddedStore,
    Operation,
    Outcome,
    SecretNotFoundError,
    TamperedError,
)
from tests.secretstore.conftest import SECRET


def _fill(audit: AuditLog) -> None:
    audit.record(Operation.WRITE, "store", "db/password", version=1, value=SECRET)
    audit.record(Operation.READ, "store", "db/password", version=1, value=SECRET)
    audit.record(Operation.READ, "store", "other", outcome=Outcome.NOT_FOUND)
    audit.record(Operation.DELETE, "store", "db/password")


def test_entries_chain_and_hmac(audit: AuditLog) -> None:
    _fill(audit)
    report = audit.verify()
    assert report.ok
    assert [e.seq for e in report.entries] == [1, 2, 3, 4]
    first, second, third, _ = report.entries
    assert (first.identity, first.operation, first.path, first.client) == (
        "alice",
        "write",
        "db/password",
        "test",
    )
    assert first.value_hmac is not None and first.value_hmac == second.value_hmac
    assert first.value_hmac != audit.value_hmac("another value")
    assert third.outcome == "not-found" and third.value_hmac is None
    assert SECRET not in audit.path.read_text()
    assert audit.path.stat().st_mode & 0o077 == 0


def test_empty_log_verifies(tmp_path: Path) -> None:
    assert AuditLog(tmp_path / "none.jsonl").verify().ok


def _lines(audit: AuditLog) -> list[str]:
    return audit.path.read_text().splitlines()


def _write(audit: AuditLog, lines: list[str]) -> None:
    audit.path.write_text("\n".join(lines) + "\n")


def test_edited_entry(audit: AuditLog) -> None:
    _fill(audit)
    lines = _lines(audit)
    entry = json.loads(lines[1])
    entry["identity"] = "mallory"
    lines[1] = json.dumps(entry, sort_keys=True, separators=(",", ":"))
    _write(audit, lines)
    report = audit.verify()
    assert not report.ok and "line 2" in str(report.problem) and "edited" in str(report.problem)
    assert len(report.entries) == 1
    with pytest.raises(TamperedError):
        audit.entries()


def test_removed_entry(audit: AuditLog) -> None:
    _fill(audit)
    lines = _lines(audit)
    _write(audit, lines[:1] + lines[2:])
    report = audit.verify()
    assert not report.ok and "previous entry" in str(report.problem)


def test_reordered_entries(audit: AuditLog) -> None:
    _fill(audit)
    lines = _lines(audit)
    _write(audit, [lines[1], lines[0], *lines[2:]])
    assert not audit.verify().ok


def test_garbage_line(audit: AuditLog) -> None:
    _fill(audit)
    lines = _lines(audit)
    _write(audit, [*lines[:2], "not json", *lines[2:]])
    report = audit.verify()
    assert not report.ok and report.problem == "line 3: not valid JSON"


def test_rehashed_edit_still_breaks_next_link(audit: AuditLog) -> None:
    """Recomputing an edited entry's own hash does not help: the next entry links to the old one."""
    from shieldwall.secretstore.audit import chain_hash

    _fill(audit)
    lines = _lines(audit)
    entry = json.loads(lines[1])
    del entry["hash"]
    entry["path"] = "innocent"
    entry["hash"] = chain_hash(entry["prev"], entry)
    lines[1] = json.dumps(entry)
    _write(audit, lines)
    report = audit.verify()
    assert not report.ok and report.problem is not None and report.problem.startswith("line 3")


def test_audited_backend_records_success_and_failure(store: EmbeddedStore, audit: AuditLog) -> None:
    backend = AuditedBackend(store, audit)
    backend.write("db/password", SECRET)
    assert backend.read("db/password").value == SECRET
    with pytest.raises(SecretNotFoundError):
        backend.read("missing")
    backend.list()
    backend.metadata("db/password")
    backend.delete("db/password")
    operations = [(e.operation, e.path, e.outcome) for e in audit.entries()]
    assert operations == [
        ("write", "db/password", "ok"),
        ("read", "db/password", "ok"),
        ("read", "missing", "not-found"),
        ("list", "", "ok"),
        ("metadata", "db/password", "ok"),
        ("delete", "db/password", "ok"),
    ]


def _append_many(path: str, worker: int) -> None:
    log = AuditLog(Path(path), identity=f"worker-{worker}")
    for i in range(15):
        log.record(Operation.READ, "store", f"p/{worker}/{i}", value=SECRET)


def test_concurrent_appenders_keep_the_chain(tmp_path: Path) -> None:
    import multiprocessing

    path = tmp_path / "audit.jsonl"
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_append_many, args=(str(path), n)) for n in range(4)]
    for process in workers:
        process.start()
    for process in workers:
        process.join(timeout=60)
        assert process.exitcode == 0
    report = AuditLog(path).verify()
    assert report.ok and len(report.entries) == 60
    assert len({e.value_hmac for e in report.entries}) == 1  # one key file, shared by all
