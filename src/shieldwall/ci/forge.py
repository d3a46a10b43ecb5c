"""Post or update the one shieldwall comment on a pull request (GitHub) or merge request (GitLab).

GitHub: issue comments API (``GET/POST /repos/{repo}/issues/{n}/comments``,
``PATCH /repos/{repo}/issues/comments/{id}``). GitLab: merge request notes API
(``GET/POST /projects/{id}/merge_requests/{iid}/notes``, ``PUT .../notes/{note_id}``). Both are
paged with ``per_page``/``page``. A forge that is down, refuses the token or rate-limits raises
:class:`ForgeError`; the CLI turns that into a warning, because the comment must never decide CI.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, assert_never

import httpx

from shieldwall.core.errors import ShieldwallError

__all__ = ["CommentOutcome", "Forge", "ForgeError", "ForgeTarget", "make_client", "upsert_comment"]

_PER_PAGE = 100
_MAX_PAGES = 50  # 5,000 comments: beyond that something is wrong; stop rather than loop


class ForgeError(ShieldwallError):
    """The forge could not be reached or refused the request (down, rate limit, bad token)."""


class Forge(StrEnum):
    """The code forges whose review threads we comment on."""

    GITHUB = "github"
    GITLAB = "gitlab"


@dataclass(frozen=True, slots=True)
class ForgeTarget:
    """Which pull/merge request to comment on, and how to reach the forge's API."""

    forge: Forge
    api_url: str  # https://api.github.com or https://gitlab.example.com/api/v4
    project: str  # owner/repo (GitHub) or the numeric or path-encoded project id (GitLab)
    number: int  # pull request number or merge request iid
    token: str


class CommentOutcome(StrEnum):
    """What :func:`upsert_comment` did."""

    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


def _headers(target: ForgeTarget) -> dict[str, str]:
    match target.forge:
        case Forge.GITHUB:
            return {
                "Authorization": f"Bearer {target.token}",
                "Accept": "application/vnd.github+json",
                "X-GitHub-Api-Version": "2022-11-28",
            }
        case Forge.GITLAB:
            return {"PRIVATE-TOKEN": target.token}
        case _:
            assert_never(target.forge)


def _paths(target: ForgeTarget) -> tuple[str, str]:
    """(collection path, item path prefix) of the comments."""
    match target.forge:
        case Forge.GITHUB:
            base = f"/repos/{target.project}/issues"
            return f"{base}/{target.number}/comments", f"{base}/comments/"
        case Forge.GITLAB:
            project = target.project.replace("/", "%2F")
            base = f"/projects/{project}/merge_requests/{target.number}/notes"
            return base, base + "/"
        case _:
            assert_never(target.forge)


def _check(response: httpx.Response) -> Any:
    if response.status_code == 429 or (
        response.status_code == 403 and response.headers.get("x-ratelimit-remaining") == "0"
    ):
        retry = response.headers.get("retry-after") or response.headers.get("x-ratelimit-reset")
        raise ForgeError(f"rate-limited by the forge (retry after {retry or 'a while'})")
    if response.status_code >= 400:
        raise ForgeError(
            f"{response.request.method} {response.request.url.path}: "
            f"HTTP {response.status_code} {response.text[:200]!r}"
        )
    return response.json()


def _find_existing(
    client: httpx.Client, target: ForgeTarget, collection: str, marker: str
) -> tuple[int, str] | None:
    for page in range(1, _MAX_PAGES + 1):
        items = _check(client.get(collection, params={"per_page": _PER_PAGE, "page": page}))
        if not isinstance(items, list):
            raise ForgeError(f"{target.forge}: unexpected comments listing")
        for item in items:
            body = item.get("body") or ""
            if marker in body:
                return int(item["id"]), body
        if len(items) < _PER_PAGE:
            return None
    return None


def upsert_comment(
    client: httpx.Client, target: ForgeTarget, marker: str, render: Callable[[str], str]
) -> CommentOutcome:
    """Create the comment that contains ``marker``, or update it in place.

    ``render(previous_body)`` builds the new body from the old one ('' when there is none), so
    the comment can compare itself with what it said before.
    """
    try:
        return _upsert(client, target, marker, render)
    except httpx.HTTPError as exc:
        raise ForgeError(f"{target.forge} API unreachable: {exc}") from exc
    except ValueError as exc:  # a non-JSON answer (a proxy's error page)
        raise ForgeError(f"{target.forge} API answered with something not JSON") from exc


def _upsert(
    client: httpx.Client, target: ForgeTarget, marker: str, render: Callable[[str], str]
) -> CommentOutcome:
    collection, item_prefix = _paths(target)
    existing = _find_existing(client, target, collection, marker)
    body = render(existing[1] if existing else "")
    if existing is None:
        _check(client.post(collection, json={"body": body}))
        return CommentOutcome.CREATED
    if existing[1] == body:
        return CommentOutcome.UNCHANGED
    method = "PATCH" if target.forge is Forge.GITHUB else "PUT"
    _check(client.request(method, f"{item_prefix}{existing[0]}", json={"body": body}))
    return CommentOutcome.UPDATED


def make_client(target: ForgeTarget, *, timeout: float = 15.0) -> httpx.Client:
    """An HTTP client for the forge's API, with auth headers and a timeout."""
    return httpx.Client(base_url=target.api_url, headers=_headers(target), timeout=timeout)
