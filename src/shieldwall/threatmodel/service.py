"""The jobs behind the commands: load a model with its rules and findings, analyse, compare."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from shieldwall.core.errors import ConfigError, RuleDefinitionError
from shieldwall.threatmodel.diff import ModelDiff, diff_analyses, git_show, repo_relative
from shieldwall.threatmodel.engine import Analysis, analyse
from shieldwall.threatmodel.evidence import ScannerFinding, read_findings
from shieldwall.threatmodel.load import load_model_file, parse_model
from shieldwall.threatmodel.model import ThreatModel
from shieldwall.threatmodel.rules import ThreatRule, builtin_rules, load_rule_file, merge_rules
from shieldwall.threatmodel.yamlsource import decode


def rules_for(
    model: ThreatModel, model_dir: Path, extra: Sequence[Path] = ()
) -> tuple[ThreatRule, ...]:
    """Built-in rules plus the model's own rule files (relative to it) and ``extra`` files."""
    custom: list[ThreatRule] = []
    try:
        for name in model.rule_files:
            custom.extend(load_rule_file(model_dir / name))
        for path in extra:
            custom.extend(load_rule_file(path))
        return merge_rules(builtin_rules(), custom)
    except RuleDefinitionError as exc:
        # A custom rule file is the user's configuration: a mistake in it is exit code 2.
        raise ConfigError(str(exc)) from exc


def check_model(
    model_path: Path,
    *,
    findings: Sequence[Path] = (),
    rule_files: Sequence[Path] = (),
    today: dt.date | None = None,
    scanned: Sequence[ScannerFinding] = (),
    iac: Path | None = None,
) -> Analysis:
    """Load, validate and analyse a model, linking the findings of shieldwall JSON reports
    (and ``scanned``, the findings of a scan run in-process); with ``iac``, the model's claims
    are also checked against the IaC resources of that directory."""
    model = load_model_file(model_path)
    rules = rules_for(model, model_path.parent, rule_files)
    scanner: list[ScannerFinding] = list(scanned)
    for path in findings:
        scanner.extend(read_findings(path))
    if iac is None:
        return analyse(model, rules, scanner, today=today)
    from dataclasses import replace

    from shieldwall.threatmodel.iac import load_resources

    resources, errors = load_resources(iac)
    analysis = analyse(model, rules, scanner, today=today, resources=resources)
    notes = tuple(f"IaC file skipped: {e}" for e in errors)
    return replace(analysis, warnings=analysis.warnings + notes)


def diff_since(
    model_path: Path, ref: str, *, rule_files: Sequence[Path] = (), today: dt.date | None = None
) -> tuple[ModelDiff, Analysis | None, Analysis]:
    """Compare the model at ``ref`` with the working copy; the old analysis is None when the
    model did not exist at ``ref``."""
    after = check_model(model_path, rule_files=rule_files, today=today)
    root, relative = repo_relative(model_path)
    old_bytes = git_show(root, ref, relative)
    shown = f"{ref}:{relative}"
    if old_bytes is None:
        empty = analyse(ThreatModel(path=shown, name=""), (), today=today)
        return diff_analyses(empty, after), None, after
    old_model = parse_model(decode(old_bytes, shown), shown)
    # The old model is judged by today's rules, so only the model's own changes show.
    rules = rules_for(after.model, model_path.parent, rule_files)
    before = analyse(old_model, rules, today=today)
    return diff_analyses(before, after), before, after
