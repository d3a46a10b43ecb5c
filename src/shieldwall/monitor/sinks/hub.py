"""The ``hub`` sink: alerts POSTed to a shieldwall hub project with an API token.

It is the webhook sink with bearer authentication instead of a signature, aimed at
``POST /api/v1/projects/<project>/alerts``. The hub upserts on each alert's key, so a batch that
is retried after a timeout (delivered but not confirmed) never stores an alert twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

import httpx

from shieldwall.monitor.sinks.webhook import WebhookSink

API_PATH = "/api/v1/projects/{project}/alerts"


def alerts_url(base_url: str, project: str) -> str:
    """The ingest URL of one project on a hub."""
    return base_url.rstrip("/") + API_PATH.format(project=quote(project, safe=""))


@dataclass(slots=True)
class HubSink(WebhookSink):
    """POSTs batches of alerts to the hub; ``secret`` holds the API token."""

    def headers(self, body: bytes) -> dict[str, str]:
        """JSON with the bearer token."""
        del body
        return {
            "Content-Type": "application/json",
            "Authorization": f"Bearer {self.secret.decode()}",
        }

    @classmethod
    def to_project(cls, client: httpx.Client, base_url: str, project: str, token: str) -> HubSink:
        """A sink for one project of the hub at ``base_url``."""
        return cls(client, alerts_url(base_url, project), token.encode())
