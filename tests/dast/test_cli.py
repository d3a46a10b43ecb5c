"""``shieldwall dast URL``: reports (JSON and SARIF with web requests), gate and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from shieldwall.cli.app import app

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow  # a crawl of the whole app through the CLI
def test_dast_command_writes_reports_and_fails_the_gate(
    vulnapp: tuple[str, list[str]], tmp_path: Path
) -> None:
    url, _ = vulnapp
    report, sarif = tmp_path / "dast.json", tmp_path / "dast.sarif"
    args = ["dast", url + "/", "--passive-only", "--rps", "0", "-q", "-o", str(report)]
    result = CliRunner().invoke(app, [*args, "-o", str(sarif), "--fail-on", "medium"])
    assert result.exit_code == 1, result.output
    data = json.loads(report.read_text())
    locations = [f["location"] for f in data["findings"]]
    assert {
        "kind": "url",
        "url": url + "/cookie/bad",
        "method": "GET",
        "parameter": "sessionid",
    } in locations
    log = json.loads(sarif.read_text())
    schema = json.loads((ROOT / "tests/data/schemas/sarif-schema-2.1.0.json").read_text())
    validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())
    assert [e.message for e in validator.iter_errors(log)] == []
    run = log["runs"][0]
    requests = [(r["webRequest"]["method"], r["webRequest"]["target"]) for r in run["results"]]
    assert ("GET", url + "/headers/none") in requests
    responses = [r["webResponse"] for r in run["results"] if "webResponse" in r]
    assert responses and all(isinstance(r["statusCode"], int) for r in responses)


def test_gate_passes_below_the_threshold(vulnapp: tuple[str, list[str]], tmp_path: Path) -> None:
    url, _ = vulnapp
    args = [
        "dast",
        url + "/assets/",
        "--passive-only",
        "--scope-prefix",
        "/assets/",
        "--rps",
        "0",
        "-f",
        "json",
        "-o",
        str(tmp_path / "r.json"),
        "-q",
    ]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output


def test_bad_arguments_are_usage_errors() -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["dast", "ftp://x/", "-q"]).exit_code == 2
    assert runner.invoke(app, ["dast", "http://127.0.0.1:9/", "--max-time", "soon"]).exit_code == 2
    assert runner.invoke(app, ["dast", "http://127.0.0.1:9/", "-H", "novalue"]).exit_code == 2


def test_graphql_option_names_the_endpoint(vulnapp: tuple[str, list[str]], tmp_path: Path) -> None:
    url, _ = vulnapp
    report = tmp_path / "r.json"
    args = [
        "dast",
        url + "/v1/graphql",
        "--scope-prefix",
        "/v1/graphql",
        "--graphql",
        "/v1/graphql",
    ]
    result = CliRunner().invoke(
        app, [*args, "--rps", "0", "-q", "-o", str(report), "--fail-on", "none"]
    )
    assert result.exit_code == 0, result.output
    found = {
        (f["rule"]["id"], f["location"]["parameter"])
        for f in json.loads(report.read_text())["findings"]
    }
    assert found == {("SW-DAST-020", ""), ("SW-DAST-103", "product.name")}


@pytest.mark.slow  # a headless Chromium crawl
def test_browser_option_crawls_with_chromium(
    vulnapp: tuple[str, list[str]], tmp_path: Path
) -> None:
    import importlib.util
    import shutil

    if importlib.util.find_spec("playwright") is None or not shutil.which("chromium"):
        pytest.skip("needs the playwright package and a chromium binary (apt-get install chromium)")
    url, hits = vulnapp
    start = len(hits)
    report = tmp_path / "r.json"
    args = ["dast", url + "/spa/", "--browser", "--passive-only", "--scope-prefix", "/spa/"]
    result = CliRunner().invoke(app, [*args, "--rps", "0", "-q", "-o", str(report)])
    assert result.exit_code == 0, result.output
    assert "GET /spa/api/greet?name=guest" in hits[start:]  # fetched by the page's script
    assert json.loads(report.read_text())["findings"] == []


def test_secrets_settings_of_the_project_apply_to_responses(
    vulnapp: tuple[str, list[str]], tmp_path: Path
) -> None:
    url, _ = vulnapp
    config = tmp_path / "shieldwall.toml"
    config.write_text('[analyzers.secrets]\ndisabled_rules = ["SW-SEC-086"]\n')
    report = tmp_path / "r.json"
    args = ["dast", url + "/config.js", "--passive-only", "--scope-prefix", "/config.js"]
    args += ["--rps", "0", "-q", "-o", str(report), "--config", str(config), "--fail-on", "none"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    rules = {f["rule"]["id"] for f in json.loads(report.read_text())["findings"]}
    assert rules == {"SW-SEC-010"}  # the Stripe key's rule is disabled; the AWS key id is not
