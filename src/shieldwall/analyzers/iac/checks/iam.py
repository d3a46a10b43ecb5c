"""IAM policy document checks: wildcards, public principals and privilege escalation."""

from __future__ import annotations

from collections.abc import Iterator

from shieldwall.analyzers.iac.checks.base import python_check, rule
from shieldwall.analyzers.iac.iam import DOCUMENT_ATTRIBUTES, DocumentKind, Statement, documents
from shieldwall.analyzers.iac.model import Resource
from shieldwall.analyzers.iac.policy import Check, CheckContext, Hit
from shieldwall.core.severity import Severity

_TYPES = tuple(DOCUMENT_ATTRIBUTES)

# Actions that let a principal raise its own privileges (Rhino Security Labs' list of AWS IAM
# privilege escalation methods).
ESCALATION_ACTIONS = frozenset(
    {
        "iam:createpolicyversion",
        "iam:setdefaultpolicyversion",
        "iam:attachuserpolicy",
        "iam:attachgrouppolicy",
        "iam:attachrolepolicy",
        "iam:putuserpolicy",
        "iam:putgrouppolicy",
        "iam:putrolepolicy",
        "iam:addusertogroup",
        "iam:createaccesskey",
        "iam:createloginprofile",
        "iam:updateloginprofile",
        "iam:updateassumerolepolicy",
    }
)


def _allows(stmt: Statement) -> bool:
    return stmt.effect.lower() == "allow"


def _all_resources(stmt: Statement) -> bool:
    return "*" in stmt.resources


def _identity_statements(res: Resource, ctx: CheckContext) -> Iterator[Statement]:
    for doc in documents(res, ctx.resources):
        if doc.kind is DocumentKind.IDENTITY:
            yield from (s for s in doc.statements if _allows(s))


def _admin(res: Resource, ctx: CheckContext) -> Iterator[Hit]:
    for stmt in _identity_statements(res, ctx):
        if any(a in {"*", "*:*"} for a in stmt.actions) and _all_resources(stmt):
            yield Hit(res.path, stmt.action_line, "Action * on Resource *")


def _service_wildcard(res: Resource, ctx: CheckContext) -> Iterator[Hit]:
    for stmt in _identity_statements(res, ctx):
        wild = [a for a in stmt.actions if a.endswith(":*") and a != "*:*"]
        if wild:
            yield Hit(res.path, stmt.action_line, f"Action {wild[0]}")


def _not_action(res: Resource, ctx: CheckContext) -> Iterator[Hit]:
    for stmt in _identity_statements(res, ctx):
        if stmt.not_actions:
            yield Hit(res.path, stmt.action_line, "Allow with NotAction")


def _pass_role(res: Resource, ctx: CheckContext) -> Iterator[Hit]:
    for stmt in _identity_statements(res, ctx):
        if any(a.lower() in {"iam:passrole", "iam:*"} for a in stmt.actions) and _all_resources(
            stmt
        ):
            yield Hit(res.path, stmt.action_line, "iam:PassRole on Resource *")


def _escalation(res: Resource, ctx: CheckContext) -> Iterator[Hit]:
    for stmt in _identity_statements(res, ctx):
        found = sorted(a for a in stmt.actions if a.lower() in ESCALATION_ACTIONS)
        if found and _all_resources(stmt):
            yield Hit(res.path, stmt.action_line, ", ".join(found))


def _public_resource_policy(res: Resource, ctx: CheckContext) -> Iterator[Hit]:
    for doc in documents(res, ctx.resources):
        if doc.kind is not DocumentKind.RESOURCE:
            continue
        for stmt in doc.statements:
            if _allows(stmt) and "*" in stmt.principals and not stmt.has_condition:
                yield Hit(res.path, stmt.principal_line, "Principal *")


def _public_trust(res: Resource, ctx: CheckContext) -> Iterator[Hit]:
    for doc in documents(res, ctx.resources):
        if doc.kind is not DocumentKind.TRUST:
            continue
        for stmt in doc.statements:
            if _allows(stmt) and "*" in stmt.principals and not stmt.has_condition:
                yield Hit(res.path, stmt.principal_line, "Principal *")


_LEAST = "Grant only the actions and resources the principal needs."

IAM_CHECKS: tuple[Check, ...] = (
    python_check(
        rule(
            "SW-IAC-100",
            "IAM policy grants full administrative access (Action * on Resource *)",
            Severity.CRITICAL,
            "CWE-269",
            f'{_LEAST}\n\n```hcl\nstatement {{\n  actions   = ["s3:GetObject"]\n  resources = '
            f'["arn:aws:s3:::my-bucket/*"]\n}}\n```',
        ),
        _TYPES,
        _admin,
    ),
    python_check(
        rule(
            "SW-IAC-101",
            "IAM policy allows every action of a service (service:*)",
            Severity.MEDIUM,
            "CWE-732",
            f'{_LEAST} List the actions instead of `s3:*`:\n\n```json\n"Action": '
            f'["s3:GetObject", "s3:PutObject"]\n```',
        ),
        _TYPES,
        _service_wildcard,
    ),
    python_check(
        rule(
            "SW-IAC-102",
            "IAM policy allows with NotAction (grants everything not listed)",
            Severity.MEDIUM,
            "CWE-732",
            (
                "Use an explicit `Action` list with `Effect: Allow`; keep `NotAction` for `Deny` "
                'statements:\n\n```json\n{"Effect": "Allow", "Action": ["s3:GetObject"], '
                '"Resource": "arn:aws:s3:::data/*"}\n```'
            ),
        ),
        _TYPES,
        _not_action,
    ),
    python_check(
        rule(
            "SW-IAC-103",
            "IAM policy allows iam:PassRole on every role",
            Severity.HIGH,
            "CWE-269",
            "Restrict `iam:PassRole` to the role ARNs the service "
            'needs:\n\n```json\n"Resource": "arn:aws:iam::123456789012:role/app-task"\n```',
        ),
        _TYPES,
        _pass_role,
    ),
    python_check(
        rule(
            "SW-IAC-104",
            "IAM policy allows privilege escalation actions on every resource",
            Severity.HIGH,
            "CWE-269",
            (
                "Remove actions such as `iam:CreatePolicyVersion`, `iam:AttachUserPolicy` or "
                "`iam:PutRolePolicy`, or limit them to specific ARNs:\n\n```json\n"
                '{"Effect": "Allow", "Action": "iam:CreateAccessKey", '
                '"Resource": "arn:aws:iam::123456789012:user/${aws:username}"}\n```'
            ),
        ),
        _TYPES,
        _escalation,
    ),
    python_check(
        rule(
            "SW-IAC-105",
            "Resource policy allows any principal (Principal *) without a condition",
            Severity.CRITICAL,
            "CWE-284",
            "Name the accounts or roles allowed, or add a condition such as "
            '`aws:SourceArn`/`aws:PrincipalOrgID`:\n\n```json\n"Principal": {"AWS": '
            '"arn:aws:iam::123456789012:root"}\n```',
        ),
        _TYPES,
        _public_resource_policy,
    ),
    python_check(
        rule(
            "SW-IAC-106",
            "IAM role can be assumed by any principal (Principal * in the trust policy)",
            Severity.CRITICAL,
            "CWE-284",
            'Name the trusted service or account:\n\n```json\n"Principal": {"Service": '
            '"lambda.amazonaws.com"}\n```',
        ),
        _TYPES,
        _public_trust,
    ),
)
