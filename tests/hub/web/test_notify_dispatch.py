"""Stored channels and rules fire on their own: after imports (new, regression, fixed), on the
clock (SLA breaches, expiring acceptances: once each) and for @mentions; delivered to real HTTP
and SMTP servers on 127.0.0.1 and logged."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from shieldwall.hub.db.models import (
    Finding,
    NotificationChannel,
    NotificationDelivery,
    RiskAcceptance,
    Team,
    TeamMember,
    UserProfile,
)
from shieldwall.hub.db.types import utcnow
from shieldwall.hub.enums import FindingStatus, Role
from shieldwall.hub.errors import InvalidRequestError, PermissionDeniedError
from shieldwall.hub.integrations.crypto import SecretBox
from shieldwall.hub.jobs.followups import run_clock, run_periodic
from shieldwall.hub.notify.channels import ChannelKind, ChannelSpec
from shieldwall.hub.notify.config import RuleSpec, create_channel, create_rule
from shieldwall.hub.notify.contract import EventKind
from shieldwall.hub.notify.dispatch import mentioned_names, notify_mentions
from shieldwall.hub.permissions import Principal
from shieldwall.hub.triage.service import add_comment
from tests.hub.conftest import World, data
from tests.hub.web.conftest import (
    HUB_URL,
    SECRET_KEY,
    Mailbox,
    Receiver,
    bandit_subset,
    upload,
    wait_jobs,
)

ROOT = Principal(1, "root", Role.ADMIN)
BOX = SecretBox(SECRET_KEY.encode())


def _settings(world: World):  # type: ignore[no-untyped-def]
    return world.client.app.state.hub.settings  # type: ignore[attr-defined]


def _webhook(world: World, url: str, name: str = "hook") -> None:
    with world.sessions() as session:
        create_channel(
            session,
            ROOT,
            ChannelSpec(name=name, kind=ChannelKind.WEBHOOK, url=url, signing_key="k3y"),
            BOX,
        )
        session.commit()


def _rule(world: World, spec: RuleSpec) -> None:
    with world.sessions() as session:
        create_rule(session, ROOT, spec)
        session.commit()


def _deliveries(world: World) -> list[NotificationDelivery]:
    with world.sessions() as session:
        return list(session.scalars(select(NotificationDelivery).order_by(NotificationDelivery.id)))


def test_channel_secrets_are_sealed_and_validated(sworld: World) -> None:
    _webhook(sworld, "https://hooks.example.org/in/T0K3N?x=1")
    with sworld.sessions() as session:
        row = session.scalars(select(NotificationChannel)).one()
        assert row.config == {"target": "https://hooks.example.org"}
        assert "T0K3N" not in row.secret and "k3y" not in row.secret
        assert "T0K3N" in BOX.open(row.secret)
        for bad in (
            ChannelSpec(name="x", kind=ChannelKind.WEBHOOK, url="ftp://a", signing_key="k"),
            ChannelSpec(name="y", kind=ChannelKind.WEBHOOK, url="https://a.example"),
            ChannelSpec(name="z", kind=ChannelKind.EMAIL, smtp_host="h", sender="a@b.c"),
            ChannelSpec(
                name="w",
                kind=ChannelKind.EMAIL,
                smtp_host="h",
                sender="a@b.c",
                recipients=("x@y.z\r\nBcc: v@e.org",),
            ),
        ):
            with pytest.raises(InvalidRequestError):
                create_channel(session, ROOT, bad, BOX)
        with pytest.raises(PermissionDeniedError):
            create_channel(
                session, Principal(2, "viewer", None), ChannelSpec("v", ChannelKind.SLACK), BOX
            )
        with pytest.raises(InvalidRequestError):
            create_rule(session, ROOT, RuleSpec("hook", EventKind.MENTION))


def test_import_fires_new_fixed_and_regression(sworld: World, receiver: Receiver) -> None:
    _webhook(sworld, receiver.url + "/hook")
    _rule(sworld, RuleSpec("hook", EventKind.NEW_FINDINGS, project="shop", min_severity="medium"))
    _rule(sworld, RuleSpec("hook", EventKind.FIXED))
    _rule(sworld, RuleSpec("hook", EventKind.REGRESSION))
    _rule(sworld, RuleSpec("hook", EventKind.NEW_FINDINGS, project="other"))
    upload(sworld, data("bandit.json"))
    wait_jobs(sworld)
    bodies = [json.loads(body) for _, _, body in receiver.requests]
    assert [b["event"] for b in bodies] == ["new_findings"]
    severities = {f["severity"] for f in bodies[0]["findings"]}
    assert severities <= {"medium", "high", "critical"} and bodies[0]["project"] == "shop"
    assert bodies[0]["findings"][0]["url"].startswith(f"{HUB_URL}/findings/")
    assert bodies[0]["summary"] == f"{len(bodies[0]['findings'])} new findings"
    upload(sworld, bandit_subset(2))  # four fixed
    wait_jobs(sworld)
    fixed = json.loads(receiver.requests[-1][2])
    assert fixed["event"] == "fixed" and len(fixed["findings"]) == 4
    upload(sworld, bandit_subset(6))  # the four are back (a new document: not a re-upload)
    wait_jobs(sworld)
    back = json.loads(receiver.requests[-1][2])
    assert back["event"] == "regression" and len(back["findings"]) == 4
    log = _deliveries(sworld)
    assert [(d.event, d.status, d.channel_kind) for d in log] == [
        ("new_findings", "delivered", "webhook"),
        ("fixed", "delivered", "webhook"),
        ("regression", "delivered", "webhook"),
    ]


def test_team_rule_covers_the_teams_projects(sworld: World, receiver: Receiver) -> None:
    _webhook(sworld, receiver.url)
    with sworld.sessions() as session:
        team = Team(name="appsec")
        session.add(team)
        session.commit()
    _rule(sworld, RuleSpec("hook", EventKind.NEW_FINDINGS, team="appsec"))
    upload(sworld, data("bandit.json"))
    wait_jobs(sworld)
    assert receiver.requests == []  # the team holds no role on 'shop' yet
    from shieldwall.hub.db.models import ProjectMember

    with sworld.sessions() as session:
        from shieldwall.hub.db.models import Project

        team_id = session.scalars(select(Team.id)).one()
        shop = session.scalars(select(Project.id).where(Project.name == "shop")).one()
        session.add(ProjectMember(project_id=shop, team_id=team_id, role="viewer"))
        session.commit()
    upload(sworld, data("gitleaks.json"))
    wait_jobs(sworld)
    assert len(receiver.requests) == 1


def test_clock_tells_each_breach_and_expiry_once(
    sworld: World, receiver: Receiver, smtp: tuple[Mailbox, int]
) -> None:
    box, port = smtp
    with sworld.sessions() as session:
        create_channel(
            session,
            ROOT,
            ChannelSpec(
                name="mail",
                kind=ChannelKind.EMAIL,
                smtp_host="127.0.0.1",
                smtp_port=port,
                sender="hub@example.org",
                recipients=("sec@example.org",),
            ),
            BOX,
        )
        session.commit()
    _webhook(sworld, receiver.url)
    _rule(sworld, RuleSpec("mail", EventKind.SLA_BREACH, project="shop"))
    _rule(sworld, RuleSpec("hook", EventKind.ACCEPTANCE_EXPIRING))
    upload(sworld, data("bandit.json"))
    wait_jobs(sworld)
    now = utcnow()
    with sworld.sessions() as session:
        ids = list(session.scalars(select(Finding.id).order_by(Finding.id)))
        session.execute(
            update(Finding).where(Finding.id.in_(ids[:2])).values(sla_due=now - timedelta(days=1))
        )
        session.execute(
            update(Finding).where(Finding.id == ids[5]).values(status=FindingStatus.ACCEPTED.value)
        )
        session.add(
            RiskAcceptance(
                finding_id=ids[5], justification="ok", expires_at=now + timedelta(days=3)
            )
        )
        session.commit()
    first = run_clock(sworld.sessions, _settings(sworld), now)
    assert first["notifications"] == 2
    assert len(box.messages) == 1 and "2 findings past their SLA" in box.messages[0][2].decode()
    expiring = json.loads(receiver.requests[0][2])
    assert expiring["event"] == "acceptance_expiring" and expiring["findings"][0]["id"] == ids[5]
    assert run_clock(sworld.sessions, _settings(sworld), now)["notifications"] == 0
    with sworld.sessions() as session:
        session.execute(
            update(Finding).where(Finding.id == ids[2]).values(sla_due=now - timedelta(hours=1))
        )
        session.commit()
    assert run_clock(sworld.sessions, _settings(sworld), now)["notifications"] == 1
    assert "1 findings past their SLA" in box.messages[-1][2].decode()
    # The periodic job runs maintenance (which recomputes due dates) and then the clock.
    summary = run_periodic(sworld.sessions, _settings(sworld), now)
    assert {"expired", "sla_recomputed", "notifications"} <= set(summary)


def test_unreachable_channel_is_logged_failed(sworld: World) -> None:
    _webhook(sworld, "http://127.0.0.1:9/hook")
    _rule(sworld, RuleSpec("hook", EventKind.NEW_FINDINGS))
    upload(sworld, data("bandit.json"))
    wait_jobs(sworld)
    (entry,) = _deliveries(sworld)
    assert entry.status == "failed" and entry.attempts == 3 and "ConnectError" in entry.last_error


def test_mentions(sworld: World, smtp: tuple[Mailbox, int], receiver: Receiver) -> None:
    assert mentioned_names("hi @developer, @security. mail a@b.c @@x @developer") == [
        "developer",
        "security",
    ]
    box, port = smtp
    with sworld.sessions() as session:
        create_channel(
            session,
            ROOT,
            ChannelSpec(
                name="mail",
                kind=ChannelKind.EMAIL,
                smtp_host="127.0.0.1",
                smtp_port=port,
                sender="hub@example.org",
                recipients=("team@example.org",),
            ),
            BOX,
        )
        session.commit()
    _webhook(sworld, receiver.url, name="personal")
    upload(sworld, data("bandit.json"))
    wait_jobs(sworld)
    with sworld.sessions() as session:
        users = {str(u): int(i) for u, i in session.execute(select_users()).all()}
        hook = session.scalars(
            select(NotificationChannel.id).where(NotificationChannel.name == "personal")
        ).one()
        session.add(UserProfile(user_id=users["developer"], email="dev@example.org"))
        session.add(UserProfile(user_id=users["security"], email="", channel_id=hook))
        session.add(UserProfile(user_id=users["outsider"], email="out@example.org"))
        session.add(TeamMember(team_id=_team(session), user_id=users["viewer"]))
        fid = session.scalars(select(Finding.id)).first()
        assert fid is not None
        comment = add_comment(
            session,
            Principal(users["admin"], "admin", None),
            fid,
            "@developer @security @outsider @admin please look",
        )
        session.commit()
        comment_id = comment.id
    sent = notify_mentions(sworld.sessions, _settings(sworld), comment_id)
    assert len(sent) == 2  # the outsider cannot see 'shop'; the author is not told
    (mail,) = box.messages
    assert mail[1] == ["dev@example.org"] and "admin mentioned you" in mail[2].decode()
    assert "please look" in mail[2].decode()
    hooked = json.loads(receiver.requests[0][2])
    assert hooked["event"] == "mention" and hooked["extra"]["author"] == "admin"


def select_users():  # type: ignore[no-untyped-def]
    from shieldwall.hub.db.models import User

    return select(User.username, User.id)


def _team(session) -> int:  # type: ignore[no-untyped-def]
    team = Team(name="readers")
    session.add(team)
    session.flush()
    return team.id


def test_mention_through_the_api_comment(sworld: World, receiver: Receiver) -> None:
    _webhook(sworld, receiver.url, name="personal")
    upload(sworld, data("bandit.json"))
    with sworld.sessions() as session:
        from shieldwall.hub.db.models import User

        viewer = session.scalars(select(User.id).where(User.username == "viewer")).one()
        hook = session.scalars(select(NotificationChannel.id)).one()
        session.add(UserProfile(user_id=viewer, email="", channel_id=hook))
        fid = session.scalars(select(Finding.id)).first()
        session.commit()
    response = sworld.client.post(
        f"/api/v1/findings/{fid}/comments",
        json={"body": "ping @viewer"},
        headers=sworld.auth("developer"),
    )
    assert response.status_code == 201, response.text
    wait_jobs(sworld)
    (request,) = receiver.requests
    sent = json.loads(request[2])
    assert sent["event"] == "mention" and sent["extra"]["comment"] == "ping @viewer"
