"""OpenAPI 3 import: every operation of an API becomes an endpoint, with example values.

Values come from, in order: the parameter's ``example``, the schema's ``example``, ``default`` or
first ``enum`` value, then a value of the schema's type and format. Local ``$ref``s are resolved.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from shieldwall.core.errors import ConfigError
from shieldwall.dast.client import DastClient, OutOfScopeError, RequestFailedError
from shieldwall.dast.model import Endpoint, Param, ParamIn

_METHODS = ("get", "post", "put", "patch", "delete")
_BY_FORMAT = {
    "email": "shieldwall@example.com",
    "uuid": "00000000-0000-4000-8000-000000000000",
    "date": "2024-01-01",
    "date-time": "2024-01-01T00:00:00Z",
    "uri": "https://example.com/",
}
_BY_TYPE = {"integer": "1", "number": "1", "boolean": "true", "string": "test"}
_MAX_REF_DEPTH = 8


class _Server(BaseModel):
    model_config = ConfigDict(extra="allow")
    url: str = "/"


class OpenApiDocument(BaseModel):
    """The parts of an OpenAPI 3 document the scanner reads."""

    model_config = ConfigDict(extra="allow")
    openapi: str
    servers: list[_Server] = Field(default_factory=list)
    paths: dict[str, dict[str, Any]] = Field(default_factory=dict)
    components: dict[str, Any] = Field(default_factory=dict)


async def load_openapi(source: str, client: DastClient, target: str) -> list[Endpoint]:
    """The endpoints of a document from a file or from a URL (fetched within the scope)."""
    path = Path(source)
    if path.is_file():
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"cannot read OpenAPI document {source}: {exc}") from exc
    elif source.startswith(("http://", "https://", "/")):
        try:
            text = (await client.send("GET", urljoin(target, source))).body
        except (RequestFailedError, OutOfScopeError) as exc:
            raise ConfigError(f"cannot fetch OpenAPI document {source}: {exc}") from exc
    else:
        raise ConfigError(f"OpenAPI document {source} is neither a file nor a URL")
    return openapi_endpoints(parse_openapi(text, source), target)


def parse_openapi(text: str, source: str = "<openapi>") -> OpenApiDocument:
    """Parse JSON or YAML (safe loader) into a document; OpenAPI 3 only."""
    try:
        data = json.loads(text) if text.lstrip().startswith("{") else yaml.safe_load(text)
        document = OpenApiDocument.model_validate(data)
    except (ValueError, yaml.YAMLError, ValidationError) as exc:
        raise ConfigError(f"{source} is not an OpenAPI 3 document: {exc}") from exc
    if not document.openapi.startswith("3."):
        raise ConfigError(f"{source}: OpenAPI {document.openapi} is not supported (3.x only)")
    return document


def openapi_endpoints(document: OpenApiDocument, target: str) -> list[Endpoint]:
    """One endpoint per operation."""
    server = document.servers[0].url if document.servers else "/"
    base = urljoin(target, server)
    if not base.endswith("/"):
        base += "/"
    resolver = _Resolver(document.components)
    endpoints = []
    for path, item in document.paths.items():
        shared = item.get("parameters", [])
        for method in _METHODS:
            operation = item.get(method)
            if isinstance(operation, dict):
                endpoints.append(_endpoint(base, path, method, operation, shared, resolver))
    return endpoints


def _endpoint(
    base: str,
    path: str,
    method: str,
    operation: dict[str, Any],
    shared: list[Any],
    resolver: _Resolver,
) -> Endpoint:
    params: list[Param] = []
    for raw in [*shared, *operation.get("parameters", [])]:
        parameter = resolver.resolve(raw)
        name, where = str(parameter.get("name", "")), parameter.get("in")
        value = _example(parameter, resolver)
        if where == "path":
            path = path.replace("{" + name + "}", quote(value, safe=""))
        elif where == "query" and name:
            params.append(Param(name, value, ParamIn.QUERY))
    body = resolver.resolve(operation.get("requestBody", {})).get("content", {})
    xml = body.get("application/xml", body.get("text/xml"))
    if isinstance(xml, dict):
        example = str(xml.get("example", '<?xml version="1.0"?><r>test</r>'))
        params.append(Param("", example, ParamIn.XML))
    for media, where in (
        ("application/json", ParamIn.JSON),
        ("application/x-www-form-urlencoded", ParamIn.FORM),
    ):
        schema = resolver.resolve(body.get(media, {}).get("schema", {}))
        for name, prop in schema.get("properties", {}).items():
            params.append(Param(name, _example({"schema": prop}, resolver), where))
        if media in body:
            break
    url = urljoin(base, path.lstrip("/"))
    parts = urlsplit(url)
    return Endpoint(method.upper(), f"{parts.scheme}://{parts.netloc}{parts.path}", tuple(params))


def _example(parameter: dict[str, Any], resolver: _Resolver) -> str:
    if "example" in parameter:
        return str(parameter["example"])
    schema = resolver.resolve(parameter.get("schema", {}))
    for key in ("example", "default"):
        if key in schema:
            return str(schema[key])
    if schema.get("enum"):
        return str(schema["enum"][0])
    return _BY_FORMAT.get(str(schema.get("format")), _BY_TYPE.get(str(schema.get("type")), "test"))


class _Resolver:
    """Follows local ``$ref``s (``#/components/...``), with a depth limit against cycles."""

    def __init__(self, components: dict[str, Any]) -> None:
        self._root = {"components": components}

    def resolve(self, node: Any) -> dict[str, Any]:
        for _ in range(_MAX_REF_DEPTH):
            if not isinstance(node, dict):
                return {}
            ref = node.get("$ref")
            if not isinstance(ref, str) or not ref.startswith("#/"):
                return node
            node = self._lookup(ref)
        return {}

    def _lookup(self, ref: str) -> Any:
        node: Any = self._root
        for part in ref[2:].split("/"):
            node = (
                node.get(part.replace("~1", "/").replace("~0", "~"))
                if isinstance(node, dict)
                else None
            )
        return node
