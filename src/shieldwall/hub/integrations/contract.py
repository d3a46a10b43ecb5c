"""The issue-tracker family's contract: what is sent (``IssueDraft``), what comes back
(``RemoteIssue``), the ``Tracker`` protocol and the family's error."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

import httpx

from shieldwall.hub.errors import HubError

TIMEOUT = httpx.Timeout(15.0, connect=5.0)


class TrackerKind(StrEnum):
    """The trackers the hub exports to."""

    GITHUB = "github"
    GITLAB = "gitlab"
    JIRA = "jira"


class IssueState(StrEnum):
    """A ticket's state, normalised across trackers."""

    OPEN = "open"
    CLOSED = "closed"


class TrackerError(HubError):
    """The tracker refused or could not be reached (the message never holds the token)."""


@dataclass(frozen=True, slots=True)
class IssueDraft:
    """A ticket to create."""

    title: str
    body: str
    labels: tuple[str, ...] = field(default=("security",))


@dataclass(frozen=True, slots=True)
class RemoteIssue:
    """A ticket as the tracker reports it."""

    external_id: str
    url: str
    state: IssueState


class Tracker(Protocol):
    """Creates, reads and closes tickets in one remote project."""

    def create(self, draft: IssueDraft) -> RemoteIssue:
        """Open a ticket."""
        ...

    def get(self, external_id: str) -> RemoteIssue:
        """The ticket's current state."""
        ...

    def close(self, external_id: str, comment: str) -> None:
        """Comment on the ticket and close it."""
        ...


def checked(response: httpx.Response, what: str) -> httpx.Response:
    """Raise :class:`TrackerError` for an error status, quoting the tracker's message."""
    if response.status_code < 300:
        return response
    detail = ""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        detail = str(body.get("message") or body.get("errorMessages") or body.get("errors") or "")
    raise TrackerError(
        f"{what}: the tracker answered {response.status_code} {detail[:300]}".strip()
    )


def request(
    client: httpx.Client, method: str, url: str, what: str, **kwargs: object
) -> httpx.Response:
    """One call with timeouts; network errors become :class:`TrackerError`."""
    try:
        response = client.request(method, url, timeout=TIMEOUT, **kwargs)  # type: ignore[arg-type]
    except httpx.HTTPError as exc:
        raise TrackerError(f"{what}: {type(exc).__name__} reaching the tracker") from exc
    return checked(response, what)
