"""The ticket a finding becomes. Titles, messages and snippets come from scanned code, so they
go into code spans and fences (no @mentions, links or HTML reach the tracker's renderer)."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from shieldwall.hub.db.models import Finding, Project
from shieldwall.hub.integrations.contract import IssueDraft
from shieldwall.hub.integrations.links import finding_links

TITLE_MAX = 200
_BACKTICKS = re.compile(r"`+")


def code_span(text: str) -> str:
    """Inline code that holds any text (CommonMark: a longer backtick run than inside)."""
    text = " ".join(text.split())
    longest = max((len(m) for m in _BACKTICKS.findall(text)), default=0)
    fence = "`" * (longest + 1)
    return f"{fence} {text} {fence}"


def fenced(text: str) -> str:
    """A fenced block that no content can close early."""
    longest = max((len(m) for m in _BACKTICKS.findall(text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}\n{text}\n{fence}"


def issue_draft(session: Session, finding: Finding, base_url: str) -> IssueDraft:
    """Title, body (Markdown) and labels for the finding's ticket."""
    project = session.scalar(select(Project.name).where(Project.id == finding.project_id)) or ""
    title = " ".join(f"[{finding.severity}] {finding.title}".split())[:TITLE_MAX]
    props = finding.properties or {}
    location = finding.location or {}
    lines = [
        f"**{finding.severity.capitalize()}** finding in project {code_span(project)}, "
        f"reported by {code_span(finding.scanner)}.",
        "",
        f"- Rule: {code_span(finding.rule_id)}" + (f" ({finding.cwe})" if finding.cwe else ""),
    ]
    if finding.package:
        package = f"{finding.package} {finding.package_version or ''}"
        lines.append(f"- Package: {code_span(package)}")
    else:
        where = finding.path + (f":{finding.line}" if finding.line else "")
        lines.append(f"- Location: {code_span(where)}")
    links = finding_links(session, finding)
    if links.file:
        lines.append(f"- Source: {links.file}")
    lines.append(f"- In shieldwall: {base_url.rstrip('/')}/findings/{finding.id}")
    lines += ["", "Message:", fenced(finding.message[:4000])]
    snippet = location.get("snippet")
    if isinstance(snippet, str) and snippet:
        lines += ["", "Code:", fenced(snippet[:4000])]
    remediation = props.get("remediation")
    if isinstance(remediation, str) and remediation:
        lines += ["", "Remediation:", fenced(remediation[:4000])]
    labels = ("security", f"severity:{finding.severity}")
    return IssueDraft(title=title, body="\n".join(lines), labels=labels)
