"""``shieldwall threatmodel``: the commands the issue names, end to end through the CLI."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

from shieldwall.cli.app import app
from tests.gitrepo import GitRepo

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "vulnerable-shop" / "threatmodel.yaml"
REPO = ROOT / "tests" / "data" / "threatmodel" / "repo"
runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["threatmodel", *args])
    return result.exit_code, result.stdout, result.stderr


def test_init_drafts_a_model_that_checks(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(REPO, repo)
    code, _, err = run("init", str(repo))
    assert code == 0, err
    assert "wrote" in err and "web/broken.py: not valid Python; skipped" in err
    draft = yaml.safe_load((repo / "threatmodel.yaml").read_text())
    components = {c["id"]: c for c in draft["components"]}
    assert components["api"]["kind"] == "api" and components["api"]["exposure"] == "internal"
    assert components["storefront"]["exposure"] == "internet"  # through the ingress
    assert components["orders-rds"]["iac"] == ["aws_db_instance.orders"]
    assert "uploads-s3" in components and not any("policy" in c for c in components)
    flows = {(f["from"], f["to"], f["protocol"]) for f in draft["flows"]}
    assert ("api", "db", "postgres") in flows and ("worker", "broker", "amqp") in flows
    code, out, err = run("check", str(repo / "threatmodel.yaml"), "--fail-on", "none")
    assert code == 0, err
    assert "SW-TM-022" in out  # command injection: the API imports subprocess
    assert "SW-TM-027" in out  # reflected XSS: the web app takes requests from users
    code, _, err = run("init", str(repo))
    assert code == 2 and "exists; use --force" in err


def test_check_gates_and_writes_reports(tmp_path: Path) -> None:
    sarif, js = tmp_path / "tm.sarif", tmp_path / "tm.json"
    code, _, err = run("check", str(EXAMPLE), "-f", "sarif", "-o", str(sarif), "-o", str(js), "-q")
    assert code == 1 and "gate failed" in err
    assert json.loads(sarif.read_text())["runs"][0]["results"]
    report = json.loads(js.read_text())
    assert report["analyzers"] == ["threatmodel"]
    code, _, err = run("check", str(EXAMPLE), "--fail-on", "none", "-q", "-o", str(js))
    assert code == 0 and "gate passed" in err


def test_check_links_findings(tmp_path: Path) -> None:
    scan = tmp_path / "scan.json"
    scan.write_text(
        json.dumps(
            {
                "findings": [
                    {
                        "rule": {"id": "SW-PY-001", "title": "SQL injection", "cwe": ["CWE-89"]},
                        "location": {"kind": "source", "path": "app/db.py", "start_line": 15},
                    }
                ]
            }
        )
    )
    out_json = tmp_path / "tm.json"
    code, _, err = run("check", str(EXAMPLE), "--findings", str(scan), "-o", str(out_json), "-q")
    assert code == 1 and "1 evidenced" in err
    findings = json.loads(out_json.read_text())["findings"]
    evidenced = [f["properties"]["threat_id"] for f in findings if f["properties"]["evidence"]]
    assert evidenced == ["SW-TM-021@shop-web"]


def test_invalid_model_is_exit_2_with_the_line(tmp_path: Path) -> None:
    bad = tmp_path / "tm.yaml"
    bad.write_text("components:\n  - {id: a, kind: api}\nflows:\n  - {id: f, from: a, to: b}\n")
    code, _, err = run("check", str(bad))
    assert code == 2
    assert "tm.yaml:4: f: target 'b' is not defined" in err


@pytest.mark.parametrize(
    ("args", "expect"),
    [
        (("-f", "mermaid"), "flowchart LR"),
        (("-f", "dot"), "digraph threatmodel {"),
    ],
)
def test_diagram_formats(args: tuple[str, ...], expect: str) -> None:
    code, out, err = run("diagram", str(EXAMPLE), *args)
    assert code == 0, err
    assert out.startswith(expect)


def test_diagram_svg_file(tmp_path: Path) -> None:
    target = tmp_path / "dfd.svg"
    code, _, err = run("diagram", str(EXAMPLE), "-o", str(target))
    if shutil.which("dot") is None:
        assert code == 2 and "Graphviz" in err
    else:
        assert code == 0, err
        assert "<svg" in target.read_text()


def test_report_html_and_markdown(tmp_path: Path) -> None:
    html = tmp_path / "report.html"
    code, _, err = run("report", str(EXAMPLE), "-o", str(html))
    assert code == 0, err
    assert "<h2>Threats</h2>" in html.read_text()
    code, out, _ = run("report", str(EXAMPLE))
    assert code == 0 and out.startswith("# Threat model: vulnerable-shop")


def test_diff_since_a_ref(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "r")
    repo.write("threatmodel.yaml", "components: [{id: api, kind: api}]\n")
    repo.commit("first")
    repo.write(
        "threatmodel.yaml",
        "boundaries: [{id: dmz}]\ncomponents:\n  - {id: api, kind: api}\n"
        "  - {id: db, kind: database, boundary: dmz}\n"
        "flows: [{id: q, from: api, to: db, protocol: postgres}]\n",
    )
    code, out, err = run("diff", str(repo.path / "threatmodel.yaml"), "--since", "HEAD")
    assert code == 0, err
    assert "## New elements (3)" in out and "- SW-TM-088@db" in out
    assert "## New flows crossing a trust boundary (1)\n- q" in out
    code, out, _ = run("diff", str(repo.path / "threatmodel.yaml"), "--since", "HEAD", "-f", "json")
    assert json.loads(out)["new_crossing_flows"] == ["q"]
    code, _, err = run("diff", str(repo.path / "threatmodel.yaml"), "--since", "nope")
    assert code == 2 and "git show" in err


def test_schema_validates_the_example() -> None:
    code, out, _ = run("schema")
    assert code == 0
    schema = json.loads(out)
    model = json.loads(json.dumps(yaml.safe_load(EXAMPLE.read_text()), default=str))
    jsonschema.validate(model, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"components": [{"id": "a", "kind": "nope"}]}, schema)


def test_rules_lists_the_library() -> None:
    code, out, _ = run("rules")
    assert code == 0
    assert out.count("\n| SW-TM-") >= 120


def test_custom_rules_from_the_model_and_the_command_line(tmp_path: Path) -> None:
    rule = """\
rules:
  - id: {rid}
    title: Internal API without mutual TLS
    stride: spoofing
    element: component
    when: {{kind: api, exposure: internal, authentication: {{ne: mtls}}}}
    likelihood: medium
    impact: high
    cwe: [306]
    capec: [151]
"""
    (tmp_path / "threats").mkdir()
    (tmp_path / "threats" / "acme.yaml").write_text(rule.format(rid="ACME-TM-001"))
    (tmp_path / "more.yaml").write_text(rule.format(rid="ACME-TM-002"))
    model = tmp_path / "tm.yaml"
    model.write_text("rules: [threats/acme.yaml]\ncomponents: [{id: api, kind: api}]\n")
    out = tmp_path / "tm.md"
    code, _, err = run(
        "check", str(model), "--rules", str(tmp_path / "more.yaml"), "-o", str(out), "-q"
    )
    assert code == 1, err
    text = out.read_text()
    assert "ACME-TM-001" in text and "ACME-TM-002" in text
    (tmp_path / "more.yaml").write_text(rule.format(rid="SW-TM-001"))
    code, _, err = run("check", str(model), "--rules", str(tmp_path / "more.yaml"))
    assert code == 2 and "already defined" in err


@pytest.mark.slow  # a real scan with the process pool: several seconds on a loaded machine
def test_check_scans_in_process_and_links(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "examples" / "vulnerable-shop" / "app", tmp_path / "app")
    model = tmp_path / "threatmodel.yaml"
    model.write_text(
        "actors: [{id: u, kind: anonymous}]\n"
        "components:\n"
        "  - {id: web, kind: web_app, code: [app/**]}\n"
        "  - {id: db, kind: database}\n"
        "flows: [{id: a, from: u, to: web}, {id: b, from: web, to: db}]\n"
    )
    out = tmp_path / "tm.json"
    code, _, err = run(
        "check", str(model), "--scan", str(tmp_path), "--scanners", "sast", "-q", "-o", str(out)
    )
    assert code == 1, err
    findings = json.loads(out.read_text())["findings"]
    sqli = next(f for f in findings if f["properties"]["threat_id"] == "SW-TM-021@web")
    assert [e["location"] for e in sqli["properties"]["evidence"]] == ["app/db.py:15"]
