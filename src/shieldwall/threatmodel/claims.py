"""Cross-checks of what the model claims against what the infrastructure code says.

A model says a database is encrypted at rest, a flow is encrypted, a component is not reachable
from the internet, or callers must authenticate. The IaC of the component (its ``iac:`` resource
addresses and file globs) may say otherwise: an IaC finding of a known contradicting rule, or a
resource attribute read from the typed resource model (``storage_encrypted = false``, a
``LoadBalancer`` service, an Ingress without TLS). Each contradiction becomes a threat of the
element, pointing at the model line, with the IaC location as its evidence.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from shieldwall.analyzers.iac.model import Resource
from shieldwall.analyzers.iac.values import Scalar
from shieldwall.threatmodel.evidence import (
    ScannerFinding,
    address_matches,
    belongs_to,
    path_matches,
)
from shieldwall.threatmodel.model import Component, ThreatModel
from shieldwall.threatmodel.rules import ThreatRule, parse_rules
from shieldwall.threatmodel.vocabulary import Authentication, Exposure


class Claim(StrEnum):
    """What a model element claims about itself."""

    ENCRYPTED_AT_REST = "encrypted_at_rest"
    ENCRYPTED_IN_TRANSIT = "encrypted_in_transit"
    NOT_INTERNET_EXPOSED = "not_internet_exposed"
    AUTHENTICATED = "authenticated"


CLAIM_RULE_IDS: dict[Claim, str] = {
    Claim.ENCRYPTED_AT_REST: "SW-TM-C01",
    Claim.ENCRYPTED_IN_TRANSIT: "SW-TM-C02",
    Claim.NOT_INTERNET_EXPOSED: "SW-TM-C03",
    Claim.AUTHENTICATED: "SW-TM-C04",
}

_CLAIM_RULES = """\
rules:
  - id: SW-TM-C01
    title: Model claims encryption at rest, the infrastructure code does not encrypt
    stride: information_disclosure
    element: component
    likelihood: medium
    impact: high
    cwe: [311]
    capec: [37]
    mitigations: [Turn on storage encryption in the IaC, or correct the model.]
    description: The model says the store is encrypted at rest; its IaC resources say it is not.
  - id: SW-TM-C02
    title: Model claims an encrypted flow, the infrastructure code accepts plaintext
    stride: information_disclosure
    element: flow
    likelihood: medium
    impact: high
    cwe: [319]
    capec: [157]
    mitigations: [Enforce TLS on the receiving resource, or correct the model.]
    description: The flow is modelled as encrypted; the resource receiving it accepts cleartext.
  - id: SW-TM-C03
    title: Model claims the component is not internet-facing, the infrastructure code exposes it
    stride: elevation_of_privilege
    element: component
    likelihood: high
    impact: high
    cwe: [284]
    capec: [1]
    mitigations: [Remove the public exposure in the IaC, or model the component as internet-facing.]
    description: >-
      The model's threats assume the component is reachable only from inside; its IaC makes it
      reachable from the internet, so the threats of an internet-facing component were missed.
  - id: SW-TM-C04
    title: Model claims authentication, the infrastructure code lets anyone call
    stride: spoofing
    element: component
    likelihood: high
    impact: high
    cwe: [306]
    capec: [115]
    mitigations: [Require authorization on the resource in the IaC, or correct the model.]
    description: The model says callers authenticate; an IaC resource of it takes anonymous calls.
"""

# IaC rules whose finding on a component's resource contradicts a claim (ids are stable).
_FINDING_RULES: dict[Claim, frozenset[str]] = {
    Claim.ENCRYPTED_AT_REST: frozenset(
        f"SW-IAC-{n:03d}" for n in (10, 12, 18, 20, 25, 28, 30, 32, 33, 34, 35, 38, 60, 61)
    ),
    Claim.ENCRYPTED_IN_TRANSIT: frozenset(
        f"SW-IAC-{n:03d}" for n in (29, 36, 37, 39, 45, 48, 77, 141, 148, 157, 159, 160, 179, 341)
    ),
    Claim.NOT_INTERNET_EXPOSED: frozenset(
        f"SW-IAC-{n:03d}"
        for n in (1, 13, 21, 31, 52, 55, 70, 78, 79, 105, 142, 144, *range(110, 130))
    ),
    Claim.AUTHENTICATED: frozenset({"SW-IAC-053", "SW-IAC-062", "SW-IAC-334"}),
}


@cache
def claim_rules() -> dict[Claim, ThreatRule]:
    """The threat rules that stand for contradicted claims."""
    by_id = {r.id: r for r in parse_rules(_CLAIM_RULES, "threatmodel/claims.py")}
    return {claim: by_id[rule_id] for claim, rule_id in CLAIM_RULE_IDS.items()}


@dataclass(frozen=True, slots=True)
class Contradiction:
    """A claim of one element that the IaC contradicts, with where it does."""

    claim: Claim
    element: str
    evidence: tuple[ScannerFinding, ...]


# --- what the resources say -----------------------------------------------------------------


def _scalar(resource: Resource, path: str) -> Scalar | None:
    value = resource.first(path)
    return value if isinstance(value, Scalar) else None


def _is(resource: Resource, path: str, wanted: object, *, absent: bool = False) -> Scalar | None:
    """The value at ``path`` when it equals ``wanted`` (a missing value counts when ``absent``,
    the provider's default); an unknown value is never a contradiction."""
    found = resource.first(path)
    if found is None:
        return Scalar(None, resource.line) if absent else None
    if isinstance(found, Scalar) and (
        found.value == wanted
        or (isinstance(found.value, str) and str(found.value).lower() == str(wanted).lower())
    ):
        return found
    return None


# Per claim: resource type -> a check giving (line, explanation) when the resource contradicts.
_Check = Callable[[Resource], tuple[int, str] | None]


def _attr(path: str, wanted: object, why: str, *, absent: bool = False) -> _Check:
    def check(resource: Resource) -> tuple[int, str] | None:
        hit = _is(resource, path, wanted, absent=absent)
        return (hit.line or resource.line, why) if hit is not None else None

    return check


def _service_exposed(resource: Resource) -> tuple[int, str] | None:
    kind = _scalar(resource, "spec.type")
    if kind is not None and kind.value in ("LoadBalancer", "NodePort"):
        return kind.line, f"Service of type {kind.value}"
    return None


def _ingress(resource: Resource) -> tuple[int, str] | None:
    return resource.line, "an Ingress routes outside traffic to it"


def _ingress_without_tls(resource: Resource) -> tuple[int, str] | None:
    if resource.first("spec.tls") is None:
        return resource.line, "the Ingress has no tls section"
    return None


_RESOURCE_CHECKS: dict[Claim, dict[str, _Check]] = {
    Claim.ENCRYPTED_AT_REST: {
        "aws_db_instance": _attr(
            "storage_encrypted", False, "storage_encrypted is false", absent=True
        ),
        "aws_rds_cluster": _attr(
            "storage_encrypted", False, "storage_encrypted is false", absent=True
        ),
        "aws_ebs_volume": _attr("encrypted", False, "encrypted is false", absent=True),
        "aws_efs_file_system": _attr("encrypted", False, "encrypted is false", absent=True),
        "aws_redshift_cluster": _attr("encrypted", False, "encrypted is false", absent=True),
        "aws_elasticache_replication_group": _attr(
            "at_rest_encryption_enabled", False, "at_rest_encryption_enabled is false", absent=True
        ),
    },
    Claim.ENCRYPTED_IN_TRANSIT: {
        "k8s_ingress": _ingress_without_tls,
        "aws_elasticache_replication_group": _attr(
            "transit_encryption_enabled", False, "transit_encryption_enabled is false", absent=True
        ),
        "aws_lb_listener": _attr("protocol", "HTTP", "the listener speaks plain HTTP"),
    },
    Claim.NOT_INTERNET_EXPOSED: {
        "k8s_service": _service_exposed,
        "k8s_ingress": _ingress,
        "aws_db_instance": _attr("publicly_accessible", True, "publicly_accessible is true"),
        "aws_rds_cluster_instance": _attr(
            "publicly_accessible", True, "publicly_accessible is true"
        ),
        "aws_redshift_cluster": _attr("publicly_accessible", True, "publicly_accessible is true"),
        "aws_s3_bucket": _attr("acl", "public-read", "the bucket ACL is public-read"),
        "aws_lb": _attr("internal", False, "the load balancer is not internal", absent=True),
    },
    Claim.AUTHENTICATED: {
        "aws_api_gateway_method": _attr("authorization", "NONE", "authorization is NONE"),
        "aws_lambda_function_url": _attr(
            "authorization_type", "NONE", "authorization_type is NONE"
        ),
    },
}


def owns(component: Component, resource: Resource) -> bool:
    """Whether one of the component's ``iac:`` entries names the resource or its file."""
    for ref in component.iac:
        if address_matches(resource.address, ref) or path_matches(
            resource.path.removeprefix("./"), ref
        ):
            return True
    return False


# --- what the model claims ------------------------------------------------------------------


def _component_claims(component: Component) -> Iterator[Claim]:
    if component.encryption_at_rest:
        yield Claim.ENCRYPTED_AT_REST
    if component.exposure in (Exposure.INTERNAL, Exposure.PRIVATE):
        yield Claim.NOT_INTERNET_EXPOSED
    if component.authentication is not Authentication.NONE:
        yield Claim.AUTHENTICATED


def cross_check(
    model: ThreatModel,
    findings: Sequence[ScannerFinding] = (),
    resources: Sequence[Resource] = (),
) -> tuple[Contradiction, ...]:
    """Every claim of the model that the IaC findings or resources contradict."""
    components = {c.id: c for c in model.components}
    owned = {c.id: [r for r in resources if owns(c, r)] for c in model.components if c.iac}
    iac_findings = [f for f in findings if f.rule_id.startswith("SW-IAC-")]
    out: list[Contradiction] = []
    for component in model.components:
        for claim in _component_claims(component):
            evidence = _evidence(claim, component, iac_findings, owned.get(component.id, []))
            if evidence:
                out.append(Contradiction(claim, component.id, evidence))
    for flow in model.flows:
        target = components.get(flow.target)
        if not flow.encrypted or target is None:
            continue
        claim = Claim.ENCRYPTED_IN_TRANSIT
        evidence = _evidence(claim, target, iac_findings, owned.get(target.id, []))
        if evidence:
            out.append(Contradiction(claim, flow.id, evidence))
    return tuple(out)


def _evidence(
    claim: Claim, component: Component, findings: Iterable[ScannerFinding], owned: list[Resource]
) -> tuple[ScannerFinding, ...]:
    found: list[ScannerFinding] = []
    seen: set[str] = set()
    for finding in findings:
        if finding.rule_id in _FINDING_RULES[claim] and belongs_to(finding, component):
            found.append(finding)
            seen.add(finding.resource)
    cwe = frozenset(claim_rules()[claim].rule.cwe)
    checks = _RESOURCE_CHECKS[claim]
    for resource in owned:
        check = checks.get(resource.type)
        # One place per resource: an IaC finding on it already says what is wrong.
        hit = check(resource) if check and resource.address not in seen else None
        if hit is None:
            continue
        line, why = hit
        found.append(
            ScannerFinding(
                rule_id="iac-resource",
                title=f"{resource.address}: {why}",
                severity="high",
                message=f"{resource.address}: {why}",
                path=resource.path,
                line=line,
                cwe=cwe,
                fingerprint="",
                resource=resource.address,
            )
        )
    return tuple(found)
