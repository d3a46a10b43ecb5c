"""Jira over the REST API v2 (``POST /rest/api/2/issue``, ``GET /rest/api/2/issue/{key}``,
``POST .../comment``, ``GET``/``POST .../transitions``). Jira Cloud takes basic auth with the
account e-mail and an API token; Server and Data Center take a personal access token as a bearer.

A ticket is closed by the first transition whose target status is in the ``done`` category, the
one category every workflow has (status names vary per workflow).
"""

from __future__ import annotations

from urllib.parse import quote

import httpx

from shieldwall.hub.integrations.contract import (
    IssueDraft,
    IssueState,
    RemoteIssue,
    TrackerError,
    request,
)

SUMMARY_MAX = 255  # Jira rejects longer summaries


class JiraTracker:
    """Issues of one Jira project (by key)."""

    def __init__(
        self,
        base_url: str,
        project_key: str,
        token: str,
        client: httpx.Client,
        *,
        username: str = "",
        issue_type: str = "Bug",
    ) -> None:
        self._site = base_url.rstrip("/")
        self._base = f"{self._site}/rest/api/2/issue"
        self._project = project_key
        self._issue_type = issue_type or "Bug"
        self._client = client
        self._auth = httpx.BasicAuth(username, token) if username else None
        self._headers = {"Accept": "application/json"}
        if not username:
            self._headers["Authorization"] = f"Bearer {token}"

    def _call(self, method: str, url: str, what: str, **kwargs: object) -> httpx.Response:
        if self._auth is not None:
            kwargs["auth"] = self._auth
        return request(self._client, method, url, what, headers=self._headers, **kwargs)

    def _key_url(self, key: str) -> str:
        return f"{self._base}/{quote(key, safe='')}"

    def create(self, draft: IssueDraft) -> RemoteIssue:
        """``POST /rest/api/2/issue``; the browse URL is ``{site}/browse/{key}``."""
        fields = {
            "project": {"key": self._project},
            "summary": " ".join(draft.title.split())[:SUMMARY_MAX],
            "description": draft.body,
            "issuetype": {"name": self._issue_type},
            "labels": [label.replace(" ", "-") for label in draft.labels],
        }
        data = self._call("POST", self._base, "create issue", json={"fields": fields}).json()
        key = str(data["key"])
        return RemoteIssue(key, f"{self._site}/browse/{key}", IssueState.OPEN)

    def get(self, external_id: str) -> RemoteIssue:
        """The issue's status category: ``done`` is closed."""
        response = self._call(
            "GET", self._key_url(external_id), "read issue", params={"fields": "status"}
        )
        status = response.json().get("fields", {}).get("status", {})
        done = status.get("statusCategory", {}).get("key") == "done"
        return RemoteIssue(
            external_id,
            f"{self._site}/browse/{external_id}",
            IssueState.CLOSED if done else IssueState.OPEN,
        )

    def close(self, external_id: str, comment: str) -> None:
        """Comment, then apply a transition into the ``done`` category."""
        url = self._key_url(external_id)
        self._call("POST", f"{url}/comment", "comment on issue", json={"body": comment})
        transitions = self._call("GET", f"{url}/transitions", "list transitions").json()
        for transition in transitions.get("transitions", []):
            if transition.get("to", {}).get("statusCategory", {}).get("key") == "done":
                self._call(
                    "POST",
                    f"{url}/transitions",
                    "close issue",
                    json={"transition": {"id": str(transition["id"])}},
                )
                return
        raise TrackerError(f"close issue: no transition of {external_id} leads to a done status")
