"""The threat model as frozen values, each element knowing the model line it came from."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from shieldwall.core.frozen import FrozenDict
from shieldwall.threatmodel.vocabulary import (
    ActorKind,
    Authentication,
    Authorisation,
    Classification,
    ComponentKind,
    ControlKind,
    Exposure,
    Feature,
    ThreatStatus,
)

# Protocols whose traffic is encrypted unless the model says otherwise.
ENCRYPTED_PROTOCOLS = frozenset(
    {"https", "tls", "ssh", "sftp", "wss", "grpcs", "h2", "mqtts", "amqps", "ldaps", "smtps"}
)


@dataclass(frozen=True, slots=True)
class Asset:
    """A data asset."""

    id: str
    name: str
    line: int
    classification: Classification
    pii: bool
    description: str = ""


@dataclass(frozen=True, slots=True)
class Actor:
    """A person or outside system."""

    id: str
    name: str
    line: int
    kind: ActorKind
    trusted: bool
    boundary: str | None = None
    description: str = ""


@dataclass(frozen=True, slots=True)
class Component:
    """A process or store in the system."""

    id: str
    name: str
    line: int
    kind: ComponentKind
    technology: str = ""
    exposure: Exposure = Exposure.INTERNAL
    authentication: Authentication = Authentication.NONE
    authorisation: Authorisation = Authorisation.NONE
    encryption_at_rest: bool = False
    stores: tuple[str, ...] = ()
    features: frozenset[Feature] = frozenset()
    controls: tuple[str, ...] = ()
    boundary: str | None = None
    code: tuple[str, ...] = ()
    iac: tuple[str, ...] = ()
    images: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True, slots=True)
class Flow:
    """Data moving from ``source`` to ``target`` (element ids)."""

    id: str
    name: str
    line: int
    source: str
    target: str
    protocol: str
    port: int | None
    authenticated: bool
    encrypted: bool
    data: tuple[str, ...] = ()
    controls: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True, slots=True)
class Boundary:
    """A trust boundary, possibly nested in ``parent``."""

    id: str
    name: str
    line: int
    kind: str
    parent: str | None = None
    description: str = ""


@dataclass(frozen=True, slots=True)
class Control:
    """A security control in place."""

    id: str
    name: str
    line: int
    kind: ControlKind
    reference: str = ""
    description: str = ""


@dataclass(frozen=True, slots=True)
class Risk:
    """The tracked status of one threat id (``RULE@element``)."""

    threat: str
    status: ThreatStatus
    line: int
    path: str
    reference: str = ""
    owner: str = ""
    expires: dt.date | None = None
    reason: str = ""


@dataclass(frozen=True, slots=True)
class ThreatModel:
    """A validated model: every reference resolves, ids are unique, boundaries form a tree."""

    path: str
    name: str
    assets: tuple[Asset, ...] = ()
    actors: tuple[Actor, ...] = ()
    components: tuple[Component, ...] = ()
    flows: tuple[Flow, ...] = ()
    boundaries: tuple[Boundary, ...] = ()
    controls: tuple[Control, ...] = ()
    risks: tuple[Risk, ...] = ()
    rule_files: tuple[str, ...] = ()
    description: str = ""
    lines: Mapping[str, int] = field(default_factory=FrozenDict)

    def element_ids(self) -> set[str]:
        """Ids of every element."""
        groups: tuple[tuple[Asset | Actor | Component | Flow | Boundary | Control, ...], ...] = (
            self.assets,
            self.actors,
            self.components,
            self.flows,
            self.boundaries,
            self.controls,
        )
        return {element.id for group in groups for element in group}
