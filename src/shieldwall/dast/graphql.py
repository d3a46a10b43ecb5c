"""GraphQL: find endpoints, read their schema by introspection, and turn every query field into
an endpoint whose string arguments the injection checks attack (as operation variables).

Only ``Query`` fields are generated: mutations change state, and a scanner must not create,
pay or delete things on its own. Schemas are foreign JSON: they are validated into small typed
models before anything reads them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from shieldwall.core.errors import ConfigError
from shieldwall.dast.client import DastClient
from shieldwall.dast.model import Endpoint, Exchange, Param, ParamIn

# Where servers and frameworks mount GraphQL by default (Apollo, Hasura, graphene, Hot Chocolate…).
COMMON_PATHS = ("/graphql", "/api/graphql", "/v1/graphql", "/graphql/v1", "/query", "/gql")
_STRING_SCALARS = {"String", "ID"}
_LITERALS = {"Int": "1", "Float": "1.0", "Boolean": "true"}
_MAX_FIELDS = 100
_MAX_SELECTED = 10

_TYPE_REF = "kind name ofType { kind name ofType { kind name ofType { kind name } } }"
INTROSPECTION_QUERY = (
    "query IntrospectionQuery { __schema { queryType { name } types { kind name "
    "enumValues { name } "
    f"fields {{ name args {{ name type {{ {_TYPE_REF} }} }} type {{ {_TYPE_REF} }} }} }} }} }}"
)


class TypeRef(BaseModel):
    """A reference to a type, wrapped in NON_NULL and LIST as declared."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)
    kind: str
    name: str | None = None
    of_type: TypeRef | None = Field(default=None, alias="ofType")

    def named(self) -> TypeRef:
        """The named type inside the wrappers."""
        return self.of_type.named() if self.of_type is not None else self

    def required(self) -> bool:
        """Whether a value must be given (an outer NON_NULL)."""
        return self.kind == "NON_NULL"

    def render(self) -> str:
        """The type as written in a variable definition: ``String!``, ``[ID]``."""
        if self.kind == "NON_NULL" and self.of_type is not None:
            return self.of_type.render() + "!"
        if self.kind == "LIST" and self.of_type is not None:
            return f"[{self.of_type.render()}]"
        return self.name or "String"


class InputValue(BaseModel):
    """An argument of a field."""

    model_config = ConfigDict(extra="ignore")
    name: str
    type: TypeRef


class FieldDef(BaseModel):
    """A field of an object type."""

    model_config = ConfigDict(extra="ignore")
    name: str
    args: list[InputValue] = Field(default_factory=list)
    type: TypeRef


class EnumValue(BaseModel):
    """One value of an enum."""

    model_config = ConfigDict(extra="ignore")
    name: str


class FullType(BaseModel):
    """A named type of the schema."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)
    kind: str
    name: str
    fields: list[FieldDef] | None = None
    enum_values: list[EnumValue] | None = Field(default=None, alias="enumValues")


class _RootName(BaseModel):
    model_config = ConfigDict(extra="ignore")
    name: str


class Schema(BaseModel):
    """The introspected schema: its query root and its types."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)
    query_type: _RootName | None = Field(default=None, alias="queryType")
    types: list[FullType] = Field(default_factory=list)

    def type(self, name: str | None) -> FullType | None:
        """The named type, if the schema has it."""
        return next((t for t in self.types if t.name == name), None)

    def query_fields(self) -> list[FieldDef]:
        """The fields of the query root."""
        root = self.type(self.query_type.name if self.query_type else "Query")
        return list(root.fields or []) if root else []


@dataclass(frozen=True, slots=True)
class GraphqlApi:
    """An endpoint, its schema, and the introspection answer that gave it (None when the schema
    came from a file because the endpoint refuses introspection)."""

    url: str
    schema: Schema
    exchange: Exchange | None


def parse_introspection(body: str) -> Schema | None:
    """The schema of an introspection answer (``{"data": {"__schema": …}}``, or the
    ``{"__schema": …}`` that code generators save), or None when it is not one."""
    try:
        data = json.loads(body)
    except ValueError:
        return None
    if isinstance(data, dict) and "__schema" in data:
        data = {"data": data}
    raw = data.get("data", {}).get("__schema") if isinstance(data, dict) else None
    if not isinstance(raw, dict) or "types" not in raw:
        return None
    try:
        return Schema.model_validate(raw)
    except ValidationError:
        return None


def load_schema_file(path: Path) -> Schema:
    """A schema saved from an introspection query (for endpoints that refuse introspection)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read GraphQL schema {path}: {exc}") from exc
    schema = parse_introspection(text)
    if schema is None:
        raise ConfigError(f"{path} is not a GraphQL introspection result (no __schema with types)")
    return schema


def candidate_urls(target: str, crawled: list[str], given: str | None) -> list[str]:
    """The URLs to try: the one given, else common paths and crawled URLs that say graphql."""
    if given:
        return [urljoin(target, given)]
    found = [urljoin(target, path) for path in COMMON_PATHS]
    found += [url.split("?")[0] for url in crawled if "graphql" in url.lower()]
    return list(dict.fromkeys(found))


async def introspect(client: DastClient, url: str) -> GraphqlApi | None:
    """Ask ``url`` for its schema; None when it is no GraphQL endpoint or refuses."""
    if not client.scope.allows(url):
        return None
    exchange = await client.send("POST", url, json={"query": INTROSPECTION_QUERY})
    if exchange.status >= 400 and "json" not in exchange.content_type:
        return None
    schema = parse_introspection(exchange.body)
    return GraphqlApi(url, schema, exchange) if schema is not None else None


def endpoints(api: GraphqlApi) -> Iterator[Endpoint]:
    """One endpoint per query field that takes a string argument (the injectable ones)."""
    for field in api.schema.query_fields()[:_MAX_FIELDS]:
        endpoint = _field_endpoint(api, field)
        if endpoint is not None:
            yield endpoint


def _field_endpoint(api: GraphqlApi, field: FieldDef) -> Endpoint | None:
    variables: list[str] = []
    arguments: list[str] = []
    params: list[Param] = []
    for arg in field.args:
        named = arg.type.named()
        if named.name in _STRING_SCALARS:
            variables.append(f"${arg.name}: {arg.type.render()}")
            arguments.append(f"{arg.name}: ${arg.name}")
            params.append(Param(f"{field.name}.{arg.name}", "1", ParamIn.GRAPHQL))
        elif named.name in _LITERALS:
            arguments.append(f"{arg.name}: {_LITERALS[named.name]}")
        elif named.kind == "ENUM":
            values = (api.schema.type(named.name) or FullType(kind="ENUM", name="")).enum_values
            if values:
                arguments.append(f"{arg.name}: {values[0].name}")
            elif arg.type.required():
                return None
        elif arg.type.required():
            return None  # an input object we cannot fill in
    if not params:
        return None
    declared = f"({', '.join(variables)})"
    called = f"({', '.join(arguments)})"
    document = f"query{declared} {{ {field.name}{called}{selection(api.schema, field.type)} }}"
    params.insert(0, Param("query", document, ParamIn.GRAPHQL_DOCUMENT, attackable=False))
    return Endpoint("POST", api.url, tuple(params), origin="")


def selection(schema: Schema, ref: TypeRef) -> str:
    """The selection set for a field's type: its scalar fields, or ``__typename``."""
    named = schema.type(ref.named().name)
    if named is None or named.kind not in ("OBJECT", "INTERFACE", "UNION"):
        return ""
    scalars = [
        f.name
        for f in named.fields or []
        if not any(a.type.required() for a in f.args)
        and (schema.type(f.type.named().name) or FullType(kind="SCALAR", name="")).kind
        in ("SCALAR", "ENUM")
    ]
    return " { " + " ".join(["__typename", *scalars[:_MAX_SELECTED]]) + " }"


def recursive_path(schema: Schema) -> tuple[str, str, list[str]] | None:
    """(root field, its arguments, the nested field names that lead back to a type seen).

    ``User.friends: [User]`` gives ``("user", "(id: \\"1\\")", ["friends"])``: repeating the
    nested part makes a query as deep as wanted.
    """
    for root in schema.query_fields():
        arguments = _literal_arguments(root)
        if arguments is None:
            continue
        start = root.type.named().name
        owner = schema.type(start)
        for nested in owner.fields or [] if owner else []:
            if nested.type.named().name == start and not any(
                a.type.required() for a in nested.args
            ):
                return root.name, arguments, [nested.name]
    return None


def _literal_arguments(field: FieldDef) -> str | None:
    """Literal values for the required arguments of a field, or None when one is not simple."""
    parts = []
    for arg in field.args:
        name = arg.type.named().name
        if name in _STRING_SCALARS:
            parts.append(f'{arg.name}: "1"')
        elif name in _LITERALS:
            parts.append(f"{arg.name}: {_LITERALS[name]}")
        elif arg.type.required():
            return None
    return f"({', '.join(parts)})" if parts else ""


def answered(body: str, count: int = 1) -> list[Any] | None:
    """The ``data`` of each operation when all ``count`` of them ran without errors."""
    try:
        data = json.loads(body)
    except ValueError:
        return None
    results = data if isinstance(data, list) else [data]
    if len(results) != count or not all(isinstance(r, dict) for r in results):
        return None
    if any(r.get("errors") or not r.get("data") for r in results):
        return None
    return [r["data"] for r in results]
