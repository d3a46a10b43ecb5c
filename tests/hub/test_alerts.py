"""Monitoring alerts in the hub: idempotent ingest, list, detail, acknowledge/resolve, links,
permissions; and the monitor's ``hub`` sink against a real hub on 127.0.0.1."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from sqlalchemy import select
from typer.testing import CliRunner

from shieldwall.cli.app import app
from shieldwall.core.severity import Severity
from shieldwall.hub.db.engine import transaction
from shieldwall.hub.db.models import AuditEvent, Finding, Project
from shieldwall.hub.enums import TokenScope
from shieldwall.hub.settings import HubSettings
from shieldwall.monitor.alerts import Alert
from shieldwall.monitor.errors import SinkError
from shieldwall.monitor.event import Event, LogSource
from shieldwall.monitor.sinks import HubSink
from shieldwall.secretstore.fingerprints import fingerprint_values, save_fingerprints
from tests.hub.conftest import World, data
from tests.monitor.conftest import LOGS
from tests.servers.hub_server import running_hub

INGEST = "/api/v1/projects/shop/alerts"


def _alert(line: int = 1, count: int = 1, ip: str = "203.0.113.9") -> Alert:
    event = Event.create(
        source="auth.log",
        line=line,
        raw=f"Failed password for root from {ip} port 22 ssh2",
        logsource=LogSource.of("linux", ("sshd",)),
        fields={"source.ip": ip, "event.outcome": "failure"},
        timestamp=datetime(2026, 11, 29, 10, 0, line, tzinfo=UTC),
    )
    return Alert(
        rule_id="SW-MON-001",
        rule_title="SSH brute force",
        severity=Severity.HIGH,
        source="auth.log",
        entity=f"source.ip={ip}",
        first_seen=event.timestamp,
        last_seen=event.timestamp,
        events=[event],
        count=count,
    )


def _post(world: World, alerts: list[Alert], who: str = "developer") -> httpx.Response:
    body: dict[str, Any] = {"alerts": [a.to_json() for a in alerts]}
    return world.client.post(INGEST, json=body, headers=world.auth(who))


def test_ingest_is_idempotent_on_the_alert_key(world: World) -> None:
    first = _post(world, [_alert(1), _alert(1, ip="198.51.100.7")])
    assert first.status_code == 201, first.text
    assert first.json() == {"created": 2, "updated": 0}
    grown = _alert(1, count=7)
    grown.events.append(_alert(2).events[0])
    again = _post(world, [grown])
    assert again.status_code == 200
    assert again.json() == {"created": 0, "updated": 1}
    page = world.client.get("/api/v1/alerts", headers=world.auth("viewer")).json()
    assert page["total"] == 2
    stored = next(a for a in page["items"] if a["entity"] == "source.ip=203.0.113.9")
    assert stored["count"] == 7
    assert stored["status"] == "open"
    detail = world.client.get(f"/api/v1/alerts/{stored['id']}", headers=world.auth("viewer"))
    events = detail.json()["events"]
    assert [e["line"] for e in events] == [1, 2]
    assert events[0]["fields"]["source.ip"] == "203.0.113.9"
    assert "Failed password" in events[0]["raw"]


def test_acknowledge_resolve_reopen_and_audit(world: World) -> None:
    _post(world, [_alert()])
    alert_id = world.client.get("/api/v1/alerts", headers=world.auth("viewer")).json()["items"][0][
        "id"
    ]
    url = f"/api/v1/alerts/{alert_id}"
    assert world.client.post(f"{url}/acknowledge", headers=world.auth("viewer")).status_code == 403
    acked = world.client.post(f"{url}/acknowledge", headers=world.auth("security")).json()
    assert acked["status"] == "acknowledged"
    assert acked["acknowledged_by"] == "security"
    resolved = world.client.post(
        f"{url}/resolve", json={"note": "blocked at the firewall"}, headers=world.auth("security")
    ).json()
    assert (resolved["status"], resolved["resolution"]) == ("resolved", "blocked at the firewall")
    refused = world.client.post(f"{url}/acknowledge", headers=world.auth("security"))
    assert refused.status_code == 422
    assert world.client.post(f"{url}/reopen", headers=world.auth("security")).json()["status"] == (
        "open"
    )
    listed = world.client.get("/api/v1/alerts?status=resolved", headers=world.auth("viewer")).json()
    assert listed["total"] == 0
    with world.sessions() as session:
        actions = session.scalars(
            select(AuditEvent.action).where(AuditEvent.object_type == "monitor_alert")
        ).all()
    assert actions == ["alert.acknowledged", "alert.resolved", "alert.open"]


def test_link_to_a_finding_of_the_same_project_only(world: World) -> None:
    upload = world.client.post(
        "/api/v1/projects/shop/scans?format=sarif",
        content=data("semgrep.sarif"),
        headers=world.auth("developer"),
    )
    assert upload.status_code in (201, 202), upload.text
    _post(world, [_alert()])
    alert_id = world.client.get("/api/v1/alerts", headers=world.auth("viewer")).json()["items"][0][
        "id"
    ]
    with world.sessions() as session:
        finding_id = session.scalars(select(Finding.id)).first()
        with transaction(world.sessions) as tx:
            other = tx.scalars(select(Project).where(Project.name == "other")).one()
            other_id = other.id
    assert finding_id is not None
    url = f"/api/v1/alerts/{alert_id}/findings"
    linked = world.client.post(url, json={"finding_id": finding_id}, headers=world.auth("security"))
    assert linked.status_code == 200, linked.text
    assert [f["id"] for f in linked.json()["findings"]] == [finding_id]
    twice = world.client.post(url, json={"finding_id": finding_id}, headers=world.auth("security"))
    assert len(twice.json()["findings"]) == 1
    missing = world.client.post(url, json={"finding_id": 999999}, headers=world.auth("security"))
    assert missing.status_code == 404
    gone = world.client.delete(f"{url}/{finding_id}", headers=world.auth("security"))
    assert gone.json()["findings"] == []
    assert other_id != 0


def test_other_projects_alerts_are_invisible(world: World) -> None:
    _post(world, [_alert()])
    alert_id = world.client.get("/api/v1/alerts", headers=world.auth("viewer")).json()["items"][0][
        "id"
    ]
    outsider = world.auth("outsider")
    assert world.client.get("/api/v1/alerts", headers=outsider).json()["total"] == 0
    assert world.client.get(f"/api/v1/alerts/{alert_id}", headers=outsider).status_code == 404
    assert _post(world, [_alert()], who="outsider").status_code == 404
    assert _post(world, [_alert()], who="viewer").status_code == 403


def test_ingest_rejects_malformed_alerts(world: World) -> None:
    bad = {"alerts": [{"key": "x", "rule_id": "", "severity": "urgent"}]}
    response = world.client.post(INGEST, json=bad, headers=world.auth("developer"))
    assert response.status_code == 422
    assert world.client.get("/api/v1/alerts", headers=world.auth("viewer")).json()["total"] == 0


def test_hub_sink_delivers_to_a_real_hub(sqlite_world: World, sqlite_url: str) -> None:
    token = sqlite_world.token("developer", TokenScope.UPLOAD, "shop")
    settings = HubSettings(database_url=sqlite_url, migrate_on_start=False)  # type: ignore[call-arg]
    with running_hub(settings) as base, httpx.Client(timeout=10) as client:
        sink = HubSink.to_project(client, base, "shop", token)
        sink.send([_alert(1), _alert(2, ip="192.0.2.1")])
        sink.send([_alert(1, count=3)])  # a retry of a grown alert: merged, not added
        sink.close()
        assert sink.pending == 0
        listed = client.get(
            f"{base}/api/v1/alerts", headers={"Authorization": f"Bearer {token}"}
        ).json()
        assert listed["total"] == 2
        assert sorted(a["count"] for a in listed["items"]) == [1, 3]
        denied = HubSink.to_project(client, base, "other", token)
        with pytest.raises(SinkError, match="HTTP 404"):
            denied.send([_alert()])


def test_monitor_run_posts_alerts_to_the_hub(
    sqlite_world: World, sqlite_url: str, tmp_path: Path
) -> None:
    """End to end: ``monitor run`` reads a real sshd log and its hub sink stores the alerts."""
    token = sqlite_world.token("developer", TokenScope.UPLOAD, "shop")
    settings = HubSettings(database_url=sqlite_url, migrate_on_start=False)  # type: ignore[call-arg]
    shutil.copy(LOGS / "openssh.log", tmp_path / "auth.log")
    with running_hub(settings) as base:
        config = tmp_path / "monitor.yaml"
        config.write_text(
            yaml.safe_dump(
                {
                    "sources": [{"path": "auth.log"}],
                    "year": 2026,
                    "sinks": [{"kind": "hub", "url": base, "project": "shop"}],
                }
            )
        )
        runner = CliRunner(env={"SHIELDWALL_HUB_TOKEN": token})
        for _ in range(2):  # the second run reads nothing new: no duplicates either way
            result = runner.invoke(app, ["monitor", "run", "--config", str(config), "--once"])
            assert result.exit_code == 0, result.output
        listed = httpx.get(
            f"{base}/api/v1/alerts?page_size=500", headers={"Authorization": f"Bearer {token}"}
        ).json()
    assert listed["total"] > 0
    assert {a["rule_id"] for a in listed["items"]} >= {"SW-MON-001"}
    assert len({a["key"] for a in listed["items"]}) == listed["total"]


def test_a_stored_secret_in_a_log_reaches_the_hub_redacted(
    sqlite_world: World, sqlite_url: str, tmp_path: Path
) -> None:
    """SW-MON-900 through the hub sink: the alert names the secret; the hub never holds it."""
    value = "Zq8vN3xLpR2mWt7K"  # a made-up stored value (test only)
    save_fingerprints(
        fingerprint_values([("db/password", "team-data", value)]), tmp_path / "leaks.json"
    )
    (tmp_path / "app.log").write_text(f"Jan  1 10:00:00 host app[1]: login with {value}\n")
    token = sqlite_world.token("developer", TokenScope.UPLOAD, "shop")
    settings = HubSettings(database_url=sqlite_url, migrate_on_start=False)  # type: ignore[call-arg]
    auth = {"Authorization": f"Bearer {token}"}
    with running_hub(settings) as base:
        config = tmp_path / "monitor.yaml"
        config.write_text(
            yaml.safe_dump(
                {
                    "sources": [{"path": "app.log", "format": "syslog"}],
                    "year": 2026,
                    "leak_fingerprints": "leaks.json",
                    "sinks": [{"kind": "hub", "url": base, "project": "shop"}],
                }
            )
        )
        runner = CliRunner(env={"SHIELDWALL_HUB_TOKEN": token})
        result = runner.invoke(app, ["monitor", "run", "--config", str(config), "--once"])
        assert result.exit_code == 0, result.output
        listed = httpx.get(f"{base}/api/v1/alerts", headers=auth).json()
        (alert,) = listed["items"]
        detail = httpx.get(f"{base}/api/v1/alerts/{alert['id']}", headers=auth)
    assert alert["rule_id"] == "SW-MON-900" and alert["severity"] == "critical"
    assert "db/password" in alert["rule_title"] and "team-data" in alert["rule_title"]
    assert "[REDACTED:db/password]" in detail.text
    assert value not in detail.text and value not in result.output
    database = Path(sqlite_url.removeprefix("sqlite:///"))
    stored = list(database.parent.glob(database.name + "*"))  # the database, and a WAL if any
    assert stored and all(value.encode() not in f.read_bytes() for f in stored)
