"""Azure network security rules and Google Cloud firewalls open to the internet on admin ports."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from shieldwall.analyzers.iac.checks.base import python_check, rule
from shieldwall.analyzers.iac.model import Resource
from shieldwall.analyzers.iac.policy import Check, CheckContext, Hit
from shieldwall.analyzers.iac.values import ListValue, ObjectValue, Scalar, Value
from shieldwall.core.severity import Severity

# "0.0.0.0" here is a firewall source meaning "anywhere", not a socket bind.
_AZURE_ANY = frozenset({"*", "internet", "any", "0.0.0.0/0", "0.0.0.0", "::/0"})  # noqa: S104
_GCP_ANY = frozenset({"0.0.0.0/0", "::/0"})


def _strings(value: Value | None) -> list[Scalar] | None:
    """The scalars of a value or list; ``None`` when something is unknown."""
    if value is None:
        return []
    if isinstance(value, Scalar):
        return [value]
    if isinstance(value, ListValue):
        out: list[Scalar] = []
        for item in value.items:
            if not isinstance(item, Scalar):
                return None
            out.append(item)
        return out
    return None


def _covers(spec: str, port: int) -> bool:
    spec = spec.strip()
    if spec in {"*", ""}:
        return True
    low, _, high = spec.partition("-")
    try:
        return int(low) <= port <= int(high or low)
    except ValueError:
        return False


def _azure_rules(res: Resource) -> Iterator[ObjectValue]:
    if res.type == "azurerm_network_security_rule":
        yield res.attributes
        return
    for item in res.get("security_rule[*]"):
        if isinstance(item, ObjectValue):
            yield item


def _azure_open(port: int) -> Callable[[Resource, CheckContext], Iterator[Hit]]:
    def check(res: Resource, _ctx: CheckContext) -> Iterator[Hit]:
        for r in _azure_rules(res):
            direction, access = r.get("direction"), r.get("access")
            if not (isinstance(direction, Scalar) and str(direction.value).lower() == "inbound"):
                continue
            if not (isinstance(access, Scalar) and str(access.value).lower() == "allow"):
                continue
            sources = (_strings(r.get("source_address_prefix")) or []) + (
                _strings(r.get("source_address_prefixes")) or []
            )
            ports = (_strings(r.get("destination_port_range")) or []) + (
                _strings(r.get("destination_port_ranges")) or []
            )
            open_source = next((s for s in sources if str(s.value).lower() in _AZURE_ANY), None)
            if open_source is not None and any(_covers(str(p.value), port) for p in ports):
                yield Hit(res.path, open_source.line, f"port {port} from {open_source.value}")

    return check


def _gcp_open(port: int) -> Callable[[Resource, CheckContext], Iterator[Hit]]:
    def check(res: Resource, _ctx: CheckContext) -> Iterator[Hit]:
        direction = res.first("direction")
        if isinstance(direction, Scalar) and str(direction.value).upper() == "EGRESS":
            return
        ranges = _strings(res.first("source_ranges"))
        open_range = next((s for s in ranges or [] if str(s.value) in _GCP_ANY), None)
        if open_range is None:
            return
        for allow in res.get("allow[*]"):
            if not isinstance(allow, ObjectValue):
                continue
            protocol = allow.get("protocol")
            ports = _strings(allow.get("ports"))
            proto = str(protocol.value).lower() if isinstance(protocol, Scalar) else "?"
            if proto not in {"tcp", "all"} or ports is None:
                continue
            if not ports or any(_covers(str(p.value), port) for p in ports):
                yield Hit(res.path, open_range.line, f"port {port} from {open_range.value}")
                return

    return check


def _remedy(port: int, hcl: str) -> str:
    return (
        f"Allow port {port} only from known networks, or use a bastion/IAP:\n\n```hcl\n{hcl}\n```"
    )


CLOUD_NETWORK_CHECKS: tuple[Check, ...] = (
    python_check(
        rule(
            "SW-IAC-126",
            "Azure network security rule allows SSH (port 22) from the internet",
            Severity.HIGH,
            "CWE-284",
            _remedy(22, 'source_address_prefix  = "10.0.0.0/8"\ndestination_port_range = "22"'),
        ),
        ("azurerm_network_security_group", "azurerm_network_security_rule"),
        _azure_open(22),
    ),
    python_check(
        rule(
            "SW-IAC-127",
            "Azure network security rule allows RDP (port 3389) from the internet",
            Severity.HIGH,
            "CWE-284",
            _remedy(3389, 'source_address_prefix  = "10.0.0.0/8"\ndestination_port_range = "3389"'),
        ),
        ("azurerm_network_security_group", "azurerm_network_security_rule"),
        _azure_open(3389),
    ),
    python_check(
        rule(
            "SW-IAC-128",
            "GCP firewall allows SSH (port 22) from the internet",
            Severity.HIGH,
            "CWE-284",
            _remedy(22, 'source_ranges = ["35.235.240.0/20"] # IAP TCP forwarding'),
        ),
        ("google_compute_firewall",),
        _gcp_open(22),
    ),
    python_check(
        rule(
            "SW-IAC-129",
            "GCP firewall allows RDP (port 3389) from the internet",
            Severity.HIGH,
            "CWE-284",
            _remedy(3389, 'source_ranges = ["35.235.240.0/20"] # IAP TCP forwarding'),
        ),
        ("google_compute_firewall",),
        _gcp_open(3389),
    ),
)
