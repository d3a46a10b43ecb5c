"""Literal secrets in container environments (Kubernetes ``env``, compose ``environment``).

Written in Python because the value must be redacted from the finding: only its preview and a
salted hash are kept (see ``Finding.create(secret=...)``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from shieldwall.analyzers.iac.checks.base import python_check, rule
from shieldwall.analyzers.iac.model import Resource
from shieldwall.analyzers.iac.policy import Check, CheckContext, Hit
from shieldwall.analyzers.iac.values import ListValue, ObjectValue, Scalar, Value
from shieldwall.core.severity import Severity

SECRET_NAME = re.compile(
    r"(?i)(passw(or)?d|passwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credential)"
)
# Values that are references or placeholders, not secrets.
_PLACEHOLDER = re.compile(r"^(\$\{?[\w:-]+\}?|<[^>]*>|changeme|xxx+|\*+|)$", re.IGNORECASE)


def _literal(value: Value | None) -> Scalar | None:
    if (
        isinstance(value, Scalar)
        and isinstance(value.value, str | int | float)
        and not isinstance(value.value, bool)
    ):
        text = str(value.value).strip()
        if len(text) >= 4 and not _PLACEHOLDER.match(text):
            return value
    return None


def _k8s_env(res: Resource, _ctx: CheckContext) -> Iterator[Hit]:
    for item in res.get("env[*]"):
        if not isinstance(item, ObjectValue):
            continue
        name, value = item.get("name"), _literal(item.get("value"))
        if isinstance(name, Scalar) and SECRET_NAME.search(str(name.value)) and value is not None:
            yield Hit(res.path, value.line, f"env {name.value}", secret=str(value.value))


def _compose_env(res: Resource, _ctx: CheckContext) -> Iterator[Hit]:
    env = res.first("environment")
    if isinstance(env, ObjectValue):
        pairs = [(k, _literal(v)) for k, v in env.fields.items()]
    elif isinstance(env, ListValue):
        pairs = []
        for item in env.items:
            if isinstance(item, Scalar) and isinstance(item.value, str) and "=" in item.value:
                key, _, raw = item.value.partition("=")
                pairs.append((key, _literal(Scalar(raw, item.line))))
    else:
        return
    for key, value in pairs:
        if value is not None and SECRET_NAME.search(key):
            yield Hit(res.path, value.line, f"environment {key}", secret=str(value.value))


_REMEDY_K8S = (
    "Read the value from a Secret:\n\n```yaml\nenv:\n  - name: DB_PASSWORD\n    valueFrom:\n"
    "      secretKeyRef: {name: db, key: password}\n```"
)
_REMEDY_COMPOSE = (
    "Use compose secrets or an env file kept out of the repository:\n\n```yaml\nsecrets:\n"
    "  - db_password\nenvironment:\n  DB_PASSWORD_FILE: /run/secrets/db_password\n```"
)

ENV_SECRET_CHECKS: tuple[Check, ...] = (
    python_check(
        rule(
            "SW-IAC-317",
            "Secret passed as a literal environment variable",
            Severity.HIGH,
            "CWE-798",
            _REMEDY_K8S,
        ),
        ("k8s_container",),
        _k8s_env,
    ),
    python_check(
        rule(
            "SW-IAC-410",
            "Compose service has a literal secret in its environment",
            Severity.HIGH,
            "CWE-798",
            _REMEDY_COMPOSE,
        ),
        ("compose_service",),
        _compose_env,
    ),
)
