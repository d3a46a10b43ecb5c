"""Security group rules open to the internet, per sensitive port.

Rules arrive in one shape whatever their source (see :mod:`relations`): ``type``, ``from_port``,
``to_port``, ``protocol``, ``cidr_blocks``, ``ipv6_cidr_blocks``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from shieldwall.analyzers.iac.checks.base import python_check, rule
from shieldwall.analyzers.iac.model import Resource
from shieldwall.analyzers.iac.policy import Check, CheckContext, Hit
from shieldwall.analyzers.iac.values import ListValue, Scalar, Value
from shieldwall.core.severity import Severity

_WORLD = frozenset({"0.0.0.0/0", "::/0"})
_ALL_PROTOCOLS = frozenset({"-1", "all"})


def _world_source(res: Resource) -> Value | None:
    """The first world-open CIDR value of an ingress rule, ``None`` if none (or unknown)."""
    kind = res.first("type")
    if not (isinstance(kind, Scalar) and kind.value == "ingress"):
        return None
    for attr in ("cidr_blocks", "ipv6_cidr_blocks"):
        for value in res.get(attr):
            items = value.items if isinstance(value, ListValue) else (value,)
            for item in items:
                if isinstance(item, Scalar) and str(item.value) in _WORLD:
                    return item
    return None


def _port_range(res: Resource) -> tuple[int, int] | None:
    protocol = res.first("protocol")
    if isinstance(protocol, Scalar) and str(protocol.value).lower() in _ALL_PROTOCOLS:
        return (0, 65535)
    low, high = res.first("from_port"), res.first("to_port")
    if not (isinstance(low, Scalar) and isinstance(high, Scalar)):
        return None
    try:
        start, end = int(str(low.value)), int(str(high.value))
    except ValueError:
        return None
    if start == -1 and end == -1:
        return (0, 65535)  # ICMP-style "all" as some templates write it
    return (start, end)


def _open_port(port: int) -> Callable[[Resource, CheckContext], Iterator[Hit]]:
    def check(res: Resource, _ctx: CheckContext) -> Iterator[Hit]:
        source = _world_source(res)
        ports = _port_range(res)
        if source is None or ports is None:
            return
        if ports[0] <= port <= ports[1] and ports != (0, 65535):
            yield Hit(res.path, source.line, f"port {port} from {source.value}")  # type: ignore[union-attr]

    return check


def _all_ports(res: Resource, _ctx: CheckContext) -> Iterator[Hit]:
    source = _world_source(res)
    if source is not None and _port_range(res) == (0, 65535):
        yield Hit(res.path, source.line, f"all ports from {source.value}")  # type: ignore[union-attr]


_PORTS: tuple[tuple[str, int, str, Severity], ...] = (
    ("SW-IAC-110", 22, "SSH", Severity.HIGH),
    ("SW-IAC-111", 3389, "RDP", Severity.HIGH),
    ("SW-IAC-112", 3306, "MySQL", Severity.HIGH),
    ("SW-IAC-113", 5432, "PostgreSQL", Severity.HIGH),
    ("SW-IAC-114", 1433, "SQL Server", Severity.HIGH),
    ("SW-IAC-115", 1521, "Oracle", Severity.HIGH),
    ("SW-IAC-116", 6379, "Redis", Severity.HIGH),
    ("SW-IAC-117", 27017, "MongoDB", Severity.HIGH),
    ("SW-IAC-118", 9200, "Elasticsearch", Severity.HIGH),
    ("SW-IAC-119", 23, "Telnet", Severity.HIGH),
    ("SW-IAC-120", 21, "FTP", Severity.HIGH),
    ("SW-IAC-121", 445, "SMB", Severity.HIGH),
    ("SW-IAC-122", 11211, "Memcached", Severity.HIGH),
    ("SW-IAC-123", 2379, "etcd", Severity.HIGH),
    ("SW-IAC-124", 5601, "Kibana", Severity.MEDIUM),
)


def _port_check(rule_id: str, port: int, service: str, severity: Severity) -> Check:
    return python_check(
        rule(
            rule_id,
            f"Security group allows {service} (port {port}) from the internet",
            severity,
            "CWE-284",
            f"Allow port {port} only from known networks (a VPN, a bastion's security group):\n\n"
            f"```hcl\ningress {{\n  from_port   = {port}\n  to_port     = {port}\n"
            f'  protocol    = "tcp"\n  cidr_blocks = ["10.0.0.0/8"]\n}}\n```',
        ),
        ("aws_security_group_rule",),
        _open_port(port),
    )


NETWORK_CHECKS: tuple[Check, ...] = (
    *(_port_check(*spec) for spec in _PORTS),
    python_check(
        rule(
            "SW-IAC-125",
            "Security group allows all ports from the internet",
            Severity.CRITICAL,
            "CWE-284",
            "Open only the ports the service listens on, to the networks that need them:\n\n"
            '```hcl\ningress {\n  from_port   = 443\n  to_port     = 443\n  protocol    = "tcp"\n'
            '  cidr_blocks = ["0.0.0.0/0"]\n}\n```',
        ),
        ("aws_security_group_rule",),
        _all_ports,
    ),
)
