"""Per-branch status, and counters that always equal a recomputation (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from shieldwall.hub.db.engine import transaction
from shieldwall.hub.db.models import Finding, FindingCount, FindingDaily
from shieldwall.hub.db.types import utcnow
from shieldwall.hub.findings.service import FindingFilter, branch_states, list_findings
from shieldwall.hub.metrics.counters import rebuild
from shieldwall.hub.scans.lifecycle import expire_acceptances
from shieldwall.hub.triage.service import TriageAction, TriageRequest, triage
from tests.hub.conftest import World
from tests.hub.test_lifecycle import ADMIN, finding_id, project, sarif, statuses, upload


def on_branch(
    sessions: sessionmaker[Session], branch: str, status: str | None = None
) -> dict[str, tuple[str, bool]]:
    """Rule id -> (status on the branch, regression on the branch) of findings listed for it."""
    flt = FindingFilter(project="shop", branch=branch, status=(status,) if status else ())
    with sessions() as session:
        page = list_findings(session, ADMIN, flt, 1, 100)
        states = branch_states(session, page.items, branch, "shop")
        return {f.rule_id: states[f.id] for f in page.items}


def test_fixed_on_a_feature_branch_is_still_open_on_main(sessions: sessionmaker[Session]) -> None:
    pid = project(sessions)
    upload(sessions, pid, sarif("A", "B"), branch="main")
    feature = upload(sessions, pid, sarif("A", "B", salt="f1"), branch="feature")
    assert feature.new == 2  # new to the branch, though not to the project
    fixed = upload(sessions, pid, sarif("A", salt="f2"), branch="feature")
    assert fixed.fixed == 1
    # B is fixed on the feature branch but main still has it: open project-wide.
    assert statuses(sessions, pid)["B"] == ("open", False)
    assert on_branch(sessions, "feature") == {"A": ("open", False), "B": ("fixed", False)}
    assert on_branch(sessions, "main") == {"A": ("open", False), "B": ("open", False)}
    assert set(on_branch(sessions, "feature", "fixed")) == {"B"}
    assert set(on_branch(sessions, "feature", "open")) == {"A"}
    assert set(on_branch(sessions, "main", "fixed")) == set()
    # Main fixes B too: now it is fixed everywhere.
    assert upload(sessions, pid, sarif("A", salt="m2"), branch="main").fixed == 1
    assert statuses(sessions, pid)["B"] == ("fixed", False)
    # B comes back on the feature branch: a regression there (and project-wide), not on main.
    back = upload(sessions, pid, sarif("A", "B", salt="f3"), branch="feature")
    assert (back.new, back.reopened, back.fixed) == (0, 1, 0)
    assert statuses(sessions, pid)["B"] == ("open", True)
    assert on_branch(sessions, "feature")["B"] == ("open", True)
    assert on_branch(sessions, "main")["B"] == ("fixed", False)


def test_back_on_one_branch_only_is_a_branch_regression(sessions: sessionmaker[Session]) -> None:
    pid = project(sessions)
    upload(sessions, pid, sarif("A"), branch="main")
    upload(sessions, pid, sarif("A", salt="1"), branch="feature")
    upload(sessions, pid, sarif(salt="2"), branch="feature")  # fixed on feature only
    again = upload(sessions, pid, sarif("A", salt="3"), branch="feature")
    assert again.reopened == 1  # back on the feature branch
    assert statuses(sessions, pid)["A"] == ("open", False)  # never fixed project-wide
    assert on_branch(sessions, "feature")["A"] == ("open", True)
    with sessions() as session:
        flt = FindingFilter(project="shop", branch="feature", regression=True)
        assert list_findings(session, ADMIN, flt, 1, 10).total == 1
        flt = FindingFilter(project="shop", branch="main", regression=True)
        assert list_findings(session, ADMIN, flt, 1, 10).total == 0


def test_a_branch_lists_only_what_it_reported(sessions: sessionmaker[Session]) -> None:
    pid = project(sessions)
    upload(sessions, pid, sarif("A"), branch="main")
    upload(sessions, pid, sarif("B"), branch="feature")
    assert set(on_branch(sessions, "main")) == {"A"}
    assert set(on_branch(sessions, "feature")) == {"B"}
    assert on_branch(sessions, "nope") == {}


def test_triage_decisions_hold_on_every_branch(sessions: sessionmaker[Session]) -> None:
    pid = project(sessions)
    upload(sessions, pid, sarif("A"), branch="main")
    upload(sessions, pid, sarif("A", salt="1"), branch="feature")
    with transaction(sessions) as session:
        request = TriageRequest([finding_id(sessions, "A")], TriageAction.FALSE_POSITIVE, "test")
        triage(session, ADMIN, request)
    upload(sessions, pid, sarif(salt="2"), branch="feature")
    assert on_branch(sessions, "feature")["A"][0] == "false_positive"
    assert on_branch(sessions, "main")["A"][0] == "false_positive"


def _counters(session: Session) -> tuple[dict[Any, int], dict[Any, tuple[Any, ...]]]:
    counts = {
        (r.project_id, r.status, r.severity, r.scanner, r.rule_id): r.count
        for r in session.scalars(select(FindingCount))
        if r.count
    }
    daily = {
        (r.project_id, r.day): (r.due_open, r.fixed, r.fixed_late, round(r.fix_days, 6), r.new)
        for r in session.scalars(select(FindingDaily))
        if (r.due_open, r.fixed, r.fixed_late, r.new) != (0, 0, 0, 0)
    }
    return counts, daily


def test_maintained_counters_equal_a_rebuild(sessions: sessionmaker[Session]) -> None:
    pid = project(sessions)
    upload(sessions, pid, sarif("A", "B", "C", "D"))
    upload(sessions, pid, sarif("A", "B", salt="1"))  # C, D fixed
    upload(sessions, pid, sarif("A", "B", "C", salt="2"))  # C back
    upload(sessions, pid, sarif("E", tool="bandit"), complete=False)
    with transaction(sessions) as session:
        accept = TriageRequest(
            [finding_id(sessions, "A")],
            TriageAction.ACCEPT_RISK,
            "later",
            expires_at=utcnow() + timedelta(days=1),
        )
        triage(session, ADMIN, accept)
        triage(
            session,
            ADMIN,
            TriageRequest([finding_id(sessions, "B")], TriageAction.CONFIRM),
        )
    with transaction(sessions) as session:
        expire_acceptances(session, utcnow() + timedelta(days=3650))
    with sessions() as session:
        maintained = _counters(session)
    assert maintained[0]  # something was counted
    with transaction(sessions) as session:
        rebuild(session)
    with sessions() as session:
        assert _counters(session) == maintained
    # The totals the list answers from the counters agree with counting the findings.
    with sessions() as session:
        for flt in (
            FindingFilter(project="shop", status=("open",)),
            FindingFilter(status=("fixed", "confirmed")),
            FindingFilter(project="shop", severity=("high",), rule="C"),
        ):
            counted = list_findings(session, ADMIN, flt, 1, 500)
            assert counted.total == len(counted.items)


def test_deleting_a_branch_fixes_what_only_it_reported(world: World) -> None:
    headers = world.auth("admin")
    post = world.client.post
    post("/api/v1/projects/shop/scans?branch=main", content=sarif("A"), headers=headers)
    post("/api/v1/projects/shop/scans?branch=feature", content=sarif("A", "B"), headers=headers)
    assert (
        world.client.delete(
            "/api/v1/projects/shop/branches/feature", headers=world.auth("security")
        ).status_code
        == 403
    )
    deleted = world.client.delete("/api/v1/projects/shop/branches/feature", headers=headers)
    assert deleted.status_code == 204
    listed = world.client.get("/api/v1/findings?project=shop", headers=headers).json()["items"]
    assert {f["rule_id"]: f["status"] for f in listed} == {"A": "open", "B": "fixed"}
    assert (
        world.client.get("/api/v1/findings?project=shop&branch=feature", headers=headers).json()[
            "total"
        ]
        == 0
    )
    missing = world.client.delete("/api/v1/projects/shop/branches/nope", headers=headers)
    assert missing.status_code == 404
    # Uploading to the name again starts afresh: B is back (a regression project-wide).
    again = post(
        "/api/v1/projects/shop/scans?branch=feature",
        content=sarif("A", "B", salt="2"),
        headers=headers,
    )
    assert again.json()["new"] == 2
    with world.sessions() as session:
        rows = session.execute(select(Finding.rule_id, Finding.status, Finding.regression)).all()
        assert sorted(tuple(r) for r in rows) == [("A", "open", False), ("B", "open", True)]
        maintained = _counters(session)
    with transaction(world.sessions) as session:
        rebuild(session)
    with world.sessions() as session:
        assert _counters(session) == maintained
