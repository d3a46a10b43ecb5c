"""Read-only pages: dashboard, findings list, finding, projects. HTTP only; queries live in
the services and :mod:`shieldwall.hub.web.queries`."""

from __future__ import annotations

import math

from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse

from shieldwall.hub.db.models import ProjectRepository, Scan
from shieldwall.hub.deps import SessionDep
from shieldwall.hub.enums import FindingStatus, Permission
from shieldwall.hub.errors import NotFoundError
from shieldwall.hub.findings import service as findings
from shieldwall.hub.findings.service import SortKey
from shieldwall.hub.integrations import service as tracker_service
from shieldwall.hub.integrations.forge_links import Forge, commit_url
from shieldwall.hub.integrations.links import finding_links
from shieldwall.hub.metrics import service as metrics
from shieldwall.hub.metrics.service import SEVERITIES
from shieldwall.hub.permissions import permissions
from shieldwall.hub.projects import service as projects
from shieldwall.hub.triage.service import TriageAction
from shieldwall.hub.web import queries
from shieldwall.hub.web.auth import ViewerDep
from shieldwall.hub.web.charts import FLOW_COLOURS, SEVERITY_COLOURS, bar_chart, trend_chart
from shieldwall.hub.web.filters import PAGE_SIZES, parse
from shieldwall.hub.web.rendering import render
from shieldwall.hub.web.scan_diff import scan_diff
from shieldwall.hub.web.trends import opened_vs_fixed

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def dashboard(session: SessionDep, viewer: ViewerDep) -> HTMLResponse:
    """Open findings by severity and scanner, the trend, SLA, MTTR, top projects and rules."""
    numbers = metrics.compute(session, viewer.principal, None, days=30)
    extra = queries.overview(session, viewer.principal)
    return render(
        "dashboard.html",
        viewer=viewer,
        m=numbers,
        o=extra,
        severity_chart=bar_chart(numbers.open_by_severity, SEVERITY_COLOURS),
        scanner_chart=bar_chart(extra.by_scanner),
        trend=trend_chart(numbers.trend),
        flow=trend_chart(opened_vs_fixed(session, viewer.principal), colours=FLOW_COLOURS),
    )


@router.get("/findings", response_class=HTMLResponse)
def findings_list(request: Request, session: SessionDep, viewer: ViewerDep) -> HTMLResponse:
    """The filtered, sorted, paginated list with the bulk triage form."""
    args = request.query_params
    query = parse({k: args[k] for k in args}, {k: args.getlist(k) for k in ("severity", "status")})
    page = findings.list_findings(session, viewer.principal, query.flt, query.page, query.page_size)
    items = list(page.items)
    return render(
        "findings.html",
        viewer=viewer,
        q=query,
        page=page,
        pages=max(math.ceil(page.total / page.page_size), 1),
        items=items,
        assignees=queries.usernames(session, {f.assignee_id for f in items if f.assignee_id}),
        project_names=queries.project_names(session, {f.project_id for f in items}),
        severities=SEVERITIES,
        statuses=[s.value for s in FindingStatus],
        sorts=[s.value for s in SortKey],
        page_sizes=PAGE_SIZES,
        actions=[a.value for a in TriageAction],
        trackers=tracker_service.list_trackers(session),
        here=str(request.url.path) + (f"?{request.url.query}" if request.url.query else ""),
    )


@router.get("/findings/{finding_id}", response_class=HTMLResponse)
def finding_page(finding_id: int, session: SessionDep, viewer: ViewerDep) -> HTMLResponse:
    """Everything about one finding: location, trace, rule text, history, comments."""
    detail = findings.finding_detail(session, viewer.principal, finding_id)
    people = {c.author_id for c in detail.comments if c.author_id}
    people |= {a.approver_id for a in detail.acceptances if a.approver_id}
    if detail.finding.assignee_id:
        people.add(detail.finding.assignee_id)
    props = detail.finding.properties or {}
    trace = props.get("trace")
    return render(
        "finding.html",
        viewer=viewer,
        d=detail,
        f=detail.finding,
        loc=detail.finding.location or {},
        props=props,
        trace=trace if isinstance(trace, list) else [],
        users=queries.usernames(session, people),
        scans=queries.scans_by_id(session, detail.scans[-50:]),
        actions=[a.value for a in TriageAction],
        tickets=tracker_service.links_of(session, finding_id),
        trackers=(
            tracker_service.list_trackers(session, detail.finding.project_id)
            if Permission.TRIAGE
            in permissions(session, viewer.principal, detail.finding.project_id)
            else []
        ),
        forge=finding_links(session, detail.finding),
    )


@router.get("/projects", response_class=HTMLResponse)
def projects_page(session: SessionDep, viewer: ViewerDep, page: int = 1) -> HTMLResponse:
    """The projects the user may read."""
    result = projects.list_projects(session, viewer.principal, page, 100)
    counts = {p.id: findings.count_by_status(session, p.id) for p in result.items}
    return render(
        "projects.html",
        viewer=viewer,
        page=result,
        pages=max(math.ceil(result.total / result.page_size), 1),
        counts=counts,
    )


@router.get("/projects/{name}", response_class=HTMLResponse)
def project_page(name: str, session: SessionDep, viewer: ViewerDep, page: int = 1) -> HTMLResponse:
    """One project: findings by status and its scan history with new/fixed/regressed counts."""
    project = projects.project_by_name(session, viewer.principal, name)
    scans = projects.list_scans(session, project, page, 50)
    numbers = metrics.compute(session, viewer.principal, project.name, days=30)
    return render(
        "project.html",
        viewer=viewer,
        project=project,
        counts=findings.count_by_status(session, project.id),
        scans=scans,
        pages=max(math.ceil(scans.total / scans.page_size), 1),
        branches=projects.branch_names(session, project),
        severity_chart=bar_chart(numbers.open_by_severity, SEVERITY_COLOURS),
        trend=trend_chart(numbers.trend),
    )


@router.get("/projects/{name}/scans/{scan_id}", response_class=HTMLResponse)
def scan_page(name: str, scan_id: int, session: SessionDep, viewer: ViewerDep) -> HTMLResponse:
    """One scan and what it changed: new, fixed and regressed findings."""
    project = projects.project_by_name(session, viewer.principal, name)
    scan = session.get(Scan, scan_id)
    if scan is None or scan.project_id != project.id:
        raise NotFoundError("not found")
    repo = session.get(ProjectRepository, project.id)
    return render(
        "scan.html",
        viewer=viewer,
        project=project,
        scan=scan,
        branch=projects.branch_names(session, project).get(scan.branch_id, ""),
        diff=scan_diff(session, scan),
        commit_url=(
            commit_url(Forge(repo.forge), repo.web_url, scan.commit) if repo and scan.commit else ""
        ),
    )
