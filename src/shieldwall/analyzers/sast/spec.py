"""Taint specifications: sources, sanitizers and sinks per framework, as data.

The built-in specs live in ``specs/*.toml`` beside this module; a team adds its own with the
``extra_specs`` option (same format, see ``docs/sast.md``). A spec is validated with pydantic
(``extra="forbid"``) so a typo in a key is an error naming the file, never a silent no-op.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache
from importlib import resources
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from shieldwall.core.errors import ConfigError
from shieldwall.core.severity import Confidence


class SinkKind(StrEnum):
    """The class of harm a sink does; each maps to one taint rule."""

    SQL = "sql"
    COMMAND = "command"
    CODE = "code"
    DESERIALIZATION = "deserialization"
    PATH = "path"
    SSRF = "ssrf"
    XSS = "xss"
    SSTI = "ssti"
    REDIRECT = "redirect"
    LDAP = "ldap"
    XPATH = "xpath"
    HEADER = "header"
    LOG = "log"
    TRUST_BOUNDARY = "trust-boundary"
    REGEX = "regex"
    FORMAT_STRING = "format-string"
    REFLECTION = "reflection"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SourceSpec(_Model):
    """Dotted names whose value (attribute, call result, or anything under them) is untrusted."""

    names: tuple[str, ...]
    kind: str = Field(description="What the data is: http, cli, env, file, ...")
    confidence: Confidence = Confidence.HIGH
    not_for: tuple[SinkKind, ...] = Field(
        default=(), description="Sink kinds this data is trusted for (env values name paths)."
    )


class SanitizerSpec(_Model):
    """Calls whose result is safe for the listed sink kinds (``all``: for every kind)."""

    names: tuple[str, ...] = ()
    methods: tuple[str, ...] = ()
    clears: tuple[SinkKind | str, ...]


class ValidatorSpec(_Model):
    """Checks whose truth makes their first argument safe (``if is_safe_url(u):``)."""

    names: tuple[str, ...] = ()
    methods: tuple[str, ...] = Field(default=(), description="Methods of the value (x.isdigit()).")
    clears: tuple[SinkKind | str, ...]


class SinkSpec(_Model):
    """Calls where tainted data in the listed arguments does harm."""

    names: tuple[str, ...] = ()
    methods: tuple[str, ...] = ()
    args: tuple[int, ...] = ()
    keywords: tuple[str, ...] = ()
    kind: SinkKind
    require_keywords: dict[str, bool | str] = Field(default_factory=dict)
    forbid_keywords: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    program: bool = Field(default=False, description="Argument is a program or an argv list.")
    receiver: bool = Field(default=False, description="The receiver itself is the sink.")
    receiver_hint: str = Field(
        default="", description="For method sinks: the receiver's text must contain this."
    )


class StoreSinkSpec(_Model):
    """Subscript stores (``session[k] = v``) where a tainted value does harm."""

    names: tuple[str, ...] = ()
    attributes: tuple[str, ...] = ()
    kind: SinkKind


class FrameworkSpec(_Model):
    """One spec file."""

    name: str
    sources: tuple[SourceSpec, ...] = ()
    route_decorators: tuple[str, ...] = ()
    frameworks: tuple[str, ...] = Field(
        default=(),
        description="Top-level packages whose import makes a module a web module (route "
        "decorators count only there).",
    )
    request_params: tuple[str, ...] = Field(
        default=(), description="Parameter names of a route handler that hold the request object."
    )
    sanitizers: tuple[SanitizerSpec, ...] = ()
    validators: tuple[ValidatorSpec, ...] = ()
    sinks: tuple[SinkSpec, ...] = ()
    store_sinks: tuple[StoreSinkSpec, ...] = ()
    receiver_propagators: tuple[str, ...] = ()
    url_builders: tuple[str, ...] = Field(
        default=(), description="Calls returning a URL on this site (reverse, url_for)."
    )


@dataclass(frozen=True, slots=True)
class TaintSpec:
    """Every spec merged into lookup tables used by the engine."""

    sources: dict[str, tuple[str, Confidence, frozenset[str]]]
    route_decorators: frozenset[str]
    frameworks: frozenset[str]
    request_params: frozenset[str]
    sanitizer_names: dict[str, frozenset[str]]
    sanitizer_methods: dict[str, frozenset[str]]
    sink_names: dict[str, tuple[SinkSpec, ...]]
    sink_methods: dict[str, tuple[SinkSpec, ...]]
    store_names: dict[str, SinkKind]
    store_attributes: dict[str, SinkKind]
    receiver_propagators: frozenset[str]
    url_builders: frozenset[str] = frozenset()
    validator_names: dict[str, frozenset[str]] = field(default_factory=dict)
    validator_methods: dict[str, frozenset[str]] = field(default_factory=dict)

    def source_for(self, dotted: str) -> tuple[str, Confidence, frozenset[str]] | None:
        """The source a dotted name falls under (itself or a parent name), if any."""
        name = dotted
        while True:
            hit = self.sources.get(name)
            if hit is not None:
                return hit
            dot = name.rfind(".")
            if dot < 0:
                return None
            name = name[:dot]


BUILTIN_SPECS = ("python", "flask", "django", "fastapi", "aiohttp", "libraries")


def _read(text: str, where: str) -> FrameworkSpec:
    try:
        return FrameworkSpec.model_validate(tomllib.loads(text))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{where}: not valid TOML: {exc}") from exc
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first["loc"])
        raise ConfigError(f"{where}: {loc}: {first['msg']}") from exc


@lru_cache(maxsize=8)
def load_spec(extra_paths: tuple[str, ...] = ()) -> TaintSpec:
    """The built-in specs plus the team's extra spec files, merged."""
    package = resources.files("shieldwall.analyzers.sast") / "specs"
    specs = [_read((package / f"{n}.toml").read_text("utf-8"), f"{n}.toml") for n in BUILTIN_SPECS]
    for raw in extra_paths:
        try:
            text = Path(raw).read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigError(f"{raw}: cannot read taint spec ({exc})") from exc
        specs.append(_read(text, raw))
    return merge(specs)


def merge(specs: list[FrameworkSpec]) -> TaintSpec:
    """Merge spec files into lookup tables."""
    sources: dict[str, tuple[str, Confidence, frozenset[str]]] = {}
    san_names: dict[str, set[str]] = {}
    san_methods: dict[str, set[str]] = {}
    sink_names: dict[str, list[SinkSpec]] = {}
    sink_methods: dict[str, list[SinkSpec]] = {}
    store_names: dict[str, SinkKind] = {}
    store_attrs: dict[str, SinkKind] = {}
    for spec in specs:
        for source in spec.sources:
            for name in source.names:
                trusted = frozenset(k.value for k in source.not_for)
                sources[name] = (source.kind, source.confidence, trusted)
        for san in spec.sanitizers:
            clears = {str(c) for c in san.clears}
            for name in san.names:
                san_names.setdefault(name, set()).update(clears)
            for name in san.methods:
                san_methods.setdefault(name, set()).update(clears)
        for sink in spec.sinks:
            for name in sink.names:
                sink_names.setdefault(name, []).append(sink)
            for name in sink.methods:
                sink_methods.setdefault(name, []).append(sink)
        for store in spec.store_sinks:
            store_names.update(dict.fromkeys(store.names, store.kind))
            store_attrs.update(dict.fromkeys(store.attributes, store.kind))
    return TaintSpec(
        sources=sources,
        route_decorators=frozenset(d for s in specs for d in s.route_decorators),
        frameworks=frozenset(f for s in specs for f in s.frameworks),
        request_params=frozenset(p for s in specs for p in s.request_params),
        sanitizer_names={k: frozenset(v) for k, v in san_names.items()},
        sanitizer_methods={k: frozenset(v) for k, v in san_methods.items()},
        sink_names={k: tuple(v) for k, v in sink_names.items()},
        sink_methods={k: tuple(v) for k, v in sink_methods.items()},
        store_names=store_names,
        store_attributes=store_attrs,
        receiver_propagators=frozenset(p for s in specs for p in s.receiver_propagators),
        url_builders=frozenset(u for s in specs for u in s.url_builders),
        validator_names={
            name: frozenset(str(c) for c in v.clears)
            for s in specs
            for v in s.validators
            for name in v.names
        },
        validator_methods={
            name: frozenset(str(c) for c in v.clears)
            for s in specs
            for v in s.validators
            for name in v.methods
        },
    )
