"""CloudFormation templates (YAML or JSON) as resources of the Terraform-named resource model.

Intrinsics are resolved where the template alone decides them: ``Ref`` to a parameter with a
default, ``Fn::Sub``/``Fn::Join`` over known parts, ``Fn::If`` on a decidable condition. ``Ref``
and ``Fn::GetAtt`` to another resource become :class:`Ref` so relations can be joined; anything
else is :class:`Unknown`. Property names are converted to snake case (``StorageEncrypted`` →
``storage_encrypted``), which is how the Terraform AWS provider names the same settings, so one
policy covers both; policy documents keep their own JSON keys.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from shieldwall.analyzers.iac.model import Resource, SourceFormat
from shieldwall.analyzers.iac.tf_functions import _str
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

# CloudFormation types whose Terraform name is not the mechanical conversion.
_TYPE_NAMES: dict[str, str] = {
    "AWS::S3::Bucket": "aws_s3_bucket",
    "AWS::S3::BucketPolicy": "aws_s3_bucket_policy",
    "AWS::EC2::SecurityGroup": "aws_security_group",
    "AWS::EC2::SecurityGroupIngress": "aws_security_group_rule",
    "AWS::EC2::SecurityGroupEgress": "aws_security_group_rule",
    "AWS::EC2::Instance": "aws_instance",
    "AWS::EC2::Volume": "aws_ebs_volume",
    "AWS::EC2::LaunchTemplate": "aws_launch_template",
    "AWS::RDS::DBInstance": "aws_db_instance",
    "AWS::RDS::DBCluster": "aws_rds_cluster",
    "AWS::IAM::Policy": "aws_iam_policy",
    "AWS::IAM::ManagedPolicy": "aws_iam_policy",
    "AWS::IAM::Role": "aws_iam_role",
    "AWS::IAM::User": "aws_iam_user",
    "AWS::KMS::Key": "aws_kms_key",
    "AWS::CloudTrail::Trail": "aws_cloudtrail",
    "AWS::SQS::Queue": "aws_sqs_queue",
    "AWS::SQS::QueuePolicy": "aws_sqs_queue_policy",
    "AWS::SNS::Topic": "aws_sns_topic",
    "AWS::SNS::TopicPolicy": "aws_sns_topic_policy",
    "AWS::DynamoDB::Table": "aws_dynamodb_table",
    "AWS::Lambda::Function": "aws_lambda_function",
    "AWS::ECR::Repository": "aws_ecr_repository",
    "AWS::EKS::Cluster": "aws_eks_cluster",
    "AWS::ElastiCache::ReplicationGroup": "aws_elasticache_replication_group",
    "AWS::Redshift::Cluster": "aws_redshift_cluster",
    "AWS::ElasticLoadBalancingV2::Listener": "aws_lb_listener",
    "AWS::ElasticLoadBalancingV2::LoadBalancer": "aws_lb",
    "AWS::CloudFront::Distribution": "aws_cloudfront_distribution",
    "AWS::ApiGateway::Stage": "aws_api_gateway_stage",
    "AWS::EFS::FileSystem": "aws_efs_file_system",
}
_KEEP_KEYS = frozenset({"PolicyDocument", "AssumeRolePolicyDocument", "KeyPolicy"})
_PSEUDO = re.compile(r"^AWS::")
_SUB_VAR = re.compile(r"\$\{([^}!][^}]*)\}")


def is_cloudformation(doc: Value) -> bool:
    """Whether a document looks like a CloudFormation template."""
    if not isinstance(doc, ObjectValue):
        return False
    if "AWSTemplateFormatVersion" in doc.fields:
        return True
    resources = doc.get("Resources")
    if not isinstance(resources, ObjectValue) or not resources.fields:
        return False
    return all(
        isinstance(r, ObjectValue)
        and isinstance(t := r.get("Type"), Scalar)
        and str(t.value).startswith(("AWS::", "Custom::", "Alexa::"))
        for r in resources.fields.values()
    )


def resource_type_name(cfn_type: str) -> str:
    """The Terraform-style name of a CloudFormation type."""
    known = _TYPE_NAMES.get(cfn_type)
    if known:
        return known
    parts = cfn_type.split("::")
    return "_".join(["aws", *(snake(p) for p in parts[1:])]) if len(parts) == 3 else snake(cfn_type)


def snake(name: str) -> str:
    """``MultiAZ`` → ``multi_az``, ``SSEAlgorithm`` → ``sse_algorithm``."""
    step = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name)
    step = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", step)
    return step.replace("-", "_").replace("::", "_").lower()


def template_resources(doc: ObjectValue, path: str) -> Iterator[Resource]:
    """The resources of a template, with intrinsics resolved as far as the template allows."""
    resolver = _Resolver(doc)
    resources = doc.get("Resources")
    if not isinstance(resources, ObjectValue):
        return
    for logical_id, body in resources.fields.items():
        if not isinstance(body, ObjectValue):
            continue
        type_value = body.get("Type")
        if not isinstance(type_value, Scalar):
            continue
        cond = body.get("Condition")
        if isinstance(cond, Scalar) and resolver.condition(str(cond.value)) is False:
            continue
        props = body.get("Properties")
        raw_props = props if isinstance(props, ObjectValue) else ObjectValue(line=body.line)
        attributes = _snake_keys(resolver.resolve(raw_props))
        cfn_type = str(type_value.value)
        yield Resource(
            type=resource_type_name(cfn_type),
            address=logical_id,
            path=path,
            line=body.line,
            attributes=attributes
            if isinstance(attributes, ObjectValue)
            else ObjectValue(line=body.line),
            source=SourceFormat.CLOUDFORMATION,
            source_type=cfn_type,
        )


def _snake_keys(value: Value) -> Value:
    if isinstance(value, ListValue):
        return ListValue(tuple(_snake_keys(v) for v in value.items), value.line)
    if isinstance(value, ObjectValue):
        return obj(
            {snake(k): (v if k in _KEEP_KEYS else _snake_keys(v)) for k, v in value.fields.items()},
            value.line,
        )
    return value


class _Resolver:
    def __init__(self, doc: ObjectValue) -> None:
        self.params: dict[str, Value] = {}
        params = doc.get("Parameters")
        if isinstance(params, ObjectValue):
            for name, spec in params.fields.items():
                default = spec.get("Default") if isinstance(spec, ObjectValue) else None
                self.params[name] = (
                    default
                    if default is not None
                    else Unknown(spec.line, f"parameter {name} has no default")
                )
        conditions = doc.get("Conditions")
        self.conditions: Mapping[str, Value] = (
            conditions.fields if isinstance(conditions, ObjectValue) else {}
        )
        self._deciding: set[str] = set()

    def condition(self, name: str) -> bool | None:
        expr = self.conditions.get(name)
        if expr is None or name in self._deciding:
            return None
        self._deciding.add(name)
        try:
            return truthy(self.resolve(expr))
        finally:
            self._deciding.discard(name)

    def resolve(self, value: Value) -> Value:
        if isinstance(value, ListValue):
            return ListValue(tuple(self.resolve(v) for v in value.items), value.line)
        if not isinstance(value, ObjectValue):
            return value
        if len(value.fields) == 1:
            ((key, arg),) = value.fields.items()
            if key == "Ref" or key.startswith("Fn::") or key == "Condition":
                return self._intrinsic(key, arg, value.line)
        return obj({k: self.resolve(v) for k, v in value.fields.items()}, value.line)

    def _intrinsic(self, key: str, arg: Value, line: int) -> Value:
        match key:
            case "Ref":
                name = _str(arg) or ""
                if name in self.params:
                    found = self.params[name]
                    return Scalar(found.value, line) if isinstance(found, Scalar) else found
                if _PSEUDO.match(name):
                    return Unknown(line, f"pseudo parameter {name}")
                return Ref(name, "", line)
            case "Fn::GetAtt":
                dotted = _str(arg)
                parts = (
                    dotted.split(".", 1)
                    if dotted
                    else [_str(v) or "" for v in getattr(arg, "items", ())]
                )
                return Ref(parts[0], parts[1] if len(parts) > 1 else "", line)
            case "Fn::Sub":
                return self._sub(arg, line)
            case "Fn::Join":
                return self._join(arg, line)
            case "Fn::If":
                branches = arg.items if isinstance(arg, ListValue) else ()
                if len(branches) == 3:
                    decided = self.condition(_str(branches[0]) or "")
                    if decided is not None:
                        return self.resolve(branches[1] if decided else branches[2])
                return Unknown(line, "Fn::If on an undecidable condition")
            case "Fn::Equals":
                items = [self.resolve(v) for v in getattr(arg, "items", ())]
                if len(items) == 2 and all(isinstance(i, Scalar) for i in items):
                    return Scalar(_str(items[0]) == _str(items[1]), line)
                return Unknown(line)
            case "Fn::Not":
                items = [self.resolve(v) for v in getattr(arg, "items", ())]
                inner = truthy(items[0]) if items else None
                return Unknown(line) if inner is None else Scalar(not inner, line)
            case "Condition":
                decided = self.condition(_str(arg) or "")
                return Unknown(line) if decided is None else Scalar(decided, line)
            case _:
                return Unknown(line, f"{key} is not evaluated")

    def _sub(self, arg: Value, line: int) -> Value:
        template, local = arg, ObjectValue(line=line)
        if isinstance(arg, ListValue) and arg.items:
            template = arg.items[0]
            if len(arg.items) > 1 and isinstance(arg.items[1], ObjectValue):
                local = arg.items[1]
        text = _str(template)
        if text is None:
            return Unknown(line)
        unknown = False

        def replace(m: re.Match[str]) -> str:
            nonlocal unknown
            name = m.group(1)
            found = local.get(name)
            value = self.resolve(found) if found is not None else self.params.get(name)
            resolved = _str(value) if value is not None else None
            if resolved is None:
                unknown = True
                return ""
            return resolved

        result = _SUB_VAR.sub(replace, text).replace("${!", "${")
        return Unknown(line, "Fn::Sub of unknown values") if unknown else Scalar(result, line)

    def _join(self, arg: Value, line: int) -> Value:
        if not isinstance(arg, ListValue) or len(arg.items) != 2:
            return Unknown(line)
        sep, items = _str(arg.items[0]), self.resolve(arg.items[1])
        if sep is None or not isinstance(items, ListValue):
            return Unknown(line)
        parts = [_str(i) for i in items.items]
        if any(p is None for p in parts):
            return Unknown(line)
        return Scalar(sep.join(p for p in parts if p is not None), line)
