"""The IaC analyzer: Terraform, plan JSON, CloudFormation, Kubernetes, Dockerfile and Compose.

Scope is DIRECTORY: Terraform resolves variables, ``*.tfvars`` and locals across the files of a
module, which is one directory. Local modules are directories of their own and are analysed as
such with their defaults (see docs/iac.md); the other formats are read file by file within the
group, so one bad file is one :class:`ScanError` and the rest of the group is analysed.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import ClassVar

from pydantic import BaseModel

from shieldwall.analyzers.iac.config import IacConfig
from shieldwall.analyzers.iac.library import Library, builtin_library
from shieldwall.analyzers.iac.loading import Loaded, classify, load_group
from shieldwall.analyzers.iac.policy import Check, CheckContext, Hit, PolicyError, load_policies
from shieldwall.analyzers.iac.relations import join
from shieldwall.core.errors import RuleDefinitionError
from shieldwall.core.file import File
from shieldwall.core.finding import Finding
from shieldwall.core.location import SourceLocation
from shieldwall.core.protocols import AnalysisContext, AnalyzerOutput, AnalyzerScope
from shieldwall.core.result import ScanError, ScanNote
from shieldwall.core.rule import Rule

ANALYZER_ID = "iac"


class IacAnalyzer:
    """Misconfigurations in infrastructure as code, checked on one typed resource model."""

    id: ClassVar[str] = ANALYZER_ID
    version: ClassVar[str] = "1"
    description: ClassVar[str] = (
        "Infrastructure as code: Terraform (HCL and plan JSON), CloudFormation, Kubernetes, "
        "Dockerfile and docker-compose"
    )
    scope: ClassVar[AnalyzerScope] = AnalyzerScope.DIRECTORY
    config_model: ClassVar[type[BaseModel] | None] = IacConfig

    def rules(self) -> Sequence[Rule]:
        """Every built-in rule (custom policies add theirs at scan time)."""
        return builtin_library().rules

    def wants(self, path: str) -> bool:
        """Terraform, YAML, JSON, Dockerfile and compose files, by name."""
        return classify(path) is not None

    def analyze(self, files: Sequence[File], ctx: AnalysisContext) -> Iterator[AnalyzerOutput]:
        """Findings for one directory's files."""
        config = ctx.config if isinstance(ctx.config, IacConfig) else IacConfig()
        library = builtin_library()
        for name in config.custom_policies:
            # Each policy file stands alone: a broken one is reported and the others still run.
            try:
                library = library.extended(_custom_checks(name, ctx.root))
            except RuleDefinitionError as exc:
                yield ScanError(path=name, message=str(exc), analyzer=ANALYZER_ID)
        loaded = load_group(files)
        for path, message in loaded.errors:
            yield ScanError(path=path, message=message, analyzer=ANALYZER_ID)
        for note in loaded.notes:
            yield ScanNote(
                path=note.path, message=note.message, analyzer=ANALYZER_ID, line=note.line
            )
        yield from _findings(loaded, library, frozenset(config.skip_rules))


def _custom_checks(name: str, root: str) -> list[Check]:
    path = Path(root) / name
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PolicyError(
            f"{name}: cannot read custom policy file ({exc.strerror or exc})"
        ) from exc
    except UnicodeDecodeError as exc:
        raise PolicyError(f"{name}: custom policy file is not UTF-8") from exc
    return load_policies(text, name)


def _findings(loaded: Loaded, library: Library, skip: frozenset[str]) -> Iterator[Finding]:
    resources = join(loaded.resources)
    ctx = CheckContext({r.address: r for r in resources})
    for res in resources:
        for check in library.by_type.get(res.type, ()):
            if check.rule.id in skip:
                continue
            for hit in check.evaluate(res, ctx):
                yield _finding(check.rule, hit, res.address, loaded)
    for dockerfile in loaded.dockerfiles:
        for dcheck in library.dockerfile_checks:
            if dcheck.rule.id in skip:
                continue
            for hit in dcheck.evaluate(dockerfile):
                yield _finding(dcheck.rule, hit, dockerfile.path, loaded)


def _finding(rule: Rule, hit: Hit, address: str, loaded: Loaded) -> Finding:
    lines = loaded.texts.get(hit.path, [])
    snippet = lines[hit.line - 1].strip() if 0 < hit.line <= len(lines) else ""
    message = f"{rule.title}: {address}" + (
        f" ({hit.detail})" if hit.detail and not hit.secret else ""
    )
    return Finding.create(
        rule=rule,
        message=message,
        location=SourceLocation(path=hit.path, start_line=hit.line, snippet=snippet[:200]),
        identity=f"{address}|{hit.detail}",
        secret=hit.secret or None,
        properties={"resource": address},
    )
