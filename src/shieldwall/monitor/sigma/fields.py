"""Sigma field names mapped to the ECS names our parsers emit, per Sigma log source category.

Sigma's web rules use W3C extended log names (``c-uri``, ``cs-method``...); see SigmaHQ's
``taxonomy`` appendix. CloudTrail, Kubernetes and generic JSON keep their own keys, so unmapped
names resolve as written.
"""

from __future__ import annotations

from collections.abc import Mapping

_WEB: Mapping[str, str] = {
    "c-ip": "source.ip",
    "c-uri": "url.original",
    "c-uri-query": "url.query",
    "cs-uri-query": "url.query",
    "cs-uri-stem": "url.path",
    "c-uri-stem": "url.path",
    "cs-uri": "url.original",
    "cs-method": "http.request.method",
    "sc-status": "http.response.status_code",
    "c-useragent": "user_agent.original",
    "cs-user-agent": "user_agent.original",
    "cs-referrer": "http.request.referrer",
    "cs-referer": "http.request.referrer",
    "cs-username": "user.name",
    "cs-bytes": "http.request.body.bytes",
    "sc-bytes": "http.response.body.bytes",
    "cs-version": "http.version",
}

_LINUX: Mapping[str, str] = {
    "User": "user.name",
    "CommandLine": "process.command_line",
    "Image": "process.executable",
    "ProcessId": "process.pid",
}

CATEGORY_FIELDS: Mapping[str, Mapping[str, str]] = {"webserver": _WEB, "proxy": _WEB}
PRODUCT_FIELDS: Mapping[str, Mapping[str, str]] = {"linux": _LINUX}


def field_name(name: str, product: str | None, category: str | None) -> str:
    """The event field that a Sigma rule's ``name`` refers to under the rule's log source."""
    by_category = CATEGORY_FIELDS.get(category or "", {})
    if name in by_category:
        return by_category[name]
    return PRODUCT_FIELDS.get(product or "", {}).get(name, name)
