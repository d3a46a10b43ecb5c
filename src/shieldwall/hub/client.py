"""A small HTTP client for the hub API, used by ``shieldwall hub upload`` and ``scan --upload``."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import httpx

from shieldwall.hub.errors import HubError


class HubClientError(HubError):
    """The hub refused a request or could not be reached."""


@dataclass(frozen=True, slots=True)
class UploadResult:
    """What the hub reported for an upload."""

    job_id: int
    status: str
    scan_id: int | None
    duplicate: bool
    total: int
    new: int
    reopened: int
    fixed: int
    format: str | None


class HubClient:
    """The hub's REST API; the ``httpx.Client`` is injected (tests use a local server)."""

    def __init__(
        self, base_url: str, token: str, http: httpx.Client | None = None, timeout: float = 300.0
    ) -> None:
        self._base = base_url.rstrip("/")
        self._owned = http is None
        self._http = http or httpx.Client(timeout=timeout)
        self._headers = {"Authorization": f"Bearer {token}"}

    def close(self) -> None:
        """Close the HTTP client if this object created it."""
        if self._owned:
            self._http.close()

    def __enter__(self) -> HubClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _check(self, response: httpx.Response) -> dict[str, Any]:
        if response.status_code >= 400:
            try:
                detail = response.json().get("detail", response.text)
            except ValueError:
                detail = response.text
            raise HubClientError(f"hub answered {response.status_code}: {detail}")
        body: dict[str, Any] = response.json()
        return body

    def upload(
        self,
        data: bytes,
        *,
        project: str,
        branch: str,
        fmt: str = "auto",
        commit: str | None = None,
        complete: bool = True,
        wait_seconds: float = 600.0,
    ) -> UploadResult:
        """Upload a report; when the hub queues it, poll the job until it is done."""
        params: dict[str, str] = {
            "branch": branch,
            "format": fmt,
            "complete": str(complete).lower(),
        }
        if commit:
            params["commit"] = commit
        try:
            response = self._http.post(
                f"{self._base}/api/v1/projects/{project}/scans",
                params=params,
                content=data,
                headers={**self._headers, "Content-Type": "application/octet-stream"},
            )
            body = self._check(response)
            deadline = time.monotonic() + wait_seconds
            while body["status"] in ("queued", "running") and time.monotonic() < deadline:
                time.sleep(0.5)
                body = self._check(
                    self._http.get(
                        f"{self._base}/api/v1/jobs/{body['job_id']}", headers=self._headers
                    )
                )
        except httpx.HTTPError as exc:
            raise HubClientError(f"could not reach the hub at {self._base}: {exc}") from exc
        if body["status"] == "failed":
            raise HubClientError(f"the hub could not import the report: {body.get('error')}")
        return UploadResult(
            job_id=body["job_id"],
            status=body["status"],
            scan_id=body.get("scan_id"),
            duplicate=bool(body.get("duplicate")),
            total=int(body.get("total", 0)),
            new=int(body.get("new", 0)),
            reopened=int(body.get("reopened", 0)),
            fixed=int(body.get("fixed", 0)),
            format=body.get("format"),
        )
