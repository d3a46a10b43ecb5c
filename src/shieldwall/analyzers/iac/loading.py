"""From files to resources: which parser reads a file, and the per-file error boundary."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from shieldwall.analyzers.iac.cloudformation import is_cloudformation, template_resources
from shieldwall.analyzers.iac.compose import compose_resources, is_compose
from shieldwall.analyzers.iac.dockerfile import Dockerfile, parse_dockerfile
from shieldwall.analyzers.iac.hcl import Body
from shieldwall.analyzers.iac.kubernetes import is_kubernetes, manifest_resources
from shieldwall.analyzers.iac.model import ParseNote, Resource
from shieldwall.analyzers.iac.terraform import TerraformSource, is_tfvars, load_module, parse_file
from shieldwall.analyzers.iac.tfplan import is_plan, plan_resources
from shieldwall.analyzers.iac.values import ObjectValue
from shieldwall.analyzers.iac.yaml_values import load_documents
from shieldwall.core.errors import AnalysisError
from shieldwall.core.file import File

MAX_BYTES = 20 * 1024 * 1024  # bigger IaC files are generated dumps, not configuration
_DOCKERFILE = re.compile(
    r"^(?:Dockerfile|Containerfile)(?:\.[\w.-]+)?$|\.(?:dockerfile|containerfile)$", re.IGNORECASE
)
# "dockerfile.py" and "Dockerfile.md" are code and docs about Dockerfiles, not Dockerfiles.
_NOT_DOCKERFILE = (
    ".py",
    ".md",
    ".rst",
    ".txt",
    ".json",
    ".yaml",
    ".yml",
    ".go",
    ".js",
    ".ts",
    ".rs",
    ".java",
    ".rb",
    ".sh",
    ".toml",
    ".html",
    ".j2",
    ".tpl",
)
# JSON files that are never IaC; skipping them keeps a scan of a JS project cheap.
_NOT_IAC_JSON = frozenset(
    {
        "package.json",
        "package-lock.json",
        "composer.json",
        "composer.lock",
        "tsconfig.json",
        ".eslintrc.json",
        "renovate.json",
    }
)


class FileKind(StrEnum):
    """How a wanted file is read."""

    TERRAFORM = "terraform"
    DOCKERFILE = "dockerfile"
    YAML = "yaml"
    JSON = "json"


def classify(path: str) -> FileKind | None:
    """The kind of a file by name alone (cheap: used by ``wants``)."""
    name = path.rsplit("/", 1)[-1]
    lower = name.lower()
    if lower.endswith(".tf") or is_tfvars(path):
        return FileKind.TERRAFORM
    if _DOCKERFILE.search(name) and not lower.endswith(_NOT_DOCKERFILE):
        return FileKind.DOCKERFILE
    if lower.endswith((".yaml", ".yml", ".template")):
        return FileKind.YAML
    if lower.endswith(".json") and lower not in _NOT_IAC_JSON:
        return FileKind.JSON
    return None


@dataclass(slots=True)
class Loaded:
    """What a group of files gave: resources, Dockerfiles, notes and per-file errors."""

    resources: list[Resource] = field(default_factory=list)
    dockerfiles: list[Dockerfile] = field(default_factory=list)
    notes: list[ParseNote] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)
    texts: dict[str, list[str]] = field(default_factory=dict)


def load_group(files: Sequence[File]) -> Loaded:
    """Parse every file of a group; a bad file is recorded as an error and the rest goes on."""
    out = Loaded()
    terraform: list[tuple[TerraformSource, Body]] = []
    for file in files:
        kind = classify(file.path)
        if kind is None:
            continue
        try:
            text = _read(file)
            out.texts[file.path] = text.splitlines()
            if kind is FileKind.TERRAFORM:
                source = TerraformSource(file.path, text)
                terraform.append((source, parse_file(source)))
            elif kind is FileKind.DOCKERFILE:
                out.dockerfiles.append(parse_dockerfile(text, file.path))
            else:
                out.resources.extend(_documents(text, file.path))
        except AnalysisError as exc:
            out.errors.append((file.path, str(exc)))
    if terraform:
        module = load_module(terraform)
        out.resources.extend(module.resources)
        out.notes.extend(module.notes)
    return out


def _read(file: File) -> str:
    if file.size > MAX_BYTES:
        raise AnalysisError(
            f"{file.path}: {file.size:,} bytes is over the {MAX_BYTES:,}-byte limit for IaC files"
        )
    text = file.read_text_strict()
    if "\x00" in text:
        raise AnalysisError(f"{file.path}: binary content (NUL bytes), not an IaC file")
    return text


def _documents(text: str, path: str) -> Iterator[Resource]:
    for doc in load_documents(text, path):
        if not isinstance(doc, ObjectValue):
            continue
        if is_kubernetes(doc):
            yield from manifest_resources(doc, path)
        elif is_cloudformation(doc):
            yield from template_resources(doc, path)
        elif is_plan(doc):
            yield from plan_resources(doc, path)
        elif is_compose(doc):
            yield from compose_resources(doc, path)
