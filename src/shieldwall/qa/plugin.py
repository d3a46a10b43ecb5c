"""The pytest plugin (entry point ``pytest11``): security test plans become ordinary tests.

Inert unless configured: it only looks at YAML files named ``shieldwall-qa*.yaml`` / ``.yml``, the
files named by ``--shieldwall-plan`` or the ``shieldwall_plans`` ini option, and plan files given
on the command line. Nothing heavy is imported until such a file is collected, so a project that
merely has shieldwall installed pays a file-name check per collected file and nothing else.

``--shieldwall-sarif FILE`` writes the failures as SARIF (one finding per failed test) for the hub.
Under pytest-xdist each failure travels to the controller inside its test report (a user property,
which xdist serialises), and only the controller writes the file, so parallel runs lose nothing.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from shieldwall.core.finding import Finding
    from shieldwall.qa.client import AppClient
    from shieldwall.qa.runner import PlanRunner

__all__ = [
    "FINDING_PROPERTY",
    "PlanFile",
    "SecurityItem",
    "pytest_addoption",
    "pytest_collect_file",
    "pytest_configure",
    "pytest_runtest_makereport",
    "pytest_sessionfinish",
    "shieldwall_login",
    "shieldwall_runner",
]

_PATTERNS = ("shieldwall-qa*.yaml", "shieldwall-qa*.yml")
_FINDINGS = pytest.StashKey[list["Finding"]]()
FINDING_PROPERTY = "shieldwall_finding"


def pytest_addoption(parser: pytest.Parser) -> None:
    """``--shieldwall-plan``, ``--shieldwall-sarif`` and the ``shieldwall_plans`` ini option."""
    group = parser.getgroup("shieldwall", "shieldwall security tests")
    group.addoption(
        "--shieldwall-plan",
        action="append",
        default=[],
        metavar="FILE",
        help="Security test plan (YAML) to collect, besides files named shieldwall-qa*.yaml.",
    )
    group.addoption(
        "--shieldwall-sarif",
        default=None,
        metavar="FILE",
        help="Write failed security tests as SARIF 2.1.0.",
    )
    parser.addini("shieldwall_plans", "Security test plans (YAML) to collect.", type="paths")


def _configured(config: pytest.Config) -> set[Path]:
    paths = {Path(p).resolve() for p in config.getoption("shieldwall_plan")}
    paths |= {Path(p).resolve() for p in config.getini("shieldwall_plans")}
    return paths


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    """Collect security test plans; every other file is left alone after a name check."""
    name = file_path.name
    if not name.endswith((".yaml", ".yml")):
        return None
    if any(fnmatch.fnmatch(name, p) for p in _PATTERNS) or file_path.resolve() in _configured(
        parent.config
    ):
        return PlanFile.from_parent(parent, path=file_path)
    return None


class PlanFile(pytest.File):
    """A security test plan: one test per matrix cell, object action, operation and page."""

    runner: PlanRunner | None = None

    def collect(self) -> Iterator[pytest.Item]:
        """Read the plan (errors name the line) and yield its tests."""
        from shieldwall.core.errors import ShieldwallError  # imported late: keep startup cheap
        from shieldwall.qa.matrix import load_plan
        from shieldwall.qa.runner import AppCrashed, PlanRunner

        try:
            plan = load_plan(self.path)
        except ShieldwallError as exc:
            raise self.CollectError(str(exc)) from None
        self.runner = PlanRunner(plan, self.path.parent)
        yield from self._matrix(plan)
        for check in plan.objects:
            for action in ("fetch", "update", "delete"):
                if getattr(check, action):
                    yield SecurityItem.from_parent(
                        self, name=f"bola[{check.name} {action} as {check.attacker}]",
                        check=("check_object", check, action),
                    )  # fmt: skip
        if plan.openapi is not None:
            try:
                operations = self.runner.operations()
            except (ShieldwallError, AssertionError, AppCrashed) as exc:
                raise self.CollectError(f"{self.path}: openapi: {exc}") from None
            for op in operations:
                yield SecurityItem.from_parent(
                    self, name=f"authn[{op.method} {op.template}]", check=("check_authn", op)
                )
        yield from self._hygiene(plan)

    def _matrix(self, plan: Any) -> Iterator[pytest.Item]:
        for endpoint in plan.endpoints:
            for allow, roles in ((True, endpoint.allow), (False, endpoint.deny)):
                verdict = "allow" if allow else "deny"
                for role in roles:
                    yield SecurityItem.from_parent(
                        self,
                        name=f"access[{endpoint.method} {endpoint.path} {role} {verdict}]",
                        check=("check_cell", endpoint, role, allow),
                    )

    def _hygiene(self, plan: Any) -> Iterator[pytest.Item]:
        if plan.hygiene is None:
            return
        for path in plan.hygiene.paths:
            yield SecurityItem.from_parent(
                self, name=f"hygiene[GET {path}]", check=("check_page", path)
            )
        for path in plan.hygiene.error_paths:
            yield SecurityItem.from_parent(
                self, name=f"errors[GET {path}]", check=("check_error_page", path)
            )
        for role, spec in plan.roles.items():
            if spec.login is not None:
                yield SecurityItem.from_parent(
                    self, name=f"cookies[login {role}]", check=("check_login_cookies", role)
                )

    def teardown(self) -> None:
        """Close the role clients once every test of the plan has run."""
        if self.runner is not None:
            self.runner.close()


class SecurityItem(pytest.Item):
    """One security test; ``check`` is the runner method and its arguments."""

    def __init__(self, *, check: tuple[Any, ...], **kwargs: Any) -> None:
        """Keep the check to run."""
        super().__init__(**kwargs)
        self.check = check

    def runtest(self) -> None:
        """Run the check against the app."""
        parent = self.parent
        assert isinstance(parent, PlanFile) and parent.runner is not None  # noqa: S101
        method, *args = self.check
        getattr(parent.runner, method)(*args)

    def repr_failure(
        self,
        excinfo: pytest.ExceptionInfo[BaseException],
        style: Any = None,
    ) -> str | Any:
        """The security failure in one line; the app's crash named as the app's."""
        from shieldwall.core.errors import ShieldwallError
        from shieldwall.qa.runner import AppCrashed, PlanProblem, SecurityFailure

        error = excinfo.value
        if isinstance(error, SecurityFailure):
            return str(error)
        if isinstance(error, AppCrashed):
            return f"APP FAILURE (not a shieldwall error): {error}"
        if isinstance(error, PlanProblem | ShieldwallError):
            return f"plan {self.path.name}: {error}"
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        """Where the test comes from: the plan file."""
        return self.path, None, self.name


@pytest.fixture(scope="session")
def shieldwall_runner(pytestconfig: pytest.Config) -> Iterator[PlanRunner]:
    """The runner of the configured plan (``shieldwall_plans`` / ``--shieldwall-plan``)."""
    from shieldwall.core.errors import ShieldwallError
    from shieldwall.qa.matrix import load_plan
    from shieldwall.qa.runner import PlanRunner

    plans = sorted(_configured(pytestconfig))
    if not plans:
        pytest.fail("no security test plan configured: set shieldwall_plans or --shieldwall-plan")
    try:
        runner = PlanRunner(load_plan(plans[0]), plans[0].parent)
    except ShieldwallError as exc:
        pytest.fail(str(exc))
    yield runner
    runner.close()


@pytest.fixture
def shieldwall_login(shieldwall_runner: PlanRunner) -> Callable[[str], AppClient]:
    """``shieldwall_login("alice")``: a client logged in as a role of the plan (cached)."""
    return shieldwall_runner.client


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Attach the finding of a failed security test to its report (it survives xdist)."""
    report: pytest.TestReport = yield
    if isinstance(item, SecurityItem) and call.when == "call" and call.excinfo is not None:
        from shieldwall.qa.runner import SecurityFailure
        from shieldwall.qa.sarif import finding_to_property

        error = call.excinfo.value
        if isinstance(error, SecurityFailure):
            report.user_properties.append((FINDING_PROPERTY, finding_to_property(error.finding)))
    return report


class _SarifCollector:
    """Gathers findings from test reports: this process's own, or those xdist's workers sent."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        """Keep the finding a failed security test's report carries."""
        for name, value in report.user_properties:
            if name == FINDING_PROPERTY and isinstance(value, str):
                from shieldwall.qa.sarif import finding_from_property

                self.config.stash.setdefault(_FINDINGS, []).append(finding_from_property(value))


def pytest_configure(config: pytest.Config) -> None:
    """With ``--shieldwall-sarif``, collect findings where the file is written (not in workers)."""
    if config.getoption("shieldwall_sarif", None) and not hasattr(config, "workerinput"):
        config.pluginmanager.register(_SarifCollector(config), "shieldwall-sarif-collector")


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Write the SARIF report when asked to (the controller only, under xdist)."""
    target = session.config.getoption("shieldwall_sarif", None)
    if not target or hasattr(session.config, "workerinput"):
        return
    from shieldwall.qa.sarif import write_sarif

    findings: list[Finding] = session.config.stash.get(_FINDINGS, [])
    write_sarif(Path(target), findings)
