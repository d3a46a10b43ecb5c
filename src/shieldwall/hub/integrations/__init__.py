"""Integrations with the team's forge and trackers: issue export (GitHub, GitLab, Jira),
links to files and commits, and the key that seals stored credentials."""

from __future__ import annotations

from shieldwall.hub.integrations.contract import (
    IssueDraft,
    IssueState,
    RemoteIssue,
    Tracker,
    TrackerError,
    TrackerKind,
)
from shieldwall.hub.integrations.github import GitHubTracker
from shieldwall.hub.integrations.gitlab import GitLabTracker
from shieldwall.hub.integrations.jira import JiraTracker

__all__ = [
    "GitHubTracker",
    "GitLabTracker",
    "IssueDraft",
    "IssueState",
    "JiraTracker",
    "RemoteIssue",
    "Tracker",
    "TrackerError",
    "TrackerKind",
]
