"""``shieldwall dast URL``: scan a running web application, apply the policy, exit by the gate."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from shieldwall.analyzers.secrets.config import SecretsConfig
from shieldwall.cli.common import ConfigOption, load
from shieldwall.cli.errors import ExitCode, handle_errors, stderr
from shieldwall.cli.outputs import report_targets, write_outputs
from shieldwall.core.config.load import LoadedConfig
from shieldwall.core.errors import UsageError
from shieldwall.dast import DastOptions, Limits, run_dast
from shieldwall.dast.duration import parse_duration
from shieldwall.plugins import default_registry
from shieldwall.policy.apply import apply_policy
from shieldwall.policy.baseline import load_baseline
from shieldwall.policy.gate import evaluate_gate

app = typer.Typer(add_completion=False)

ListOption = list[str] | None


@app.command("dast")
@handle_errors
def dast(
    url: Annotated[str, typer.Argument(help="Base URL of the running application.")],
    passive_only: Annotated[
        bool, typer.Option("--passive-only", help="Only what a browser would send: no attacks.")
    ] = False,
    openapi: Annotated[
        str | None, typer.Option("--openapi", help="OpenAPI 3 document (file or URL) to attack.")
    ] = None,
    graphql: Annotated[
        str | None,
        typer.Option(
            "--graphql", help="GraphQL endpoint (URL or path); default: try the common paths."
        ),
    ] = None,
    graphql_schema: Annotated[
        Path | None,
        typer.Option(
            "--graphql-schema",
            help="Saved introspection result (JSON) for an endpoint that refuses introspection.",
        ),
    ] = None,
    browser: Annotated[
        bool,
        typer.Option(
            "--browser",
            help="Also crawl in headless Chromium (single-page apps; needs playwright).",
        ),
    ] = False,
    auth: Annotated[
        Path | None, typer.Option("--auth", help="YAML: headers, cookies, bearer or form login.")
    ] = None,
    exclude: Annotated[
        ListOption, typer.Option("--exclude", help="Never request: glob ('/logout*') or re:REGEX.")
    ] = None,
    seed: Annotated[
        Path | None, typer.Option("--seed", help="File of extra start URLs, one a line.")
    ] = None,
    max_time: Annotated[
        str, typer.Option("--max-time", help="Hard time limit (30s, 10m).")
    ] = "10m",
    rps: Annotated[float, typer.Option("--rps", help="Requests per second at most.", min=0)] = 20,
    max_requests: Annotated[
        int, typer.Option("--max-requests", help="Request budget.", min=1)
    ] = 5000,
    concurrency: Annotated[int, typer.Option("--concurrency", min=1, max=64)] = 8,
    max_depth: Annotated[int, typer.Option("--max-depth", min=0)] = 6,
    max_pages: Annotated[int, typer.Option("--max-pages", min=1)] = 500,
    timeout: Annotated[str, typer.Option("--timeout", help="Per-request timeout.")] = "10s",
    scope_host: Annotated[
        ListOption, typer.Option("--scope-host", help="Another host:port in scope.")
    ] = None,
    scope_prefix: Annotated[
        ListOption, typer.Option("--scope-prefix", help="Only paths under this prefix.")
    ] = None,
    header: Annotated[
        ListOption, typer.Option("--header", "-H", help="'Name: value' sent with every request.")
    ] = None,
    callback_host: Annotated[
        str,
        typer.Option(
            "--callback-host", help="Address of this host that the target can reach (SSRF)."
        ),
    ] = "127.0.0.1",
    insecure: Annotated[
        bool, typer.Option("--insecure", help="Do not verify TLS certificates.")
    ] = False,
    formats: Annotated[
        list[str] | None, typer.Option("--format", "-f", help="Report format (repeatable).")
    ] = None,
    outputs: Annotated[
        list[Path] | None, typer.Option("--output", "-o", help="Report file (repeatable).")
    ] = None,
    fail_on: Annotated[str | None, typer.Option("--fail-on", help="Gate threshold.")] = None,
    baseline: Annotated[Path | None, typer.Option("--baseline", help="Baseline file.")] = None,
    config: ConfigOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q")] = False,
    upload: Annotated[
        bool, typer.Option("--upload", help="Upload the result to the hub (needs --project).")
    ] = False,
    project: Annotated[str | None, typer.Option("--project", help="Hub project.")] = None,
    branch: Annotated[str, typer.Option("--branch", help="Branch the scan is for.")] = "main",
    commit: Annotated[str | None, typer.Option("--commit", help="Commit the scan is for.")] = None,
    hub_url: Annotated[
        str | None, typer.Option("--url", help="Hub URL (default: SHIELDWALL_HUB_URL).")
    ] = None,
    token: Annotated[
        str | None, typer.Option("--token", help="Hub API token (default: SHIELDWALL_TOKEN).")
    ] = None,
) -> None:
    """Crawl and scan a running web application (DAST) and exit with the gate's verdict.

    Exit codes: 0 gate passed, 1 gate failed, 2 usage or config error, 3 scan error.
    """
    loaded = load(Path.cwd(), config, fail_on=fail_on, baseline=str(baseline) if baseline else None)
    options = DastOptions(
        target=url,
        passive_only=passive_only,
        limits=Limits(
            max_requests=max_requests,
            max_seconds=parse_duration(max_time),
            rps=rps,
            concurrency=concurrency,
            timeout=parse_duration(timeout),
        ),
        max_depth=max_depth,
        max_pages=max_pages,
        excludes=tuple(exclude or ()),
        extra_hosts=tuple(scope_host or ()),
        path_prefixes=tuple(scope_prefix or ()),
        seed_file=seed,
        openapi=openapi,
        graphql=graphql,
        graphql_schema=graphql_schema,
        browser=browser,
        auth_file=auth,
        headers=tuple(_header(h) for h in header or ()),
        verify_tls=not insecure,
        callback_host=callback_host,
        secrets=_secrets_config(loaded),
    )
    registry = default_registry()
    targets = report_targets(formats or [], outputs or [], quiet=quiet)
    if upload and not project:
        raise UsageError("--upload needs --project NAME")
    outcome = run_dast(options)
    cfg = loaded.config
    result = apply_policy(
        outcome.result,
        root=Path.cwd(),
        baseline=load_baseline(Path(cfg.baseline)) if cfg.baseline else None,
        ignore=cfg.ignore,
    )
    write_outputs(result, targets, registry)
    if upload and project:
        from shieldwall.cli.hub import upload_scan_result

        summary = upload_scan_result(
            result, project=project, branch=branch, commit=commit, url=hub_url, token=token
        )
        stderr.print(escape(summary))
    gate = evaluate_gate(result, cfg.fail_on)
    for warning in result.warnings:
        stderr.print(f"[yellow]warning:[/] {escape(warning)}")
    if result.errors:
        stderr.print(f"[yellow]warning:[/] {len(result.errors)} requests failed (see the report)")
    stderr.print(
        f"{outcome.requests} requests, {outcome.pages} pages, {outcome.endpoints} endpoints, "
        f"{len(result.findings)} findings in {result.stats.duration_seconds:.1f} s"
    )
    stderr.print(f"[{'green' if gate.passed else 'bold red'}]{escape(gate.summary)}[/]")
    raise typer.Exit(ExitCode.OK if gate.passed else ExitCode.GATE_FAILED)


def _secrets_config(loaded: LoadedConfig) -> SecretsConfig | None:
    """The project's ``[analyzers.secrets]``, which the secrets-in-responses check honours."""
    config = loaded.analyzer_config("secrets", SecretsConfig)
    return config if isinstance(config, SecretsConfig) else None


def _header(text: str) -> tuple[str, str]:
    name, sep, value = text.partition(":")
    if not sep or not name.strip():
        raise UsageError(f"--header {text!r} must look like 'Name: value'")
    return name.strip(), value.strip()


__all__ = ["app"]
