"""Channels and rules as the settings pages edit them (global admins). Never imports FastAPI."""

from __future__ import annotations

from dataclasses import dataclass

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from shieldwall.hub.audit.service import EventSpec, record
from shieldwall.hub.db.models import (
    NotificationChannel,
    NotificationDelivery,
    NotificationRuleRow,
    Project,
    Team,
)
from shieldwall.hub.errors import ConflictError, InvalidRequestError, NotFoundError
from shieldwall.hub.integrations.crypto import SecretBox
from shieldwall.hub.metrics.service import SEVERITIES
from shieldwall.hub.notify.channels import ChannelSpec, build_channel, seal_spec
from shieldwall.hub.notify.contract import EventKind, Notification
from shieldwall.hub.notify.delivery import deliver
from shieldwall.hub.permissions import Principal, require_global_admin

# Events a rule can name; mentions go to the mentioned user, tests to the channel tested.
RULE_EVENTS = tuple(e for e in EventKind if e not in (EventKind.MENTION, EventKind.TEST))


@dataclass(frozen=True, slots=True)
class RuleSpec:
    """A rule as entered in the form: names, resolved to ids when stored."""

    channel: str
    event: EventKind
    project: str | None = None
    team: str | None = None
    min_severity: str = "info"


def create_channel(
    session: Session, principal: Principal, spec: ChannelSpec, box: SecretBox
) -> NotificationChannel:
    """Store a channel; its credentials are sealed."""
    require_global_admin(principal)
    name = spec.name.strip()
    if not name or len(name) > 150:
        raise InvalidRequestError("a channel name has 1 to 150 characters")
    if session.scalar(select(NotificationChannel.id).where(NotificationChannel.name == name)):
        raise ConflictError(f"a channel named {name!r} exists")
    config, secret = seal_spec(spec, box)
    row = NotificationChannel(
        name=name, kind=spec.kind.value, config=config, secret=secret, created_by=principal.username
    )
    session.add(row)
    session.flush()
    record(
        session,
        EventSpec(
            actor=principal.username,
            action="channel.created",
            object_type="channel",
            object_id=str(row.id),
            details={"name": name, "kind": spec.kind.value, "target": config["target"]},
        ),
    )
    return row


def delete_channel(session: Session, principal: Principal, channel_id: int) -> None:
    """Delete a channel and its rules."""
    require_global_admin(principal)
    row = session.get(NotificationChannel, channel_id)
    if row is None:
        raise NotFoundError("no such channel")
    session.delete(row)
    record(
        session,
        EventSpec(
            actor=principal.username,
            action="channel.deleted",
            object_type="channel",
            object_id=str(channel_id),
            details={"name": row.name},
        ),
    )


def create_rule(session: Session, principal: Principal, spec: RuleSpec) -> NotificationRuleRow:
    """Store a rule; the project or team (at most one) narrows it."""
    require_global_admin(principal)
    if spec.event not in RULE_EVENTS:
        raise InvalidRequestError(f"rules cannot select {spec.event.value!r}")
    if spec.min_severity not in SEVERITIES:
        raise InvalidRequestError(f"severity must be one of {', '.join(SEVERITIES)}")
    if spec.project and spec.team:
        raise InvalidRequestError("a rule names a project or a team, not both")
    channel_id = session.scalar(
        select(NotificationChannel.id).where(NotificationChannel.name == spec.channel)
    )
    if channel_id is None:
        raise NotFoundError(f"no channel {spec.channel!r}")
    project_id = team_id = None
    if spec.project:
        project_id = session.scalar(select(Project.id).where(Project.name == spec.project))
        if project_id is None:
            raise NotFoundError(f"no project {spec.project!r}")
    if spec.team:
        team_id = session.scalar(select(Team.id).where(Team.name == spec.team))
        if team_id is None:
            raise NotFoundError(f"no team {spec.team!r}")
    row = NotificationRuleRow(
        channel_id=channel_id,
        event=spec.event.value,
        project_id=project_id,
        team_id=team_id,
        min_severity=spec.min_severity,
    )
    session.add(row)
    session.flush()
    record(
        session,
        EventSpec(
            actor=principal.username,
            action="notification_rule.created",
            object_type="notification_rule",
            object_id=str(row.id),
            project_id=project_id,
            details={"event": spec.event.value, "channel": spec.channel},
        ),
    )
    return row


def delete_rule(session: Session, principal: Principal, rule_id: int) -> None:
    """Delete a rule."""
    require_global_admin(principal)
    row = session.get(NotificationRuleRow, rule_id)
    if row is None:
        raise NotFoundError("no such rule")
    session.delete(row)
    record(
        session,
        EventSpec(
            actor=principal.username,
            action="notification_rule.deleted",
            object_type="notification_rule",
            object_id=str(rule_id),
        ),
    )


def list_channels(session: Session) -> list[NotificationChannel]:
    """Every channel, by name."""
    return list(session.scalars(select(NotificationChannel).order_by(NotificationChannel.name)))


def list_rules(session: Session) -> list[NotificationRuleRow]:
    """Every rule, oldest first."""
    return list(session.scalars(select(NotificationRuleRow).order_by(NotificationRuleRow.id)))


def recent_deliveries(session: Session, limit: int = 100) -> list[NotificationDelivery]:
    """The newest entries of the delivery log."""
    return list(
        session.scalars(
            select(NotificationDelivery).order_by(NotificationDelivery.id.desc()).limit(limit)
        )
    )


def send_test(
    sessions: sessionmaker[Session],
    principal: Principal,
    channel_id: int,
    box: SecretBox,
    client: httpx.Client,
) -> int:
    """Send one test message now (one attempt); returns its delivery log id."""
    require_global_admin(principal)
    with sessions() as session:
        row = session.get(NotificationChannel, channel_id)
        if row is None:
            raise NotFoundError("no such channel")
        session.expunge(row)
    note = Notification(
        EventKind.TEST, "shieldwall", f"test message from {principal.username}: this channel works"
    )
    return deliver(sessions, build_channel(row, box, client), note, attempts=1)
