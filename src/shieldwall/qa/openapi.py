"""The operations of an OpenAPI 3 document that must demand authentication."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from shieldwall.core.errors import ConfigError

__all__ = ["Operation", "load_document", "parse_document", "protected_operations"]

_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_PARAM = re.compile(r"\{[^}/]+\}")


@dataclass(frozen=True, slots=True)
class Operation:
    """One method on one path template, and a concrete path to request it with."""

    method: str
    template: str
    path: str
    has_body: bool


def parse_document(text: str, source: str) -> dict[str, Any]:
    """An OpenAPI document from JSON or YAML text."""
    try:
        document = json.loads(text) if text.lstrip().startswith("{") else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as exc:
        raise ConfigError(f"{source}: not a JSON or YAML OpenAPI document: {exc}") from exc
    if not isinstance(document, dict) or not isinstance(document.get("paths"), dict):
        raise ConfigError(f"{source}: not an OpenAPI document (no 'paths')")
    return document


def load_document(path: Path) -> dict[str, Any]:
    """Read an OpenAPI document from a file."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the OpenAPI document: {exc}") from exc
    return parse_document(text, str(path))


def protected_operations(document: dict[str, Any], public: set[str]) -> list[Operation]:
    """Operations not listed in ``public`` ("GET /health") and not marked ``security: []``.

    An operation-level empty ``security`` list is OpenAPI's way of saying "no authentication"
    (OpenAPI 3.1 §4.8.10), so it is public by the document's own word.
    """
    operations = []
    for template, item in document["paths"].items():
        if not isinstance(item, dict):
            continue
        for method in _METHODS:
            operation = item.get(method)
            if not isinstance(operation, dict):
                continue
            if f"{method.upper()} {template}" in public or operation.get("security") == []:
                continue
            operations.append(
                Operation(
                    method=method.upper(),
                    template=template,
                    path=_PARAM.sub("1", template),
                    has_body="requestBody" in operation,
                )
            )
    return operations
