"""Python code: web routes (Flask, FastAPI, Django), database and HTTP clients, risky features.

Each directory whose modules declare routes becomes one web component; the imports of every
module in it say which databases and services it talks to and what risky things it does.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from shieldwall.threatmodel.vocabulary import Feature

_ROUTE_DECORATORS = frozenset(
    {"route", "get", "post", "put", "patch", "delete", "api_route", "websocket"}
)
# Imported module (first component) -> what it tells about the code.
CLIENTS: dict[str, tuple[str, str]] = {
    "sqlite3": ("database", "sqlite"),
    "psycopg": ("database", "postgres"),
    "psycopg2": ("database", "postgres"),
    "asyncpg": ("database", "postgres"),
    "pymysql": ("database", "mysql"),
    "mysql": ("database", "mysql"),
    "sqlalchemy": ("database", "sql"),
    "pymongo": ("database", "mongodb"),
    "motor": ("database", "mongodb"),
    "redis": ("database", "redis"),
    "elasticsearch": ("database", "elasticsearch"),
    "pika": ("queue", "rabbitmq"),
    "kafka": ("queue", "kafka"),
    "confluent_kafka": ("queue", "kafka"),
    "celery": ("queue", "celery"),
    "boto3": ("object_storage", "s3"),
    "requests": ("external_service", "http"),
    "httpx": ("external_service", "http"),
    "aiohttp": ("external_service", "http"),
    "urllib3": ("external_service", "http"),
}
FEATURES: dict[str, Feature] = {
    "subprocess": Feature.SHELL_COMMANDS,
    "pickle": Feature.DESERIALIZATION,
    "yaml": Feature.DESERIALIZATION,
    "marshal": Feature.DESERIALIZATION,
    "lxml": Feature.XML_PARSING,
    "xml": Feature.XML_PARSING,
    "jinja2": Feature.TEMPLATING,
    "ldap": Feature.LDAP,
    "ldap3": Feature.LDAP,
    "smtplib": Feature.EMAIL,
    "graphene": Feature.GRAPHQL,
    "strawberry": Feature.GRAPHQL,
    "stripe": Feature.PAYMENTS,
    "flask_login": Feature.LOGIN,
}
NAME_FEATURES: dict[str, Feature] = {
    "redirect": Feature.REDIRECTS,
    "RedirectResponse": Feature.REDIRECTS,
    "send_file": Feature.FILE_DOWNLOAD,
    "send_from_directory": Feature.FILE_DOWNLOAD,
    "FileResponse": Feature.FILE_DOWNLOAD,
    "render_template_string": Feature.TEMPLATING,
    "render_template": Feature.TEMPLATING,
    "UploadFile": Feature.FILE_UPLOAD,
    "session": Feature.SESSIONS,
    "login_user": Feature.LOGIN,
}


@dataclass(slots=True)
class ModuleFacts:
    """What one module tells about the component it belongs to."""

    framework: str = ""
    routes: list[str] = field(default_factory=list)
    clients: set[tuple[str, str]] = field(default_factory=set)
    features: set[Feature] = field(default_factory=set)
    admin: bool = False


def read_python(path: str, text: str) -> ModuleFacts | None:
    """The facts of one module, or None when it does not parse."""
    try:
        tree = ast.parse(text, filename=path)
    except (SyntaxError, ValueError, RecursionError):
        return None
    facts = ModuleFacts()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                _imported(alias.name, facts)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            _imported(node.module, facts)
            for alias in node.names:
                if alias.name in NAME_FEATURES:
                    facts.features.add(NAME_FEATURES[alias.name])
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            facts.routes.extend(_routes(node))
        elif isinstance(node, ast.Call) and _is_django_path(node, path):
            facts.framework = facts.framework or "django"
            facts.routes.append(_first_string(node) or "?")
        elif isinstance(node, ast.Attribute) and node.attr == "files":
            # request.files (Flask) / request.FILES (Django) mean uploads.
            facts.features.add(Feature.FILE_UPLOAD)
        elif isinstance(node, ast.Attribute) and node.attr == "FILES":
            facts.features.add(Feature.FILE_UPLOAD)
    if any("admin" in route for route in facts.routes):
        facts.admin = True
        facts.features.add(Feature.ADMIN_UI)
    if any(r for r in facts.routes if any(w in r for w in ("login", "signin", "auth"))):
        facts.features.add(Feature.LOGIN)
    return facts


def _imported(module: str, facts: ModuleFacts) -> None:
    top = module.split(".", 1)[0]
    if top in {"flask", "fastapi", "django", "starlette"}:
        facts.framework = facts.framework or top
    if top in CLIENTS:
        facts.clients.add(CLIENTS[top])
    if top in FEATURES:
        facts.features.add(FEATURES[top])


def _routes(node: ast.FunctionDef | ast.AsyncFunctionDef) -> list[str]:
    found = []
    for decorator in node.decorator_list:
        if not isinstance(decorator, ast.Call):
            continue
        func = decorator.func
        if isinstance(func, ast.Attribute) and func.attr in _ROUTE_DECORATORS:
            found.append(_first_string(decorator) or node.name)
    return found


def _is_django_path(node: ast.Call, path: str) -> bool:
    name = node.func.id if isinstance(node.func, ast.Name) else ""
    return name in {"path", "re_path", "url"} and PurePosixPath(path).name == "urls.py"


def _first_string(call: ast.Call) -> str:
    if call.args and isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str):
        return call.args[0].value
    return ""
