"""Outputs: SARIF pointing at model lines, diagrams, Markdown/HTML reports, diffs."""

from __future__ import annotations

import io
import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from shieldwall.core.errors import ReportError, UsageError
from shieldwall.report import JsonReporter, SarifReporter
from shieldwall.threatmodel.diagram import render_svg, to_dot, to_mermaid
from shieldwall.threatmodel.diff import diff_analyses, render_diff
from shieldwall.threatmodel.engine import Analysis, analyse
from shieldwall.threatmodel.evidence import ScannerFinding
from shieldwall.threatmodel.findings import analysis_to_result
from shieldwall.threatmodel.load import load_model_file, parse_model
from shieldwall.threatmodel.report import render_html, render_markdown
from shieldwall.threatmodel.rules import builtin_rules

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "vulnerable-shop" / "threatmodel.yaml"
SCHEMA = json.loads((ROOT / "tests/data/threatmodel/sarif-schema-2.1.0.json").read_text())
SQLI = ScannerFinding(
    "SW-PY-001", "SQL injection", "high", "sql", "app/db.py", 15, frozenset({"CWE-89"}), "fp1"
)


@pytest.fixture(scope="module")
def analysis() -> Analysis:
    return analyse(load_model_file(EXAMPLE, display="threatmodel.yaml"), builtin_rules(), (SQLI,))


def test_sarif_points_at_model_lines_and_is_valid(analysis: Analysis) -> None:
    stream = io.StringIO()
    SarifReporter().write(analysis_to_result(analysis), stream, color=False)
    log = json.loads(stream.getvalue())
    validator = jsonschema.Draft4Validator(SCHEMA, format_checker=jsonschema.FormatChecker())
    assert [e.message for e in validator.iter_errors(log)] == []
    results = log["runs"][0]["results"]
    lines = EXAMPLE.read_text().splitlines()
    for result in results:
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"] == "threatmodel.yaml"
        line = lines[location["region"]["startLine"] - 1]
        # Every threat points at the line that starts its element: "- id: <element>".
        assert line.strip().startswith("- id:"), line
    injection = [r for r in results if r["ruleId"] == "SW-TM-021"]
    assert len(injection) == 1 and "evidenced by 1 finding" in injection[0]["message"]["text"]


def test_json_carries_threat_properties(analysis: Analysis) -> None:
    stream = io.StringIO()
    JsonReporter().write(analysis_to_result(analysis), stream, color=False)
    report = json.loads(stream.getvalue())
    accepted = [f for f in report["findings"] if f["properties"]["status"] == "accepted"]
    assert [f["properties"]["threat_id"] for f in accepted] == ["SW-TM-012@operator"]
    assert accepted[0]["suppressed"] is True


def test_mermaid_has_nested_boundaries_and_all_flows(analysis: Analysis) -> None:
    text = to_mermaid(analysis.model, analysis)
    assert text.startswith("flowchart LR\n")
    assert text.count("subgraph ") == 4 and text.count("\n  end\n") == 2  # internet, aws
    assert "\n  subgraph n_aws_" in text and "\n    subgraph n_vpc_" in text
    assert "\n      subgraph n_cluster_" in text  # aws > vpc > cluster
    assert text.count("-->") + text.count("-.->") == len(analysis.model.flows)
    assert '-.->|"Queries (postgres:5432) [plain]"|' in text
    assert "stroke:#c00" in text


def test_labels_are_escaped() -> None:
    model = parse_model(
        'components: [{id: a, kind: api, name: "say \\"hi\\" \\\\ me"}]\n', "m.yaml"
    )
    assert '"say #quot;hi#quot; \\ me"' in to_mermaid(model)
    assert 'label="say \\"hi\\" \\\\ me"' in to_dot(model)


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")
def test_svg_renders_with_graphviz(analysis: Analysis) -> None:
    svg = render_svg(to_dot(analysis.model, analysis))
    root = ET.fromstring(svg)  # noqa: S314 - our own Graphviz output
    assert root.tag.endswith("svg")
    assert b"Shop web app (Flask)" in svg


def test_svg_without_graphviz_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(ReportError, match="dot failed"):
        render_svg("digraph {}", dot_binary=str(tmp_path / "no-dot"))
    if shutil.which("dot") is None:
        with pytest.raises(UsageError, match="--format mermaid"):
            render_svg("digraph {}")


def test_markdown_and_html_show_both_directions(analysis: Analysis) -> None:
    markdown = render_markdown(analysis)
    assert "| critical | SW-TM-021 SQL injection |" in markdown
    assert "SW-PY-001 at app/db.py:15" in markdown
    assert "- SW-PY-001 at app/db.py:15: SQL injection -> SW-TM-021@shop-web" in markdown
    html = render_html(analysis, svg=None)
    assert html.startswith("<!DOCTYPE html>")
    assert "SW-PY-001 at app/db.py:15: sql" in html
    assert "<script" not in html


def test_diff_reports_new_elements_crossings_and_threats() -> None:
    before_text = "components: [{id: api, kind: api}]\n"
    after_text = """\
boundaries: [{id: dmz}]
components:
  - {id: api, kind: api, exposure: internet}
  - {id: db, kind: database, boundary: dmz}
flows: [{id: q, from: api, to: db, protocol: postgres}]
"""
    rules = builtin_rules()
    before = analyse(parse_model(before_text, "a"), rules)
    after = analyse(parse_model(after_text, "b"), rules)
    diff = diff_analyses(before, after)
    assert diff.added_elements == ("db", "dmz", "q")
    assert diff.changed_elements == ("api",)
    assert diff.new_crossing_flows == ("q",)
    assert "SW-TM-064@db" not in diff.new_threats and "SW-TM-088@db" in diff.new_threats
    assert "SW-TM-084@api" in diff.new_threats
    text = render_diff(diff, "main", "HEAD")
    assert "## New flows crossing a trust boundary (1)\n- q" in text
    assert diff_analyses(after, after).empty
