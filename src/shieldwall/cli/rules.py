"""``shieldwall rules``: every rule with its id, severity, CWE and title."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from shieldwall.cli.errors import handle_errors
from shieldwall.core.rule import Rule
from shieldwall.plugins import default_registry

app = typer.Typer(help="List the rules of the installed scanners.", no_args_is_help=True)


@app.command("list")
@handle_errors
def list_rules(
    scanner: Annotated[
        str | None, typer.Option("--scanner", "-s", help="Only this scanner's rules.")
    ] = None,
    output_format: Annotated[
        str, typer.Option("--format", "-f", help="table, json or markdown.")
    ] = "table",
    markdown: Annotated[
        bool, typer.Option("--markdown", help="Same as --format markdown (rule docs).")
    ] = False,
) -> None:
    """List every rule: id, severity, CWE, title."""
    registry = default_registry()
    analyzers = [registry.analyzer(scanner)] if scanner else list(registry.analyzers.values())
    rules = sorted((r for a in analyzers for r in a.rules()), key=lambda r: r.id)
    fmt = "markdown" if markdown else output_format
    if fmt == "json":
        typer.echo(json.dumps([_as_dict(r) for r in rules], indent=2))
    elif fmt == "markdown":
        typer.echo(_markdown(rules))
    elif fmt == "table":
        table = Table("id", "severity", "CWE", "scanner", "title", title=f"{len(rules)} rules")
        for rule in rules:
            table.add_row(
                rule.id, rule.severity.value, ", ".join(rule.cwe), rule.scanner, rule.title
            )
        Console().print(table)
    else:
        raise typer.BadParameter(f"unknown format {fmt!r}: use table, json or markdown")


def _as_dict(rule: Rule) -> dict[str, object]:
    return {
        "id": rule.id,
        "scanner": rule.scanner,
        "title": rule.title,
        "severity": rule.severity.value,
        "confidence": rule.confidence.value,
        "cwe": list(rule.cwe),
        "description": rule.description,
        "remediation": rule.remediation,
        "references": list(rule.references),
        "tags": list(rule.tags),
    }


def _markdown(rules: list[Rule]) -> str:
    lines = ["| id | severity | CWE | title |", "|---|---|---|---|"]
    lines += [
        f"| `{r.id}` | {r.severity.value} | {', '.join(r.cwe)} | {r.title.replace('|', '/')} |"
        for r in rules
    ]
    for rule in rules:
        lines += ["", f"## {rule.id}: {rule.title}", "", rule.description or "(no description)"]
        if rule.remediation:
            lines += ["", f"**Fix:** {rule.remediation}"]
    return "\n".join(lines)
