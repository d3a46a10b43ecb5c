"""A re-import stages columns only for new findings; known ones are touched, not rewritten."""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from shieldwall.hub.db.models import Finding, Occurrence
from shieldwall.hub.scans.stage import _dumps
from tests.hub.test_lifecycle import project, sarif, upload


def test_a_reimport_mixing_known_and_new_findings(sessions: sessionmaker[Session]) -> None:
    pid = project(sessions)
    first = upload(sessions, pid, sarif("A", "B"))
    with sessions() as session:
        # A triage edit the next import must not overwrite (it writes no column of known ones).
        session.query(Finding).filter(Finding.rule_id == "A").update({"title": "edited"})
        session.commit()
    second = upload(sessions, pid, sarif("A", "B", "C", salt="again"))
    assert (first.new, second.new, second.total) == (2, 1, 3)
    with sessions() as session:
        rows = {
            f.rule_id: (f.title, f.message, f.path, f.last_scan_id, f.first_seen <= f.last_seen)
            for f in session.scalars(select(Finding).where(Finding.project_id == pid))
        }
        in_second = set(
            session.scalars(
                select(Occurrence.finding_id).where(Occurrence.scan_id == second.scan_id)
            )
        )
        ids = set(session.scalars(select(Finding.id).where(Finding.project_id == pid)))
    assert rows["A"][0] == "edited"
    assert rows["C"][1:3] == ("C found", "src/C.py")  # the new one has its columns
    assert {r[3] for r in rows.values()} == {second.scan_id}
    assert all(r[4] for r in rows.values())
    assert in_second == ids


def test_reimporting_only_known_findings_inserts_nothing(sessions: sessionmaker[Session]) -> None:
    pid = project(sessions)
    upload(sessions, pid, sarif("A", "B"))
    again = upload(sessions, pid, sarif("A", "B", salt="again"))
    assert (again.new, again.total, again.duplicate) == (0, 2, False)
    with sessions() as session:
        assert len(session.scalars(select(Finding.id)).all()) == 2


def test_staged_json_text_equals_the_encoder() -> None:
    for value in (None, [], {}, ["CVE-1"], {"a": [1, None]}, "x", 0):
        assert _dumps(value) == json.dumps(value)
