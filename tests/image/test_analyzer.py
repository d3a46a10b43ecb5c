"""The image analyzer's rules, each with positives and negatives, exact-set oracles."""

from __future__ import annotations

import json
from typing import Any

import pytest

from shieldwall.core import AnalysisContext, File
from shieldwall.core.errors import AnalysisError
from shieldwall.image.analyzer import ImageAnalyzer
from shieldwall.image.virtual import IMAGE_JSON

ANALYZER = ImageAnalyzer()
CTX = AnalysisContext(root=".")
# Built at run time so the self-scan sees no credential in this file.
DB_PASSWORD = "hunter" + "2-Xq9"


def _found(config: dict[str, Any] | None, risky: list[dict[str, Any]] | None = None):
    document = {"image": "shop:1", "config": config or {}, "risky_files": risky or []}
    file = File.virtual(IMAGE_JSON, json.dumps(document).encode())
    assert ANALYZER.wants(file.path)
    findings = list(ANALYZER.analyze([file], CTX))
    return findings, {(f.rule.id, f.location.path) for f in findings}


@pytest.mark.parametrize("user", ["", "root", "0", "0:0", "root:staff"])
def test_root_user(user: str) -> None:
    _, found = _found({"config": {"User": user}})
    assert found == {("SW-IMG-001", "config:User")}


@pytest.mark.parametrize("user", ["app", "10001", "10001:10001", "nobody"])
def test_non_root_user(user: str) -> None:
    _, found = _found({"config": {"User": user}})
    assert found == set()


def test_bare_rootfs_has_no_config_findings() -> None:
    _, found = _found(None)
    assert found == set()


def test_sensitive_ports() -> None:
    ports = {"22/tcp": {}, "8080/tcp": {}, "6379/tcp": {}, "443/tcp": {}, "5432": {}}
    _, found = _found({"config": {"User": "app", "ExposedPorts": ports}})
    assert found == {
        ("SW-IMG-002", "config:ExposedPorts/22/tcp"),
        ("SW-IMG-002", "config:ExposedPorts/6379/tcp"),
        ("SW-IMG-002", "config:ExposedPorts/5432/tcp"),
    }


def test_credentials_in_env_and_build_args_are_redacted() -> None:
    config = {
        "config": {
            "User": "app",
            "Env": [
                "PATH=/usr/local/bin:/usr/bin",
                f"DB_PASSWORD={DB_PASSWORD}",
                "POSTGRES_PASSWORD_FILE=/run/secrets/db",
                "API_TOKEN=$TOKEN_FROM_RUNTIME",
                "SECRET_KEY=",
                "GITHUB_TOKEN=" + "tok-abc123",
            ],
        },
        "history": [
            {"created_by": f"RUN |2 NPM_TOKEN={DB_PASSWORD} VERSION=3 /bin/sh -c npm ci"},
            {"created_by": "ENV X=1", "empty_layer": True},
            {"created_by": "|1 VERSION=3 /bin/sh -c make"},
        ],
    }
    findings, found = _found(config)
    assert found == {
        ("SW-IMG-003", "config:Env/DB_PASSWORD"),
        ("SW-IMG-003", "config:Env/GITHUB_TOKEN"),
        ("SW-IMG-003", "history:ARG/NPM_TOKEN"),
    }
    for finding in findings:
        assert DB_PASSWORD not in finding.message
        assert "secret_hash" in finding.properties


def test_file_modes() -> None:
    risky = [
        {"path": "usr/bin/passwd", "mode": 0o4755, "kind": "file", "layer_index": 0},
        {"path": "usr/bin/wall", "mode": 0o2755, "kind": "file", "layer_index": 0},
        {"path": "app/run.sh", "mode": 0o777, "kind": "file", "layer_index": 2,
         "created_by": "COPY run.sh /app/"},
        {"path": "tmp", "mode": 0o1777, "kind": "directory", "layer_index": 0},
        {"path": "srv/upload", "mode": 0o777, "kind": "directory", "layer_index": 1},
        {"path": "usr/bin/ls", "mode": 0o755, "kind": "file", "layer_index": 0},
    ]  # fmt: skip
    findings, found = _found(None, risky)
    assert found == {
        ("SW-IMG-004", "/usr/bin/passwd"),
        ("SW-IMG-004", "/usr/bin/wall"),
        ("SW-IMG-005", "/app/run.sh"),
        ("SW-IMG-005", "/srv/upload"),
    }
    run = next(f for f in findings if f.location.path == "/app/run.sh")
    assert run.properties["created_by"] == "COPY run.sh /app/"
    assert run.properties["layer_index"] == 2


def test_corrupt_document_is_a_per_file_error() -> None:
    file = File.virtual(IMAGE_JSON, b"\xff not json")
    with pytest.raises(AnalysisError, match="not an image document"):
        list(ANALYZER.analyze([file], CTX))


def test_only_the_image_document_is_wanted() -> None:
    assert not ANALYZER.wants("etc/passwd")
    assert not ANALYZER.wants("image.json")
