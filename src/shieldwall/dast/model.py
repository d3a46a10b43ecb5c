"""The values the DAST stages pass around: endpoints to attack and recorded exchanges."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from urllib.parse import urlencode, urlsplit, urlunsplit

from shieldwall.core.frozen import FrozenDict


class ParamIn(StrEnum):
    """Where a parameter travels in a request."""

    QUERY = "query"
    FORM = "form"
    JSON = "json"
    XML = "xml"  # the whole request body is an XML document (the value)
    GRAPHQL = "graphql"  # a variable of the GraphQL operation in the endpoint's document
    GRAPHQL_DOCUMENT = "graphql-document"  # the operation itself (never attacked)


@dataclass(frozen=True, slots=True)
class Param:
    """One named input of an endpoint, with the value a normal user would send."""

    name: str
    value: str
    where: ParamIn = ParamIn.QUERY
    attackable: bool = True  # false for submit buttons and anti-CSRF tokens


@dataclass(frozen=True, slots=True)
class Endpoint:
    """A request the scanner can send again with one parameter changed.

    ``url`` has no query string; query parameters are in ``params``. ``origin`` is the page on
    which the endpoint was found (a form's page), where stored payloads show up again.
    """

    method: str
    url: str
    params: tuple[Param, ...] = ()
    origin: str = ""

    @property
    def key(self) -> tuple[str, str, tuple[str, ...]]:
        """Endpoints that differ only in parameter values are the same endpoint."""
        return (self.method, self.url, tuple(sorted(p.name for p in self.params)))

    def with_value(self, name: str, value: str) -> Endpoint:
        """The endpoint with one parameter's value replaced."""
        params = tuple(replace(p, value=value) if p.name == name else p for p in self.params)
        return replace(self, params=params)

    def full_url(self) -> str:
        """The URL with the query parameters encoded."""
        query = [(p.name, p.value) for p in self.params if p.where is ParamIn.QUERY]
        if not query:
            return self.url
        parts = urlsplit(self.url)
        return urlunsplit(parts._replace(query=urlencode(query)))


@dataclass(frozen=True, slots=True)
class Exchange:
    """One request and the (possibly truncated) response to it."""

    method: str
    url: str
    request_headers: Mapping[str, str]
    request_body: str
    status: int
    headers: tuple[tuple[str, str], ...]
    body: str
    elapsed: float
    truncated: bool = False
    content_type: str = ""
    extra: Mapping[str, str] = field(default_factory=FrozenDict)

    def header(self, name: str) -> str | None:
        """The first value of a response header (case-insensitive), or None."""
        lowered = name.lower()
        for key, value in self.headers:
            if key.lower() == lowered:
                return value
        return None

    def header_values(self, name: str) -> list[str]:
        """Every value of a response header (``Set-Cookie`` repeats)."""
        lowered = name.lower()
        return [value for key, value in self.headers if key.lower() == lowered]

    @property
    def is_html(self) -> bool:
        """Whether a browser renders the body as HTML."""
        return "html" in self.content_type

    @property
    def path(self) -> str:
        """The path of the requested URL."""
        return urlsplit(self.url).path or "/"
