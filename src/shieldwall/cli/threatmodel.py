"""``shieldwall threatmodel``: init, check, diagram, report, diff, schema, rules."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from shieldwall.cli.errors import ExitCode, handle_errors, stderr
from shieldwall.cli.outputs import report_targets, write_outputs
from shieldwall.core.errors import ReportError, UsageError

if TYPE_CHECKING:
    from shieldwall.threatmodel.engine import Analysis
    from shieldwall.threatmodel.evidence import ScannerFinding

app = typer.Typer(
    help="Threat modelling as code: a model in the repo, threats from rules, diagrams, risk "
    "tracking in CI, linked to scanner findings.",
    no_args_is_help=True,
)

ModelArg = Annotated[Path, typer.Argument(help="The model file (YAML).")]
FindingsOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--findings", help="A shieldwall JSON report whose findings evidence threats (repeatable)."
    ),
]
IacOption = Annotated[
    Path | None,
    typer.Option(
        "--iac",
        help="Check the model's claims (encryption, exposure, authentication) against the IaC "
        "resources of this directory (default with --scan: the scanned directory).",
    ),
]
RulesOption = Annotated[
    list[Path] | None, typer.Option("--rules", help="A custom rule file (repeatable).")
]


def _write(output: Path | None, data: str | bytes) -> None:
    if output is None:
        if isinstance(data, bytes):
            sys.stdout.buffer.write(data)
        else:
            sys.stdout.write(data)
        return
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            output.write_bytes(data)
        else:
            output.write_text(data, encoding="utf-8")
    except OSError as exc:
        raise ReportError(f"cannot write {output}: {exc.strerror or exc}") from exc


@app.command()
@handle_errors
def init(
    path: Annotated[Path, typer.Argument(help="The repository to draft a model from.")] = Path(),
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Where to write the draft.")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Draft a model from the repo: IaC, compose files, web routes, database and HTTP clients."""
    from shieldwall.target.walker import WalkOptions, walk
    from shieldwall.threatmodel.draft import draft_model

    if not path.is_dir():
        raise UsageError(f"{path} is not a directory")
    target = output or path / "threatmodel.yaml"
    if target.exists() and not force and str(target) != "-":
        raise UsageError(f"{target} exists; use --force to overwrite or -o to write elsewhere")
    draft = draft_model(walk(path, WalkOptions()), name=path.resolve().name)
    for warning in draft.warnings:
        stderr.print(f"[yellow]warning:[/] {warning}")
    if str(target) == "-":
        sys.stdout.write(draft.text)
        return
    _write(target, draft.text)
    stderr.print(
        f"wrote {target}: {draft.components} components, {draft.flows} flows; review and edit it"
    )


@app.command()
@handle_errors
def check(
    model: ModelArg = Path("threatmodel.yaml"),
    formats: Annotated[
        list[str] | None,
        typer.Option(
            "--format",
            "-f",
            help="table, json, sarif, markdown, html, junit (repeatable; pairs with -o).",
        ),
    ] = None,
    outputs: Annotated[
        list[Path] | None, typer.Option("--output", "-o", help="Report file (repeatable).")
    ] = None,
    fail_on: Annotated[
        str,
        typer.Option(
            "--fail-on", help="Lowest severity of an unmitigated threat that fails: ... or none."
        ),
    ] = "high",
    findings: FindingsOption = None,
    rules: RulesOption = None,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No table on stdout when reports go to files.")
    ] = False,
    scan: Annotated[
        Path | None,
        typer.Option(
            "--scan", help="Scan this directory first and link its findings (like --findings)."
        ),
    ] = None,
    scanners: Annotated[
        str | None, typer.Option("--scanners", help="With --scan: the scanners to run.")
    ] = None,
    iac: IacOption = None,
    upload: Annotated[
        bool,
        typer.Option("--upload", help="Upload the model and its threats to the hub (--project)."),
    ] = False,
    project: Annotated[str | None, typer.Option("--project", help="Hub project.")] = None,
    model_name: Annotated[
        str | None,
        typer.Option("--model-name", help="Name of the model in the hub (default: its name:)."),
    ] = None,
    branch: Annotated[
        str | None, typer.Option("--branch", help="Branch the model version is from.")
    ] = None,
    commit: Annotated[
        str | None, typer.Option("--commit", help="Commit the model version is from.")
    ] = None,
    hub_url: Annotated[
        str | None, typer.Option("--url", help="Hub URL (default: SHIELDWALL_HUB_URL).")
    ] = None,
    token: Annotated[
        str | None, typer.Option("--token", help="Hub API token (default: SHIELDWALL_TOKEN).")
    ] = None,
) -> None:
    """Threats of the model; exit 1 when an unmitigated threat is at or above --fail-on."""
    from shieldwall.core.registry import build_registry
    from shieldwall.plugins import builtin_reporters
    from shieldwall.policy.gate import evaluate_gate
    from shieldwall.threatmodel.findings import analysis_to_result
    from shieldwall.threatmodel.service import check_model

    if fail_on != "none" and fail_on not in {"critical", "high", "medium", "low", "info"}:
        raise UsageError(f"--fail-on must be a severity or none, not {fail_on!r}")
    if upload and not project:
        raise UsageError("--upload needs --project NAME")
    scanned = _scan(scan, scanners) if scan is not None else ()
    analysis = check_model(
        model,
        findings=findings or (),
        rule_files=rules or (),
        scanned=scanned,
        iac=iac or scan,
    )
    result = analysis_to_result(analysis)
    targets = report_targets(formats or [], outputs or [], quiet=quiet)
    registry = build_registry(reporters=builtin_reporters(), include_entry_points=False)
    write_outputs(result, targets, registry)
    for warning in analysis.warnings:
        stderr.print(f"[yellow]warning:[/] {warning}")
    gate = evaluate_gate(result, fail_on)
    evidenced = sum(t.evidenced for t in analysis.threats)
    stderr.print(f"{len(analysis.threats)} threats, {evidenced} evidenced; {gate.summary}")
    if upload and project:
        target = _HubTarget(project, model_name, branch, commit, hub_url, token)
        stderr.print(_upload(model, analysis, target))
    raise typer.Exit(ExitCode.OK if gate.passed else ExitCode.GATE_FAILED)


@dataclass(frozen=True, slots=True)
class _HubTarget:
    project: str
    model: str | None
    branch: str | None
    commit: str | None
    url: str | None
    token: str | None


def _upload(model: Path, analysis: Analysis, target: _HubTarget) -> str:
    """Upload the analysed model; the summary line of the hub's answer."""
    import httpx

    from shieldwall.hub.settings import ClientSettings
    from shieldwall.hub.threatmodels.client import upload_model
    from shieldwall.threatmodel.exchange import to_document
    from shieldwall.threatmodel.yamlsource import decode

    settings = ClientSettings()
    token = target.token or settings.token
    if not token:
        raise UsageError("--upload needs --token or SHIELDWALL_TOKEN")
    source = decode(model.read_bytes(), str(model))
    document = to_document(analysis, source, name=target.model or "")
    with httpx.Client(timeout=settings.timeout_seconds) as http:
        answer = upload_model(
            http,
            target.url or settings.hub_url,
            token,
            document.model_dump_json().encode(),
            project=target.project,
            model=target.model,
            commit=target.commit,
            branch=target.branch,
        )
    state = "already in the hub as" if answer.duplicate else "uploaded as"
    return (
        f"{state} version {answer.version} of model {answer.model}: "
        f"{answer.threats} threats, {answer.blocking} blocking"
    )


def _scan(target: Path, scanners: str | None) -> tuple[ScannerFinding, ...]:
    """Run ``shieldwall scan`` on ``target`` in-process; its findings, for linking."""
    from shieldwall.cli.common import load, split_list
    from shieldwall.plugins import default_registry
    from shieldwall.scan.pipeline import ScanRequest, scan_with_policy
    from shieldwall.threatmodel.evidence import from_findings

    loaded = load(target, None, scanners=split_list([scanners] if scanners else None))
    outcome = scan_with_policy(ScanRequest(target=target, loaded=loaded), default_registry())
    for error in outcome.result.errors:
        stderr.print(f"[yellow]scan error:[/] {error.path}: {error.message}")
    return from_findings(outcome.result.findings)


@app.command()
@handle_errors
def diagram(
    model: ModelArg = Path("threatmodel.yaml"),
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Diagram file (default: stdout).")
    ] = None,
    output_format: Annotated[
        str | None,
        typer.Option(
            "--format", "-f", help="mermaid, dot or svg (default: from -o's suffix, else mermaid)."
        ),
    ] = None,
    findings: FindingsOption = None,
) -> None:
    """Draw the data-flow diagram; elements with blocking threats are outlined in red."""
    from shieldwall.threatmodel.diagram import DiagramFormat, render_svg, to_dot, to_mermaid
    from shieldwall.threatmodel.service import check_model

    fmt = _diagram_format(output_format, output)
    analysis = check_model(model, findings=findings or ())
    match DiagramFormat(fmt):
        case DiagramFormat.MERMAID:
            _write(output, to_mermaid(analysis.model, analysis))
        case DiagramFormat.DOT:
            _write(output, to_dot(analysis.model, analysis))
        case DiagramFormat.SVG:
            _write(output, render_svg(to_dot(analysis.model, analysis)))


def _diagram_format(output_format: str | None, output: Path | None) -> str:
    suffixes = {
        ".mmd": "mermaid",
        ".mermaid": "mermaid",
        ".dot": "dot",
        ".gv": "dot",
        ".svg": "svg",
    }
    fmt = output_format or (suffixes.get(output.suffix.lower()) if output else None) or "mermaid"
    if fmt not in {"mermaid", "dot", "svg"}:
        raise UsageError(f"unknown diagram format {fmt!r}: use mermaid, dot or svg")
    return fmt


@app.command()
@handle_errors
def report(
    model: ModelArg = Path("threatmodel.yaml"),
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Report file; .html or .md (default: Markdown on stdout)."
        ),
    ] = None,
    output_format: Annotated[
        str | None, typer.Option("--format", "-f", help="html or markdown.")
    ] = None,
    findings: FindingsOption = None,
    rules: RulesOption = None,
    iac: IacOption = None,
) -> None:
    """Write the threat model report: diagram, threats, status and evidence."""
    import shutil

    from shieldwall.threatmodel.diagram import render_svg, to_dot
    from shieldwall.threatmodel.report import render_html, render_markdown
    from shieldwall.threatmodel.service import check_model

    suffix = output.suffix.lower() if output else ""
    fmt = output_format or ("html" if suffix in {".html", ".htm"} else "markdown")
    if fmt not in {"html", "markdown"}:
        raise UsageError(f"unknown report format {fmt!r}: use html or markdown")
    analysis = check_model(model, findings=findings or (), rule_files=rules or (), iac=iac)
    if fmt == "markdown":
        _write(output, render_markdown(analysis))
        return
    svg = None
    if shutil.which("dot"):
        svg = render_svg(to_dot(analysis.model, analysis)).decode("utf-8", "replace")
    _write(output, render_html(analysis, svg))


@app.command()
@handle_errors
def diff(
    model: ModelArg = Path("threatmodel.yaml"),
    since: Annotated[
        str, typer.Option("--since", help="The git ref to compare with (e.g. origin/main).")
    ] = "HEAD",
    output_format: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    rules: RulesOption = None,
) -> None:
    """What changed in the model and its threats since a git ref."""
    from dataclasses import asdict

    from shieldwall.threatmodel.diff import render_diff
    from shieldwall.threatmodel.service import diff_since

    changes, _, _ = diff_since(model, since, rule_files=rules or ())
    if output_format == "json":
        sys.stdout.write(json.dumps(asdict(changes), indent=2) + "\n")
    elif output_format == "text":
        sys.stdout.write(render_diff(changes, since, "working tree"))
    else:
        raise UsageError(f"unknown format {output_format!r}: use text or json")


@app.command()
@handle_errors
def schema() -> None:
    """Print the JSON schema of the model format."""
    from shieldwall.threatmodel.schema import json_schema

    sys.stdout.write(json.dumps(json_schema(), indent=2) + "\n")


@app.command(name="rules")
@handle_errors
def list_rules(
    custom: RulesOption = None,
) -> None:
    """List the threat rules (built-in and custom) as a Markdown table."""
    from shieldwall.core.errors import ConfigError, RuleDefinitionError
    from shieldwall.threatmodel.rules import builtin_rules, load_rule_file, merge_rules

    try:
        extra = [r for path in custom or () for r in load_rule_file(path)]
    except RuleDefinitionError as exc:
        raise ConfigError(str(exc)) from exc
    sys.stdout.write(
        "| id | STRIDE | element | severity | title | CWE |\n|---|---|---|---|---|---|\n"
    )
    from shieldwall.threatmodel.claims import claim_rules

    # The claim rules are listed too: they fire when the IaC contradicts the model (--iac).
    for rule in merge_rules(builtin_rules(), [*claim_rules().values(), *extra]):
        sys.stdout.write(
            f"| {rule.id} | {rule.stride.value} | {rule.element.value} | "
            f"{rule.rule.severity.value} | {rule.rule.title} | {', '.join(rule.rule.cwe)} |\n"
        )
