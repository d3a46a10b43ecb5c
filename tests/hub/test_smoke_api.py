"""End-to-end through HTTP: upload, list, triage, metrics, audit."""

from __future__ import annotations

from tests.hub.conftest import World, data


def test_upload_list_triage_roundtrip(world: World) -> None:
    client = world.client
    response = client.post(
        "/api/v1/projects/shop/scans?branch=main",
        content=data("bandit.json"),
        headers=world.auth("developer"),
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["format"] == "bandit" and body["new"] == 6 and body["duplicate"] is False

    listed = client.get(
        "/api/v1/findings?project=shop&status=open&severity=high", headers=world.auth("viewer")
    ).json()
    assert listed["total"] == 1 and listed["page"] == 1 and listed["page_size"] == 50
    finding = listed["items"][0]
    assert finding["rule_id"] == "B602" and finding["cwe"] == "CWE-78"

    triaged = client.post(
        f"/api/v1/findings/{finding['id']}/triage",
        json={"action": "false_positive", "reason": "input is a constant"},
        headers=world.auth("security"),
    )
    assert triaged.status_code == 200, triaged.text
    assert triaged.json() == {"changed": [finding["id"]]}
    detail = client.get(f"/api/v1/findings/{finding['id']}", headers=world.auth("viewer")).json()
    assert detail["status"] == "false_positive"
    assert [e["action"] for e in detail["history"]] == ["finding.status_changed"]

    metrics = client.get("/api/v1/metrics?project=shop", headers=world.auth("viewer")).json()
    assert metrics["open_by_severity"]["high"] == 0
    assert metrics["open_by_severity"]["medium"] == 2
    verify = client.get("/api/v1/audit/verify", headers=world.auth("global-admin")).json()
    assert verify["ok"] is True and verify["checked"] > 5
