"""The forge links of a finding, from its project's repository and the scan that last saw it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from shieldwall.hub.db.models import Finding, ProjectRepository, Scan
from shieldwall.hub.integrations.forge_links import Forge, commit_url, file_url


@dataclass(frozen=True, slots=True)
class FindingLinks:
    """Where the finding's file and commit are in the forge (empty when unknown)."""

    file: str = ""
    commit: str = ""
    commit_id: str = ""


def finding_links(session: Session, finding: Finding) -> FindingLinks:
    """Links at the commit of the scan that last saw the finding (the default branch when the
    scan has no commit); none for package findings without a path, or without a repository."""
    repo = session.get(ProjectRepository, finding.project_id)
    if repo is None:
        return FindingLinks()
    scan = session.get(Scan, finding.last_scan_id) if finding.last_scan_id else None
    commit = scan.commit if scan is not None and scan.commit else ""
    forge = Forge(repo.forge)
    ref = commit or repo.default_branch
    path = finding.path if finding.location_kind == "source" or not finding.package else ""
    return FindingLinks(
        file=file_url(forge, repo.web_url, ref, path, finding.line) if path else "",
        commit=commit_url(forge, repo.web_url, commit) if commit else "",
        commit_id=commit,
    )
