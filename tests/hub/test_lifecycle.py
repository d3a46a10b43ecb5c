"""Deduplication and the finding lifecycle, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from shieldwall.hub.db.engine import transaction
from shieldwall.hub.db.models import Finding, FindingSource, Occurrence, Project, Scan, User
from shieldwall.hub.db.types import utcnow
from shieldwall.hub.enums import FindingStatus, Role
from shieldwall.hub.findings.service import FindingFilter, list_findings
from shieldwall.hub.permissions import Principal
from shieldwall.hub.scans.ingest import IngestOutcome, ingest
from shieldwall.hub.scans.lifecycle import expire_acceptances
from shieldwall.hub.settings import SlaPolicy
from shieldwall.hub.triage.service import TriageAction, TriageRequest, triage
from tests.hub.conftest import data

ADMIN = Principal(user_id=1, username="tester", global_role=Role.ADMIN)


def sarif(*rules: str, tool: str = "semgrep", salt: str = "") -> bytes:
    """A SARIF log with one result per rule id (same rule, same file: same finding)."""
    results = [
        {
            "ruleId": rule,
            "level": "error",
            "message": {"text": f"{rule} found"},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": f"src/{rule}.py"},
                        "region": {"startLine": 3},
                    }
                }
            ],
            "partialFingerprints": {"primaryLocationLineHash": f"{rule}-hash"},
        }
        for rule in rules
    ]
    return json.dumps(
        {
            "version": "2.1.0",
            "$schema": "sarif-2.1.0",
            "runs": [
                {
                    "tool": {"driver": {"name": tool}},
                    "results": results,
                    "properties": {"salt": salt},
                }
            ],
        }
    ).encode()


def project(sessions: sessionmaker[Session], name: str = "shop") -> int:
    """A project, and the user behind ADMIN (id 1) that triage records as approver."""
    with transaction(sessions) as session:
        session.add(User(id=1, username="tester", global_role="admin"))
        row = Project(name=name)
        session.add(row)
        session.flush()
        return row.id


def upload(
    sessions: sessionmaker[Session],
    pid: int,
    document: bytes,
    *,
    branch: str = "main",
    complete: bool = True,
    policy: SlaPolicy | None = None,
) -> IngestOutcome:
    with transaction(sessions) as session:
        return ingest(
            session,
            project_id=pid,
            branch=branch,
            data=document,
            fmt=None,
            commit=None,
            complete=complete,
            actor="ci",
            policy=policy or SlaPolicy(),
        )


def statuses(sessions: sessionmaker[Session], pid: int) -> dict[str, tuple[str, bool]]:
    with sessions() as session:
        rows = session.execute(
            select(Finding.rule_id, Finding.status, Finding.regression).where(
                Finding.project_id == pid
            )
        ).all()
    return {rule: (status, regression) for rule, status, regression in rows}


def finding_id(sessions: sessionmaker[Session], rule: str) -> int:
    with sessions() as session:
        return session.scalars(select(Finding.id).where(Finding.rule_id == rule)).one()


def test_reupload_of_the_same_document_changes_nothing(sessions: sessionmaker[Session]) -> None:
    pid = project(sessions)
    first = upload(sessions, pid, sarif("A", "B"))
    assert (first.new, first.duplicate) == (2, False)
    again = upload(sessions, pid, sarif("A", "B"))
    assert again.duplicate and again.scan_id == first.scan_id and again.new == 0
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Scan)) == 1
        assert session.scalar(select(func.count()).select_from(Finding)) == 2
        assert session.scalar(select(func.count()).select_from(Occurrence)) == 2


def test_a_second_scan_with_the_same_findings_adds_occurrences_not_findings(
    sessions: sessionmaker[Session],
) -> None:
    pid = project(sessions)
    upload(sessions, pid, sarif("A", "B"))
    second = upload(sessions, pid, sarif("A", "B", salt="run 2"))
    assert (second.total, second.new, second.fixed, second.duplicate) == (2, 0, 0, False)
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Finding)) == 2
        assert session.scalar(select(func.count()).select_from(Occurrence)) == 4


def test_absent_from_a_complete_scan_is_fixed_and_a_return_is_a_regression(
    sessions: sessionmaker[Session],
) -> None:
    pid = project(sessions)
    upload(sessions, pid, sarif("A", "B"))
    gone = upload(sessions, pid, sarif("A"))
    assert gone.fixed == 1
    assert statuses(sessions, pid) == {"A": ("open", False), "B": ("fixed", False)}
    back = upload(sessions, pid, sarif("A", "B", salt="later"))
    assert back.reopened == 1
    assert statuses(sessions, pid) == {"A": ("open", False), "B": ("open", True)}
    with sessions() as session:
        b = session.scalars(select(Finding).where(Finding.rule_id == "B")).one()
        assert b.fixed_at is None


def test_partial_scans_other_branches_and_other_scanners_close_nothing(
    sessions: sessionmaker[Session],
) -> None:
    pid = project(sessions)
    upload(sessions, pid, sarif("A", "B"))
    assert upload(sessions, pid, sarif("A"), complete=False).fixed == 0
    assert upload(sessions, pid, sarif("A", salt="x"), branch="feature").fixed == 0
    assert upload(sessions, pid, sarif("Z", tool="codeql")).fixed == 0
    assert statuses(sessions, pid)["B"] == ("open", False)


def test_false_positives_and_accepted_risks_survive_rescans(
    sessions: sessionmaker[Session],
) -> None:
    pid = project(sessions)
    upload(sessions, pid, sarif("A", "B", "C"))
    with transaction(sessions) as session:
        triage(
            session,
            ADMIN,
            TriageRequest([finding_id(sessions, "A")], TriageAction.FALSE_POSITIVE, "test data"),
        )
        triage(
            session,
            ADMIN,
            TriageRequest(
                [finding_id(sessions, "B")], TriageAction.ACCEPT_RISK, "legacy, isolated"
            ),
        )
    upload(sessions, pid, sarif("A", "B", "C", salt="rescan"))
    upload(sessions, pid, sarif("C", salt="without A and B"))
    got = statuses(sessions, pid)
    assert got["A"] == ("false_positive", False)
    assert got["B"] == ("accepted", False)


def test_an_expired_acceptance_reopens_the_finding(sessions: sessionmaker[Session]) -> None:
    pid = project(sessions)
    upload(sessions, pid, sarif("A", "B"))
    soon = utcnow() + timedelta(days=1)
    with transaction(sessions) as session:
        triage(
            session,
            ADMIN,
            TriageRequest(
                [finding_id(sessions, "A"), finding_id(sessions, "B")],
                TriageAction.ACCEPT_RISK,
                "until the fix ships",
                expires_at=soon,
            ),
        )
    with transaction(sessions) as session:
        assert expire_acceptances(session, utcnow()) == []
    with transaction(sessions) as session:
        reopened = expire_acceptances(session, soon + timedelta(seconds=1))
    assert sorted(reopened) == sorted([finding_id(sessions, "A"), finding_id(sessions, "B")])
    assert statuses(sessions, pid)["A"] == ("open", False)
    with transaction(sessions) as session:  # idempotent
        assert expire_acceptances(session, soon + timedelta(days=5)) == []


def test_same_cve_from_several_scanners_is_one_finding_with_several_sources(
    sessions: sessionmaker[Session],
) -> None:
    pid = project(sessions)
    upload(sessions, pid, data("trivy.json"))
    upload(sessions, pid, data("osv-scanner.json"))
    upload(sessions, pid, data("dependabot.json"))
    with sessions() as session:
        django = session.scalars(select(Finding).where(Finding.vuln_id == "CVE-2022-34265")).one()
        sources = session.scalars(
            select(FindingSource.scanner).where(FindingSource.finding_id == django.id)
        ).all()
    assert sorted(sources) == ["dependabot", "osv-scanner", "trivy"]
    # Trivy stops reporting it: the other scanners still do, so it stays open.
    upload(sessions, pid, b'{"SchemaVersion": 2, "ArtifactName": ".", "Results": []}')
    with sessions() as session:
        assert session.get(Finding, django.id).status == "open"  # type: ignore[union-attr]


def test_a_dismissed_alert_and_a_vex_not_affected_are_recorded(
    sessions: sessionmaker[Session],
) -> None:
    pid = project(sessions)
    upload(sessions, pid, data("dependabot.json"))
    upload(sessions, pid, data("cyclonedx-vex.json"))
    with sessions() as session:
        rows = dict(session.execute(select(Finding.vuln_id, Finding.status)).all())
    assert rows["CVE-2023-32681"] == FindingStatus.ACCEPTED.value
    assert rows["CVE-2020-28493"] == FindingStatus.FALSE_POSITIVE.value
    assert rows["CVE-2022-34265"] == FindingStatus.OPEN.value


def test_sla_due_dates_follow_the_policy_and_overdue_is_queryable(
    sessions: sessionmaker[Session],
) -> None:
    pid = project(sessions)
    policy = SlaPolicy(critical=0, high=30, medium=90, low=180, info=None)
    upload(sessions, pid, data("trivy.json"), policy=policy)
    with sessions() as session:
        rows = {
            f.rule_id: f for f in session.scalars(select(Finding).where(Finding.project_id == pid))
        }
        crit = rows["CVE-2022-34265"]
        assert crit.sla_due is not None and crit.sla_due <= utcnow()
        high = rows["AVD-DS-0002"]
        assert high.sla_due is not None
        assert abs((high.sla_due - high.first_seen) - timedelta(days=30)) < timedelta(seconds=1)
        overdue = list_findings(session, ADMIN, FindingFilter(project="shop", overdue=True), 1, 50)
    assert sorted(f.rule_id for f in overdue.items) == ["CVE-2022-34265", "aws-access-key-id"]
    with sessions() as session:
        on_time = list_findings(session, ADMIN, FindingFilter(overdue=False), 1, 50)
    assert "CVE-2022-34265" not in {f.rule_id for f in on_time.items}
    assert on_time.total == 3


def test_shieldwall_json_then_sarif_of_the_same_scan_dedupe(
    sessions: sessionmaker[Session],
) -> None:
    pid = project(sessions)
    first = upload(sessions, pid, data("shieldwall.json"))
    second = upload(sessions, pid, data("shieldwall.sarif"))
    assert first.new == 21 and second.new == 0 and second.fixed == 0
