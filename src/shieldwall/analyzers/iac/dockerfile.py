"""A Dockerfile parser: instructions with their lines, grouped into build stages.

Written by hand (the format is line-based): continuation lines (``\\`` or the escape set by the
``# escape=`` directive), comments inside continued instructions, JSON (exec) and shell forms,
``--flags``, and BuildKit heredocs (``RUN <<EOF``), whose body becomes part of the instruction.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

_ESCAPE_DIRECTIVE = re.compile(r"^#\s*escape\s*=\s*([\\`])\s*$", re.IGNORECASE)
_HEREDOC = re.compile(r"<<-?[\"']?([A-Za-z_][A-Za-z0-9_]*)[\"']?")
_FLAG = re.compile(r"^--([a-z-]+)(?:=(\S*))?\s*")


@dataclass(frozen=True, slots=True)
class Instruction:
    """One instruction: upper-case keyword, flags, the argument text, and its first line."""

    keyword: str
    arguments: str
    line: int
    end_line: int
    flags: tuple[tuple[str, str], ...] = ()

    def exec_form(self) -> list[str] | None:
        """The JSON array of the exec form (``["npm", "start"]``), or ``None`` for shell form."""
        text = self.arguments.strip()
        if not text.startswith("["):
            return None
        try:
            parsed = json.loads(text)
        except ValueError:
            return None
        return [str(p) for p in parsed] if isinstance(parsed, list) else None

    def flag(self, name: str) -> str | None:
        """The value of ``--name=value``, if given."""
        for key, value in self.flags:
            if key == name:
                return value
        return None


@dataclass(frozen=True, slots=True)
class Stage:
    """A build stage: its ``FROM`` and the instructions after it."""

    base: Instruction
    instructions: tuple[Instruction, ...]

    @property
    def image(self) -> str:
        """The base image reference (``python:3.12-slim``), without flags or ``AS name``."""
        return self.base.arguments.split()[0] if self.base.arguments.split() else ""

    @property
    def name(self) -> str:
        """The stage name of ``FROM image AS name``, or ``""``."""
        parts = self.base.arguments.split()
        return parts[2].lower() if len(parts) >= 3 and parts[1].lower() == "as" else ""


@dataclass(frozen=True, slots=True)
class Dockerfile:
    """A parsed Dockerfile: instructions before the first FROM (ARGs) and the stages."""

    path: str
    preamble: tuple[Instruction, ...]
    stages: tuple[Stage, ...]

    @property
    def instructions(self) -> tuple[Instruction, ...]:
        """Every instruction in order."""
        out = list(self.preamble)
        for stage in self.stages:
            out.append(stage.base)
            out.extend(stage.instructions)
        return tuple(out)


def parse_dockerfile(text: str, path: str) -> Dockerfile:
    """Parse a Dockerfile's text."""
    lines = text.splitlines()
    escape = "\\"
    for raw in lines:
        stripped = raw.strip()
        if not stripped.startswith("#"):
            break
        m = _ESCAPE_DIRECTIVE.match(stripped)
        if m:
            escape = m.group(1)
    instructions = list(_instructions(lines, escape))
    preamble: list[Instruction] = []
    stages: list[tuple[Instruction, list[Instruction]]] = []
    for ins in instructions:
        if ins.keyword == "FROM":
            stages.append((ins, []))
        elif stages:
            stages[-1][1].append(ins)
        else:
            preamble.append(ins)
    return Dockerfile(path, tuple(preamble), tuple(Stage(b, tuple(i)) for b, i in stages))


def _instructions(lines: list[str], escape: str) -> list[Instruction]:
    out: list[Instruction] = []
    index = 0
    while index < len(lines):
        raw = lines[index]
        stripped = raw.strip()
        start = index + 1
        index += 1
        if not stripped or stripped.startswith("#"):
            continue
        parts = [stripped]
        while parts[-1].endswith(escape) and index < len(lines):
            parts[-1] = parts[-1][: -len(escape)].rstrip()
            nxt = lines[index].strip()
            index += 1
            if nxt.startswith("#"):
                parts.append(escape)  # a comment line inside a continuation is dropped
                continue
            parts.append(nxt)
        text = " ".join(p for p in parts if p and p != escape).strip()
        keyword, _, rest = text.partition(" ")
        heredoc = _HEREDOC.search(rest)
        if heredoc and keyword.upper() in {"RUN", "COPY"}:
            marker, body = heredoc.group(1), []
            while index < len(lines) and lines[index].strip() != marker:
                body.append(lines[index])
                index += 1
            index += 1
            rest = rest + "\n" + "\n".join(body)
        flags: list[tuple[str, str]] = []
        rest = rest.strip()
        while (m := _FLAG.match(rest)) is not None:
            flags.append((m.group(1), m.group(2) or ""))
            rest = rest[m.end() :]
        out.append(Instruction(keyword.upper(), rest.strip(), start, index, tuple(flags)))
    return out
