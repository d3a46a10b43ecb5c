"""Joining resources to each other, so one policy covers every way of declaring the same thing.

Three steps, in order:

1. **Inline settings become related resources.** An S3 bucket's inline ``versioning``,
   ``server_side_encryption_configuration``, ``logging``, ``acl`` and ``policy`` (AWS provider v3
   style and CloudFormation properties) become the same child resources that the v4+ provider
   declares separately (``aws_s3_bucket_versioning``, ...). Policies about buckets read only the
   children, so they hold for every style.
2. **Security group rules are first-class.** Inline ``ingress``/``egress`` blocks, CloudFormation
   ``SecurityGroupIngress`` lists, ``aws_security_group_rule`` and
   ``aws_vpc_security_group_ingress_rule`` all become ``aws_security_group_rule`` resources with
   one shape (``type``, ``from_port``, ``to_port``, ``protocol``, ``cidr_blocks``).
3. **References become edges.** A resource that refers to another (``bucket =
   aws_s3_bucket.b.id``, ``!Ref Bucket``, or the same bucket name) is related to it both ways,
   keyed by the other resource's type.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterator

from shieldwall.analyzers.iac.model import Resource, SourceFormat
from shieldwall.analyzers.iac.values import (
    ListValue,
    ObjectValue,
    Ref,
    Scalar,
    Unknown,
    Value,
    obj,
    truthy,
)

_S3_CHILDREN = frozenset(
    {
        "aws_s3_bucket_versioning",
        "aws_s3_bucket_server_side_encryption_configuration",
        "aws_s3_bucket_logging",
        "aws_s3_bucket_acl",
        "aws_s3_bucket_policy",
        "aws_s3_bucket_public_access_block",
    }
)
_CANNED_ACL = {
    "PublicRead": "public-read",
    "PublicReadWrite": "public-read-write",
    "AuthenticatedRead": "authenticated-read",
    "Private": "private",
    "LogDeliveryWrite": "log-delivery-write",
    "BucketOwnerRead": "bucket-owner-read",
    "BucketOwnerFullControl": "bucket-owner-full-control",
}
_MAX_WALK = 100_000


def join(resources: list[Resource]) -> list[Resource]:
    """The resources with security group rules normalised and relations joined."""
    out: list[Resource] = []
    inline: dict[str, list[Resource]] = defaultdict(list)
    for res in resources:
        if res.type == "aws_s3_bucket":
            inline[res.address].extend(_s3_inline(res))
        if res.type == "aws_security_group":
            rules = list(_sg_inline(res))
            inline[res.address].extend(rules)
            out.extend(rules)
        out.append(_normalise_rule(res))
    return _link(out, inline)


def _link(resources: list[Resource], inline: dict[str, list[Resource]]) -> list[Resource]:
    by_address = {r.address: r for r in resources}
    by_bucket_name: dict[str, str] = {}
    for res in resources:
        if res.type == "aws_s3_bucket":
            name = res.first("bucket")
            if isinstance(name, Scalar) and isinstance(name.value, str):
                by_bucket_name[name.value] = res.address
    edges: dict[str, dict[str, list[Resource]]] = defaultdict(lambda: defaultdict(list))
    for parent, children in inline.items():
        for child in children:
            edges[parent][child.type].append(child)
    for res in resources:
        # An S3 settings resource belongs to the bucket named by its "bucket" argument only; its
        # other references (a logging target bucket) are not ownership.
        scope = res.attributes.get("bucket") if res.type in _S3_CHILDREN else res.attributes
        targets = {ref.target for ref in _refs(scope)} if scope is not None else set()
        bucket = res.first("bucket")
        if (
            res.type in _S3_CHILDREN
            and isinstance(bucket, Scalar)
            and str(bucket.value) in by_bucket_name
        ):
            targets.add(by_bucket_name[str(bucket.value)])
        for target in sorted(targets):
            other = by_address.get(target)
            if other is None or other is res:
                continue
            edges[other.address][res.type].append(res)
            edges[res.address][other.type].append(other)
    return [_with_edges(r, edges[r.address]) if r.address in edges else r for r in resources]


def _with_edges(res: Resource, extra: dict[str, list[Resource]]) -> Resource:
    related = {k: list(v) for k, v in res.related.items()}
    for kind, others in extra.items():
        related.setdefault(kind, []).extend(others)
    return dataclasses.replace(res, related={k: tuple(v) for k, v in related.items()})


def _refs(value: Value) -> Iterator[Ref]:
    stack, seen = [value], 0
    while stack and seen < _MAX_WALK:
        item = stack.pop()
        seen += 1
        if isinstance(item, Ref):
            yield item
        elif isinstance(item, ListValue):
            stack.extend(item.items)
        elif isinstance(item, ObjectValue):
            stack.extend(item.fields.values())


def _child(parent: Resource, rtype: str, fields: dict[str, Value], line: int) -> Resource:
    return Resource(
        type=rtype,
        address=f"{parent.address}#{rtype.removeprefix('aws_s3_bucket_')}",
        path=parent.path,
        line=line,
        attributes=obj(fields, line),
        source=parent.source,
        source_type=parent.source_type,
    )


def _s3_inline(bucket: Resource) -> Iterator[Resource]:
    if bucket.source is SourceFormat.CLOUDFORMATION:
        yield from _s3_inline_cfn(bucket)
        return
    for block in bucket.get("versioning[*]"):
        if isinstance(block, ObjectValue):
            enabled = block.get("enabled")
            status: Value = Unknown(block.line)
            if enabled is not None and truthy(enabled) is not None:
                status = Scalar("Enabled" if truthy(enabled) else "Suspended", enabled.line)
            elif enabled is None:
                status = Scalar("Suspended", block.line)
            config = obj({"status": status}, block.line)
            yield _child(
                bucket, "aws_s3_bucket_versioning", {"versioning_configuration": config}, block.line
            )
    for block in bucket.get("server_side_encryption_configuration[*]"):
        if isinstance(block, ObjectValue):
            yield _child(
                bucket,
                "aws_s3_bucket_server_side_encryption_configuration",
                dict(block.fields),
                block.line,
            )
    for block in bucket.get("logging[*]"):
        if isinstance(block, ObjectValue):
            yield _child(bucket, "aws_s3_bucket_logging", dict(block.fields), block.line)
    acl = bucket.first("acl")
    if acl is not None:
        yield _child(bucket, "aws_s3_bucket_acl", {"acl": acl}, acl.line)
    policy = bucket.first("policy")
    if policy is not None:
        yield _child(bucket, "aws_s3_bucket_policy", {"policy": policy}, policy.line)


def _s3_inline_cfn(bucket: Resource) -> Iterator[Resource]:
    versioning = bucket.first("versioning_configuration")
    if isinstance(versioning, ObjectValue):
        yield _child(
            bucket,
            "aws_s3_bucket_versioning",
            {"versioning_configuration": versioning},
            versioning.line,
        )
    encryption = bucket.first("bucket_encryption")
    if isinstance(encryption, ObjectValue):
        rules: list[Value] = []
        for rule in bucket.get("bucket_encryption.server_side_encryption_configuration[*]"):
            if isinstance(rule, ObjectValue):
                default = rule.get("server_side_encryption_by_default")
                fields: dict[str, Value] = {}
                if default is not None:
                    fields["apply_server_side_encryption_by_default"] = default
                if (key := rule.get("bucket_key_enabled")) is not None:
                    fields["bucket_key_enabled"] = key
                rules.append(obj(fields, rule.line))
        yield _child(
            bucket,
            "aws_s3_bucket_server_side_encryption_configuration",
            {"rule": ListValue(tuple(rules), encryption.line)},
            encryption.line,
        )
    logging = bucket.first("logging_configuration")
    if isinstance(logging, ObjectValue):
        fields = {"target_bucket": logging.get("destination_bucket_name") or Unknown(logging.line)}
        yield _child(bucket, "aws_s3_bucket_logging", fields, logging.line)
    block = bucket.first("public_access_block_configuration")
    if isinstance(block, ObjectValue):
        yield _child(bucket, "aws_s3_bucket_public_access_block", dict(block.fields), block.line)
    acl = bucket.first("access_control")
    if acl is not None:
        value: Value = acl
        if isinstance(acl, Scalar):
            value = Scalar(_CANNED_ACL.get(str(acl.value), str(acl.value)), acl.line)
        yield _child(bucket, "aws_s3_bucket_acl", {"acl": value}, acl.line)


def _sg_inline(group: Resource) -> Iterator[Resource]:
    if group.source is SourceFormat.CLOUDFORMATION:
        sources = (("ingress", "security_group_ingress"), ("egress", "security_group_egress"))
    else:
        sources = (("ingress", "ingress"), ("egress", "egress"))
    for direction, attr in sources:
        for index, rule in enumerate(group.get(f"{attr}[*]")):
            if isinstance(rule, ObjectValue):
                yield Resource(
                    type="aws_security_group_rule",
                    address=f"{group.address}.{direction}[{index}]",
                    path=group.path,
                    line=rule.line,
                    attributes=_rule_shape(rule, direction),
                    source=group.source,
                    source_type=group.source_type,
                    related={"aws_security_group": (group,)},
                )


def _normalise_rule(res: Resource) -> Resource:
    if res.type == "aws_vpc_security_group_ingress_rule":
        return dataclasses.replace(
            res, type="aws_security_group_rule", attributes=_rule_shape(res.attributes, "ingress")
        )
    if res.type == "aws_vpc_security_group_egress_rule":
        return dataclasses.replace(
            res, type="aws_security_group_rule", attributes=_rule_shape(res.attributes, "egress")
        )
    if res.type == "aws_security_group_rule" and res.source is SourceFormat.CLOUDFORMATION:
        direction = "egress" if res.source_type.endswith("Egress") else "ingress"
        return dataclasses.replace(res, attributes=_rule_shape(res.attributes, direction))
    return res


def _rule_shape(rule: ObjectValue, direction: str) -> ObjectValue:
    """One shape for every way of writing a rule (Terraform inline/standalone/VPC, CFN)."""
    fields = dict(rule.fields)
    kind = fields.get("type")
    fields["type"] = kind if kind is not None else Scalar(direction, rule.line)
    for single, many in (
        ("cidr_ipv4", "cidr_blocks"),
        ("cidr_ip", "cidr_blocks"),
        ("cidr_ipv6", "ipv6_cidr_blocks"),
    ):
        value = fields.pop(single, None)
        if value is not None and many not in fields:
            fields[many] = ListValue((value,), value.line)
    for name in ("ip_protocol",):
        value = fields.pop(name, None)
        if value is not None and "protocol" not in fields:
            fields["protocol"] = value
    return obj(fields, rule.line)
