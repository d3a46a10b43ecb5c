"""Issue export to GitHub, GitLab and Jira against a real local server speaking their APIs:
create from a finding (and in bulk), keep the link, close when fixed, poll closed tickets."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import select

from shieldwall.hub.db.models import AuditEvent, Finding, IssueLink, Scan
from shieldwall.hub.enums import FindingStatus, Role
from shieldwall.hub.errors import NotFoundError, PermissionDeniedError
from shieldwall.hub.integrations import (
    GitHubTracker,
    GitLabTracker,
    IssueDraft,
    IssueState,
    JiraTracker,
    TrackerError,
    TrackerKind,
)
from shieldwall.hub.integrations.crypto import SecretBox
from shieldwall.hub.integrations.service import (
    TrackerSpec,
    close_fixed,
    create_tracker,
    export_findings,
    sync_links,
)
from shieldwall.hub.integrations.text import code_span, fenced
from shieldwall.hub.jobs.followups import run_clock
from shieldwall.hub.permissions import Principal
from tests.hub.conftest import World, data
from tests.hub.web.conftest import HUB_URL, SECRET_KEY, XSS, bandit_subset, upload, wait_jobs
from tests.servers.trackers import JIRA_USER, TOKEN, Trackers, serve_trackers

ROOT = Principal(1, "root", Role.ADMIN)
BOX = SecretBox(SECRET_KEY.encode())
DRAFT = IssueDraft(f"SQL injection {XSS}", "body", ("security",))


@pytest.fixture
def trackers() -> Iterator[Trackers]:
    with serve_trackers() as server:
        yield server


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client() as client:
        yield client


def test_github_create_read_close(trackers: Trackers, http: httpx.Client) -> None:
    gh = GitHubTracker(trackers.base_url, "acme/shop", TOKEN, http)
    issue = gh.create(DRAFT)
    assert (issue.external_id, issue.state) == ("1", IssueState.OPEN)
    assert issue.url == f"{trackers.base_url}/acme/shop/issues/1"
    sent = trackers.requests[0]
    assert (sent.method, sent.path) == ("POST", "/repos/acme/shop/issues")
    assert sent.headers["X-GitHub-Api-Version"] == "2022-11-28"
    assert sent.body == {"title": DRAFT.title, "body": "body", "labels": ["security"]}
    gh.close("1", "fixed")
    stored = trackers.issues[("github", "acme/shop")]["1"]
    assert (stored["state"], stored["state_reason"], stored["comments"]) == (
        "closed",
        "completed",
        ["fixed"],
    )
    assert gh.get("1").state is IssueState.CLOSED
    with pytest.raises(TrackerError, match="401"):
        GitHubTracker(trackers.base_url, "acme/shop", "wrong", http).create(DRAFT)


def test_gitlab_create_read_close(trackers: Trackers, http: httpx.Client) -> None:
    gl = GitLabTracker(trackers.base_url, "group/shop", TOKEN, http)
    issue = gl.create(IssueDraft("t", "b", ("security", "severity:high")))
    # The path is URL-encoded as one segment, as GitLab requires for namespaced projects.
    assert trackers.requests[0].path == "/api/v4/projects/group%2Fshop/issues"
    assert trackers.requests[0].body["labels"] == "security,severity:high"
    assert (issue.external_id, issue.state) == ("1", IssueState.OPEN)
    gl.close("1", "done")
    assert gl.get("1").state is IssueState.CLOSED
    assert trackers.issues[("gitlab", "group/shop")]["1"]["notes"] == ["done"]


def test_jira_basic_and_bearer_auth_and_done_transition(
    trackers: Trackers, http: httpx.Client
) -> None:
    jira = JiraTracker(trackers.base_url, "SEC", TOKEN, http, username=JIRA_USER)
    issue = jira.create(IssueDraft("a\nb " + "x" * 400, "desc", ("security", "two words")))
    fields = trackers.requests[0].body["fields"]
    assert fields["issuetype"] == {"name": "Bug"} and fields["project"] == {"key": "SEC"}
    assert "\n" not in fields["summary"] and len(fields["summary"]) == 255
    assert fields["labels"] == ["security", "two-words"]
    assert issue.external_id == "SEC-1" and issue.url == f"{trackers.base_url}/browse/SEC-1"
    jira.close("SEC-1", "fixed")
    assert trackers.requests[-1].body == {"transition": {"id": "31"}}
    assert jira.get("SEC-1").state is IssueState.CLOSED
    bearer = JiraTracker(trackers.base_url, "SEC", TOKEN, http)
    assert bearer.get("SEC-1").state is IssueState.CLOSED
    with pytest.raises(TrackerError, match="401"):
        JiraTracker(trackers.base_url, "SEC", "nope", http, username=JIRA_USER).get("SEC-1")
    trackers.fail_with = 500
    with pytest.raises(TrackerError, match="500"):
        bearer.get("SEC-1")


def test_unreachable_tracker_is_a_clear_error(http: httpx.Client) -> None:
    with pytest.raises(TrackerError, match="ConnectError"):
        GitHubTracker("http://127.0.0.1:9", "a/b", TOKEN, http).create(DRAFT)


def test_markdown_cannot_escape_code() -> None:
    assert code_span("a `b` ``c``") == "``` a `b` ``c`` ```"
    assert fenced("```\n@all") == "````\n```\n@all\n````"


def _tracker(world: World, kind: TrackerKind, base_url: str, project: str | None = None) -> int:
    with world.sessions() as session:
        row = create_tracker(
            session,
            ROOT,
            TrackerSpec(
                name=f"{kind.value}-tracker",
                kind=kind,
                base_url=base_url,
                remote_project={"github": "acme/shop", "gitlab": "7", "jira": "SEC"}[kind.value],
                token=TOKEN,
                username=JIRA_USER if kind is TrackerKind.JIRA else "",
                project=project,
            ),
            BOX,
        )
        session.commit()
        assert TOKEN not in row.secret  # sealed
        return row.id


def test_export_close_on_fix_and_poll(
    sworld: World, trackers: Trackers, http: httpx.Client, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    upload(sworld, data("bandit.json"))
    wait_jobs(sworld)
    gh = _tracker(sworld, TrackerKind.GITHUB, trackers.base_url, project="shop")
    jira = _tracker(sworld, TrackerKind.JIRA, trackers.base_url)
    with sworld.sessions() as session:
        ids = list(session.scalars(select(Finding.id).order_by(Finding.id)))
        links = export_findings(session, ROOT, ids[:3], gh, BOX, http, HUB_URL)
        again = export_findings(session, ROOT, ids[:3], gh, BOX, http, HUB_URL)
        jira_links = export_findings(session, ROOT, ids[3:4], jira, BOX, http, HUB_URL)
        session.commit()
        assert [link.external_id for link in links] == ["1", "2", "3"] and again == []
        assert jira_links[0].external_id == "SEC-1"
        with pytest.raises(NotFoundError):
            export_findings(session, Principal(99, "nobody", None), ids[:1], gh, BOX, http, "x")
    created = trackers.issues[("github", "acme/shop")]["1"]
    assert f"{HUB_URL}/findings/{ids[0]}" in created["body"]
    assert [label["name"] for label in created["labels"]] == ["security", "severity:low"]
    # A later complete scan keeps only the first result: the others are fixed.
    upload(sworld, bandit_subset(1))
    wait_jobs(sworld)
    with sworld.sessions() as session:
        states = {link.finding_id: link.state for link in session.scalars(select(IssueLink))}
        fixed = set(
            session.scalars(select(Finding.id).where(Finding.status == FindingStatus.FIXED.value))
        )
    assert fixed == set(ids[1:])
    assert states == {ids[0]: "open", ids[1]: "closed", ids[2]: "closed", ids[3]: "closed"}
    closed_gh = trackers.issues[("github", "acme/shop")]["2"]
    assert closed_gh["state"] == "closed" and "no longer reports it" in closed_gh["comments"][0]
    assert trackers.issues[("jira", "SEC")]["SEC-1"]["status"] == "done"
    # Someone closes the first ticket by hand: polling records it; the finding stays open.
    trackers.close_remote("github", "acme/shop", "1")
    result = run_clock(sworld.sessions, sworld.client.app.state.hub.settings)  # type: ignore[attr-defined]
    assert result["tickets_closed_remotely"] == 1
    with sworld.sessions() as session:
        first = session.get(Finding, ids[0])
        assert first is not None and first.status == FindingStatus.OPEN.value
        actions = list(
            session.scalars(
                select(AuditEvent.details).where(
                    AuditEvent.object_id == str(ids[0]),
                    AuditEvent.action == "finding.ticket_closed",
                )
            )
        )
    assert "closed in the tracker" in actions[0]["reason"]
    assert TOKEN not in caplog.text  # never logged, even at DEBUG


def test_tracker_for_another_project_and_rights(
    sworld: World, trackers: Trackers, http: httpx.Client
) -> None:
    upload(sworld, data("bandit.json"))
    other = _tracker(sworld, TrackerKind.GITLAB, trackers.base_url, project="other")
    with sworld.sessions() as session:
        fid = session.scalars(select(Finding.id)).first()
        assert fid is not None
        with pytest.raises(Exception, match="another project"):
            export_findings(session, ROOT, [fid], other, BOX, http, HUB_URL)
        from shieldwall.hub.db.models import User

        dev_id = session.scalars(select(User.id).where(User.username == "developer")).one()
        dev = Principal(dev_id, "developer", None)
        with pytest.raises(PermissionDeniedError):
            export_findings(session, dev, [fid], other, BOX, http, HUB_URL)
    assert trackers.requests == []  # nothing was sent before the checks


def test_close_fixed_without_links_is_a_no_op(sworld: World, http: httpx.Client) -> None:
    upload(sworld, data("bandit.json"))
    with sworld.sessions() as session:
        scan = session.scalars(select(Scan.id)).one()
    assert close_fixed(sworld.sessions, BOX, http, scan) == 0
    assert sync_links(sworld.sessions, BOX, http) == 0
