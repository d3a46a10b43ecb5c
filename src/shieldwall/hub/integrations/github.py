"""GitHub Issues over the REST API (``POST /repos/{owner}/{repo}/issues``, ``GET``/``PATCH
/repos/{owner}/{repo}/issues/{number}``, ``POST .../issues/{number}/comments``); GitHub Enterprise
Server works with its ``https://host/api/v3`` base URL.
"""

from __future__ import annotations

from urllib.parse import quote

import httpx

from shieldwall.hub.integrations.contract import IssueDraft, IssueState, RemoteIssue, request

API_VERSION = "2022-11-28"


class GitHubTracker:
    """Issues of one repository (``owner/repo``)."""

    def __init__(self, base_url: str, repo: str, token: str, client: httpx.Client) -> None:
        owner, _, name = repo.partition("/")
        self._base = f"{base_url.rstrip('/')}/repos/{quote(owner, safe='')}/{quote(name, safe='')}"
        self._client = client
        self._headers = {
            "Authorization": f"Bearer {token}",
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": API_VERSION,
        }

    def _issue(self, data: dict[str, object]) -> RemoteIssue:
        state = IssueState.CLOSED if data.get("state") == "closed" else IssueState.OPEN
        return RemoteIssue(str(data["number"]), str(data["html_url"]), state)

    def create(self, draft: IssueDraft) -> RemoteIssue:
        """``POST /repos/{owner}/{repo}/issues``."""
        body = {"title": draft.title, "body": draft.body, "labels": list(draft.labels)}
        response = request(
            self._client,
            "POST",
            f"{self._base}/issues",
            "create issue",
            json=body,
            headers=self._headers,
        )
        return self._issue(response.json())

    def get(self, external_id: str) -> RemoteIssue:
        """``GET /repos/{owner}/{repo}/issues/{number}``."""
        response = request(
            self._client,
            "GET",
            f"{self._base}/issues/{int(external_id)}",
            "read issue",
            headers=self._headers,
        )
        return self._issue(response.json())

    def close(self, external_id: str, comment: str) -> None:
        """Comment, then ``PATCH`` the issue to ``closed`` (reason ``completed``)."""
        number = int(external_id)
        request(
            self._client,
            "POST",
            f"{self._base}/issues/{number}/comments",
            "comment on issue",
            json={"body": comment},
            headers=self._headers,
        )
        request(
            self._client,
            "PATCH",
            f"{self._base}/issues/{number}",
            "close issue",
            json={"state": "closed", "state_reason": "completed"},
            headers=self._headers,
        )
