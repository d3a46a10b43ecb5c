"""GitLab issues over the v4 REST API (``POST /api/v4/projects/:id/issues``, ``GET``/``PUT
/api/v4/projects/:id/issues/:iid``, ``POST .../issues/:iid/notes``); ``:id`` is the numeric id or
the URL-encoded ``group/project`` path.
"""

from __future__ import annotations

from urllib.parse import quote

import httpx

from shieldwall.hub.integrations.contract import IssueDraft, IssueState, RemoteIssue, request


class GitLabTracker:
    """Issues of one GitLab project."""

    def __init__(self, base_url: str, project: str, token: str, client: httpx.Client) -> None:
        self._base = f"{base_url.rstrip('/')}/api/v4/projects/{quote(project, safe='')}"
        self._client = client
        self._headers = {"PRIVATE-TOKEN": token}

    def _issue(self, data: dict[str, object]) -> RemoteIssue:
        state = IssueState.CLOSED if data.get("state") == "closed" else IssueState.OPEN
        return RemoteIssue(str(data["iid"]), str(data["web_url"]), state)

    def create(self, draft: IssueDraft) -> RemoteIssue:
        """``POST /projects/:id/issues`` (labels are one comma-separated string)."""
        body = {"title": draft.title, "description": draft.body, "labels": ",".join(draft.labels)}
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
        """``GET /projects/:id/issues/:iid``."""
        response = request(
            self._client,
            "GET",
            f"{self._base}/issues/{int(external_id)}",
            "read issue",
            headers=self._headers,
        )
        return self._issue(response.json())

    def close(self, external_id: str, comment: str) -> None:
        """Add a note, then ``PUT`` ``state_event=close``."""
        iid = int(external_id)
        request(
            self._client,
            "POST",
            f"{self._base}/issues/{iid}/notes",
            "comment on issue",
            json={"body": comment},
            headers=self._headers,
        )
        request(
            self._client,
            "PUT",
            f"{self._base}/issues/{iid}",
            "close issue",
            json={"state_event": "close"},
            headers=self._headers,
        )
