"""``shieldwall ci init``: generated pipelines validate against the published schemas, call our
real commands with options that exist, and the pre-commit hook runs for real under pre-commit."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7
from typer._click import Context
from typer.core import TyperGroup as Group
from typer.main import get_command
from typer.testing import CliRunner

from shieldwall.ci.templates import CiPlatform, TemplateOptions, hooks_manifest, render_pipeline
from shieldwall.cli.app import app
from tests.ci import gitlab_keywords as gl

SCHEMAS = Path(__file__).parents[1] / "data" / "schemas"
OPTIONS = (
    TemplateOptions(project="shop"),
    TemplateOptions(project="shop", app_image="ghcr.io/acme/shop:latest", app_port=5000),
)


def _schema(name: str) -> dict[str, Any]:
    return json.loads((SCHEMAS / name).read_text())  # type: ignore[no-any-return]


def _registry() -> Registry:
    """The vendored schemas under their published ids: validation never touches the network."""
    resources = []
    for name in ("pre-commit-hooks.json", "pre-commit-config.json", "github-workflow.json"):
        schema = _schema(name)
        uri = schema.get("$id") or f"https://json.schemastore.org/{name}"
        resources.append((uri, Resource.from_contents(schema, default_specification=DRAFT7)))
    return Registry().with_resources(resources)


def _validate(instance: Any, schema_name: str) -> None:
    schema = _schema(schema_name)
    cls = jsonschema.validators.validator_for(schema)
    cls(schema, registry=_registry()).validate(instance)


@pytest.mark.parametrize("options", OPTIONS)
def test_github_workflow_matches_the_schema(options: TemplateOptions) -> None:
    generated = render_pipeline(CiPlatform.GITHUB, options)
    assert generated.path == ".github/workflows/shieldwall.yml"
    workflow = yaml.safe_load(generated.text)
    _validate(workflow, "github-workflow.json")
    uses = [s.get("uses", "") for job in workflow["jobs"].values() for s in job["steps"]]
    assert "github/codeql-action/upload-sarif@v3" in uses
    assert "actions/cache@v4" in uses
    assert "services" in workflow["jobs"]["dast"]
    assert workflow["permissions"]["security-events"] == "write"


def test_schema_validation_can_fail() -> None:
    """The schema check is not vacuous: a broken workflow is refused."""
    workflow = yaml.safe_load(render_pipeline(CiPlatform.GITHUB, OPTIONS[0]).text)
    del workflow["jobs"]["scan"]["runs-on"]
    with pytest.raises(jsonschema.ValidationError):
        _validate(workflow, "github-workflow.json")
    config = yaml.safe_load(render_pipeline(CiPlatform.PRE_COMMIT, OPTIONS[0]).text)
    config["repos"] = config["repos"][0]
    with pytest.raises(jsonschema.ValidationError):
        _validate(config, "pre-commit-config.json")


def test_pre_commit_config_and_hooks_manifest_match_the_schemas() -> None:
    config = yaml.safe_load(render_pipeline(CiPlatform.PRE_COMMIT, OPTIONS[0]).text)
    _validate(config, "pre-commit-config.json")
    local = TemplateOptions(project="shop", local_hook=True)
    local_config = yaml.safe_load(render_pipeline(CiPlatform.PRE_COMMIT, local).text)
    _validate(local_config, "pre-commit-config.json")
    assert local_config["repos"][0]["repo"] == "local"
    _validate(yaml.safe_load(hooks_manifest()), "pre-commit-hooks.json")


def _check_keys(where: str, mapping: dict[str, Any], allowed: frozenset[str]) -> None:
    unknown = set(mapping) - allowed
    assert not unknown, f"{where}: unknown GitLab keywords {unknown}"


@pytest.mark.parametrize("options", OPTIONS)
def test_gitlab_pipeline_uses_only_documented_keywords(options: TemplateOptions) -> None:
    pipeline = yaml.safe_load(render_pipeline(CiPlatform.GITLAB, options).text)
    stages = pipeline["stages"]
    for name, value in pipeline.items():
        if name in gl.GLOBAL_KEYWORDS:
            continue
        assert isinstance(value, dict), name
        _check_keys(name, value, gl.JOB_KEYWORDS)
        assert value["stage"] in stages
        assert all(isinstance(line, str) for line in value["script"])
        _check_keys(f"{name}.artifacts", value.get("artifacts", {}), gl.ARTIFACTS_KEYWORDS)
        _check_keys(f"{name}.cache", value.get("cache", {}), gl.CACHE_KEYWORDS)
        for rule in value.get("rules", []):
            _check_keys(f"{name}.rules", rule, gl.RULES_KEYWORDS)
            assert rule.get("when", "on_success") in gl.WHEN_VALUES
        for service in value.get("services", []):
            _check_keys(f"{name}.services", service, gl.SERVICE_KEYWORDS)
    if options.app_image:
        assert pipeline["shieldwall-dast"]["services"][0]["name"] == options.app_image


def _shieldwall_commands(text: str) -> list[list[str]]:
    """Every ``shieldwall ...`` invocation in a pipeline's shell lines, as argv."""
    document = yaml.safe_load(text)
    lines: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in {"run", "script", "before_script", "after_script", "entry"}:
                    lines.extend([value] if isinstance(value, str) else value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(document)
    commands = []
    for line in lines:
        # Expressions and variables become plain words; shell control words split commands.
        flat = re.sub(r"\$\{\{[^}]*\}\}", "X", line).replace("${", "{")
        for part in re.split(r";|\bthen\b|\belse\b|\bfi\b|&&", flat):
            words = shlex.split(part)
            if words and words[0] == "shieldwall":
                commands.append(words[1:])
    return commands


def _parse(argv: list[str]) -> str:
    """Parse argv with the real CLI (no execution); the leaf command's path."""
    command: Any = get_command(app)
    ctx = command.make_context("shieldwall", list(argv))
    path = []
    while isinstance(command, Group):
        name, sub, rest = command.resolve_command(ctx, [*ctx._protected_args, *ctx.args])
        assert sub is not None, argv
        path.append(name)
        ctx = sub.make_context(name, rest, parent=ctx)
        command = sub
    assert isinstance(ctx, Context)
    return " ".join(str(p) for p in path)


@pytest.mark.parametrize("platform", list(CiPlatform))
def test_pipelines_call_real_commands_with_real_options(
    platform: CiPlatform, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The CLI checks that input files exist while parsing: give it the ones CI would have.
    monkeypatch.chdir(tmp_path)
    for name in ("shieldwall.json", "dast.json", ".shieldwall-baseline.json"):
        (tmp_path / name).write_text("{}")
    text = render_pipeline(platform, OPTIONS[0]).text
    if platform is CiPlatform.PRE_COMMIT:
        text = hooks_manifest()
    commands = _shieldwall_commands(text)
    assert commands
    seen = {_parse(argv) for argv in commands}
    expected = {
        CiPlatform.GITHUB: {"scan", "db update", "ci comment", "hub upload", "dast"},
        CiPlatform.GITLAB: {"scan", "db update", "ci comment", "hub upload", "dast"},
        CiPlatform.PRE_COMMIT: {"scan"},
    }[platform]
    assert seen == expected
    flat = [" ".join(c) for c in commands]
    if platform is not CiPlatform.PRE_COMMIT:
        assert any("--since" in c and "--baseline" in c and "--format sarif" in c for c in flat)


def test_parse_rejects_an_unknown_option() -> None:
    with pytest.raises(Exception, match="No such option"):
        _parse(["scan", ".", "--no-such-flag"])


def test_init_writes_files_and_refuses_to_overwrite(tmp_path: Path) -> None:
    runner = CliRunner()
    for platform in ("github", "gitlab", "pre-commit"):
        result = runner.invoke(app, ["ci", "init", platform, "--dir", str(tmp_path)])
        assert result.exit_code == 0, result.output
    assert (tmp_path / ".github/workflows/shieldwall.yml").is_file()
    assert (tmp_path / ".gitlab-ci.yml").is_file()
    assert (tmp_path / ".pre-commit-config.yaml").is_file()
    again = runner.invoke(app, ["ci", "init", "gitlab", "--dir", str(tmp_path)])
    assert again.exit_code == 2
    assert "exists" in again.output
    forced = runner.invoke(app, ["ci", "init", "gitlab", "--dir", str(tmp_path), "--force"])
    assert forced.exit_code == 0
    bad = runner.invoke(app, ["ci", "init", "jenkins", "--dir", str(tmp_path)])
    assert bad.exit_code == 2


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_pre_commit_hook_runs_for_real(tmp_path: Path) -> None:
    """``pre-commit try-repo`` with our hooks manifest blocks a staged secret, passes clean code.

    The manifest is ours with ``language: system`` so pre-commit uses the shieldwall of this
    virtualenv instead of building one from the network.
    """
    bin_dir = Path(sys.executable).parent
    pre_commit = bin_dir / "pre-commit"
    if not pre_commit.exists():
        pytest.skip("pre-commit is not installed (pip install -e .[dev])")
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        "PRE_COMMIT_HOME": str(tmp_path / "pc-home"),
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
    }
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / ".pre-commit-hooks.yaml").write_text(hooks_manifest(language="system"))
    _git(hooks, "init", "-q")
    _git(hooks, "add", ".")
    subprocess.run(["git", "commit", "-qm", "hooks"], cwd=hooks, check=True, env=env)

    work = tmp_path / "work"
    work.mkdir()
    _git(work, "init", "-q")
    (work / "ok.py").write_text("def add(a, b):\n    return a + b\n")
    _git(work, "add", "ok.py")

    def run() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(pre_commit), "try-repo", str(hooks), "shieldwall", "--verbose"],
            cwd=work,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    clean = run()
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "Passed" in clean.stdout
    token = "ghp_" + "Xq7RmT2vLp9Kd4Wz8Nc1Hb6Yf3Gj5Sa0Ue2Io"
    (work / "cfg.py").write_text(f'token = "{token}"\n')
    _git(work, "add", "cfg.py")
    dirty = run()
    assert dirty.returncode == 1, dirty.stdout + dirty.stderr
    assert "Failed" in dirty.stdout
    assert "SW-SEC-" in dirty.stdout

    # The generated `--local` config itself, run by `pre-commit run` on the staged token.
    init = CliRunner().invoke(app, ["ci", "init", "pre-commit", "--local", "--dir", str(work)])
    assert init.exit_code == 0, init.output
    generated = subprocess.run(
        [str(pre_commit), "run", "--verbose"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert generated.returncode == 1, generated.stdout + generated.stderr
    assert "SW-SEC-" in generated.stdout
