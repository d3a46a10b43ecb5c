"""Vault-style path policies of the hub's KV API: which capabilities a token has on which path.

A rule is ``{"path": "secret/data/app/*", "capabilities": ["read", "list"]}``. Paths are API paths
below ``/v1/`` (so ``secret/data/...`` guards values, ``secret/metadata/...`` listing and
metadata). As in Vault, a trailing ``*`` is a prefix match and ``+`` matches one path segment;
when several rules match, the most specific pattern decides (capabilities of rules with that
same pattern in the token's policies are merged) and ``deny`` in it overrides everything. A token
without a matching rule has no access: least privilege by default.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator


class Capability(StrEnum):
    """What a rule allows on a path (Vault's names)."""

    CREATE = "create"
    READ = "read"
    UPDATE = "update"
    DELETE = "delete"
    LIST = "list"
    DENY = "deny"


class PolicyRule(BaseModel):
    """One rule of a policy."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    path: str = Field(min_length=1, max_length=500)
    capabilities: tuple[Capability, ...] = Field(min_length=1)

    @field_validator("path")
    @classmethod
    def _glob_only_at_end(cls, value: str) -> str:
        """``*`` is allowed only as the last character, as in Vault."""
        value = value.strip().lstrip("/")
        if "*" in value[:-1]:
            raise ValueError("'*' may only end a policy path")
        return value


@dataclass(frozen=True, slots=True)
class _Specificity:
    exact: bool
    literal_chars: int
    plus_count: int

    def key(self) -> tuple[int, int, int]:
        return (int(self.exact), self.literal_chars, -self.plus_count)


def _matches(pattern: str, path: str) -> bool:
    prefix = pattern.endswith("*")
    body = pattern[:-1] if prefix else pattern
    wanted = body.split("/")
    parts = path.split("/")
    if prefix:
        # The last pattern segment is a prefix of the corresponding path segment.
        if len(parts) < len(wanted):
            return False
        for index, segment in enumerate(wanted):
            actual = parts[index]
            last = index == len(wanted) - 1
            if segment == "+":
                continue
            if last:
                if not actual.startswith(segment):
                    return False
            elif actual != segment:
                return False
        return True
    return len(parts) == len(wanted) and all(
        w in {"+", p} for w, p in zip(wanted, parts, strict=True)
    )


def _specificity(pattern: str) -> _Specificity:
    return _Specificity(
        exact=not pattern.endswith("*"),
        literal_chars=len(pattern.replace("+", "").rstrip("*")),
        plus_count=pattern.count("+"),
    )


def capabilities(rules: Iterable[PolicyRule], path: str) -> frozenset[Capability]:
    """The capabilities ``rules`` grant on the API path ``path`` (``deny`` gives none)."""
    path = path.lstrip("/")  # a trailing "/" stays: it marks a folder (a listing)
    matching = [rule for rule in rules if _matches(rule.path, path)]
    if not matching:
        return frozenset()
    best = max(_specificity(rule.path).key() for rule in matching)
    granted = frozenset(
        cap
        for rule in matching
        if _specificity(rule.path).key() == best
        for cap in rule.capabilities
    )
    return frozenset() if Capability.DENY in granted else granted
