"""What each draft source proposes: components and flows, merged into one draft model."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from shieldwall.threatmodel.vocabulary import ComponentKind, Exposure, Feature

_NOT_ID = re.compile(r"[^A-Za-z0-9_.:-]+")


def slug(text: str) -> str:
    """A valid element id made from any name."""
    cleaned = _NOT_ID.sub("-", text).strip("-.:_") or "element"
    return cleaned if cleaned[0].isalpha() else f"c-{cleaned}"


@dataclass(slots=True)
class DraftComponent:
    """A component proposed by a source; merged by id with the others' proposals."""

    id: str
    kind: ComponentKind
    source: str
    technology: str = ""
    exposure: Exposure = Exposure.INTERNAL
    features: set[Feature] = field(default_factory=set)
    code: set[str] = field(default_factory=set)
    iac: set[str] = field(default_factory=set)
    images: set[str] = field(default_factory=set)


@dataclass(frozen=True, slots=True)
class DraftFlow:
    """A flow proposed by a source; endpoints are component ids."""

    source: str
    target: str
    protocol: str
    port: int | None = None
    origin: str = ""


@dataclass(slots=True)
class DraftParts:
    """Everything proposed so far."""

    components: dict[str, DraftComponent] = field(default_factory=dict)
    flows: list[DraftFlow] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    labels: dict[str, set[str]] = field(default_factory=dict)  # Kubernetes pod labels by id

    def add(self, component: DraftComponent) -> DraftComponent:
        """Add or merge a component (the stronger exposure and every link win)."""
        existing = self.components.get(component.id)
        if existing is None:
            self.components[component.id] = component
            return component
        existing.features |= component.features
        existing.code |= component.code
        existing.iac |= component.iac
        existing.images |= component.images
        existing.technology = existing.technology or component.technology
        if list(Exposure).index(component.exposure) < list(Exposure).index(existing.exposure):
            existing.exposure = component.exposure
        return existing


# Image or engine names that tell what a service is.
_KIND_HINTS: tuple[tuple[tuple[str, ...], ComponentKind, str], ...] = (
    (("postgres", "postgis"), ComponentKind.DATABASE, "postgres"),
    (("mysql", "mariadb"), ComponentKind.DATABASE, "mysql"),
    (("mongo",), ComponentKind.DATABASE, "mongodb"),
    (("elasticsearch", "opensearch"), ComponentKind.DATABASE, "elasticsearch"),
    (("redis", "valkey", "memcached"), ComponentKind.DATABASE, "redis"),
    (("rabbitmq",), ComponentKind.QUEUE, "rabbitmq"),
    (("kafka", "redpanda"), ComponentKind.QUEUE, "kafka"),
    (("nats",), ComponentKind.QUEUE, "nats"),
    (("minio",), ComponentKind.OBJECT_STORAGE, "minio"),
    (("nginx", "traefik", "envoy", "haproxy", "caddy"), ComponentKind.WEB_APP, "proxy"),
)


def kind_from_image(image: str) -> tuple[ComponentKind | None, str]:
    """The component kind and technology an image name suggests, if any."""
    name = image.lower().rsplit("/", 1)[-1].split(":", 1)[0].split("@", 1)[0]
    for words, kind, technology in _KIND_HINTS:
        if any(word in name for word in words):
            return kind, technology
    return None, ""


def protocol_for(kind: ComponentKind, technology: str) -> str:
    """The protocol a client most likely speaks to a component."""
    if kind is ComponentKind.DATABASE:
        return technology if technology in {"postgres", "mysql", "mongodb", "redis"} else "sql"
    if kind is ComponentKind.QUEUE:
        return {"rabbitmq": "amqp", "kafka": "kafka", "nats": "nats"}.get(technology, "amqp")
    return "https"
