"""The security test plan: an access-control matrix and friends, read from YAML.

```yaml
app: shop:app                  # import path of a WSGI or ASGI app (or base_url: for a live app)
roles:
  anonymous: {}
  alice: {login: {method: POST, path: /login, json: {user: alice, password: a}}}
  admin: {headers: {Authorization: Bearer admin-token}}
endpoints:                     # roles × endpoints → allow/deny, one test per cell
  - {method: GET, path: /admin, allow: [admin], deny: [alice, anonymous]}
openapi: /openapi.json         # every operation must demand authentication...
public: [GET /health]          # ...unless listed here or marked `security: []`
objects:                       # BOLA: owner creates, attacker reads/changes/deletes
  - {name: orders, owner: alice, attacker: bob, create: {method: POST, path: /orders},
     id: id, fetch: /orders/{id}, update: /orders/{id}, delete: /orders/{id}}
hygiene: {paths: [/], error_paths: [/does-not-exist]}
```
Errors name the file and line, from the YAML node the bad value came from.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal, NoReturn

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from shieldwall.core.errors import ConfigError

__all__ = [
    "Endpoint",
    "Hygiene",
    "Login",
    "MatrixError",
    "ObjectCheck",
    "Request",
    "Role",
    "SecurityPlan",
    "compose_and_load",
    "load_plan",
    "node_at",
]

Method = Literal["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


class MatrixError(ConfigError):
    """The security test plan is malformed; the message names the file and line."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Request(_Strict):
    """One request: method, path (``{id}`` is filled in), optional JSON or form body."""

    method: Method = "GET"
    path: str
    json_body: Any = Field(default=None, alias="json")
    form: dict[str, str] | None = None
    headers: dict[str, str] = Field(default_factory=dict)


class Login(Request):
    """How a role logs in: the request, and the expected status (its cookies are kept)."""

    method: Method = "POST"
    token_field: str | None = None  # JSON field of a bearer token in the login response


class Role(_Strict):
    """A user the tests act as: headers and/or a login request. ``{}`` is anonymous."""

    headers: dict[str, str] = Field(default_factory=dict)
    login: Login | None = None


class Endpoint(_Strict):
    """A row of the matrix: who is allowed and who is denied."""

    method: Method = "GET"
    path: str
    allow: tuple[str, ...] = ()
    deny: tuple[str, ...] = ()
    json_body: Any = Field(default=None, alias="json")

    @model_validator(mode="after")
    def _disjoint(self) -> Endpoint:
        both = set(self.allow) & set(self.deny)
        if both:
            raise ValueError(f"roles both allowed and denied: {sorted(both)}")
        return self


class ObjectCheck(_Strict):
    """Object-level authorisation: resources of ``owner`` touched by ``attacker``."""

    name: str
    owner: str
    attacker: str
    create: Request
    id: str = "id"  # field of the create response's JSON that holds the new object's id
    fetch: str | None = None
    update: str | None = None
    delete: str | None = None
    update_json: Any = None


class Hygiene(_Strict):
    """Response hygiene: which pages to check, which should produce errors."""

    paths: tuple[str, ...] = ("/",)
    error_paths: tuple[str, ...] = ("/shieldwall-qa-does-not-exist",)
    require_secure_cookies: bool = True
    headers: tuple[str, ...] = (
        "X-Content-Type-Options",
        "Content-Security-Policy",
        "Referrer-Policy",
    )


class SecurityPlan(_Strict):
    """The whole plan; ``app`` (in process) or ``base_url`` (live) says what is tested."""

    version: Literal[1] = 1
    app: str | None = None
    interface: Literal["auto", "wsgi", "asgi"] = "auto"
    base_url: str | None = None
    deny_status: tuple[int, ...] = (401, 403, 404)
    roles: dict[str, Role] = Field(default_factory=dict)
    endpoints: tuple[Endpoint, ...] = ()
    openapi: str | None = None
    public: tuple[str, ...] = ()
    objects: tuple[ObjectCheck, ...] = ()
    hygiene: Hygiene | None = None

    @model_validator(mode="after")
    def _consistent(self) -> SecurityPlan:
        if (self.app is None) == (self.base_url is None):
            raise ValueError("give exactly one of app (in process) or base_url (live)")
        return self


# libyaml's safe loader when it is there: a 1,000-cell plan parses in a fraction of the time.
_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def compose_and_load(text: str) -> tuple[yaml.Node | None, Any]:
    """The node tree (for line numbers) and the data of a YAML document, parsed once, safely."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        return node, (loader.construct_document(node) if node is not None else None)
    finally:
        loader.dispose()


def node_at(root: yaml.Node, loc: tuple[int | str, ...]) -> yaml.Node:
    """The deepest YAML node along a pydantic error location."""
    node = root
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            match = next((v for k, v in node.value if k.value == part), None)
            if match is None:
                break
            node = match
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(node.value):
                break
            node = node.value[part]
        else:
            break
    return node


def load_plan(path: Path) -> SecurityPlan:
    """Read and validate a plan; any problem is a :class:`MatrixError` with the line."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise MatrixError(f"{path}: cannot read: {exc}") from exc
    try:
        root, data = compose_and_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        raise MatrixError(f"{path}{line}: not valid YAML: {exc}") from exc
    if root is None or not isinstance(data, dict):
        raise MatrixError(f"{path}:1: a security test plan is a mapping (app:, roles:, ...)")
    try:
        plan = SecurityPlan.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        _raise_at(path, root, tuple(first["loc"]), first["msg"].removeprefix("Value error, "))
    _check_roles(plan, path, root)
    return plan


def _raise_at(path: Path, root: yaml.Node, loc: tuple[int | str, ...], msg: str) -> NoReturn:
    node = node_at(root, loc)
    where = ".".join(str(p) for p in loc) or "(top)"
    raise MatrixError(f"{path}:{node.start_mark.line + 1}: {where}: {msg}")


def _check_roles(plan: SecurityPlan, path: Path, root: yaml.Node) -> None:
    """Every role a test names is defined under ``roles:``."""
    known = set(plan.roles)
    for i, endpoint in enumerate(plan.endpoints):
        for key in ("allow", "deny"):
            unknown = sorted(set(getattr(endpoint, key)) - known)
            if unknown:
                _raise_at(path, root, ("endpoints", i, key), f"unknown roles {unknown}")
    for i, check in enumerate(plan.objects):
        for key in ("owner", "attacker"):
            if getattr(check, key) not in known:
                _raise_at(path, root, ("objects", i, key), f"unknown role {getattr(check, key)!r}")
