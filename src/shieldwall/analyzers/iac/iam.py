"""IAM policy documents, wherever they are written, as typed statements with lines.

A document may be JSON text (quoted or heredoc), a ``jsonencode({...})`` object, a CloudFormation
``PolicyDocument`` mapping, or a reference to a ``data "aws_iam_policy_document"`` block; all
become :class:`Statement` objects. Which attribute holds a document, and whether it is an
identity policy, a resource policy or a role's trust policy, is listed per resource type.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum

from shieldwall.analyzers.iac.model import Resource
from shieldwall.analyzers.iac.values import ListValue, ObjectValue, Ref, Scalar, Value
from shieldwall.analyzers.iac.yaml_values import load_documents
from shieldwall.core.errors import AnalysisError


class DocumentKind(StrEnum):
    """What a policy document governs."""

    IDENTITY = "identity"  # what a user/role/group may do
    RESOURCE = "resource"  # who may use a bucket/queue/topic/key
    TRUST = "trust"  # who may assume a role


# resource type -> (attribute path, kind); CloudFormation names are the snake-cased properties.
DOCUMENT_ATTRIBUTES: Mapping[str, tuple[tuple[str, DocumentKind], ...]] = {
    "aws_iam_policy": (
        ("policy", DocumentKind.IDENTITY),
        ("policy_document", DocumentKind.IDENTITY),
    ),
    "aws_iam_role_policy": (("policy", DocumentKind.IDENTITY),),
    "aws_iam_user_policy": (("policy", DocumentKind.IDENTITY),),
    "aws_iam_group_policy": (("policy", DocumentKind.IDENTITY),),
    "aws_iam_role": (
        ("assume_role_policy", DocumentKind.TRUST),
        ("assume_role_policy_document", DocumentKind.TRUST),
        ("inline_policy.policy", DocumentKind.IDENTITY),
        ("policies[*].policy_document", DocumentKind.IDENTITY),
    ),
    "aws_iam_user": (("policies[*].policy_document", DocumentKind.IDENTITY),),
    "aws_s3_bucket": (("policy", DocumentKind.RESOURCE),),
    "aws_s3_bucket_policy": (
        ("policy", DocumentKind.RESOURCE),
        ("policy_document", DocumentKind.RESOURCE),
    ),
    "aws_sqs_queue_policy": (
        ("policy", DocumentKind.RESOURCE),
        ("policy_document", DocumentKind.RESOURCE),
    ),
    "aws_sqs_queue": (("policy", DocumentKind.RESOURCE),),
    "aws_sns_topic_policy": (
        ("policy", DocumentKind.RESOURCE),
        ("policy_document", DocumentKind.RESOURCE),
    ),
    "aws_sns_topic": (("policy", DocumentKind.RESOURCE),),
    "aws_kms_key": (("policy", DocumentKind.RESOURCE), ("key_policy", DocumentKind.RESOURCE)),
    "aws_ecr_repository_policy": (("policy", DocumentKind.RESOURCE),),
    "aws_ecr_repository": (("repository_policy_text", DocumentKind.RESOURCE),),
}


@dataclass(frozen=True, slots=True)
class Statement:
    """One statement; ``principals`` holds ``"*"`` for a public principal."""

    effect: str
    actions: tuple[str, ...]
    not_actions: tuple[str, ...]
    resources: tuple[str, ...]
    principals: tuple[str, ...]
    has_condition: bool
    line: int
    action_line: int
    resource_line: int
    principal_line: int


@dataclass(frozen=True, slots=True)
class Document:
    """A policy document found on a resource."""

    kind: DocumentKind
    statements: tuple[Statement, ...]
    attribute: str
    line: int


def documents(res: Resource, index: Mapping[str, Resource]) -> Iterator[Document]:
    """Every policy document of a resource; unparseable JSON text is skipped, not guessed."""
    for path, kind in DOCUMENT_ATTRIBUTES.get(res.type, ()):
        for value in res.get(path):
            statements = _statements(value, index, res.path)
            if statements is not None:
                yield Document(kind, tuple(statements), path, value.line)


def _statements(value: Value, index: Mapping[str, Resource], path: str) -> list[Statement] | None:
    if isinstance(value, Scalar) and isinstance(value.value, str):
        try:
            docs = list(load_documents(value.value, path))
        except AnalysisError:
            return None
        if len(docs) != 1:
            return None
        value = _shift(docs[0], value.line - 1)
    if isinstance(value, Ref):
        source = index.get(value.target)
        if source is None or source.type != "aws_iam_policy_document":
            return None
        return [
            _from_data_block(s) for s in source.get("statement[*]") if isinstance(s, ObjectValue)
        ]
    if not isinstance(value, ObjectValue):
        return None
    raw = value.get("Statement")
    items = raw.items if isinstance(raw, ListValue) else (raw,) if raw is not None else ()
    return [_from_json(s) for s in items if isinstance(s, ObjectValue)]


def _shift(value: Value, offset: int) -> Value:
    """Lines of a document parsed from a string, moved to where the string is in the file."""
    from shieldwall.analyzers.iac.values import obj

    match value:
        case Scalar():
            return Scalar(value.value, value.line + offset)
        case ListValue():
            return ListValue(tuple(_shift(v, offset) for v in value.items), value.line + offset)
        case ObjectValue():
            return obj({k: _shift(v, offset) for k, v in value.fields.items()}, value.line + offset)
        case _:
            return value


def _strings(value: Value | None) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, Scalar):
        return (str(value.value),) if value.value is not None else ()
    if isinstance(value, ListValue):
        return tuple(s for v in value.items for s in _strings(v))
    return ("?",)  # unknown: never equal to "*"


def _principals(value: Value | None) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, Scalar):
        return _strings(value)
    if isinstance(value, ObjectValue):
        return tuple(s for v in value.fields.values() for s in _strings(v))
    return ("?",)


def _line(value: Value | None, default: int) -> int:
    return value.line if value is not None else default


def _from_json(stmt: ObjectValue) -> Statement:
    action, resource, principal = stmt.get("Action"), stmt.get("Resource"), stmt.get("Principal")
    effect = stmt.get("Effect")
    return Statement(
        effect=str(effect.value) if isinstance(effect, Scalar) else "?",
        actions=_strings(action),
        not_actions=_strings(stmt.get("NotAction")),
        resources=_strings(resource),
        principals=_principals(principal),
        has_condition=stmt.get("Condition") is not None,
        line=stmt.line,
        action_line=_line(action or stmt.get("NotAction"), stmt.line),
        resource_line=_line(resource, stmt.line),
        principal_line=_line(principal, stmt.line),
    )


def _from_data_block(stmt: ObjectValue) -> Statement:
    effect = stmt.get("effect")
    actions, resources = stmt.get("actions"), stmt.get("resources")
    principals: list[str] = []
    principal_line = stmt.line
    for block_name in ("principals",):
        block = stmt.get(block_name)
        if isinstance(block, ListValue):
            for item in block.items:
                if isinstance(item, ObjectValue):
                    principals.extend(_strings(item.get("identifiers")))
                    principal_line = item.line
    return Statement(
        effect=str(effect.value) if isinstance(effect, Scalar) else "Allow",
        actions=_strings(actions),
        not_actions=_strings(stmt.get("not_actions")),
        resources=_strings(resources),
        principals=tuple(principals),
        has_condition=stmt.get("condition") is not None,
        line=stmt.line,
        action_line=_line(actions or stmt.get("not_actions"), stmt.line),
        resource_line=_line(resources, stmt.line),
        principal_line=principal_line,
    )
