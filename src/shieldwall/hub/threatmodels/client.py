"""Uploading a threat model version to the hub (``shieldwall threatmodel check --upload``)."""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from shieldwall.hub.client import HubClientError


@dataclass(frozen=True, slots=True)
class ModelUploadResult:
    """What the hub answered: the model, the version number and whether it was new."""

    model: str
    version: int
    duplicate: bool
    threats: int
    blocking: int


def upload_model(
    http: httpx.Client,
    base_url: str,
    token: str,
    document: bytes,
    *,
    project: str,
    model: str | None = None,
    commit: str | None = None,
    branch: str | None = None,
) -> ModelUploadResult:
    """POST the upload document to ``/api/v1/projects/{project}/threatmodels``."""
    params = {
        key: value
        for key, value in (("model", model), ("commit", commit), ("branch", branch))
        if value
    }
    url = f"{base_url.rstrip('/')}/api/v1/projects/{project}/threatmodels"
    try:
        response = http.post(
            url,
            params=params,
            content=document,
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
    except httpx.HTTPError as exc:
        raise HubClientError(f"could not reach the hub at {base_url}: {exc}") from exc
    if response.status_code >= 400:
        try:
            detail = response.json().get("detail", response.text)
        except ValueError:
            detail = response.text
        raise HubClientError(f"hub answered {response.status_code}: {detail}")
    body = response.json()
    version = body["version"]
    return ModelUploadResult(
        model=body["model"],
        version=int(version["number"]),
        duplicate=bool(body["duplicate"]),
        threats=int(version["threats"]),
        blocking=int(version["blocking"]),
    )
