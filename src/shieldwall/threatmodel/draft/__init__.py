"""``threatmodel init``: draft a model from what the repository already says about the system.

Sources: docker-compose services and links, Kubernetes workloads, services and ingresses,
Terraform data stores, queues and functions, and Python web routes with the database and HTTP
clients their code imports. The draft is a starting point; the user edits it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

import yaml

from shieldwall.core.errors import FileReadError
from shieldwall.core.file import File
from shieldwall.threatmodel.draft.compose import is_compose, read_compose
from shieldwall.threatmodel.draft.kubernetes import read_manifests
from shieldwall.threatmodel.draft.parts import (
    DraftComponent,
    DraftFlow,
    DraftParts,
    protocol_for,
    slug,
)
from shieldwall.threatmodel.draft.python import ModuleFacts, read_python
from shieldwall.threatmodel.draft.terraform import read_terraform
from shieldwall.threatmodel.vocabulary import ComponentKind, Exposure

__all__ = ["Draft", "draft_model"]

_HEADER = """\
# Draft threat model written by `shieldwall threatmodel init`. Review every element:
# add data assets (and what each component stores and each flow carries), authentication,
# trust boundaries and controls, then run `shieldwall threatmodel check`.
"""


@dataclass(frozen=True, slots=True)
class Draft:
    """The drafted model's YAML text and what went into it."""

    text: str
    components: int
    flows: int
    warnings: tuple[str, ...]


def draft_model(files: Iterable[File], name: str = "") -> Draft:
    """Draft a model from the files of a repository."""
    parts = DraftParts()
    modules: dict[str, ModuleFacts] = {}
    for file in files:
        suffix = PurePosixPath(file.path).suffix
        if suffix not in {".py", ".tf", ".yaml", ".yml"}:
            continue
        try:
            text = file.read_text_strict()
        except FileReadError as exc:
            parts.warnings.append(str(exc))
            continue
        if suffix == ".py":
            facts = read_python(file.path, text)
            if facts is None:
                parts.warnings.append(f"{file.path}: not valid Python; skipped")
            else:
                modules[file.path] = facts
        elif suffix == ".tf":
            read_terraform(file.path, text, parts)
        elif is_compose(file.path):
            read_compose(file.path, text, parts)
        else:
            read_manifests(file.path, text, parts)
    _add_code(modules, parts)
    document = _document(parts, name)
    text = _HEADER + yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)
    return Draft(text, len(parts.components), len(document["flows"]), tuple(parts.warnings))


def _root_of(path: str) -> str:
    parent = PurePosixPath(path).parent
    return parent.parts[0] if parent.parts else "."


def _add_code(modules: dict[str, ModuleFacts], parts: DraftParts) -> None:
    roots = sorted({_root_of(p) for p, m in modules.items() if m.routes})
    for root in roots:
        members = [m for p, m in modules.items() if _root_of(p) == root]
        framework = next((m.framework for m in members if m.framework), "")
        kind = ComponentKind.API if framework == "fastapi" else ComponentKind.WEB_APP
        component_id = slug(root if root != "." else "app")
        existing = parts.components.get(component_id)
        component = parts.add(
            DraftComponent(
                id=component_id,
                kind=kind,
                source=root,
                technology=framework,
                # Deployment files know better than the code who can reach it.
                exposure=existing.exposure if existing else Exposure.INTERNET,
                code={f"{root}/**" if root != "." else "*.py"},
            )
        )
        if component.kind is ComponentKind.WORKER:
            component.kind = kind  # it serves routes, whatever the compose file guessed
        for member in members:
            component.features |= member.features
        clients = {c for m in members for c in m.clients}
        for kind_name, technology in sorted(clients):
            target = _client_target(parts, ComponentKind(kind_name), technology)
            protocol = protocol_for(target.kind, target.technology)
            parts.flows.append(DraftFlow(component.id, target.id, protocol, origin=root))


def _client_target(parts: DraftParts, kind: ComponentKind, technology: str) -> DraftComponent:
    # Prefer a store the IaC or compose files already declared with the same technology.
    same_kind = [c for c in parts.components.values() if c.kind is kind]
    for component in same_kind:
        if technology and technology in component.technology:
            return component
    if len(same_kind) == 1 and kind is not ComponentKind.EXTERNAL_SERVICE:
        return same_kind[0]
    suffix = {
        ComponentKind.DATABASE: "db",
        ComponentKind.QUEUE: "queue",
        ComponentKind.OBJECT_STORAGE: "storage",
        ComponentKind.EXTERNAL_SERVICE: "service",
    }.get(kind, "component")
    exposure = Exposure.INTERNET if kind is ComponentKind.EXTERNAL_SERVICE else Exposure.PRIVATE
    return parts.add(
        DraftComponent(
            id=slug(f"{technology}-{suffix}"),
            kind=kind,
            source="code",
            technology=technology,
            exposure=exposure,
        )
    )


def _document(parts: DraftParts, name: str) -> dict[str, Any]:
    components = sorted(parts.components.values(), key=lambda c: c.id)
    exposed = [
        c
        for c in components
        if c.exposure is Exposure.INTERNET and c.kind in {ComponentKind.WEB_APP, ComponentKind.API}
    ]
    flows: dict[str, dict[str, Any]] = {}
    for component in exposed:
        flows[f"user-to-{component.id}"] = {
            "id": f"user-to-{component.id}",
            "from": "user",
            "to": component.id,
            "protocol": "https",
        }
    for flow in parts.flows:
        flow_id = f"{flow.source}-to-{flow.target}"
        if flow.source != flow.target and flow_id not in flows:
            entry: dict[str, Any] = {
                "id": flow_id,
                "from": flow.source,
                "to": flow.target,
                "protocol": flow.protocol,
            }
            if flow.port is not None:
                entry["port"] = flow.port
            flows[flow_id] = entry
    return {
        "version": 1,
        "name": name,
        "assets": [],
        "actors": [{"id": "user", "name": "User", "kind": "anonymous"}] if exposed else [],
        "components": [_component(c) for c in components],
        "flows": list(flows.values()),
        "boundaries": [],
        "controls": [],
    }


def _component(component: DraftComponent) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": component.id, "kind": component.kind.value}
    if component.technology:
        entry["technology"] = component.technology
    entry["exposure"] = component.exposure.value
    if component.features:
        entry["features"] = sorted(f.value for f in component.features)
    for key in ("code", "iac", "images"):
        values = sorted(getattr(component, key))
        if values:
            entry[key] = values
    return entry
