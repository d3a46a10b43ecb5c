"""The one resource model: every parser turns what it reads into :class:`Resource` objects.

A resource has a canonical ``type`` (the Terraform AWS/Azure/Google provider name for cloud
resources, so a CloudFormation ``AWS::S3::Bucket`` is an ``aws_s3_bucket`` too), typed attributes
with the line of each value, and ``related`` resources joined to it (the split-out
``aws_s3_bucket_public_access_block`` of a bucket, the rules of a security group).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

from shieldwall.analyzers.iac.values import ObjectValue, Value, lookup


class SourceFormat(StrEnum):
    """Which kind of file a resource was declared in."""

    TERRAFORM = "terraform"
    TERRAFORM_PLAN = "terraform-plan"
    CLOUDFORMATION = "cloudformation"
    KUBERNETES = "kubernetes"
    COMPOSE = "compose"
    DOCKERFILE = "dockerfile"


def _no_relations() -> Mapping[str, tuple[Resource, ...]]:
    return MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Resource:
    """One declared resource with typed attributes.

    ``address`` is stable across line moves (``aws_s3_bucket.logs``, ``Deployment/shop/web``)
    and goes into finding fingerprints. ``source_type`` keeps the name used in the file.
    """

    type: str
    address: str
    path: str
    line: int
    attributes: ObjectValue
    source: SourceFormat
    source_type: str = ""
    related: Mapping[str, tuple[Resource, ...]] = field(default_factory=_no_relations)

    def get(self, path: str) -> list[Value]:
        """Every value at a dotted attribute path (see :func:`values.lookup`)."""
        return lookup(self.attributes, path)

    def first(self, path: str) -> Value | None:
        """The first value at a path, or ``None``."""
        found = self.get(path)
        return found[0] if found else None

    def relations(self, name: str) -> tuple[Resource, ...]:
        """The related resources of one relation (usually named after the child's type)."""
        return self.related.get(name, ())


@dataclass(frozen=True, slots=True)
class ParseNote:
    """Something a parser could not resolve and left unknown (a registry module, a missing var)."""

    path: str
    line: int
    message: str
