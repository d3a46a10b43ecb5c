"""Pure checks of an image config and its risky file modes; each yields (rule, message, ...)."""

from __future__ import annotations

import re
import stat
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from shieldwall.core.rule import Rule
from shieldwall.image.model import ImageConfig
from shieldwall.image.rules import (
    ROOT_USER,
    SECRET_IN_CONFIG,
    SENSITIVE_PORT,
    SETUID_FILE,
    WORLD_WRITABLE,
)

# Remote administration and data stores that should never face the outside.
SENSITIVE_PORTS: Mapping[int, str] = {
    21: "FTP",
    22: "SSH",
    23: "Telnet",
    2375: "Docker API (plain)",
    2376: "Docker API",
    3306: "MySQL",
    3389: "RDP",
    5432: "PostgreSQL",
    5900: "VNC",
    6379: "Redis",
    9200: "Elasticsearch",
    11211: "memcached",
    27017: "MongoDB",
}
_SECRET_NAME = re.compile(
    r"(?i)(passw(or)?d|passwd|secret|token|api_?key|private_?key|access_?key|credential)"
)
# Names that point at a secret rather than hold it (POSTGRES_PASSWORD_FILE=/run/secrets/db).
_REFERENCE_NAME = re.compile(r"(?i)_(FILE|PATH|DIR|LENGTH|ENABLED)$")
# Classic builder and BuildKit record build args as "|N K=V ... cmd" in the history.
_BUILD_ARGS = re.compile(r"^(?:RUN )?\|(\d+) (.*)$")


@dataclass(frozen=True, slots=True)
class Hit:
    """One check result before it becomes a Finding."""

    rule: Rule
    message: str
    subject: str  # what the finding is about: config key or image path
    secret: str | None = None
    layer: str = ""
    layer_index: int | None = None
    created_by: str = ""


def check_config(config: ImageConfig) -> Iterator[Hit]:
    """Root user, sensitive ports and credentials in ENV or build args."""
    user = config.config.user.strip()
    if user.split(":", 1)[0] in {"", "root", "0"}:
        shown = user or "not set"
        yield Hit(ROOT_USER, f"the container runs as root (USER {shown})", "config:User")
    for key in sorted(config.config.exposed_ports or {}):
        port, _, proto = key.partition("/")
        if port.isdigit() and int(port) in SENSITIVE_PORTS:
            service = SENSITIVE_PORTS[int(port)]
            yield Hit(
                SENSITIVE_PORT,
                f"the image exposes {port}/{proto or 'tcp'} ({service})",
                f"config:ExposedPorts/{port}/{proto or 'tcp'}",
            )
    for item in config.config.env or []:
        yield from _secret_assignment(item, "ENV", "config:Env")
    layer = 0
    for step in config.history:
        match = _BUILD_ARGS.match(step.created_by)
        if match:
            count = int(match.group(1))
            for item in match.group(2).split()[:count]:
                yield from _secret_assignment(item, "build argument", "history:ARG", layer)
        if not step.empty_layer:
            layer += 1


def _secret_assignment(item: str, kind: str, where: str, layer: int | None = None) -> Iterator[Hit]:
    name, sep, value = item.partition("=")
    if not sep or not value.strip() or value.startswith(("$", "/")):
        return
    if _SECRET_NAME.search(name) and not _REFERENCE_NAME.search(name):
        yield Hit(
            SECRET_IN_CONFIG,
            f"{kind} {name} holds a credential: {value}",
            f"{where}/{name}",
            secret=value,
            layer_index=layer,
        )


def check_modes(mode: int, kind: str) -> Iterator[Rule]:
    """The rules a file's or directory's mode breaks."""
    if kind == "file" and mode & (stat.S_ISUID | stat.S_ISGID):
        yield SETUID_FILE
    if mode & stat.S_IWOTH and not (kind == "directory" and mode & stat.S_ISVTX):
        yield WORLD_WRITABLE
