"""Drafting sources one by one: Django routes, Kubernetes exposure, Terraform, compose."""

from __future__ import annotations

import yaml

from shieldwall.core.file import File
from shieldwall.threatmodel.draft import draft_model
from shieldwall.threatmodel.draft.python import read_python
from shieldwall.threatmodel.load import parse_model
from shieldwall.threatmodel.vocabulary import Feature


def draft(files: dict[str, str]) -> dict[str, dict[str, object]]:
    result = draft_model(File.virtual(p, t.encode()) for p, t in sorted(files.items()))
    parse_model(result.text, "draft.yaml")  # every draft is a valid model
    document = yaml.safe_load(result.text)
    return {c["id"]: c for c in document["components"]}


def test_django_urls_and_features() -> None:
    facts = read_python(
        "shop/urls.py",
        "from django.urls import path\nimport subprocess\n"
        "urlpatterns = [path('admin/', admin), path('accounts/login/', login)]\n",
    )
    assert facts is not None
    assert facts.framework == "django"
    assert facts.routes == ["admin/", "accounts/login/"]
    assert {Feature.ADMIN_UI, Feature.LOGIN, Feature.SHELL_COMMANDS} <= facts.features
    assert read_python("x.py", "def (:\n") is None


def test_python_clients_become_stores_and_flows() -> None:
    components = draft(
        {
            "svc/app.py": "from flask import Flask\nimport redis, boto3\napp = Flask(__name__)\n"
            "@app.route('/x')\ndef x():\n    return 'x'\n",
            "tools/script.py": "import psycopg\n",  # no routes: not a component
        }
    )
    assert components["svc"]["kind"] == "web_app" and components["svc"]["code"] == ["svc/**"]
    assert components["redis-db"]["kind"] == "database"
    assert components["s3-storage"]["kind"] == "object_storage"
    assert "tools" not in components and "postgres-db" not in components


def test_kubernetes_nodeport_is_internet_facing_and_clusterip_is_not() -> None:
    manifest = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  template:
    metadata: {labels: {app: api}}
    spec: {containers: [{name: api, image: acme/api:1}]}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly}
spec:
  jobTemplate:
    spec:
      template:
        spec: {containers: [{name: n, image: acme/nightly:1}]}
---
apiVersion: v1
kind: Service
metadata: {name: api}
spec: {type: NodePort, selector: {app: api}}
"""
    components = draft({"k8s/api.yaml": manifest})
    assert components["api"]["exposure"] == "internet"
    assert components["api"]["images"] == ["acme/api:1"]
    assert components["nightly"]["kind"] == "worker"
    assert components["nightly"]["exposure"] == "internal"


def test_terraform_public_database_and_configuration_resources() -> None:
    tf = """\
resource "aws_rds_cluster" "main" {
  publicly_accessible = false
}
resource "aws_s3_bucket_versioning" "logs" {}
resource "aws_lambda_function" "thumbs" {}
resource "aws_apigatewayv2_api" "public" {}
"""
    components = draft({"infra/main.tf": tf})
    assert components["main-aurora"]["exposure"] == "private"
    assert components["thumbs-lambda"]["kind"] == "worker"
    assert components["public-api-gateway"]["exposure"] == "internet"
    assert not any("logs" in c for c in components)


def test_invalid_utf8_is_a_warning_not_a_crash() -> None:
    result = draft_model([File.virtual("bad.py", b"x = '\xff'\n")])
    assert result.warnings and "not valid UTF-8" in result.warnings[0]
