"""Applying the rules to a model: threats per element, their tracked status and their evidence."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from shieldwall.analyzers.iac.model import Resource
from shieldwall.threatmodel.claims import claim_rules, cross_check
from shieldwall.threatmodel.evidence import ScannerFinding, link
from shieldwall.threatmodel.facts import (
    Facts,
    ModelIndex,
    actor_facts,
    asset_facts,
    boundary_facts,
    component_facts,
    flow_facts,
)
from shieldwall.threatmodel.model import Risk, ThreatModel
from shieldwall.threatmodel.rules import ThreatRule
from shieldwall.threatmodel.vocabulary import ElementType, ThreatStatus


@dataclass(frozen=True, slots=True)
class ElementRef:
    """The element a threat applies to."""

    id: str
    name: str
    type: ElementType
    line: int


@dataclass(frozen=True, slots=True)
class Threat:
    """One rule that applies to one element, with its status and the findings proving it."""

    rule: ThreatRule
    element: ElementRef
    status: ThreatStatus
    status_note: str = ""
    status_source: str = ""  # "model", "sidecar" or "control"
    risk: Risk | None = None
    evidence: tuple[ScannerFinding, ...] = ()

    @property
    def id(self) -> str:
        """``RULE-ID@element-id``: stable across runs; risk entries refer to it."""
        return f"{self.rule.id}@{self.element.id}"

    @property
    def evidenced(self) -> bool:
        """Whether a scanner finding proves the threat."""
        return bool(self.evidence)

    @property
    def blocking(self) -> bool:
        """Open, or claimed mitigated while a finding shows it is not."""
        return self.status is ThreatStatus.OPEN or (
            self.status is ThreatStatus.MITIGATED and self.evidenced
        )


@dataclass(frozen=True, slots=True)
class Analysis:
    """Every threat of a model, plus what the linking and the risk entries left over."""

    model: ThreatModel
    threats: tuple[Threat, ...]
    linked: dict[str, tuple[ScannerFinding, ...]] = field(default_factory=dict)
    unlinked: tuple[ScannerFinding, ...] = ()
    warnings: tuple[str, ...] = ()


def _elements(model: ThreatModel, index: ModelIndex) -> Iterator[tuple[ElementRef, Facts]]:
    # Facts are computed lazily, element by element, so a model too big for memory twice is fine.
    for c in model.components:
        yield ElementRef(c.id, c.name, ElementType.COMPONENT, c.line), component_facts(c, index)
    for f in model.flows:
        yield ElementRef(f.id, f.name, ElementType.FLOW, f.line), flow_facts(f, index)
    for a in model.actors:
        yield ElementRef(a.id, a.name, ElementType.ACTOR, a.line), actor_facts(a, index)
    for s in model.assets:
        yield ElementRef(s.id, s.name, ElementType.ASSET, s.line), asset_facts(s, index)
    for b in model.boundaries:
        yield ElementRef(b.id, b.name, ElementType.BOUNDARY, b.line), boundary_facts(b, index)


def analyse(
    model: ThreatModel,
    rules: Sequence[ThreatRule],
    findings: Sequence[ScannerFinding] = (),
    *,
    today: dt.date | None = None,
    resources: Sequence[Resource] = (),
) -> Analysis:
    """Apply ``rules`` to every element, then statuses, then evidence from ``findings``; then
    check the model's claims against the IaC ``findings`` and ``resources`` (see claims.py)."""
    today = today or dt.datetime.now(tz=dt.UTC).date()
    index = ModelIndex(model)
    by_type: dict[ElementType, list[ThreatRule]] = {}
    for rule in rules:
        by_type.setdefault(rule.element, []).append(rule)
    risks = {r.threat: r for r in model.risks}
    linked = link(model.components, findings)
    threats: list[Threat] = []
    for element, facts in _elements(model, index):
        for rule in by_type.get(element.type, []):
            if not rule.check(facts):
                continue
            evidence = tuple(f for f in linked.get(element.id, ()) if matches(rule, f))
            threat = Threat(rule=rule, element=element, status=ThreatStatus.OPEN, evidence=evidence)
            threats.append(_with_status(threat, risks, facts, today))
    threats.extend(_contradictions(model, findings, resources, risks, today))
    rule_ids = {r.id for r in rules} | {r.id for r in claim_rules().values()}
    warnings = _stale_risks(risks, {t.id for t in threats}, rule_ids)
    used = {f.fingerprint or f.where for items in linked.values() for f in items}
    unlinked = tuple(f for f in findings if (f.fingerprint or f.where) not in used)
    return Analysis(model, tuple(threats), linked, unlinked, warnings)


def _contradictions(
    model: ThreatModel,
    findings: Sequence[ScannerFinding],
    resources: Sequence[Resource],
    risks: dict[str, Risk],
    today: dt.date,
) -> Iterator[Threat]:
    if not findings and not resources:
        return
    rules = claim_rules()
    refs: dict[str, ElementRef] = {
        c.id: ElementRef(c.id, c.name, ElementType.COMPONENT, c.line) for c in model.components
    }
    refs.update({f.id: ElementRef(f.id, f.name, ElementType.FLOW, f.line) for f in model.flows})
    for found in cross_check(model, findings, resources):
        threat = Threat(
            rule=rules[found.claim],
            element=refs[found.element],
            status=ThreatStatus.OPEN,
            evidence=found.evidence,
        )
        # A contradiction is a fact about the code, not a design gap: no control mitigates it,
        # but a risk entry (accepted, false positive) may still decide its status.
        yield _with_status(threat, risks, {}, today)


# CWE pillars are too broad to prove anything: "protection mechanism failure" (693) is the CWE of
# a missing HEALTHCHECK and of a missing CSP alike. https://cwe.mitre.org/data/definitions/1000.html
PILLARS = frozenset(f"CWE-{n}" for n in (435, 664, 682, 691, 693, 697, 703, 707, 710))


def matches(rule: ThreatRule, finding: ScannerFinding) -> bool:
    """Whether a finding of the threat's component proves it: a shared, specific CWE id."""
    return bool((finding.cwe - PILLARS) & set(rule.rule.cwe))


def _with_status(threat: Threat, risks: dict[str, Risk], facts: Facts, today: dt.date) -> Threat:
    from dataclasses import replace

    risk = risks.get(threat.id)
    if risk is not None:
        source = "sidecar" if risk.path.endswith(".risks.yaml") else "model"
        if risk.status is ThreatStatus.ACCEPTED and risk.expires and risk.expires < today:
            note = f"acceptance by {risk.owner} expired on {risk.expires.isoformat()}"
            return replace(threat, status_note=note, status_source=source, risk=risk)
        return replace(
            threat,
            status=risk.status,
            status_note=_risk_note(risk),
            status_source=source,
            risk=risk,
        )
    controls = facts.get("controls", frozenset()) | facts.get("target_controls", frozenset())
    mitigating = sorted(k.value for k in threat.rule.mitigated_by if k.value in controls)
    if mitigating:
        return replace(
            threat,
            status=ThreatStatus.MITIGATED,
            status_note=f"mitigated by control: {', '.join(mitigating)}",
            status_source="control",
        )
    return threat


def _risk_note(risk: Risk) -> str:
    match risk.status:
        case ThreatStatus.MITIGATED:
            return f"mitigated: {risk.reference}"
        case ThreatStatus.ACCEPTED:
            until = f" until {risk.expires.isoformat()}" if risk.expires else ""
            return f"accepted by {risk.owner}{until}" + (f": {risk.reason}" if risk.reason else "")
        case ThreatStatus.FALSE_POSITIVE:
            return f"false positive: {risk.reason or risk.reference}"
        case ThreatStatus.OPEN:
            return risk.reason
    return ""


def _stale_risks(
    risks: dict[str, Risk], threat_ids: set[str], rule_ids: set[str]
) -> tuple[str, ...]:
    warnings = []
    for threat_id, risk in sorted(risks.items()):
        if threat_id in threat_ids:
            continue
        rule_id = threat_id.split("@", 1)[0]
        why = "no such rule" if rule_id not in rule_ids else "the threat no longer applies"
        warnings.append(f"{risk.path}:{risk.line}: risk entry {threat_id} is stale ({why})")
    return tuple(warnings)
