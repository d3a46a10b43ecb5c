"""Run pytest in process on a plan and collect each test's outcome (what a user's CI sees)."""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib.metadata import entry_points
from pathlib import Path

import pytest
import yaml

PLAN = Path(__file__).parents[1] / "data" / "qa" / "shop-plan.yaml"


@dataclass
class Outcomes:
    """node name -> (outcome, failure text); collection errors; the exit code."""

    tests: dict[str, tuple[str, str]] = field(default_factory=dict)
    collect_errors: list[str] = field(default_factory=list)
    exit_code: int = 0

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when == "call" or report.outcome != "passed":
            name = report.nodeid.split("::")[-1]
            self.tests[name] = (report.outcome, str(report.longrepr or ""))

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            self.collect_errors.append(str(report.longrepr))

    def failed(self) -> set[str]:
        return {name for name, (outcome, _) in self.tests.items() if outcome == "failed"}


def _plugin_args() -> list[str]:
    installed = any(ep.value == "shieldwall.qa.plugin" for ep in entry_points(group="pytest11"))
    return [] if installed else ["-p", "shieldwall.qa.plugin"]


def write_plan(tmp: Path, app: str, name: str = "shieldwall-qa.yaml", **changes: object) -> Path:
    plan = yaml.safe_load(PLAN.read_text())
    plan["app"] = app
    plan.update(changes)
    path = tmp / name
    path.write_text(yaml.safe_dump(plan, sort_keys=False))
    return path


def run_pytest(tmp: Path, *args: str) -> Outcomes:
    outcomes = Outcomes()
    ini = tmp / "pytest.ini"
    if not ini.exists():
        ini.write_text("[pytest]\n")
    argv = ["-q", "-p", "no:cacheprovider", "-c", str(ini), "--rootdir", str(tmp)]
    outcomes.exit_code = int(pytest.main([*argv, *_plugin_args(), *args], plugins=[outcomes]))
    return outcomes
