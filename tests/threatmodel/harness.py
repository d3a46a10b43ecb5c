"""Builds small models around one element ``T`` for the rule tests, through the real loader."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from shieldwall.threatmodel.engine import Analysis, analyse
from shieldwall.threatmodel.load import parse_model
from shieldwall.threatmodel.rules import ThreatRule, builtin_rules
from shieldwall.threatmodel.vocabulary import ControlKind, ElementType

DATA = Path(__file__).resolve().parents[1] / "data" / "threatmodel"
GROUPS = {
    ElementType.COMPONENT: "components",
    ElementType.FLOW: "flows",
    ElementType.ACTOR: "actors",
    ElementType.ASSET: "assets",
    ElementType.BOUNDARY: "boundaries",
}
EXTRA_KEYS = ("components", "flows", "actors", "assets", "boundaries")


def base_model() -> dict[str, Any]:
    """Context every case can refer to; none of it is named T."""
    return {
        "version": 1,
        "name": "rule case",
        "assets": [
            {"id": "pii", "classification": "confidential", "pii": True},
            {"id": "secret", "classification": "restricted"},
            {"id": "pub", "classification": "public"},
        ],
        "actors": [
            {"id": "anon", "kind": "anonymous"},
            {"id": "admin", "kind": "admin", "trusted": True},
        ],
        "components": [
            {"id": "db", "kind": "database", "exposure": "private"},
            {"id": "ext", "kind": "external_service", "exposure": "internet"},
            {"id": "q", "kind": "queue"},
            {"id": "store", "kind": "object_storage"},
            {"id": "svc", "kind": "api"},
            {"id": "wrk", "kind": "worker"},
        ],
        "flows": [],
        "boundaries": [{"id": "dmz"}, {"id": "core"}],
        "controls": [{"id": f"c-{kind.value}", "kind": kind.value} for kind in ControlKind],
    }


def model_text(element: ElementType, spec: dict[str, Any]) -> str:
    """The YAML of the base model with ``T`` (built from ``spec``) and the case's extras."""
    model = base_model()
    spec = copy.deepcopy(spec)
    extras = {key: spec.pop(key) for key in EXTRA_KEYS if key in spec}
    model[GROUPS[element]].append({"id": "T", **spec})
    for key, items in extras.items():
        for index, item in enumerate(items):
            if key == "flows" and "id" not in item:
                item = {"id": f"extra-flow-{index}", **item}
            model[key].append(item)
    # JSON is YAML, and the pure-Python YAML emitter would dominate the test time.
    return json.dumps(model, indent=1)


def analyse_case(
    element: ElementType, spec: dict[str, Any], rules: tuple[ThreatRule, ...] | None = None
) -> Analysis:
    """Analyse the model of one case side."""
    model = parse_model(model_text(element, spec), "case.yaml")
    return analyse(model, rules if rules is not None else builtin_rules())


def fired_on_t(analysis: Analysis) -> set[str]:
    """Rule ids raised on element T."""
    return {t.rule.id for t in analysis.threats if t.element.id == "T"}
