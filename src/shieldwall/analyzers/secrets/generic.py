"""Generic detection: a high-entropy value assigned to a secret-ish name.

Covers assignments in the common languages (``x = "..."``, ``x := "..."``, ``"x": "..."``,
``x => '...'``), unquoted values in configuration formats (.env, YAML, .properties, INI, shell),
XML elements and .NET ``<add key=... value=...>`` entries. A value is reported only when it is
not a placeholder or a reference (``${VAR}``, ``os.environ[...]``), and when its entropy passes a
threshold that depends on its alphabet (hex carries fewer bits per character than base64).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from shieldwall.analyzers.secrets.filters import is_placeholder, shannon_entropy

KEYWORDS: Final = (
    "passw", "passphrase", "pwd", "_pass", "pass_", "secret", "token", "api_key", "apikey",
    "api-key", "access_key", "accesskey", "private_key", "privatekey", "client_key", "auth_key",
    "authkey", "credential", "signing_key", "encryption_key", "master_key",
)  # fmt: skip

_TYPE = r"(?:[ \t]*:[ \t]*[A-Za-z_][\w\[\], .|]{0,40}?)?"
QUOTED: Final = re.compile(
    r"""(?P<name>[A-Za-z_$@][\w.\-$@]{0,80}?)["'`\]]?""" + _TYPE
    + r"""[ \t]{0,3}(?::=|=>|\?\?=|\|\|=|=|:)[ \t]{0,3}(?:[rbuf]{0,2})"""
    r"""(?P<q>["'`])(?P<value>[^"'`\s\\]{4,400})(?P=q)"""
)  # fmt: skip
UNQUOTED: Final = re.compile(
    r"""(?m)^[ \t]*(?:export[ \t]+|-[ \t]+|set[ \t]+|ENV[ \t]+)?(?P<name>[A-Za-z_][\w.\-]{0,80})"""
    r"""[ \t]*(?:=|:|[ \t])[ \t]*(?P<value>[^\s"'`#;,]{4,400})[ \t]*(?:[#;].*)?\r?$"""
)
XML_ELEMENT: Final = re.compile(r"<(?P<name>[\w.\-:]{1,80})>(?P<value>[^<>\s]{4,400})</(?P=name)>")
DOTNET_SETTING: Final = re.compile(
    r"""key\s*=\s*"(?P<name>[^"]{1,80})"\s+value\s*=\s*"(?P<value>[^"\s]{4,400})\""""
)

_PASSWORD_NAME = re.compile(r"passw|passphrase|pwd|(?:^|[_.\-])pass(?:$|[_.\-])")
_SECRET_NAME = re.compile(
    r"secret|token|api[_.\-]?key|access[_.\-]?key|private[_.\-]?key|client[_.\-]?key"
    r"|auth[_.\-]?key|credential|signing[_.\-]?key|encryption[_.\-]?key|master[_.\-]?key"
)
# Names that contain a keyword but hold no secret: where a secret is, what it is called, its type.
_NAME_DENY = re.compile(
    r"(?:url|uri|path|file|filename|dir|name|names|type|field|header|prefix|suffix|length|len|size|"
    r"format|mode|policy|env|var|id|ids|count|label|pattern|regex|endpoint|version|class|template|"
    r"hint|prompt|placeholder|message|msg|error|limit|expiry|expires|ttl|timeout|method|scope|"
    r"scopes|kind|provider|source|store|manager|helper|validator|generator|reset|confirm|"
    r"confirmation|policy|rules|strength|min|max|hash|hashed|digest|salt|regexp|index|enabled|"
    r"required|input|button|label|text|title|icon|link|lifetime|location|ref|reference)$"
)
_DOTTED_IDENTIFIER = re.compile(r"^[A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)+(?:\(\))?$")
_REFERENCE_PREFIXES: Final = (
    "$", "%", "{", "<", "#{", "@", "!", "&", "*", "/", "./", "../", "~/", "http://", "https://",
    "file:", "env:", "vault:", "arn:", "ssm:", "secret:", "secretsmanager:", "projects/",
)  # fmt: skip
_CONSTANT_NAME = re.compile(r"^(?:[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+|[a-z][a-z0-9]*(?:_[a-z0-9]+)+)$")
_HEX = frozenset("0123456789abcdefABCDEF")
CONFIG_SUFFIXES: Final = frozenset(
    {".env", ".properties", ".ini", ".cfg", ".conf", ".yaml", ".yml", ".toml", ".sh", ".bash",
     ".zsh", ".envrc", ".service", ".dockerfile"}
)  # fmt: skip


class SecretKind(StrEnum):
    """Which generic rule a name calls for."""

    PASSWORD = "password"  # noqa: S105 - a rule kind, not a password
    SECRET = "secret"  # noqa: S105 - a rule kind, not a secret


@dataclass(frozen=True, slots=True)
class GenericSettings:
    """The thresholds of generic detection (from the config slice)."""

    entropy_threshold: float = 3.5
    min_length: int = 12
    password_min_length: int = 8


@dataclass(frozen=True, slots=True)
class GenericMatch:
    """A value that passed the filters: where it is and which rule it calls for."""

    kind: SecretKind
    name: str
    start: int
    end: int
    value: str


def is_config_file(name: str) -> bool:
    """Configuration formats, where unquoted values are values (not code identifiers)."""
    lowered = name.lower()
    if lowered.startswith((".env", "dockerfile")) or lowered in {".npmrc", ".pypirc", ".netrc"}:
        return True
    dot = lowered.rfind(".")
    return dot > 0 and lowered[dot:] in CONFIG_SUFFIXES


def classify_name(name: str) -> SecretKind | None:
    """The generic rule for a variable name, or ``None`` when the name is not secret-ish."""
    lowered = name.lower().strip("$@:")
    last = re.split(r"[.\[\]]", lowered)[-1] or lowered
    squashed = last.replace("_", "").replace("-", "")
    if _NAME_DENY.search(squashed) and not squashed.endswith(("secret", "token", "password")):
        return None
    if _PASSWORD_NAME.search(last):
        return SecretKind.PASSWORD
    if _SECRET_NAME.search(last):
        return SecretKind.SECRET
    return None


def find(
    text: str,
    keyword_starts: Iterable[int],
    line_start: int,
    line_end: int,
    *,
    config_file: bool,
    settings: GenericSettings,
) -> Iterator[GenericMatch]:
    """Generic matches on one line, tried only where a name around a keyword hit begins."""
    seen: set[tuple[int, int]] = set()
    attempts: list[re.Match[str] | None] = []
    for name_start in sorted({_name_start(text, s, line_start) for s in keyword_starts}):
        attempts.append(QUOTED.match(text, name_start, line_end))
        if name_start > line_start and text[name_start - 1] == "<":
            attempts.append(XML_ELEMENT.match(text, name_start - 1, line_end))
    if config_file:
        attempts.append(UNQUOTED.match(text, line_start, line_end))
    if text.find("value", line_start, line_end) != -1:
        attempts += DOTNET_SETTING.finditer(text, line_start, line_end)
    for match in attempts:
        if match is None or match.span("value") in seen:
            continue
        name, value = match.group("name"), match.group("value")
        kind = classify_name(name)
        if kind is None or not accept(kind, name, value, settings):
            continue
        seen.add(match.span("value"))
        start, end = match.span("value")
        yield GenericMatch(kind, name, start, end, value)


def _name_start(text: str, keyword_start: int, line_start: int) -> int:
    """Where the identifier that contains a keyword begins (``self.db_password`` -> ``s``)."""
    pos = keyword_start
    while pos > line_start and (text[pos - 1].isalnum() or text[pos - 1] in "_.-$@"):
        pos -= 1
    while pos < keyword_start and not (text[pos].isalpha() or text[pos] in "_$@"):
        pos += 1
    return pos


def accept(kind: SecretKind, name: str, value: str, settings: GenericSettings) -> bool:
    """Whether ``value`` assigned to ``name`` looks like a real secret."""
    if is_placeholder(value) or value.startswith(_REFERENCE_PREFIXES):
        return False
    if _DOTTED_IDENTIFIER.match(value) or value.lower() in {"true", "false", "null", "none"}:
        return False
    if _CONSTANT_NAME.match(value):
        return False  # UPPER_SNAKE or lower_snake: the name of a setting, not its value
    if kind is SecretKind.SECRET and any(c in value for c in "{}[]()"):
        return False  # format strings and regular expressions, never tokens
    squashed_value = re.sub(r"[\W_]", "", value.lower())
    squashed_name = re.sub(r"[\W_]", "", name.lower())
    if squashed_value and (squashed_value in squashed_name or squashed_name in squashed_value):
        return False
    classes = _char_classes(value)
    entropy = shannon_entropy(value)
    if kind is SecretKind.PASSWORD:
        return (
            len(value) >= settings.password_min_length
            and classes >= 2
            and entropy >= min(2.5, 0.8 * math.log2(len(value)))
        )
    if len(value) < settings.min_length:
        return False
    threshold = settings.entropy_threshold
    if set(value) <= _HEX:
        if len(value) < 16:
            return False
        threshold -= 0.5
    elif not any(c.isdigit() for c in value) and not (len(value) >= 24 and classes >= 2):
        return False  # words and identifiers ("MySecretTokenName") carry no digits
    return entropy >= min(threshold, 0.9 * math.log2(len(value)))


def _char_classes(value: str) -> int:
    return (
        any(c.islower() for c in value)
        + any(c.isupper() for c in value)
        + any(c.isdigit() for c in value)
        + any(not c.isalnum() for c in value)
    )
