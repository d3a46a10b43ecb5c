"""Tokens of HCL2 with their lines; strings and heredocs stay raw and become templates later."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class HclSyntaxError(ValueError):
    """The text is not valid HCL2; ``line`` says where."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line


class Kind(StrEnum):
    """Token kinds."""

    NEWLINE = "newline"
    IDENT = "ident"
    NUMBER = "number"
    STRING = "string"
    HEREDOC = "heredoc"
    OP = "op"
    EOF = "eof"


@dataclass(frozen=True, slots=True)
class Token:
    """One token; for strings ``text`` is the raw content between the quotes."""

    kind: Kind
    text: str
    line: int


_SPACE = re.compile(r"[ \t\r\f\ufeff]+")
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]*")
_NUMBER = re.compile(r"\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")
_HEREDOC = re.compile(r"<<(-?)([A-Za-z_][A-Za-z0-9_\-]*)[ \t]*\r?\n")
_OPS = ("...", "==", "!=", "<=", ">=", "&&", "||", "=>")
_SINGLE = frozenset("{}[]()=,.:?!<>+-*/%")


def tokenize(text: str, first_line: int = 1) -> list[Token]:
    """The tokens of ``text``; raises :class:`HclSyntaxError` on characters HCL does not allow."""
    tokens: list[Token] = []
    pos, line, size = 0, first_line, len(text)
    while pos < size:
        ch = text[pos]
        if ch == "\n":
            tokens.append(Token(Kind.NEWLINE, "\n", line))
            line += 1
            pos += 1
        elif ch in " \t\r\f\ufeff":
            m = _SPACE.match(text, pos)
            pos = m.end() if m else pos + 1
        elif ch == "#" or text.startswith("//", pos):
            end = text.find("\n", pos)
            pos = size if end < 0 else end
        elif text.startswith("/*", pos):
            end = text.find("*/", pos + 2)
            if end < 0:
                raise HclSyntaxError("unterminated /* comment", line)
            line += text.count("\n", pos, end)
            pos = end + 2
        elif ch == '"':
            end = scan_string_end(text, pos + 1, line)
            content = text[pos + 1 : end]
            tokens.append(Token(Kind.STRING, content, line))
            pos = end + 1
        elif ch == "<" and (m := _HEREDOC.match(text, pos)):
            pos, line = _heredoc(text, m, line, tokens)
        elif ch.isdigit():
            m = _NUMBER.match(text, pos)
            if m is None:  # unreachable: a digit always starts a number
                raise HclSyntaxError(f"bad number {ch!r}", line)
            tokens.append(Token(Kind.NUMBER, m.group(), line))
            pos = m.end()
        elif ch.isalpha() or ch == "_":
            m = _IDENT.match(text, pos)
            if m is None:  # unreachable: a letter always starts a name
                raise HclSyntaxError(f"bad name {ch!r}", line)
            tokens.append(Token(Kind.IDENT, m.group(), line))
            pos = m.end()
        else:
            for op in _OPS:
                if text.startswith(op, pos):
                    tokens.append(Token(Kind.OP, op, line))
                    pos += len(op)
                    break
            else:
                if ch not in _SINGLE:
                    raise HclSyntaxError(f"unexpected character {ch!r}", line)
                tokens.append(Token(Kind.OP, ch, line))
                pos += 1
    tokens.append(Token(Kind.EOF, "", line))
    return tokens


def _heredoc(text: str, m: re.Match[str], line: int, tokens: list[Token]) -> tuple[int, int]:
    strip, marker = m.group(1) == "-", m.group(2)
    start = m.end()
    body_line = line + 1
    pos = start
    while pos <= len(text):
        end = text.find("\n", pos)
        stop = len(text) if end < 0 else end
        if text[pos:stop].strip() == marker:
            content = text[start:pos]
            if strip:
                content = _dedent(content)
            tokens.append(Token(Kind.HEREDOC, content, body_line))
            return stop, line + 1 + text.count("\n", start, stop)
        if end < 0:
            break
        pos = end + 1
    raise HclSyntaxError(f"heredoc <<{marker} is never closed", line)


def _dedent(content: str) -> str:
    lines = content.split("\n")
    indents = [len(x) - len(x.lstrip(" \t")) for x in lines if x.strip()]
    cut = min(indents, default=0)
    return "\n".join(x[cut:] for x in lines)


def scan_string_end(text: str, pos: int, line: int) -> int:
    """The index of the closing quote of a string whose content starts at ``pos``."""
    size = len(text)
    while pos < size:
        ch = text[pos]
        if ch == "\\":
            pos += 2
        elif ch == '"':
            return pos
        elif ch == "\n":
            raise HclSyntaxError("newline in a quoted string (use a heredoc)", line)
        elif ch in "$%" and text.startswith("{", pos + 1):
            if pos + 2 < size and text[pos - 1 : pos] == ch and ch == "$":
                pos += 2  # $${ is a literal "${"
                continue
            pos = scan_interpolation_end(text, pos + 2, line) + 1
        else:
            pos += 1
    raise HclSyntaxError("unterminated string", line)


def scan_interpolation_end(text: str, pos: int, line: int) -> int:
    """The index of the ``}`` closing an interpolation whose content starts at ``pos``."""
    depth, size = 0, len(text)
    while pos < size:
        ch = text[pos]
        if ch == '"':
            pos = scan_string_end(text, pos + 1, line) + 1
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            if depth == 0:
                return pos
            depth -= 1
        pos += 1
    raise HclSyntaxError("unterminated ${ interpolation", line)
