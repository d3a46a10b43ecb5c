"""Issue export: trackers as the settings pages store them, tickets created from findings, closed
when the finding is fixed, and polled so a ticket closed by hand shows on the finding.
Never imports FastAPI.

Tracker calls happen inside the request's transaction but before anything is written, so a
refused call leaves nothing behind; the link row is then inserted with its unique constraint
(finding, tracker), which makes a double click create one link.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from shieldwall.hub.audit.service import EventSpec, record
from shieldwall.hub.db.engine import transaction
from shieldwall.hub.db.models import Finding, IssueLink, IssueTracker, Project, Scan
from shieldwall.hub.db.types import utcnow
from shieldwall.hub.enums import ACTIVE_STATUSES, FindingStatus, Permission
from shieldwall.hub.errors import ConflictError, InvalidRequestError, NotFoundError
from shieldwall.hub.findings.service import get_finding
from shieldwall.hub.integrations.contract import (
    IssueState,
    Tracker,
    TrackerError,
    TrackerKind,
)
from shieldwall.hub.integrations.crypto import SecretBox
from shieldwall.hub.integrations.forge_links import check_web_url
from shieldwall.hub.integrations.github import GitHubTracker
from shieldwall.hub.integrations.gitlab import GitLabTracker
from shieldwall.hub.integrations.jira import JiraTracker
from shieldwall.hub.integrations.text import issue_draft
from shieldwall.hub.permissions import Principal, require, require_global_admin

log = logging.getLogger(__name__)
MAX_BULK_EXPORT = 100


@dataclass(frozen=True, slots=True)
class TrackerSpec:
    """A tracker as entered in the settings form."""

    name: str
    kind: TrackerKind
    base_url: str
    remote_project: str
    token: str
    username: str = ""
    issue_type: str = "Bug"
    project: str | None = None
    close_on_fix: bool = True


def create_tracker(
    session: Session, principal: Principal, spec: TrackerSpec, box: SecretBox
) -> IssueTracker:
    """Store a tracker; the token is sealed and never shown again."""
    require_global_admin(principal)
    name = spec.name.strip()
    if not name or len(name) > 150:
        raise InvalidRequestError("a tracker name has 1 to 150 characters")
    if not spec.remote_project.strip() or not spec.token:
        raise InvalidRequestError("a tracker needs its remote project and a token")
    if session.scalar(select(IssueTracker.id).where(IssueTracker.name == name)):
        raise ConflictError(f"a tracker named {name!r} exists")
    project_id = None
    if spec.project:
        project_id = session.scalar(select(Project.id).where(Project.name == spec.project))
        if project_id is None:
            raise NotFoundError(f"no project {spec.project!r}")
    row = IssueTracker(
        name=name,
        kind=spec.kind.value,
        base_url=check_web_url(spec.base_url),
        remote_project=spec.remote_project.strip(),
        username=spec.username.strip(),
        secret=box.seal(spec.token),
        issue_type=spec.issue_type.strip() or "Bug",
        project_id=project_id,
        close_on_fix=spec.close_on_fix,
    )
    session.add(row)
    session.flush()
    record(
        session,
        EventSpec(
            actor=principal.username,
            action="tracker.created",
            object_type="tracker",
            object_id=str(row.id),
            project_id=project_id,
            details={"name": name, "kind": spec.kind.value, "base_url": row.base_url},
        ),
    )
    return row


def delete_tracker(session: Session, principal: Principal, tracker_id: int) -> None:
    """Delete a tracker (its links go with it; the remote tickets stay)."""
    require_global_admin(principal)
    row = session.get(IssueTracker, tracker_id)
    if row is None:
        raise NotFoundError("no such tracker")
    session.delete(row)
    record(
        session,
        EventSpec(
            actor=principal.username,
            action="tracker.deleted",
            object_type="tracker",
            object_id=str(tracker_id),
            details={"name": row.name},
        ),
    )


def list_trackers(session: Session, project_id: int | None = None) -> list[IssueTracker]:
    """Every tracker, or those usable for one project."""
    query = select(IssueTracker).order_by(IssueTracker.name)
    if project_id is not None:
        query = query.where(
            (IssueTracker.project_id.is_(None)) | (IssueTracker.project_id == project_id)
        )
    return list(session.scalars(query))


def build_tracker(row: IssueTracker, box: SecretBox, client: httpx.Client) -> Tracker:
    """A client for the stored tracker."""
    token = box.open(row.secret)
    match TrackerKind(row.kind):
        case TrackerKind.GITHUB:
            return GitHubTracker(row.base_url, row.remote_project, token, client)
        case TrackerKind.GITLAB:
            return GitLabTracker(row.base_url, row.remote_project, token, client)
        case TrackerKind.JIRA:
            return JiraTracker(
                row.base_url,
                row.remote_project,
                token,
                client,
                username=row.username,
                issue_type=row.issue_type,
            )


def links_of(session: Session, finding_id: int) -> list[tuple[IssueLink, str]]:
    """A finding's tickets with their tracker names."""
    rows = session.execute(
        select(IssueLink, IssueTracker.name)
        .join(IssueTracker, IssueTracker.id == IssueLink.tracker_id)
        .where(IssueLink.finding_id == finding_id)
        .order_by(IssueLink.id)
    ).all()
    return [(link, str(name)) for link, name in rows]


def export_findings(
    session: Session,
    principal: Principal,
    finding_ids: list[int],
    tracker_id: int,
    box: SecretBox,
    client: httpx.Client,
    base_url: str,
) -> list[IssueLink]:
    """Create one ticket per finding (those already linked to the tracker are skipped).

    The caller needs the triage permission on every finding's project: a ticket is a decision
    to act, and it publishes the finding outside the hub.
    """
    ids = list(dict.fromkeys(finding_ids))
    if not ids or len(ids) > MAX_BULK_EXPORT:
        raise InvalidRequestError(f"select between 1 and {MAX_BULK_EXPORT} findings")
    row = session.get(IssueTracker, tracker_id)
    if row is None:
        raise NotFoundError("no such tracker")
    findings = [get_finding(session, principal, fid) for fid in ids]
    for project_id in {f.project_id for f in findings}:
        require(session, principal, project_id, Permission.TRIAGE)
        if row.project_id is not None and row.project_id != project_id:
            raise InvalidRequestError(f"tracker {row.name!r} is for another project")
    tracker = build_tracker(row, box, client)
    linked = set(
        session.scalars(
            select(IssueLink.finding_id).where(
                IssueLink.tracker_id == row.id, IssueLink.finding_id.in_(ids)
            )
        )
    )
    created: list[IssueLink] = []
    for finding in findings:
        if finding.id in linked:
            continue
        remote = tracker.create(issue_draft(session, finding, base_url))
        if not remote.url.startswith(("https://", "http://")):
            # The link is rendered as an href: only web URLs, whatever the tracker answers.
            raise TrackerError(f"the tracker answered an unusable ticket URL for {finding.id}")
        link = IssueLink(
            finding_id=finding.id,
            tracker_id=row.id,
            external_id=remote.external_id,
            url=remote.url,
            state=remote.state.value,
            close_on_fix=row.close_on_fix,
            created_by=principal.username,
            synced_at=utcnow(),
            last_error="",
        )
        session.add(link)
        session.flush()
        record(
            session,
            EventSpec(
                actor=principal.username,
                action="finding.ticket_created",
                object_type="finding",
                object_id=str(finding.id),
                project_id=finding.project_id,
                details={"tracker": row.name, "ticket": remote.external_id, "url": remote.url},
            ),
        )
        created.append(link)
    return created


def _open_links(session: Session, where: object) -> list[tuple[IssueLink, IssueTracker, Finding]]:
    rows = session.execute(
        select(IssueLink, IssueTracker, Finding)
        .join(IssueTracker, IssueTracker.id == IssueLink.tracker_id)
        .join(Finding, Finding.id == IssueLink.finding_id)
        .where(IssueLink.state == IssueState.OPEN.value, where)  # type: ignore[arg-type]
    ).all()
    return [(link, tracker, finding) for link, tracker, finding in rows]


def close_fixed(
    sessions: sessionmaker[Session], box: SecretBox, client: httpx.Client, scan_id: int
) -> int:
    """Close the open tickets (that ask for it) of the findings a scan fixed; returns how many."""
    with sessions() as session:
        scan = session.get(Scan, scan_id)
        if scan is None or not scan.fixed:
            return 0
        commit = scan.commit
        targets = _open_links(
            session,
            (IssueLink.close_on_fix.is_(True))
            & (Finding.project_id == scan.project_id)
            & (Finding.status == FindingStatus.FIXED.value)
            & (Finding.fixed_at == scan.imported_at),
        )
        session.expunge_all()
    note = f"Fixed: scan #{scan_id}{f' at commit {commit}' if commit else ''} no longer reports it."
    closed = 0
    for link, tracker_row, finding in targets:
        error = ""
        try:
            build_tracker(tracker_row, box, client).close(link.external_id, f"shieldwall: {note}")
        except TrackerError as exc:
            error = str(exc)
            log.warning("could not close ticket %s of finding %s: %s", link.url, finding.id, exc)
        with transaction(sessions) as session:
            stored = session.get(IssueLink, link.id)
            if stored is None:
                continue
            stored.synced_at, stored.last_error = utcnow(), error[:2000]
            if not error:
                stored.state = IssueState.CLOSED.value
                closed += 1
                record(
                    session,
                    EventSpec(
                        actor="system",
                        action="finding.ticket_closed",
                        object_type="finding",
                        object_id=str(finding.id),
                        project_id=finding.project_id,
                        details={"ticket": link.external_id, "reason": "the finding was fixed"},
                    ),
                )
    return closed


def sync_links(sessions: sessionmaker[Session], box: SecretBox, client: httpx.Client) -> int:
    """Poll open tickets; one closed in the tracker is marked closed and recorded in the
    finding's history (the finding itself stays open until a scan no longer reports it: a
    closed ticket is a claim, the scan is the evidence). Returns how many changed."""
    with sessions() as session:
        targets = _open_links(session, IssueLink.id.is_not(None))
        session.expunge_all()
    changed = 0
    for link, tracker_row, finding in targets:
        try:
            remote = build_tracker(tracker_row, box, client).get(link.external_id)
        except TrackerError as exc:
            with transaction(sessions) as session:
                stored = session.get(IssueLink, link.id)
                if stored is not None:
                    stored.last_error = str(exc)[:2000]
            continue
        with transaction(sessions) as session:
            stored = session.get(IssueLink, link.id)
            if stored is None:
                continue
            stored.synced_at, stored.last_error = utcnow(), ""
            if remote.state is IssueState.CLOSED:
                stored.state = IssueState.CLOSED.value
                changed += 1
                still_open = finding.status in ACTIVE_STATUSES
                record(
                    session,
                    EventSpec(
                        actor="system",
                        action="finding.ticket_closed",
                        object_type="finding",
                        object_id=str(finding.id),
                        project_id=finding.project_id,
                        details={
                            "ticket": link.external_id,
                            "reason": "closed in the tracker"
                            + ("; the next scan confirms the fix" if still_open else ""),
                        },
                    ),
                )
    return changed
