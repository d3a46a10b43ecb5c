"""Fire the stored rules: after a scan import (new findings, regressions, fixed), on the clock
(SLA breaches, risk acceptances about to expire) and for @mentions in comments.

Planning reads the database in one short transaction; delivery (network, retries, backoff)
happens afterwards, outside it, each attempt logged by :func:`deliver`. Clock events are marked
per rule and finding, so the hourly job tells about a breach once. Never imports FastAPI.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

import httpx
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, sessionmaker

from shieldwall.hub.db.engine import transaction
from shieldwall.hub.db.models import (
    Comment,
    Finding,
    NotificationChannel,
    NotificationDelivery,
    NotificationMark,
    NotificationRuleRow,
    Project,
    ProjectMember,
    RiskAcceptance,
    Scan,
    User,
    UserProfile,
)
from shieldwall.hub.db.types import utcnow
from shieldwall.hub.enums import FindingStatus, Permission, Role
from shieldwall.hub.errors import HubError
from shieldwall.hub.integrations.crypto import SecretBox
from shieldwall.hub.notify.channels import ChannelKind, build_channel
from shieldwall.hub.notify.contract import EventKind, FindingRef, Notification
from shieldwall.hub.notify.delivery import DeliveryStatus, deliver
from shieldwall.hub.notify.rules import NotificationRule, events_for_scan, sla_breaches
from shieldwall.hub.permissions import Principal, permissions
from shieldwall.hub.settings import HubSettings

log = logging.getLogger(__name__)
EXPIRY_HORIZON = timedelta(days=7)
# A mention is '@name' not preceded by a word character (so e-mail addresses are not mentions).
MENTION = re.compile(r"(?<![\w@.])@([A-Za-z0-9][A-Za-z0-9_.\-]{0,149})")
_SUMMARY = {
    EventKind.NEW_FINDINGS: "{n} new findings",
    EventKind.REGRESSION: "{n} findings are back",
    EventKind.FIXED: "{n} findings fixed",
    EventKind.SLA_BREACH: "{n} findings past their SLA",
    EventKind.ACCEPTANCE_EXPIRING: "{n} risk acceptances expire within 7 days",
}


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One notification for one stored channel (``recipients`` overrides an e-mail list)."""

    channel_id: int
    notification: Notification
    recipients: tuple[str, ...] | None = None


def _refs(findings: Iterable[Finding], base_url: str) -> tuple[FindingRef, ...]:
    base = base_url.rstrip("/")
    return tuple(
        FindingRef(f.id, f.title, f.severity, f"{base}/findings/{f.id}")
        for f in sorted(findings, key=lambda f: (-f.severity_rank, f.id))
    )


def fixed_for_scan(session: Session, scan_id: int, base_url: str) -> list[Notification]:
    """Findings this scan closed (they are stamped with the scan's import time)."""
    scan = session.get(Scan, scan_id)
    if scan is None or not scan.fixed:
        return []
    fixed = list(
        session.scalars(
            select(Finding).where(
                Finding.project_id == scan.project_id,
                Finding.status == FindingStatus.FIXED.value,
                Finding.fixed_at == scan.imported_at,
            )
        )
    )
    if not fixed:
        return []
    name = session.scalar(select(Project.name).where(Project.id == scan.project_id)) or ""
    return [
        Notification(
            EventKind.FIXED,
            name,
            _SUMMARY[EventKind.FIXED].format(n=len(fixed)),
            _refs(fixed, base_url),
        )
    ]


def matching_rules(
    session: Session, event: EventKind, project_id: int
) -> list[NotificationRuleRow]:
    """Enabled rules for ``event`` that cover the project: global ones, the project's own, and
    those of a team that holds a role on it."""
    teams = select(ProjectMember.team_id).where(
        ProjectMember.project_id == project_id, ProjectMember.team_id.is_not(None)
    )
    return list(
        session.scalars(
            select(NotificationRuleRow)
            .where(
                NotificationRuleRow.enabled.is_(True),
                NotificationRuleRow.event == event.value,
                or_(
                    and_(
                        NotificationRuleRow.project_id.is_(None),
                        NotificationRuleRow.team_id.is_(None),
                    ),
                    NotificationRuleRow.project_id == project_id,
                    NotificationRuleRow.team_id.in_(teams),
                ),
            )
            .order_by(NotificationRuleRow.id)
        )
    )


def _route(
    session: Session, notes: Iterable[tuple[int, Notification]], *, once: bool
) -> list[Outgoing]:
    """Each note to each matching rule's channel, narrowed to the rule's severity; with
    ``once``, findings already told to a rule are dropped and the rest are marked."""
    out: list[Outgoing] = []
    for project_id, note in notes:
        for rule in matching_rules(session, note.event, project_id):
            narrowed = NotificationRule(note.event, str(rule.channel_id), None, rule.min_severity)
            kept = narrowed.narrow(note)
            if once and kept.findings:
                # The rule's marks (a prefix of the primary key), not an IN list of every
                # breached finding: at scale that list has thousands of ids each hour.
                told = set(
                    session.scalars(
                        select(NotificationMark.finding_id).where(
                            NotificationMark.rule_id == rule.id,
                            NotificationMark.event == note.event.value,
                        )
                    )
                )
                fresh = tuple(f for f in kept.findings if f.id not in told)
                session.add_all(
                    NotificationMark(rule_id=rule.id, finding_id=f.id, event=note.event.value)
                    for f in fresh
                )
                kept = replace(kept, findings=fresh)
            if not kept.findings:
                continue
            summary = _SUMMARY.get(note.event, "{n} findings").format(n=len(kept.findings))
            out.append(Outgoing(rule.channel_id, replace(kept, summary=summary)))
    return out


def plan_scan(session: Session, scan_id: int, base_url: str) -> list[Outgoing]:
    """What to send after a scan import."""
    scan = session.get(Scan, scan_id)
    # Without an enabled rule nothing is sent: skip loading the scan's findings (a 50,000-
    # finding import cost seconds of CPU here for nothing).
    enabled = select(NotificationRuleRow.id).where(NotificationRuleRow.enabled.is_(True))
    if scan is None or session.scalar(enabled.limit(1)) is None:
        return []
    notes = events_for_scan(session, scan_id, base_url) + fixed_for_scan(session, scan_id, base_url)
    return _route(session, ((scan.project_id, n) for n in notes), once=False)


def _expiring(session: Session, now: datetime, base_url: str) -> list[tuple[int, Notification]]:
    rows = session.execute(
        select(Finding, Project.name)
        .join(RiskAcceptance, RiskAcceptance.finding_id == Finding.id)
        .join(Project, Project.id == Finding.project_id)
        .where(
            Finding.status == FindingStatus.ACCEPTED.value,
            RiskAcceptance.revoked_at.is_(None),
            RiskAcceptance.expires_at > now,
            RiskAcceptance.expires_at <= now + EXPIRY_HORIZON,
        )
    ).all()
    by_project: dict[tuple[int, str], list[Finding]] = {}
    for finding, name in rows:
        by_project.setdefault((finding.project_id, str(name)), []).append(finding)
    return [
        (pid, Notification(EventKind.ACCEPTANCE_EXPIRING, name, "", _refs(items, base_url)))
        for (pid, name), items in by_project.items()
    ]


def plan_clock(session: Session, now: datetime, base_url: str) -> list[Outgoing]:
    """What the periodic job sends: new SLA breaches and acceptances expiring within a week."""
    breaches = sla_breaches(session, now, base_url)
    rows = session.execute(
        select(Project.name, Project.id).where(Project.name.in_([b.project for b in breaches]))
    ).all()
    ids = {str(name): int(pid) for name, pid in rows}
    notes = [(ids[b.project], b) for b in breaches if b.project in ids]
    notes += _expiring(session, now, base_url)
    return _route(session, notes, once=True)


def mentioned_names(body: str) -> list[str]:
    """The distinct ``@names`` in a comment, in order (a trailing dot ends a sentence)."""
    seen: dict[str, None] = {}
    for match in MENTION.finditer(body):
        seen.setdefault(match.group(1).rstrip(".-"), None)
    return list(seen)


def plan_mentions(session: Session, comment_id: int, base_url: str) -> list[Outgoing]:
    """One message per mentioned user who may read the finding and can be reached."""
    comment = session.get(Comment, comment_id)
    if comment is None:
        return []
    finding = session.get(Finding, comment.finding_id)
    names = mentioned_names(comment.body)
    if finding is None or not names:
        return []
    author = session.get(User, comment.author_id) if comment.author_id else None
    project = session.scalar(select(Project.name).where(Project.id == finding.project_id)) or ""
    (ref,) = _refs([finding], base_url)
    who = author.username if author else "someone"
    note = Notification(
        EventKind.MENTION,
        project,
        f"{who} mentioned you on finding #{finding.id}",
        (ref,),
        {"comment": comment.body[:2000], "author": who},
    )
    mailer = session.scalar(
        select(NotificationChannel.id)
        .where(NotificationChannel.kind == ChannelKind.EMAIL.value)
        .order_by(NotificationChannel.id)
    )
    out: list[Outgoing] = []
    users = session.scalars(select(User).where(User.username.in_(names), User.is_active))
    for user in users:
        if author is not None and user.id == author.id:
            continue
        reader = Principal(
            user.id, user.username, Role(user.global_role) if user.global_role else None
        )
        if Permission.READ not in permissions(session, reader, finding.project_id):
            continue  # never tell someone about a project they cannot see
        profile = session.get(UserProfile, user.id)
        if profile is not None and profile.channel_id is not None:
            out.append(Outgoing(profile.channel_id, note))
        elif profile is not None and profile.email and mailer is not None:
            out.append(Outgoing(mailer, note, (profile.email,)))
    return out


def send(
    sessions: sessionmaker[Session],
    box: SecretBox,
    client: httpx.Client,
    outgoing: Iterable[Outgoing],
    *,
    sleep: Callable[[float], None] = time.sleep,
) -> list[int]:
    """Deliver each message with retries; returns the delivery log ids."""
    planned = list(outgoing)
    if not planned:
        return []
    with sessions() as session:
        rows = {
            c.id: c
            for c in session.scalars(
                select(NotificationChannel).where(
                    NotificationChannel.id.in_({o.channel_id for o in planned})
                )
            )
        }
        session.expunge_all()
    done: list[int] = []
    for item in planned:
        row = rows.get(item.channel_id)
        if row is None:
            continue  # deleted in between
        try:
            channel = build_channel(row, box, client, item.recipients)
        except (HubError, KeyError, ValueError) as exc:
            done.append(_unusable(sessions, row, item.notification, str(exc)))
            continue
        done.append(deliver(sessions, channel, item.notification, sleep=sleep))
    return done


def _unusable(
    sessions: sessionmaker[Session], row: NotificationChannel, note: Notification, error: str
) -> int:
    log.warning("notification channel %s cannot be used: %s", row.name, error)
    with transaction(sessions) as session:
        entry = NotificationDelivery(
            channel_kind=row.kind,
            target=str(row.config.get("target", ""))[:500],
            event=note.event.value,
            project=note.project[:150],
            status=DeliveryStatus.FAILED.value,
            attempts=0,
            last_error=error[:2000],
        )
        session.add(entry)
        session.flush()
        return entry.id


def notify_scan(
    sessions: sessionmaker[Session],
    settings: HubSettings,
    scan_id: int,
    *,
    client: httpx.Client | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> list[int]:
    """The job run after every import."""
    with transaction(sessions) as session:
        planned = plan_scan(session, scan_id, settings.public_url)
    return _send(sessions, settings, planned, client, sleep)


def notify_clock(
    sessions: sessionmaker[Session],
    settings: HubSettings,
    now: datetime | None = None,
    *,
    client: httpx.Client | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> list[int]:
    """The periodic job's notifications."""
    with transaction(sessions) as session:
        planned = plan_clock(session, now or utcnow(), settings.public_url)
    return _send(sessions, settings, planned, client, sleep)


def notify_mentions(
    sessions: sessionmaker[Session],
    settings: HubSettings,
    comment_id: int,
    *,
    client: httpx.Client | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> list[int]:
    """The job run after a comment with @mentions."""
    with transaction(sessions) as session:
        planned = plan_mentions(session, comment_id, settings.public_url)
    return _send(sessions, settings, planned, client, sleep)


def _send(
    sessions: sessionmaker[Session],
    settings: HubSettings,
    planned: list[Outgoing],
    client: httpx.Client | None,
    sleep: Callable[[float], None],
) -> list[int]:
    if not planned:
        return []
    box = SecretBox.from_settings(settings)
    if client is not None:
        return send(sessions, box, client, planned, sleep=sleep)
    with httpx.Client() as own:
        return send(sessions, box, own, planned, sleep=sleep)
