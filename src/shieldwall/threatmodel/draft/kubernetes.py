"""Kubernetes manifests: workloads become components; LoadBalancer services and ingresses make
them internet-facing."""

from __future__ import annotations

from typing import Any

import yaml

from shieldwall.threatmodel.draft.parts import DraftComponent, DraftParts, kind_from_image, slug
from shieldwall.threatmodel.vocabulary import ComponentKind, Exposure

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
WORKLOADS = frozenset({"Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "Pod"})


def read_manifests(path: str, text: str, parts: DraftParts) -> None:
    """Add the workloads of one manifest file and note which are exposed."""
    if "apiVersion" not in text or "kind" not in text:
        return
    try:
        documents = [d for d in yaml.load_all(text, Loader=_Loader) if isinstance(d, dict)]
    except yaml.YAMLError:
        parts.warnings.append(f"{path}: not valid YAML; skipped")
        return
    selectors: dict[str, str] = {}  # service name -> component id
    for document in documents:
        kind = document.get("kind")
        if kind in WORKLOADS:
            _workload(path, document, parts)
    for document in documents:
        if document.get("kind") == "Service":
            _service(document, parts, selectors)
    for document in documents:
        if document.get("kind") == "Ingress":
            for backend in _ingress_backends(document):
                target = selectors.get(backend)
                if target:
                    parts.components[target].exposure = Exposure.INTERNET


def _name(document: dict[str, Any]) -> str:
    metadata = document.get("metadata")
    return str(metadata.get("name", "")) if isinstance(metadata, dict) else ""


def _containers(document: dict[str, Any]) -> list[dict[str, Any]]:
    spec: Any = document.get("spec") or {}
    # CronJob > jobTemplate > spec > template > spec; Deployment > template > spec; Pod > spec.
    for key in ("jobTemplate", "spec", "template", "spec"):
        if isinstance(spec, dict) and "containers" not in spec and key in spec:
            spec = spec[key]
    containers = spec.get("containers") if isinstance(spec, dict) else None
    return [c for c in containers if isinstance(c, dict)] if isinstance(containers, list) else []


def _labels(document: dict[str, Any]) -> dict[str, Any]:
    spec = document.get("spec") or {}
    template = spec.get("template") if isinstance(spec, dict) else None
    metadata = template.get("metadata") if isinstance(template, dict) else document.get("metadata")
    labels = metadata.get("labels") if isinstance(metadata, dict) else None
    return labels if isinstance(labels, dict) else {}


def _workload(path: str, document: dict[str, Any], parts: DraftParts) -> None:
    name = _name(document)
    if not name:
        return
    images = [str(c.get("image", "")) for c in _containers(document) if c.get("image")]
    kind, technology = kind_from_image(images[0] if images else name)
    if kind is None:
        kind = (
            ComponentKind.WORKER
            if document.get("kind") in {"Job", "CronJob"}
            else ComponentKind.WEB_APP
        )
    component = parts.add(
        DraftComponent(id=slug(name), kind=kind, source=path, technology=technology, iac={path})
    )
    component.images.update(images)
    parts.labels[component.id] = {f"{k}={v}" for k, v in _labels(document).items()}


def _service(document: dict[str, Any], parts: DraftParts, selectors: dict[str, str]) -> None:
    spec = document.get("spec") or {}
    if not isinstance(spec, dict):
        return
    selector = spec.get("selector")
    wanted = {f"{k}={v}" for k, v in selector.items()} if isinstance(selector, dict) else set()
    for component_id, labels in parts.labels.items():
        if wanted and wanted <= labels:
            selectors[_name(document)] = component_id
            if spec.get("type") in {"LoadBalancer", "NodePort"}:
                parts.components[component_id].exposure = Exposure.INTERNET


def _ingress_backends(document: dict[str, Any]) -> list[str]:
    names: list[str] = []
    spec = document.get("spec") or {}
    rules = spec.get("rules") if isinstance(spec, dict) else None
    for rule in rules if isinstance(rules, list) else []:
        paths = ((rule or {}).get("http") or {}).get("paths") or []
        for entry in paths if isinstance(paths, list) else []:
            backend = (entry or {}).get("backend") or {}
            service = backend.get("service") or {}
            name = service.get("name") or backend.get("serviceName")
            if name:
                names.append(str(name))
    return names
