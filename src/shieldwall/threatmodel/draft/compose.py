"""docker-compose files: services become components, ``depends_on`` and ``links`` flows."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

import yaml

from shieldwall.threatmodel.draft.parts import (
    DraftComponent,
    DraftFlow,
    DraftParts,
    kind_from_image,
    protocol_for,
    slug,
)
from shieldwall.threatmodel.vocabulary import ComponentKind, Exposure

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
COMPOSE_NAMES = frozenset(
    {"docker-compose.yml", "docker-compose.yaml", "compose.yml", "compose.yaml"}
)


def is_compose(path: str) -> bool:
    """Whether ``path`` is a compose file by name."""
    name = PurePosixPath(path).name
    return name in COMPOSE_NAMES or (
        name.startswith("docker-compose.") and name.endswith((".yml", ".yaml"))
    )


def read_compose(path: str, text: str, parts: DraftParts) -> None:
    """Add the services of one compose file."""
    try:
        document = yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        parts.warnings.append(f"{path}: not valid YAML ({exc.__class__.__name__}); skipped")
        return
    services = document.get("services") if isinstance(document, dict) else None
    if not isinstance(services, dict):
        return
    ids: dict[str, DraftComponent] = {}
    for name, service in services.items():
        if isinstance(service, dict):
            ids[str(name)] = parts.add(_component(path, str(name), service))
    for name, service in services.items():
        if not isinstance(service, dict) or str(name) not in ids:
            continue
        for dependency in _dependencies(service):
            target = ids.get(dependency)
            if target is not None:
                parts.flows.append(
                    DraftFlow(
                        ids[str(name)].id,
                        target.id,
                        protocol_for(target.kind, target.technology),
                        origin=path,
                    )
                )


def _component(path: str, name: str, service: dict[str, Any]) -> DraftComponent:
    image = str(service.get("image") or "")
    kind, technology = kind_from_image(image or name)
    published = bool(service.get("ports"))
    if kind is None:
        kind = ComponentKind.WEB_APP if published else ComponentKind.WORKER
    build = service.get("build")
    context = (
        build
        if isinstance(build, str)
        else (build or {}).get("context", "")
        if isinstance(build, dict)
        else ""
    )
    component = DraftComponent(
        id=slug(name),
        kind=kind,
        source=path,
        technology=technology,
        exposure=Exposure.INTERNET
        if published and kind is ComponentKind.WEB_APP
        else Exposure.INTERNAL,
        iac={path},
    )
    if image:
        component.images.add(image)
    if context:
        base = PurePosixPath(path).parent / str(context)
        component.code.add(f"{_normal(base)}/**")
    return component


def _normal(path: PurePosixPath) -> str:
    parts: list[str] = []
    for part in path.parts:
        if part == "..":
            if parts:
                parts.pop()
        elif part not in {".", ""}:
            parts.append(part)
    return "/".join(parts) or "."


def _dependencies(service: dict[str, Any]) -> list[str]:
    names: list[str] = []
    for key in ("depends_on", "links"):
        value = service.get(key)
        if isinstance(value, dict):
            names.extend(str(k) for k in value)
        elif isinstance(value, list):
            names.extend(str(v).split(":", 1)[0] for v in value)
    return names
