"""Pipeline files written by ``shieldwall ci init``: GitHub Actions, GitLab CI and pre-commit.

Every step calls a real shieldwall command exactly as the CLI defines it (``scan --since``,
``--baseline``, ``--format sarif -o``, ``dast``, ``ci comment``, ``hub upload``); the tests run the
generated files through the published schemas and the pre-commit hook through pre-commit itself.
Files are built as data and dumped with ``yaml.safe_dump`` so their syntax is always valid.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, assert_never

import yaml

__all__ = [
    "HOOKS_MANIFEST",
    "CiPlatform",
    "PipelineFile",
    "TemplateOptions",
    "hooks_manifest",
    "render_pipeline",
]

_HEADER = "# Written by `shieldwall ci init`; edit freely, re-run with --force to regenerate.\n"
_REPORTS = "--format sarif -o shieldwall.sarif --format json -o shieldwall.json"
# Where the OSV index lives in CI, so the cache step and `shieldwall db update` agree.
_CACHE_DIR = ".shieldwall-cache"

HOOKS_MANIFEST = ".pre-commit-hooks.yaml"


class CiPlatform(StrEnum):
    """The pipeline systems ``ci init`` writes for."""

    GITHUB = "github"
    GITLAB = "gitlab"
    PRE_COMMIT = "pre-commit"


@dataclass(frozen=True, slots=True)
class TemplateOptions:
    """Choices a team makes once when generating its pipeline."""

    project: str
    baseline: str = ".shieldwall-baseline.json"
    python: str = "3.11"
    app_image: str | None = None  # the app's container image for the DAST job
    app_port: int = 8000
    hooks_repo: str = "https://github.com/shieldwall/shieldwall"
    hooks_rev: str = "v0.1.0"
    local_hook: bool = False  # pre-commit: use the shieldwall installed in the environment


@dataclass(frozen=True, slots=True)
class PipelineFile:
    """One generated file: where it goes (relative to the repo root) and its text."""

    path: str
    text: str


def _dump(document: dict[str, Any]) -> str:
    body = yaml.safe_dump(document, sort_keys=False, default_flow_style=False, width=100)
    return _HEADER + body


def _github(options: TemplateOptions) -> PipelineFile:
    image = options.app_image or "${{ vars.SHIELDWALL_APP_IMAGE }}"
    setup = [
        {"uses": "actions/checkout@v4", "with": {"fetch-depth": 0}},
        {"uses": "actions/setup-python@v5", "with": {"python-version": options.python}},
        {"run": "pip install shieldwall"},
    ]
    hub_env = {
        "SHIELDWALL_HUB_URL": "${{ vars.SHIELDWALL_HUB_URL }}",
        "SHIELDWALL_TOKEN": "${{ secrets.SHIELDWALL_TOKEN }}",
    }
    scan_steps = [
        *setup,
        {
            "name": "Cache the advisory database",
            "uses": "actions/cache@v4",
            "with": {
                "path": _CACHE_DIR,
                "key": "shieldwall-osv-${{ github.run_id }}",
                "restore-keys": "shieldwall-osv-",
            },
        },
        {
            "name": "Update the advisory database",
            "run": "shieldwall db update",
            "env": {"SHIELDWALL_CACHE_DIR": _CACHE_DIR},
        },
        {
            "name": "Scan (pull request: only what it introduces)",
            "if": "github.event_name == 'pull_request'",
            "run": (
                "shieldwall scan . --since origin/${{ github.base_ref }} "
                f"--baseline {options.baseline} {_REPORTS} --no-progress"
            ),
            "env": {"SHIELDWALL_CACHE_DIR": _CACHE_DIR},
        },
        {
            "name": "Scan",
            "if": "github.event_name != 'pull_request'",
            "run": f"shieldwall scan . {_REPORTS} --no-progress",
            "env": {"SHIELDWALL_CACHE_DIR": _CACHE_DIR},
        },
        {
            "name": "Upload SARIF to code scanning",
            "if": "always()",
            "uses": "github/codeql-action/upload-sarif@v3",
            "with": {"sarif_file": "shieldwall.sarif", "category": "shieldwall"},
        },
        {
            "name": "Comment on the pull request",
            "if": "always() && github.event_name == 'pull_request'",
            "run": "shieldwall ci comment --github --report shieldwall.json",
            "env": {"GITHUB_TOKEN": "${{ secrets.GITHUB_TOKEN }}"},
        },
        {
            "name": "Upload to the hub",
            "if": "always() && vars.SHIELDWALL_HUB_URL != ''",
            "run": (
                f"shieldwall hub upload shieldwall.json --project {options.project} "
                "--branch ${{ github.head_ref || github.ref_name }} --commit ${{ github.sha }}"
            ),
            "env": hub_env,
        },
    ]
    dast_steps = [
        *setup,
        {
            "name": "DAST against the app service",
            "run": (
                f"shieldwall dast http://localhost:{options.app_port} --max-time 10m "
                "--format sarif -o dast.sarif --format json -o dast.json"
            ),
        },
        {
            "name": "Upload DAST SARIF",
            "if": "always()",
            "uses": "github/codeql-action/upload-sarif@v3",
            "with": {"sarif_file": "dast.sarif", "category": "shieldwall-dast"},
        },
        {
            "name": "Upload DAST results to the hub",
            "if": "always() && vars.SHIELDWALL_HUB_URL != ''",
            "run": (
                f"shieldwall hub upload dast.json --project {options.project} "
                "--branch ${{ github.head_ref || github.ref_name }} --commit ${{ github.sha }} "
                "--partial"
            ),
            "env": hub_env,
        },
    ]
    dast_if = "vars.SHIELDWALL_APP_IMAGE != ''" if options.app_image is None else "true"
    workflow: dict[str, Any] = {
        "name": "shieldwall",
        "on": {"push": {"branches": ["main"]}, "pull_request": {}},
        "permissions": {
            "contents": "read",
            "security-events": "write",
            "pull-requests": "write",
        },
        "jobs": {
            "scan": {"runs-on": "ubuntu-latest", "steps": scan_steps},
            "dast": {
                "runs-on": "ubuntu-latest",
                "if": dast_if,
                "services": {
                    "app": {"image": image, "ports": [f"{options.app_port}:{options.app_port}"]}
                },
                "steps": dast_steps,
            },
        },
    }
    return PipelineFile(".github/workflows/shieldwall.yml", _dump(workflow))


def _gitlab(options: TemplateOptions) -> PipelineFile:
    install = ["pip install shieldwall"]

    def hub(report: str, extra: str = "") -> str:
        branch = '"${CI_MERGE_REQUEST_SOURCE_BRANCH_NAME:-$CI_COMMIT_REF_NAME}"'
        return (
            f'if [ -n "$SHIELDWALL_HUB_URL" ]; then shieldwall hub upload {report} '
            f'--project {options.project} --branch {branch} --commit "$CI_COMMIT_SHA"{extra}; fi'
        )

    image = options.app_image or "$SHIELDWALL_APP_IMAGE"
    dast_rules: list[dict[str, Any]] = (
        [{"if": "$SHIELDWALL_APP_IMAGE"}] if options.app_image is None else [{"when": "always"}]
    )
    pipeline: dict[str, Any] = {
        "stages": ["scan", "dast"],
        "variables": {"SHIELDWALL_CACHE_DIR": "$CI_PROJECT_DIR/" + _CACHE_DIR, "GIT_DEPTH": "0"},
        "shieldwall-scan": {
            "stage": "scan",
            "image": f"python:{options.python}",
            "cache": {"key": "shieldwall-osv", "paths": [_CACHE_DIR + "/"]},
            "before_script": [*install, "shieldwall db update"],
            "script": [
                'if [ -n "$CI_MERGE_REQUEST_IID" ]; then '
                'shieldwall scan . --since "origin/$CI_MERGE_REQUEST_TARGET_BRANCH_NAME" '
                f"--baseline {options.baseline} {_REPORTS} --no-progress; "
                f"else shieldwall scan . {_REPORTS} --no-progress; fi",
            ],
            "after_script": [
                'if [ -n "$CI_MERGE_REQUEST_IID" ]; then '
                "shieldwall ci comment --gitlab --report shieldwall.json; fi",
                hub("shieldwall.json"),
            ],
            "artifacts": {
                "when": "always",
                "paths": ["shieldwall.sarif", "shieldwall.json"],
            },
            "rules": [
                {"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'},
                {"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"},
            ],
        },
        "shieldwall-dast": {
            "stage": "dast",
            "image": f"python:{options.python}",
            "services": [{"name": image, "alias": "app"}],
            "before_script": install,
            "script": [
                f"shieldwall dast http://app:{options.app_port} --max-time 10m "
                "--format sarif -o dast.sarif --format json -o dast.json",
            ],
            "after_script": [hub("dast.json", " --partial")],
            "artifacts": {"when": "always", "paths": ["dast.sarif", "dast.json"]},
            "rules": dast_rules,
        },
    }
    return PipelineFile(".gitlab-ci.yml", _dump(pipeline))


def hooks_manifest(*, language: str = "python") -> str:
    """The ``.pre-commit-hooks.yaml`` our repository publishes (``language`` for tests)."""
    hooks = [
        {
            "id": "shieldwall",
            "name": "shieldwall scan (staged changes)",
            "description": "Secrets, SAST, dependency and IaC scan of what is staged.",
            "entry": "shieldwall scan --staged --no-progress",
            "language": language,
            "pass_filenames": False,
            "require_serial": True,
        }
    ]
    return yaml.safe_dump(hooks, sort_keys=False)


def _pre_commit(options: TemplateOptions) -> PipelineFile:
    if options.local_hook:
        # `repo: local` with `language: system`: the shieldwall on PATH, no hook repo to fetch.
        hooks = yaml.safe_load(hooks_manifest(language="system"))
        local = {"repos": [{"repo": "local", "hooks": hooks}]}
        return PipelineFile(".pre-commit-config.yaml", _dump(local))
    config = {
        "repos": [
            {
                "repo": options.hooks_repo,
                "rev": options.hooks_rev,
                "hooks": [{"id": "shieldwall"}],
            }
        ]
    }
    return PipelineFile(".pre-commit-config.yaml", _dump(config))


def render_pipeline(platform: CiPlatform, options: TemplateOptions) -> PipelineFile:
    """The pipeline file for ``platform``."""
    match platform:
        case CiPlatform.GITHUB:
            return _github(options)
        case CiPlatform.GITLAB:
            return _gitlab(options)
        case CiPlatform.PRE_COMMIT:
            return _pre_commit(options)
        case _:
            assert_never(platform)
