"""The hub refuses risk acceptances that break the organisation policy (issue 14)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from shieldwall.ci.orgpolicy import PolicyError
from shieldwall.hub.app import create_app
from shieldwall.hub.db.engine import transaction
from shieldwall.hub.db.models import Team, TeamMember, User
from shieldwall.hub.settings import HubSettings
from tests.hub.conftest import World, build_world, data

POLICY = """\
version: 1
suppressions:
  require_reason: true
  max_expiry_days: 90
  restricted:
    - {rules: ["B602"], approvers: [appsec]}
"""


@pytest.fixture
def governed(sqlite_url: str, tmp_path: Path) -> Iterator[World]:
    policy = tmp_path / "policy.yaml"
    policy.write_text(POLICY)
    yield from build_world(sqlite_url, policy_file=policy)


def _findings(world: World) -> dict[str, int]:
    upload = world.client.post(
        "/api/v1/projects/shop/scans?branch=main",
        content=data("bandit.json"),
        headers=world.auth("developer"),
    )
    assert upload.status_code == 201, upload.text
    listed = world.client.get(
        "/api/v1/findings?project=shop&page_size=100", headers=world.auth("viewer")
    ).json()
    return {item["rule_id"]: item["id"] for item in listed["items"]}


def _accept(world: World, finding: int, days: int | None, who: str = "security"):  # type: ignore[no-untyped-def]
    body: dict[str, object] = {"action": "accept_risk", "reason": "isolated host"}
    if days is not None:
        body["expires_at"] = (datetime.now(UTC) + timedelta(days=days)).isoformat()
    return world.client.post(
        f"/api/v1/findings/{finding}/triage", json=body, headers=world.auth(who)
    )


def test_acceptance_without_expiry_or_too_long_is_refused(governed: World) -> None:
    ids = _findings(governed)
    other = next(fid for rule, fid in ids.items() if rule != "B602")
    for days in (None, 365):
        refused = _accept(governed, other, days)
        assert refused.status_code == 422, refused.text
        assert "organisation policy refuses" in refused.json()["detail"]
    accepted = _accept(governed, other, 30)
    assert accepted.status_code == 200, accepted.text
    detail = governed.client.get(
        f"/api/v1/findings/{other}", headers=governed.auth("viewer")
    ).json()
    assert detail["status"] == "accepted"


def test_restricted_rules_need_an_approver_named_by_the_policy(governed: World) -> None:
    ids = _findings(governed)
    refused = _accept(governed, ids["B602"], 30)
    assert refused.status_code == 422
    assert "B602 may only be accepted on the hub by appsec" in refused.json()["detail"]
    with transaction(governed.sessions) as session:
        user = session.scalars(select(User).where(User.username == "security")).one()
        team = Team(name="appsec")
        session.add(team)
        session.flush()
        session.add(TeamMember(team_id=team.id, user_id=user.id))
    assert _accept(governed, ids["B602"], 30).status_code == 200


def test_a_bulk_request_is_refused_whole(governed: World) -> None:
    ids = _findings(governed)
    body = {
        "finding_ids": list(ids.values()),
        "action": "accept_risk",
        "reason": "isolated host",
        "expires_at": (datetime.now(UTC) + timedelta(days=30)).isoformat(),
    }
    refused = governed.client.post("/api/v1/triage", json=body, headers=governed.auth("security"))
    assert refused.status_code == 422  # B602 is restricted: nothing changes
    listed = governed.client.get(
        "/api/v1/findings?project=shop&status=accepted", headers=governed.auth("viewer")
    ).json()
    assert listed["total"] == 0


def test_without_a_policy_acceptances_follow_the_hub_rules_only(world: World) -> None:
    ids = _findings(world)
    assert _accept(world, ids["B602"], None).status_code == 200


def test_a_malformed_policy_stops_the_hub_before_serving(tmp_path: Path) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text("suppressions:\n  max_expiry_days: -1\n")
    with pytest.raises(PolicyError, match=r"policy\.yaml:2:"):
        create_app(HubSettings(database_url="sqlite://", policy_file=policy))
