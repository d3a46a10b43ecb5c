"""A Terraform module (one directory of ``.tf`` files) as resources.

Variables take their ``default``, overridden by ``terraform.tfvars`` and ``*.auto.tfvars`` of the
same directory; locals are evaluated lazily; ``count = 0`` and an empty ``for_each`` drop a
resource (it is never created). Module calls are not followed: a local module is its own
directory and is analysed as such, a registry module cannot be fetched; both are noted.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from shieldwall.analyzers.iac.hcl import Block, Body, HclSyntaxError, parse_hcl
from shieldwall.analyzers.iac.hcl.ast import Expr
from shieldwall.analyzers.iac.model import ParseNote, Resource, SourceFormat
from shieldwall.analyzers.iac.tf_eval import Evaluator
from shieldwall.analyzers.iac.values import ListValue, ObjectValue, Scalar, Unknown, Value
from shieldwall.core.errors import AnalysisError

# Data sources that are really documents we analyse (IAM policies), kept as resources.
_DATA_RESOURCES = frozenset({"aws_iam_policy_document"})


@dataclass(frozen=True, slots=True)
class TerraformSource:
    """One file of the module: its path and text."""

    path: str
    text: str


@dataclass(frozen=True, slots=True)
class TerraformModule:
    """The resources of one module, and what could not be resolved."""

    resources: tuple[Resource, ...]
    notes: tuple[ParseNote, ...]


def is_tfvars(path: str) -> bool:
    """Whether a path is a variable-values file applied automatically by Terraform."""
    name = path.rsplit("/", 1)[-1]
    return name == "terraform.tfvars" or name.endswith(".auto.tfvars")


def parse_file(source: TerraformSource) -> Body:
    """Parse one file; a syntax error becomes an :class:`AnalysisError` naming file and line."""
    try:
        return parse_hcl(source.text)
    except HclSyntaxError as exc:
        raise AnalysisError(f"{source.path}: HCL syntax error at {exc}") from exc
    except RecursionError as exc:
        raise AnalysisError(f"{source.path}: nesting too deep to parse") from exc


def load_module(bodies: Sequence[tuple[TerraformSource, Body]]) -> TerraformModule:
    """The resources of a module from its parsed files (``.tf`` and ``.tfvars``)."""
    configs = [(s, b) for s, b in bodies if not is_tfvars(s.path)]
    tfvars = sorted(((s, b) for s, b in bodies if is_tfvars(s.path)), key=_tfvars_order)
    empty = Evaluator({}, {})
    variables: dict[str, Value] = {}
    local_exprs: dict[str, Expr] = {}
    for _, body in configs:
        for block in body.blocks_of("variable"):
            default = block.body.attribute("default")
            if block.labels and default is not None:
                variables[block.labels[0]] = empty.expr(default.expr, {})
        for block in body.blocks_of("locals"):
            for attr in block.body.attributes:
                local_exprs[attr.name] = attr.expr
    for _, body in tfvars:
        for attr in body.attributes:
            variables[attr.name] = empty.expr(attr.expr, {})
    evaluator = Evaluator(variables, local_exprs)
    resources: list[Resource] = []
    notes: list[ParseNote] = []
    for source, body in configs:
        resources.extend(_resources(source, body, evaluator))
        notes.extend(_module_notes(source, body))
    return TerraformModule(tuple(resources), tuple(notes))


def _tfvars_order(item: tuple[TerraformSource, Body]) -> tuple[int, str]:
    # terraform.tfvars first, then *.auto.tfvars in lexical order (later ones win).
    name = item[0].path.rsplit("/", 1)[-1]
    return (0 if name == "terraform.tfvars" else 1, name)


def _resources(source: TerraformSource, body: Body, ev: Evaluator) -> Iterator[Resource]:
    for block in body.blocks:
        if block.type == "resource" and len(block.labels) == 2:
            prefix = ""
        elif block.type == "data" and len(block.labels) == 2 and block.labels[0] in _DATA_RESOURCES:
            prefix = "data."
        else:
            continue
        if _not_created(block, ev):
            continue
        rtype, name = block.labels
        yield Resource(
            type=rtype,
            address=f"{prefix}{rtype}.{name}",
            path=source.path,
            line=block.line,
            attributes=ev.body(block.body, block.line, {}),
            source=SourceFormat.TERRAFORM,
            source_type=rtype,
        )


def _not_created(block: Block, ev: Evaluator) -> bool:
    count = block.body.attribute("count")
    if count is not None:
        value = ev.expr(count.expr, {})
        if isinstance(value, Scalar) and value.value in (0, False, "0"):
            return True
    for_each = block.body.attribute("for_each")
    if for_each is not None:
        value = ev.expr(for_each.expr, {})
        if isinstance(value, ListValue) and not value.items:
            return True
        if isinstance(value, ObjectValue) and not value.fields:
            return True
    return False


def _module_notes(source: TerraformSource, body: Body) -> Iterator[ParseNote]:
    for block in body.blocks_of("module"):
        attr = block.body.attribute("source")
        value = Evaluator({}, {}).expr(attr.expr, {}) if attr else Unknown(block.line)
        where = value.value if isinstance(value, Scalar) else "?"
        if isinstance(where, str) and where.startswith(("./", "../")):
            message = (
                f"module {block.labels[0] if block.labels else ''}: local module {where} is "
                f"analysed as its own directory; inputs are not propagated"
            )
        else:
            message = (
                f"module {block.labels[0] if block.labels else ''}: source {where} is not fetched; "
                f"its resources are not analysed"
            )
        yield ParseNote(source.path, block.line, message)
