"""Kubernetes manifests as resources: every object, plus its pod spec and each container.

Multi-document files and ``kind: List`` are expanded. Every workload kind is followed down to its
pod spec (``Pod``, the ``spec.template`` of Deployment/StatefulSet/DaemonSet/ReplicaSet/Job/
ReplicationController, ``spec.jobTemplate.spec.template`` of CronJob). Each object is a resource
of type ``k8s_<kind>``; each workload also gives a ``k8s_pod_spec`` and one
``k8s_container`` per container, init container and ephemeral container. A container carries its
pod spec as ``pod`` so a policy can read pod-level settings that containers inherit.
"""

from __future__ import annotations

from collections.abc import Iterator

from shieldwall.analyzers.iac.model import Resource, SourceFormat
from shieldwall.analyzers.iac.values import ListValue, ObjectValue, Scalar, Value, lookup, obj

_TEMPLATE_KINDS = frozenset(
    {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "ReplicationController"}
)
_CONTAINER_LISTS = ("containers", "initContainers", "ephemeralContainers")


def is_kubernetes(doc: Value) -> bool:
    """Whether a document is a Kubernetes object (``apiVersion`` and ``kind`` are strings)."""
    if not isinstance(doc, ObjectValue):
        return False
    api, kind = doc.get("apiVersion"), doc.get("kind")
    return isinstance(api, Scalar) and isinstance(kind, Scalar) and isinstance(kind.value, str)


def manifest_resources(doc: ObjectValue, path: str) -> Iterator[Resource]:
    """The resources of one document (a ``List`` gives those of its items)."""
    kind = str(_scalar(doc, "kind"))
    if kind.endswith("List"):
        items = doc.get("items")
        for item in items.items if isinstance(items, ListValue) else ():
            if is_kubernetes(item) and isinstance(item, ObjectValue):
                yield from manifest_resources(item, path)
        return
    namespace = _scalar(doc, "metadata.namespace") or "default"
    name = _scalar(doc, "metadata.name") or _scalar(doc, "metadata.generateName") or "?"
    address = f"{kind}/{namespace}/{name}"
    yield Resource(
        type=f"k8s_{kind.lower()}",
        address=address,
        path=path,
        line=doc.line,
        attributes=doc,
        source=SourceFormat.KUBERNETES,
        source_type=kind,
    )
    pod = _pod_spec(doc, kind)
    if pod is None:
        return
    metadata = doc.get("metadata")
    pod_attrs = obj(
        {
            **pod.fields,
            "kind": Scalar(kind, doc.line),
            "metadata": metadata or ObjectValue(line=doc.line),
        },
        pod.line,
    )
    yield Resource(
        "k8s_pod_spec", f"{address}/pod", path, pod.line, pod_attrs, SourceFormat.KUBERNETES, kind
    )
    for list_name in _CONTAINER_LISTS:
        containers = pod.get(list_name)
        if not isinstance(containers, ListValue):
            continue
        for index, container in enumerate(containers.items):
            if not isinstance(container, ObjectValue):
                continue
            cname = _scalar(container, "name") or str(index)
            attrs = obj(
                {
                    **container.fields,
                    "pod": pod_attrs,
                    "container_list": Scalar(list_name, container.line),
                },
                container.line,
            )
            yield Resource(
                "k8s_container",
                f"{address}/{list_name}/{cname}",
                path,
                container.line,
                attrs,
                SourceFormat.KUBERNETES,
                kind,
            )


def _pod_spec(doc: ObjectValue, kind: str) -> ObjectValue | None:
    if kind == "Pod":
        path = "spec"
    elif kind in _TEMPLATE_KINDS:
        path = "spec.template.spec"
    elif kind == "CronJob":
        path = "spec.jobTemplate.spec.template.spec"
    elif kind == "PodTemplate":
        path = "template.spec"
    else:
        return None
    found = lookup(doc, path)
    return found[0] if found and isinstance(found[0], ObjectValue) else None


def _scalar(value: Value, path: str) -> str | None:
    found = lookup(value, path)
    if found and isinstance(found[0], Scalar) and found[0].value is not None:
        return str(found[0].value)
    return None
