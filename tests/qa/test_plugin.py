"""The pytest plugin on small Flask (WSGI) and FastAPI (ASGI) shops: holes found, twins pass."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from tests.qa.harness import run_pytest, write_plan

APPS = {
    "django": "tests.qa.apps.django_shop",
    "flask": "tests.qa.apps.flask_shop",
    "fastapi": "tests.qa.apps.fastapi_shop",
}

# Exactly the tests the deliberate holes must fail, the same on both frameworks.
EXPECTED_FAILURES = {
    "access[GET /admin/users alice deny]",
    "access[GET /admin/users bob deny]",
    "bola[orders fetch as bob]",
    "bola[orders update as bob]",
    "bola[orders delete as bob]",
    "authn[GET /reports/export]",
    "hygiene[GET /]",
    "errors[GET /boom]",
    "cookies[login alice]",
    "cookies[login bob]",
    "cookies[login root]",
}


@pytest.mark.parametrize("framework", sorted(APPS))
def test_vulnerable_shop_fails_exactly_its_holes(framework: str, tmp_path: Path) -> None:
    plan = write_plan(tmp_path, f"{APPS[framework]}:vulnerable()")
    sarif = tmp_path / "qa.sarif"
    junit = tmp_path / "junit.xml"
    outcomes = run_pytest(tmp_path, str(plan), f"--shieldwall-sarif={sarif}", f"--junitxml={junit}")
    assert not outcomes.collect_errors, outcomes.collect_errors
    assert outcomes.failed() == EXPECTED_FAILURES
    # The rest of the matrix passed: allowed cells, denied anonymous cells, protected operations.
    assert outcomes.tests["access[GET /admin/users root allow]"][0] == "passed"
    assert (
        outcomes.tests[
            "authn[GET /orders/{order_id}]" if framework == "fastapi" else "authn[GET /orders/{id}]"
        ][0]
        == "passed"
    )
    assert "authn[GET /health]" not in outcomes.tests  # public: security: []
    assert "SW-QA-002 bob could fetch orders" in outcomes.tests["bola[orders fetch as bob]"][1]
    leak = "Django debug page" if framework == "django" else "Python traceback"
    assert leak in outcomes.tests["errors[GET /boom]"][1]
    assert outcomes.exit_code == 1

    log = json.loads(sarif.read_text())
    schema = json.loads(
        (Path(__file__).parents[1] / "data/schemas/sarif-schema-2.1.0.json").read_text()
    )
    validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())
    assert [e.message for e in validator.iter_errors(log)] == []
    results = log["runs"][0]["results"]
    assert sorted(r["ruleId"] for r in results) == sorted(
        ["SW-QA-001"] * 2
        + ["SW-QA-002"] * 3
        + ["SW-QA-003", "SW-QA-004", "SW-QA-006"]
        + ["SW-QA-005"] * 3
    )
    assert junit.read_text().count("<failure") == len(EXPECTED_FAILURES)


@pytest.mark.parametrize("framework", sorted(APPS))
def test_fixed_twin_passes_everything(framework: str, tmp_path: Path) -> None:
    plan = write_plan(tmp_path, f"{APPS[framework]}:fixed()")
    outcomes = run_pytest(tmp_path, str(plan))
    assert not outcomes.collect_errors, outcomes.collect_errors
    assert outcomes.failed() == set(), {n: outcomes.tests[n][1] for n in outcomes.failed()}
    assert len(outcomes.tests) >= 20
    assert outcomes.exit_code == 0


def test_sarif_is_whole_under_xdist(tmp_path: Path) -> None:
    # xdist's workers are new processes: they import the test apps from the repository root.
    (tmp_path / "pytest.ini").write_text(f"[pytest]\npythonpath = {Path(__file__).parents[2]}\n")
    serial_sarif, parallel_sarif = tmp_path / "serial.sarif", tmp_path / "parallel.sarif"
    plan = write_plan(tmp_path, f"{APPS['fastapi']}:vulnerable()")
    serial = run_pytest(tmp_path, str(plan), f"--shieldwall-sarif={serial_sarif}")
    parallel = run_pytest(
        tmp_path, str(plan), "-p", "xdist", "-n", "2", f"--shieldwall-sarif={parallel_sarif}"
    )
    assert parallel.failed() == serial.failed() == EXPECTED_FAILURES

    def results(path: Path) -> list[tuple[str, str]]:
        # Messages name object ids, which depend on the order tests ran in: not compared.
        log = json.loads(path.read_text())
        return sorted(
            (r["ruleId"], r["partialFingerprints"]["shieldwall/v1"])
            for r in log["runs"][0]["results"]
        )

    assert len(results(parallel_sarif)) == len(EXPECTED_FAILURES)
    assert results(parallel_sarif) == results(serial_sarif)
