"""Where a reflected value lands inside a page's scripts: a small JavaScript lexer.

Used to confirm XSS in script contexts by parsing, not by looking for a substring: a marker
counts as injected code only when the lexer reads it as an identifier outside every string,
template literal, regular expression and comment. Script elements are cut out the way the HTML
tokenizer does it (script data ends at the first ``</script``, whatever the JavaScript around it).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

_SCRIPT = re.compile(r"(?is)<script\b[^>]*>(.*?)(?:</script|\Z)")
_IDENT_START = re.compile(r"[A-Za-z_$]")
_IDENT = re.compile(r"[\w$]+")
_NUMBER = re.compile(r"\d[\w.]*")
# After these, a slash starts a regular expression literal rather than a division.
_REGEX_AFTER = set("(,=:[!&|?{};+-*%<>~^")
_REGEX_KEYWORDS = {"return", "typeof", "case", "do", "else", "in", "of", "new", "delete", "void"}


class TokenKind(StrEnum):
    """The lexical classes the checks tell apart."""

    STRING = "string"
    TEMPLATE = "template"
    COMMENT = "comment"
    REGEX = "regex"
    IDENTIFIER = "identifier"
    NUMBER = "number"
    PUNCT = "punct"


@dataclass(frozen=True, slots=True)
class Token:
    """One token: its class, text and offsets in the script."""

    kind: TokenKind
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class ScriptBlock:
    """The content of one script element and its offset in the page."""

    source: str
    start: int


def script_blocks(body: str) -> list[ScriptBlock]:
    """The content of every ``<script>`` element of an HTML page."""
    return [ScriptBlock(m.group(1), m.start(1)) for m in _SCRIPT.finditer(body)]


def tokens(source: str) -> Iterator[Token]:
    """The tokens of a script; never raises (unterminated literals end at the end of input)."""
    at, size = 0, len(source)
    previous: Token | None = None
    while at < size:
        char = source[at]
        if char.isspace():
            at += 1
            continue
        token = _token(source, at, char, previous)
        yield token
        at = max(token.end, at + 1)
        if token.kind is not TokenKind.COMMENT:
            previous = token


def _token(source: str, at: int, char: str, previous: Token | None) -> Token:
    if source.startswith("//", at):
        end = source.find("\n", at)
        return Token(TokenKind.COMMENT, "", at, len(source) if end < 0 else end)
    if source.startswith("/*", at):
        end = source.find("*/", at + 2)
        return Token(TokenKind.COMMENT, "", at, len(source) if end < 0 else end + 2)
    if char in "\"'`":
        end = _closing(source, at + 1, char)
        kind = TokenKind.TEMPLATE if char == "`" else TokenKind.STRING
        return Token(kind, source[at:end], at, end)
    if char == "/" and _regex_allowed(previous):
        end = _regex_end(source, at + 1)
        return Token(TokenKind.REGEX, source[at:end], at, end)
    if _IDENT_START.match(char):
        match = _IDENT.match(source, at)
        assert match is not None  # noqa: S101 - an identifier start always matches
        return Token(TokenKind.IDENTIFIER, match.group(0), at, match.end())
    if char.isdigit():
        match = _NUMBER.match(source, at)
        assert match is not None  # noqa: S101 - a digit always matches
        return Token(TokenKind.NUMBER, match.group(0), at, match.end())
    return Token(TokenKind.PUNCT, char, at, at + 1)


def _closing(source: str, at: int, quote: str) -> int:
    """The offset after the closing quote (a newline ends a plain string: a syntax error)."""
    while at < len(source):
        char = source[at]
        if char == "\\":
            at += 2
            continue
        if char == quote:
            return at + 1
        if char == "\n" and quote != "`":
            return at
        at += 1
    return len(source)


def _regex_allowed(previous: Token | None) -> bool:
    if previous is None:
        return True
    if previous.kind is TokenKind.PUNCT:
        return previous.text in _REGEX_AFTER
    return previous.kind is TokenKind.IDENTIFIER and previous.text in _REGEX_KEYWORDS


def _regex_end(source: str, at: int) -> int:
    in_class = False
    while at < len(source):
        char = source[at]
        if char == "\\":
            at += 2
            continue
        if char == "\n":
            return at
        if char == "[":
            in_class = True
        elif char == "]":
            in_class = False
        elif char == "/" and not in_class:
            return at + 1
        at += 1
    return len(source)


def context_at(source: str, offset: int) -> Token | None:
    """The string or template token containing ``offset``, or None when it is in code."""
    for token in tokens(source):
        if token.start < offset < token.end and token.kind in (
            TokenKind.STRING,
            TokenKind.TEMPLATE,
        ):
            return token
        if token.start > offset:
            break
    return None


def in_code(source: str, name: str) -> bool:
    """Whether ``name`` occurs as an identifier token (code the browser runs)."""
    return any(t.kind is TokenKind.IDENTIFIER and t.text == name for t in tokens(source))


def scripts_with(body: str, marker: str) -> list[tuple[ScriptBlock, int]]:
    """Every script block of the page holding ``marker``, with the marker's offset in it."""
    found = []
    for block in script_blocks(body):
        at = block.source.find(marker)
        if at >= 0:
            found.append((block, at))
    return found
