"""Malformed plans name their line; a crashing app is the app's failure; the plugin is inert."""

from __future__ import annotations

from pathlib import Path

import pytest

from shieldwall.qa.matrix import MatrixError, load_plan
from tests.qa.harness import run_pytest, write_plan


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("app: a:b\nroles:\n  alice: {}\nendpoints:\n  - {path: /x, allow: [mallory]}\n", 5,
         "unknown roles"),
        ("app: a:b\nendpoints:\n  - path: /x\n    method: FETCH\n", 4, "endpoints.0.method"),
        ("app: a:b\nroles: [unclosed\n", 3, "not valid YAML"),
        ("roles: {}\n", 1, "exactly one of app"),
        ("app: a:b\nroles:\n  alice:\n    login: {path: /l, jsn: {}}\n", 4, "jsn"),
        ("- just\n- a list\n", 1, "mapping"),
    ],
)  # fmt: skip
def test_malformed_plan_names_the_line(tmp_path: Path, text: str, line: int, fragment: str) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(text)
    with pytest.raises(MatrixError) as caught:
        load_plan(plan)
    message = str(caught.value)
    assert f"plan.yaml:{line}:" in message, message
    assert fragment in message


def test_invalid_utf8_plan(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_bytes(b"app: \xff\xfe:x\n")
    with pytest.raises(MatrixError, match="cannot read"):
        load_plan(plan)


def test_malformed_plan_is_a_collection_error_in_pytest(tmp_path: Path) -> None:
    (tmp_path / "shieldwall-qa.yaml").write_text("app: a:b\nendpoints:\n  - {method: GET}\n")
    outcomes = run_pytest(tmp_path, str(tmp_path))
    assert outcomes.exit_code == 2
    assert len(outcomes.collect_errors) == 1
    assert "shieldwall-qa.yaml:3: endpoints.0.path: Field required" in outcomes.collect_errors[0]


def test_crashing_app_is_reported_as_the_apps_failure(tmp_path: Path) -> None:
    plan = write_plan(
        tmp_path,
        "tests.qa.apps.flask_shop:crashing()",
        endpoints=[{"method": "GET", "path": "/boom", "allow": ["alice"]}],
        objects=[],
        openapi=None,
        hygiene=None,
    )
    outcomes = run_pytest(tmp_path, str(plan))
    outcome, text = outcomes.tests["access[GET /boom alice allow]"]
    assert outcome == "failed"
    assert text.startswith("APP FAILURE (not a shieldwall error)")
    assert "RuntimeError: database password=hunter2 rejected" in text


def test_app_that_cannot_be_imported(tmp_path: Path) -> None:
    plan = write_plan(tmp_path, "tests.qa.apps.no_such_module:app")
    outcomes = run_pytest(tmp_path, str(plan))  # the OpenAPI document is read at collection
    assert outcomes.exit_code == 2
    assert "import failed: ModuleNotFoundError" in outcomes.collect_errors[0]
    plan = write_plan(tmp_path, "tests.qa.apps.no_such_module:app", openapi=None)
    outcomes = run_pytest(tmp_path, str(plan))
    assert outcomes.failed()
    assert all(
        text.startswith("plan shieldwall-qa.yaml: app 'tests.qa.apps.no_such_module:app': import")
        for _, text in outcomes.tests.values()
    )


def test_live_app_that_is_down(tmp_path: Path) -> None:
    plan = write_plan(
        tmp_path,
        "unused:x",
        endpoints=[{"method": "GET", "path": "/", "allow": ["anonymous"]}],
        objects=[],
        openapi=None,
        hygiene=None,
    )
    text = plan.read_text().replace("app: unused:x", "base_url: http://127.0.0.1:9")
    plan.write_text(text)
    outcomes = run_pytest(tmp_path, str(plan))
    outcome, text = outcomes.tests["access[GET / anonymous allow]"]
    assert outcome == "failed"
    assert "APP FAILURE" in text and "cannot reach the app" in text


def test_plugin_is_inert_without_a_plan(tmp_path: Path) -> None:
    """Ordinary YAML files are not collected, and an ordinary suite runs as before."""
    (tmp_path / "config.yaml").write_text("app: a:b\nendpoints: [oops\n")
    (tmp_path / "test_plain.py").write_text("def test_ok():\n    assert True\n")
    outcomes = run_pytest(tmp_path, str(tmp_path), "-W", "error")
    assert outcomes.exit_code == 0
    assert set(outcomes.tests) == {"test_ok"}
    assert not outcomes.collect_errors


def test_plan_given_by_option_under_any_name(tmp_path: Path) -> None:
    plan = write_plan(
        tmp_path,
        "tests.qa.apps.flask_shop:fixed()",
        name="security.yaml",
        objects=[],
        openapi=None,
        hygiene=None,
    )
    outcomes = run_pytest(tmp_path, str(tmp_path), f"--shieldwall-plan={plan}")
    assert outcomes.exit_code == 0
    assert "access[GET /admin/users root allow]" in outcomes.tests


def test_login_fixture_for_hand_written_tests(tmp_path: Path) -> None:
    plan = write_plan(
        tmp_path, "tests.qa.apps.flask_shop:fixed()", name="security.yaml", objects=[], openapi=None
    )
    (tmp_path / "pytest.ini").write_text(f"[pytest]\nshieldwall_plans = {plan.name}\n")
    (tmp_path / "test_mine.py").write_text(
        "def test_alice_sees_only_her_orders(shieldwall_login):\n"
        "    alice = shieldwall_login('alice')\n"
        "    bob = shieldwall_login('bob')\n"
        "    made = alice.request('POST', '/orders', json={'item': 'pen'}).json()['id']\n"
        "    assert bob.request('GET', f'/orders/{made}').status_code == 404\n"
        "    assert alice.request('GET', f'/orders/{made}').status_code == 200\n"
        "    assert shieldwall_login('alice') is alice\n"
    )
    outcomes = run_pytest(tmp_path, str(tmp_path))
    assert outcomes.tests["test_alice_sees_only_her_orders"][0] == "passed"
    assert outcomes.exit_code == 0, outcomes.tests
