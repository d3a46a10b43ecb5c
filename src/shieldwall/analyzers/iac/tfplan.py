"""``terraform show -json`` plan output as resources, with fully resolved values and JSON lines."""

from __future__ import annotations

from collections.abc import Iterator

from shieldwall.analyzers.iac.model import Resource, SourceFormat
from shieldwall.analyzers.iac.values import ListValue, ObjectValue, Scalar, Value

_MAX_MODULE_DEPTH = 50


def is_plan(doc: Value) -> bool:
    """Whether a JSON document is a Terraform plan (or state) in the JSON output format."""
    return (
        isinstance(doc, ObjectValue)
        and "format_version" in doc.fields
        and (
            "planned_values" in doc.fields
            or "resource_changes" in doc.fields
            or "values" in doc.fields
        )
    )


def plan_resources(doc: ObjectValue, path: str) -> Iterator[Resource]:
    """The managed resources of the planned values (every module, depth-first)."""
    root = doc.get("planned_values") or doc.get("values")
    module = root.get("root_module") if isinstance(root, ObjectValue) else None
    if isinstance(module, ObjectValue):
        yield from _module(module, path, 0)


def _module(module: ObjectValue, path: str, depth: int) -> Iterator[Resource]:
    if depth > _MAX_MODULE_DEPTH:
        return
    resources = module.get("resources")
    for item in resources.items if isinstance(resources, ListValue) else ():
        if not isinstance(item, ObjectValue):
            continue
        mode, rtype, address = item.get("mode"), item.get("type"), item.get("address")
        values = item.get("values")
        if not (isinstance(rtype, Scalar) and isinstance(address, Scalar)):
            continue
        is_data = isinstance(mode, Scalar) and mode.value == "data"
        if is_data and rtype.value != "aws_iam_policy_document":
            continue
        yield Resource(
            type=str(rtype.value),
            address=str(address.value),
            path=path,
            line=item.line,
            attributes=values if isinstance(values, ObjectValue) else ObjectValue(line=item.line),
            source=SourceFormat.TERRAFORM_PLAN,
            source_type=str(rtype.value),
        )
    children = module.get("child_modules")
    for child in children.items if isinstance(children, ListValue) else ():
        if isinstance(child, ObjectValue):
            yield from _module(child, path, depth + 1)
