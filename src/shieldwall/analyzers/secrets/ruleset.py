"""The rule library: provider rules loaded from the TOML files beside this module.

A rule file has an optional ``[defaults]`` table and a list of ``[[rules]]``. Each rule gives an
id, a title, lower-case ``keywords`` for the prefilter, and a ``pattern`` whose named group
``secret`` (or ``secret2``... for alternatives) is the value that is checked, redacted and hashed.
Patterns may use three macros, expanded before compiling:

``{L}`` / ``{R}``
    token boundaries (no letter, digit or underscore on that side);
``{assign}``
    the tail of a name, optional quotes and an assignment operator (``=``, ``:``, ``:=``, ``=>``);
``{pem_body}``
    the base64 body of a PEM block, with real or escaped (``\\n``) line breaks.

The exact pattern runs in a window from ``lookbehind`` characters before each keyword hit to
``window`` characters after it; most patterns start at their keyword, so ``lookbehind`` is 0
unless the rule says otherwise.

Files are validated with pydantic (they are also the format of user-supplied ``extra_rules``).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from shieldwall.analyzers.secrets.checks import CHECKS
from shieldwall.core.errors import ConfigError, RuleDefinitionError
from shieldwall.core.rule import Rule
from shieldwall.core.severity import Confidence, Severity

SCANNER_ID = "secrets"
DEFAULT_WINDOW = 600
_MACROS = {
    "{L}": r"(?<![A-Za-z0-9_])",
    "{R}": r"(?![A-Za-z0-9_])",
    "{assign}": r"""[\w.\-]{0,30}?["'`\]]?[ \t]{0,5}(?::=|=>|=|:|,)?[ \t]{0,5}["'`]?""",
    "{pem_body}": (
        r"""(?:[ \t]*(?:\\r|\\n|\r|\n))+"""
        r"""(?:(?:Proc-Type|DEK-Info|Version|Comment|Hash):[^\r\n\\]*(?:\\r|\\n|\r|\n)+)*"""
        r"""(?P<secret>[A-Za-z0-9+/=\\ \t\r\n]{40,}?)"""
    ),
}


class RuleSpec(BaseModel):
    """One rule as written in a rule file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    name: str = Field(pattern=r"^[a-z0-9][a-z0-9\-]*$")
    title: str
    keywords: tuple[str, ...] = Field(min_length=1)
    pattern: str
    severity: Severity = Severity.HIGH
    confidence: Confidence = Confidence.HIGH
    check: str | None = None
    min_entropy: float = 0.0
    window: int = Field(default=DEFAULT_WINDOW, ge=50, le=100_000)
    lookbehind: int = Field(default=0, ge=0, le=2_000)
    cwe: tuple[str, ...] = ("CWE-798",)
    tags: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    description: str = ""
    remediation: str = ""


class RuleFile(BaseModel):
    """A rule file: defaults applied to every rule, then the rules."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    defaults: dict[str, Any] = Field(default_factory=dict)
    rules: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True, slots=True)
class SecretRule:
    """A compiled provider rule: its metadata, prefilter keywords, pattern and optional check."""

    rule: Rule
    name: str
    keywords: tuple[str, ...]
    pattern: re.Pattern[str]
    check: str | None
    min_entropy: float
    window: int
    lookbehind: int


def expand(pattern: str) -> str:
    """The pattern with the ``{L}``, ``{R}``, ``{assign}`` and ``{pem_body}`` macros expanded."""
    for macro, regex in _MACROS.items():
        pattern = pattern.replace(macro, regex)
    return pattern


def compile_rule(spec: RuleSpec, origin: str) -> SecretRule:
    """Compile one validated rule spec; :class:`RuleDefinitionError` names the rule on failure."""
    try:
        pattern = re.compile(expand(spec.pattern))
    except re.error as exc:
        raise RuleDefinitionError(f"{origin}: rule {spec.id}: bad pattern: {exc}") from exc
    if not any(name.startswith("secret") for name in pattern.groupindex):
        raise RuleDefinitionError(f"{origin}: rule {spec.id}: pattern has no (?P<secret>...) group")
    if spec.check is not None and spec.check not in CHECKS:
        known = ", ".join(sorted(CHECKS))
        raise RuleDefinitionError(
            f"{origin}: rule {spec.id}: unknown check {spec.check!r}; known: {known}"
        )
    keywords = tuple(k.lower() for k in spec.keywords if k)
    if not keywords:
        raise RuleDefinitionError(f"{origin}: rule {spec.id}: needs at least one keyword")
    rule = Rule.create(
        id=spec.id,
        title=spec.title,
        severity=spec.severity,
        scanner=SCANNER_ID,
        description=spec.description or f"{spec.title} found in the source.",
        remediation=spec.remediation,
        confidence=spec.confidence,
        cwe=spec.cwe,
        references=spec.references,
        tags=("secret", *spec.tags),
    )
    return SecretRule(
        rule=rule,
        name=spec.name,
        keywords=keywords,
        pattern=pattern,
        check=spec.check,
        min_entropy=spec.min_entropy,
        window=spec.window,
        lookbehind=spec.lookbehind,
    )


def parse_rule_file(text: str, origin: str) -> tuple[SecretRule, ...]:
    """The rules of one TOML rule file."""
    try:
        document = RuleFile.model_validate(tomllib.loads(text))
    except tomllib.TOMLDecodeError as exc:
        raise RuleDefinitionError(f"{origin}: not valid TOML: {exc}") from exc
    except ValidationError as exc:
        raise RuleDefinitionError(f"{origin}: {_first_error(exc)}") from exc
    compiled = []
    for raw in document.rules:
        merged: Mapping[str, Any] = {**document.defaults, **raw}
        try:
            spec = RuleSpec.model_validate(merged)
        except ValidationError as exc:
            where = raw.get("id", "?")
            raise RuleDefinitionError(f"{origin}: rule {where}: {_first_error(exc)}") from exc
        compiled.append(compile_rule(spec, origin))
    return tuple(compiled)


def builtin_rules() -> tuple[SecretRule, ...]:
    """Every built-in provider rule, in file order."""
    folder = resources.files("shieldwall.analyzers.secrets") / "rules"
    found: list[SecretRule] = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            found += parse_rule_file(entry.read_text(encoding="utf-8"), f"rules/{entry.name}")
    return _unique(found)


def load_extra_rules(path: str) -> tuple[SecretRule, ...]:
    """User rules from ``extra_rules``; a missing or broken file is a :class:`ConfigError`."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"[analyzers.secrets] extra_rules: cannot read {path}: {exc}") from exc
    try:
        return parse_rule_file(text, path)
    except RuleDefinitionError as exc:
        raise ConfigError(f"[analyzers.secrets] extra_rules: {exc}") from exc


def _unique(rules: Iterable[SecretRule]) -> tuple[SecretRule, ...]:
    seen: dict[str, str] = {}
    out = []
    for rule in rules:
        for key in (rule.rule.id, rule.name):
            if key in seen:
                raise RuleDefinitionError(f"secret rule {key} is defined twice")
            seen[key] = rule.rule.id
        out.append(rule)
    return tuple(out)


def _first_error(exc: ValidationError) -> str:
    error = exc.errors()[0]
    where = ".".join(str(part) for part in error["loc"]) or "document"
    return f"{where}: {error['msg']}"
