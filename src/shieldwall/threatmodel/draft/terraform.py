"""Terraform: resource blocks of data stores, queues, functions and load balancers.

Only the ``resource "TYPE" "NAME"`` headers are read (and a few attributes of the block), which
is what a draft needs; the iac scanner does the full HCL evaluation.
"""

from __future__ import annotations

import re

from shieldwall.threatmodel.draft.parts import DraftComponent, DraftParts, slug
from shieldwall.threatmodel.vocabulary import ComponentKind, Exposure

_RESOURCE = re.compile(r'^\s*resource\s+"([A-Za-z0-9_]+)"\s+"([A-Za-z0-9_-]+)"\s*\{', re.M)
_PUBLIC = re.compile(r"^\s*publicly_accessible\s*=\s*true\b", re.M)
_ENCRYPTED = re.compile(r"^\s*storage_encrypted\s*=\s*true\b", re.M)

# Resource type prefixes and what they are.
_TYPES: tuple[tuple[str, ComponentKind, str], ...] = (
    ("aws_db_instance", ComponentKind.DATABASE, "rds"),
    ("aws_rds_cluster", ComponentKind.DATABASE, "aurora"),
    ("aws_dynamodb_table", ComponentKind.DATABASE, "dynamodb"),
    ("aws_elasticache_", ComponentKind.DATABASE, "elasticache"),
    ("aws_s3_bucket", ComponentKind.OBJECT_STORAGE, "s3"),
    ("aws_sqs_queue", ComponentKind.QUEUE, "sqs"),
    ("aws_sns_topic", ComponentKind.QUEUE, "sns"),
    ("aws_kinesis_stream", ComponentKind.QUEUE, "kinesis"),
    ("aws_msk_cluster", ComponentKind.QUEUE, "kafka"),
    ("aws_lambda_function", ComponentKind.WORKER, "lambda"),
    ("aws_ecs_service", ComponentKind.WEB_APP, "ecs"),
    ("aws_api_gateway_rest_api", ComponentKind.API, "api-gateway"),
    ("aws_apigatewayv2_api", ComponentKind.API, "api-gateway"),
    ("google_sql_database_instance", ComponentKind.DATABASE, "cloud-sql"),
    ("google_storage_bucket", ComponentKind.OBJECT_STORAGE, "gcs"),
    ("google_pubsub_topic", ComponentKind.QUEUE, "pubsub"),
    ("google_cloud_run_service", ComponentKind.WEB_APP, "cloud-run"),
    ("google_cloudfunctions_function", ComponentKind.WORKER, "cloud-functions"),
    ("azurerm_mssql_server", ComponentKind.DATABASE, "azure-sql"),
    ("azurerm_postgresql_", ComponentKind.DATABASE, "postgres"),
    ("azurerm_cosmosdb_account", ComponentKind.DATABASE, "cosmosdb"),
    ("azurerm_storage_account", ComponentKind.OBJECT_STORAGE, "azure-storage"),
    ("azurerm_servicebus_namespace", ComponentKind.QUEUE, "service-bus"),
    ("azurerm_linux_web_app", ComponentKind.WEB_APP, "app-service"),
)
# Resources that only configure another one (a bucket's policy, versioning...) are not components.
_SUFFIXES_THAT_CONFIGURE = (
    "_policy",
    "_public_access_block",
    "_versioning",
    "_acl",
    "_server_side_encryption_configuration",
    "_lifecycle_configuration",
    "_logging",
    "_notification",
    "_subscription",
    "_cors_configuration",
    "_website_configuration",
    "_ownership_controls",
)


def read_terraform(path: str, text: str, parts: DraftParts) -> None:
    """Add the components declared in one ``.tf`` file."""
    matches = list(_RESOURCE.finditer(text))
    for index, match in enumerate(matches):
        rtype, name = match.group(1), match.group(2)
        if rtype.endswith(_SUFFIXES_THAT_CONFIGURE):
            continue
        known = next(((k, t) for prefix, k, t in _TYPES if rtype.startswith(prefix)), None)
        if known is None:
            continue
        kind, technology = known
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        body = text[match.end() : end]
        exposure = Exposure.INTERNET if _PUBLIC.search(body) else Exposure.PRIVATE
        if kind is ComponentKind.API:
            exposure = Exposure.INTERNET
        component = DraftComponent(
            id=slug(f"{name}-{technology}"),
            kind=kind,
            source=path,
            technology=technology,
            exposure=exposure,
            iac={f"{rtype}.{name}"},
        )
        parts.add(component)
