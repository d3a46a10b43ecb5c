"""The properties a rule condition can test, per element type, computed from the model.

Rules never see the model itself: each element becomes a flat mapping of named facts, some copied
(``exposure``), some derived from the rest of the model (``carries_pii``, ``crosses_boundary``).
:data:`FACTS` declares every fact with its type, so a rule naming an unknown fact, or comparing a
fact with a value it can never take, is rejected when the rule is loaded.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from shieldwall.threatmodel.model import Actor, Asset, Boundary, Component, Flow, ThreatModel
from shieldwall.threatmodel.vocabulary import (
    ActorKind,
    Authentication,
    Authorisation,
    Classification,
    ComponentKind,
    ControlKind,
    ElementType,
    Exposure,
    Feature,
)

Facts = Mapping[str, Any]


class FactKind(StrEnum):
    """The type of a fact's value."""

    BOOL = "bool"
    TEXT = "text"  # one value, from ``choices`` when given
    SET = "set"  # several values, from ``choices`` when given
    INT = "int"


@dataclass(frozen=True, slots=True)
class FactType:
    """A fact's type and, for closed vocabularies, its possible values."""

    kind: FactKind
    choices: frozenset[str] = frozenset()


def _enum(values: type[StrEnum], kind: FactKind = FactKind.TEXT) -> FactType:
    return FactType(kind, frozenset(v.value for v in values))


_NODE_KINDS = frozenset({k.value for k in ComponentKind} | {f"actor:{k.value}" for k in ActorKind})
_BOOL = FactType(FactKind.BOOL)
_SERVING = frozenset({ComponentKind.WEB_APP, ComponentKind.API})

FACTS: Mapping[ElementType, Mapping[str, FactType]] = {
    ElementType.COMPONENT: {
        "kind": _enum(ComponentKind),
        "technology": FactType(FactKind.TEXT),
        "exposure": _enum(Exposure),
        "authentication": _enum(Authentication),
        "authorisation": _enum(Authorisation),
        "encryption_at_rest": _BOOL,
        "features": _enum(Feature, FactKind.SET),
        "controls": _enum(ControlKind, FactKind.SET),
        "stores_data": _BOOL,
        "stores_pii": _BOOL,
        "stores_sensitive": _BOOL,
        "handles_pii": _BOOL,
        "handles_sensitive": _BOOL,
        "in_boundary": _BOOL,
        "receives_from_untrusted": _BOOL,
        "sends_to": FactType(FactKind.SET, _NODE_KINDS),
        "receives_from": FactType(FactKind.SET, _NODE_KINDS),
        "inbound_protocols": FactType(FactKind.SET),
        "outbound_protocols": FactType(FactKind.SET),
        "has_inbound_flows": _BOOL,
    },
    ElementType.FLOW: {
        "protocol": FactType(FactKind.TEXT),
        "port": FactType(FactKind.INT),
        "authenticated": _BOOL,
        "encrypted": _BOOL,
        "carries_data": _BOOL,
        "carries_pii": _BOOL,
        "carries_sensitive": _BOOL,
        "carries_restricted": _BOOL,
        "crosses_boundary": _BOOL,
        "source_kind": FactType(FactKind.TEXT, _NODE_KINDS),
        "target_kind": FactType(FactKind.TEXT, _NODE_KINDS),
        "source_exposure": _enum(Exposure),
        "target_exposure": _enum(Exposure),
        "source_trusted": _BOOL,
        "controls": _enum(ControlKind, FactKind.SET),
        "target_controls": _enum(ControlKind, FactKind.SET),
    },
    ElementType.ACTOR: {
        "kind": _enum(ActorKind),
        "trusted": _BOOL,
        "in_boundary": _BOOL,
        "sends_to": FactType(FactKind.SET, _NODE_KINDS),
    },
    ElementType.ASSET: {
        "classification": _enum(Classification),
        "pii": _BOOL,
        "sensitive": _BOOL,
        "stored": _BOOL,
        "stored_unencrypted": _BOOL,
        "carried_unencrypted": _BOOL,
        "stored_in_count": FactType(FactKind.INT),
        "sent_to_external": _BOOL,
    },
    ElementType.BOUNDARY: {
        "kind": FactType(FactKind.TEXT),
        "nested": _BOOL,
        "members": FactType(FactKind.INT),
        "has_internet_facing": _BOOL,
        "has_sensitive_store": _BOOL,
        "inbound_unauthenticated": _BOOL,
    },
}


class ModelIndex:
    """Lookups over one model that every fact computation shares; built once per check."""

    def __init__(self, model: ThreatModel) -> None:
        """Index ``model``'s elements by id and its flows by endpoint."""
        self.model = model
        self.assets = {a.id: a for a in model.assets}
        self.components = {c.id: c for c in model.components}
        self.actors = {a.id: a for a in model.actors}
        self.controls = {c.id: c.kind.value for c in model.controls}
        self.outbound: dict[str, list[Flow]] = {}
        self.inbound: dict[str, list[Flow]] = {}
        # Reverse indexes, so per-element facts cost no scan of the whole model (a big model
        # would otherwise be quadratic).
        self.carrying: dict[str, list[Flow]] = {}
        self.storing: dict[str, list[Component]] = {}
        self.members: dict[str, list[Component]] = {}
        self.actor_members: dict[str, int] = {}
        for flow in model.flows:
            self.outbound.setdefault(flow.source, []).append(flow)
            self.inbound.setdefault(flow.target, []).append(flow)
            for asset in flow.data:
                self.carrying.setdefault(asset, []).append(flow)
        for component in model.components:
            for asset in component.stores:
                self.storing.setdefault(asset, []).append(component)
            if component.boundary is not None:
                self.members.setdefault(component.boundary, []).append(component)
        for actor in model.actors:
            if actor.boundary is not None:
                self.actor_members[actor.boundary] = self.actor_members.get(actor.boundary, 0) + 1

    def node_kind(self, element_id: str) -> str:
        """``database`` for a component, ``actor:user`` for an actor."""
        if element_id in self.components:
            return self.components[element_id].kind.value
        return f"actor:{self.actors[element_id].kind.value}"

    def boundary_of(self, element_id: str) -> str | None:
        """The boundary an element sits in directly."""
        element = self.components.get(element_id) or self.actors.get(element_id)
        return element.boundary if element is not None else None

    def trusted(self, element_id: str) -> bool:
        """Actors are trusted when they say so; components are inside the system."""
        actor = self.actors.get(element_id)
        return actor.trusted if actor is not None else True

    def exposure(self, element_id: str) -> str:
        """A component's exposure; actors are outside, so count as ``internet``."""
        component = self.components.get(element_id)
        return component.exposure.value if component is not None else Exposure.INTERNET.value

    def sensitive(self, asset_ids: tuple[str, ...]) -> bool:
        """Whether any of the assets is confidential or restricted."""
        return any(
            self.assets[a].classification.rank >= Classification.CONFIDENTIAL.rank
            for a in asset_ids
        )

    def pii(self, asset_ids: tuple[str, ...]) -> bool:
        """Whether any of the assets is personal data."""
        return any(self.assets[a].pii for a in asset_ids)

    def control_kinds(self, control_ids: tuple[str, ...]) -> frozenset[str]:
        """The kinds of the given controls."""
        return frozenset(self.controls[c] for c in control_ids)


def component_facts(c: Component, index: ModelIndex) -> Facts:
    """The facts of a component."""
    inbound = index.inbound.get(c.id, [])
    outbound = index.outbound.get(c.id, [])
    handled = tuple(a for f in inbound + outbound for a in f.data) + c.stores
    return {
        "kind": c.kind.value,
        "technology": c.technology.lower(),
        "exposure": c.exposure.value,
        "authentication": c.authentication.value,
        "authorisation": c.authorisation.value,
        "encryption_at_rest": c.encryption_at_rest,
        "features": frozenset(f.value for f in c.features),
        "controls": index.control_kinds(c.controls),
        "stores_data": bool(c.stores),
        "stores_pii": index.pii(c.stores),
        "stores_sensitive": index.sensitive(c.stores),
        "handles_pii": index.pii(handled),
        "handles_sensitive": index.sensitive(handled),
        "in_boundary": c.boundary is not None,
        "receives_from_untrusted": any(not index.trusted(f.source) for f in inbound),
        "sends_to": frozenset(index.node_kind(f.target) for f in outbound),
        "receives_from": frozenset(index.node_kind(f.source) for f in inbound),
        "inbound_protocols": frozenset(f.protocol for f in inbound),
        "outbound_protocols": frozenset(f.protocol for f in outbound),
        "has_inbound_flows": bool(inbound),
    }


def flow_facts(f: Flow, index: ModelIndex) -> Facts:
    """The facts of a data flow."""
    target = index.components.get(f.target)
    return {
        "protocol": f.protocol,
        "port": f.port if f.port is not None else -1,
        "authenticated": f.authenticated,
        "encrypted": f.encrypted,
        "carries_data": bool(f.data),
        "carries_pii": index.pii(f.data),
        "carries_sensitive": index.sensitive(f.data),
        "carries_restricted": any(
            index.assets[a].classification is Classification.RESTRICTED for a in f.data
        ),
        "crosses_boundary": index.boundary_of(f.source) != index.boundary_of(f.target),
        "source_kind": index.node_kind(f.source),
        "target_kind": index.node_kind(f.target),
        "source_exposure": index.exposure(f.source),
        "target_exposure": index.exposure(f.target),
        "source_trusted": index.trusted(f.source),
        "controls": index.control_kinds(f.controls),
        "target_controls": index.control_kinds(target.controls) if target else frozenset(),
    }


def actor_facts(a: Actor, index: ModelIndex) -> Facts:
    """The facts of an actor."""
    return {
        "kind": a.kind.value,
        "trusted": a.trusted,
        "in_boundary": a.boundary is not None,
        "sends_to": frozenset(index.node_kind(f.target) for f in index.outbound.get(a.id, [])),
    }


def asset_facts(a: Asset, index: ModelIndex) -> Facts:
    """The facts of a data asset."""
    stores = index.storing.get(a.id, [])
    flows = index.carrying.get(a.id, [])
    return {
        "classification": a.classification.value,
        "pii": a.pii,
        "sensitive": a.classification.rank >= Classification.CONFIDENTIAL.rank,
        "stored": bool(stores),
        "stored_unencrypted": any(not c.encryption_at_rest for c in stores),
        "carried_unencrypted": any(not f.encrypted for f in flows),
        "stored_in_count": len(stores),
        "sent_to_external": any(
            index.node_kind(f.target) == ComponentKind.EXTERNAL_SERVICE.value for f in flows
        ),
    }


def boundary_facts(b: Boundary, index: ModelIndex) -> Facts:
    """The facts of a trust boundary (its direct members only)."""
    members = index.members.get(b.id, [])
    return {
        "kind": b.kind,
        "nested": b.parent is not None,
        "members": len(members) + index.actor_members.get(b.id, 0),
        # Only our own serving tiers count: a third party's service is not our edge.
        "has_internet_facing": any(
            c.exposure is Exposure.INTERNET and c.kind in _SERVING for c in members
        ),
        "has_sensitive_store": any(index.sensitive(c.stores) for c in members),
        "inbound_unauthenticated": any(
            c.kind is not ComponentKind.EXTERNAL_SERVICE
            and index.boundary_of(f.source) != b.id
            and not f.authenticated
            for c in members
            for f in index.inbound.get(c.id, ())
        ),
    }
