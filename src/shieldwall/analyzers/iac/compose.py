"""docker-compose files as resources: one ``compose_service`` per service."""

from __future__ import annotations

import re
from collections.abc import Iterator

from shieldwall.analyzers.iac.model import Resource, SourceFormat
from shieldwall.analyzers.iac.values import ObjectValue, Value

_COMPOSE_NAME = re.compile(r"^(docker-)?compose([.-][\w.-]+)?\.ya?ml$")


def is_compose_name(path: str) -> bool:
    """Whether a file name is one docker compose reads (``compose.prod.yaml``...)."""
    return bool(_COMPOSE_NAME.match(path.rsplit("/", 1)[-1]))


def is_compose(doc: Value) -> bool:
    """Whether a document has the shape of a compose file (a ``services`` mapping of mappings)."""
    if not isinstance(doc, ObjectValue):
        return False
    services = doc.get("services")
    return (
        isinstance(services, ObjectValue)
        and bool(services.fields)
        and all(isinstance(s, ObjectValue) for s in services.fields.values())
        and "apiVersion" not in doc.fields
    )


def compose_resources(doc: ObjectValue, path: str) -> Iterator[Resource]:
    """One resource per service."""
    services = doc.get("services")
    if not isinstance(services, ObjectValue):
        return
    for name, service in services.fields.items():
        if isinstance(service, ObjectValue):
            yield Resource(
                "compose_service",
                f"services.{name}",
                path,
                service.line,
                service,
                SourceFormat.COMPOSE,
                "service",
            )
