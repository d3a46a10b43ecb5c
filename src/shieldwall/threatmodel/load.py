"""Reading a model file: YAML with lines, the schema, then references, duplicates and cycles.

Every problem found is reported together, each with its line, so one run shows them all.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError

from shieldwall.threatmodel.errors import ModelError, ModelIssue
from shieldwall.threatmodel.model import (
    ENCRYPTED_PROTOCOLS,
    Actor,
    Asset,
    Boundary,
    Component,
    Control,
    Flow,
    Risk,
    ThreatModel,
)
from shieldwall.threatmodel.schema import ModelSpec, RisksFileSpec, RiskSpec
from shieldwall.threatmodel.vocabulary import ThreatStatus
from shieldwall.threatmodel.yamlsource import LineIndex, decode, load_yaml

_T = TypeVar("_T", ModelSpec, RisksFileSpec)


def load_model_file(path: Path, *, display: str | None = None) -> ThreatModel:
    """Read and validate the model at ``path``; a sidecar ``<stem>.risks.yaml`` adds statuses."""
    shown = display or str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ModelError([ModelIssue(shown, None, f"cannot read: {exc.strerror or exc}")]) from exc
    model = parse_model(decode(data, shown), shown)
    sidecar = path.with_name(f"{path.stem}.risks.yaml")
    if sidecar.is_file():
        extra = load_risks_file(sidecar, display=str(Path(shown).with_name(sidecar.name)))
        model = _with_risks(model, extra)
        issues = _check_risk_fields(model) + _check_ids(model) + _check_references(model)
        if issues:
            raise ModelError(issues)
    return model


def load_risks_file(path: Path, *, display: str | None = None) -> tuple[Risk, ...]:
    """The risk statuses of a sidecar file."""
    shown = display or str(path)
    try:
        text = decode(path.read_bytes(), shown)
    except OSError as exc:
        raise ModelError([ModelIssue(shown, None, f"cannot read: {exc.strerror or exc}")]) from exc
    raw, lines = load_yaml(text, shown)
    spec = _validate(RisksFileSpec, raw, lines, shown)
    return tuple(_risk(r, shown, lines, i) for i, r in enumerate(spec.risks))


def parse_model(text: str, path: str) -> ThreatModel:
    """Parse and validate a model's text; ``path`` is used in messages and locations."""
    raw, lines = load_yaml(text, path)
    spec = _validate(ModelSpec, raw, lines, path)
    model = _build(spec, lines, path)
    issues = (
        _check_ids(model)
        + _check_references(model)
        + _check_boundary_cycles(model)
        + _check_risk_fields(model)
    )
    if issues:
        raise ModelError(issues)
    return model


def _validate(schema: type[_T], raw: Any, lines: LineIndex, path: str) -> _T:
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise ModelError([ModelIssue(path, lines.line_of(()), "the model must be a mapping")])
    try:
        return schema.model_validate(raw)
    except ValidationError as exc:
        issues = []
        for error in exc.errors(include_url=False):
            loc = tuple(error["loc"])
            where = ".".join(str(part) for part in loc) or "model"
            line = lines.line_of(tuple(p for p in loc if isinstance(p, str | int)))
            issues.append(ModelIssue(path, line, f"{where}: {error['msg']}"))
        raise ModelError(issues) from exc


def _build(spec: ModelSpec, lines: LineIndex, path: str) -> ThreatModel:
    def at(group: str, index: int) -> int:
        return lines.line_of((group, index)) or 1

    return ThreatModel(
        path=path,
        name=spec.name,
        description=spec.description,
        assets=tuple(
            Asset(a.id, a.name or a.id, at("assets", i), a.classification, a.pii, a.description)
            for i, a in enumerate(spec.assets)
        ),
        actors=tuple(
            Actor(
                a.id, a.name or a.id, at("actors", i), a.kind, a.trusted, a.boundary, a.description
            )
            for i, a in enumerate(spec.actors)
        ),
        components=tuple(
            Component(
                id=c.id,
                name=c.name or c.id,
                line=at("components", i),
                kind=c.kind,
                technology=c.technology,
                exposure=c.exposure,
                authentication=c.authentication,
                authorisation=c.authorisation,
                encryption_at_rest=c.encryption_at_rest,
                stores=tuple(c.stores),
                features=frozenset(c.features),
                controls=tuple(c.controls),
                boundary=c.boundary,
                code=tuple(c.code),
                iac=tuple(c.iac),
                images=tuple(c.images),
                description=c.description,
            )
            for i, c in enumerate(spec.components)
        ),
        flows=tuple(
            Flow(
                id=f.id,
                name=f.name or f.id,
                line=at("flows", i),
                source=f.source,
                target=f.target,
                protocol=f.protocol.lower(),
                port=f.port,
                authenticated=f.authenticated,
                encrypted=(
                    f.encrypted
                    if f.encrypted is not None
                    else f.protocol.lower() in ENCRYPTED_PROTOCOLS
                ),
                data=tuple(f.data),
                controls=tuple(f.controls),
                description=f.description,
            )
            for i, f in enumerate(spec.flows)
        ),
        boundaries=tuple(
            Boundary(b.id, b.name or b.id, at("boundaries", i), b.kind, b.parent, b.description)
            for i, b in enumerate(spec.boundaries)
        ),
        controls=tuple(
            Control(c.id, c.name or c.id, at("controls", i), c.kind, c.reference, c.description)
            for i, c in enumerate(spec.controls)
        ),
        risks=tuple(_risk(r, path, lines, i) for i, r in enumerate(spec.risks)),
        rule_files=tuple(spec.rules),
    )


def _risk(spec: RiskSpec, path: str, lines: LineIndex, index: int) -> Risk:
    return Risk(
        threat=spec.threat,
        status=spec.status,
        line=lines.line_of(("risks", index)) or 1,
        path=path,
        reference=spec.reference,
        owner=spec.owner,
        expires=spec.expires,
        reason=spec.reason,
    )


def _with_risks(model: ThreatModel, extra: tuple[Risk, ...]) -> ThreatModel:
    from dataclasses import replace

    # The sidecar wins over statuses kept in the model: it is the file a reviewer edits.
    sidecar_ids = {r.threat for r in extra}
    kept = tuple(r for r in model.risks if r.threat not in sidecar_ids)
    return replace(model, risks=kept + extra)


def _check_ids(model: ThreatModel) -> list[ModelIssue]:
    issues: list[ModelIssue] = []
    seen: dict[str, int] = {}
    groups = (
        model.assets,
        model.actors,
        model.components,
        model.flows,
        model.boundaries,
        model.controls,
    )
    for group in groups:
        for element in group:
            first = seen.get(element.id)
            if first is not None:
                issues.append(
                    ModelIssue(
                        model.path,
                        element.line,
                        f"duplicate id {element.id!r} (first defined on line {first})",
                    )
                )
            else:
                seen[element.id] = element.line
    risk_seen: set[str] = set()
    for risk in model.risks:
        if risk.threat in risk_seen:
            issues.append(ModelIssue(risk.path, risk.line, f"duplicate risk for {risk.threat}"))
        risk_seen.add(risk.threat)
    return issues


def _check_references(model: ThreatModel) -> list[ModelIssue]:
    assets = {a.id for a in model.assets}
    controls = {c.id for c in model.controls}
    boundaries = {b.id for b in model.boundaries}
    nodes = {c.id for c in model.components} | {a.id for a in model.actors}
    everything = model.element_ids()
    issues: list[ModelIssue] = []

    def need(line: int, what: str, ref: str | None, known: set[str], path: str = "") -> None:
        if ref is not None and ref not in known:
            issues.append(ModelIssue(path or model.path, line, f"{what} {ref!r} is not defined"))

    for component in model.components:
        for ref in component.stores:
            need(component.line, f"{component.id}: stored asset", ref, assets)
        for ref in component.controls:
            need(component.line, f"{component.id}: control", ref, controls)
        need(component.line, f"{component.id}: boundary", component.boundary, boundaries)
    for actor in model.actors:
        need(actor.line, f"{actor.id}: boundary", actor.boundary, boundaries)
    for flow in model.flows:
        need(flow.line, f"{flow.id}: source", flow.source, nodes)
        need(flow.line, f"{flow.id}: target", flow.target, nodes)
        for ref in flow.data:
            need(flow.line, f"{flow.id}: data asset", ref, assets)
        for ref in flow.controls:
            need(flow.line, f"{flow.id}: control", ref, controls)
    for boundary in model.boundaries:
        need(boundary.line, f"{boundary.id}: parent boundary", boundary.parent, boundaries)
    for risk in model.risks:
        element = risk.threat.split("@", 1)[1]
        need(risk.line, f"risk {risk.threat}: element", element, everything, risk.path)
    return issues


def _check_boundary_cycles(model: ThreatModel) -> list[ModelIssue]:
    parents = {b.id: b.parent for b in model.boundaries}
    lines = {b.id: b.line for b in model.boundaries}
    issues: list[ModelIssue] = []
    reported: set[str] = set()
    for start in parents:
        chain: list[str] = []
        current: str | None = start
        while current is not None and current in parents and current not in chain:
            chain.append(current)
            current = parents[current]
        if current is not None and current in chain:
            cycle = chain[chain.index(current) :]
            if not reported.intersection(cycle):
                reported.update(cycle)
                text = " -> ".join([*cycle, current])
                issues.append(ModelIssue(model.path, lines[current], f"boundary cycle: {text}"))
    return issues


def _check_risk_fields(model: ThreatModel) -> list[ModelIssue]:
    """Risk tracking needs a reference for a mitigation and an owner and expiry for acceptance."""
    issues = []
    for risk in model.risks:
        if risk.status is ThreatStatus.MITIGATED and not risk.reference:
            issues.append(
                ModelIssue(risk.path, risk.line, f"{risk.threat}: mitigated needs a reference")
            )
        if risk.status is ThreatStatus.ACCEPTED and (not risk.owner or risk.expires is None):
            issues.append(
                ModelIssue(
                    risk.path, risk.line, f"{risk.threat}: accepted needs an owner and expires"
                )
            )
    return issues
