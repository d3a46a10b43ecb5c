"""Age reminders: `[[rotate]] max_age_days` in the policy file, and `secrets due`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from shieldwall.cli.secretstore import app
from shieldwall.secretstore import EmbeddedStore, SecretConfigError
from shieldwall.secretstore.audit import Operation
from shieldwall.secretstore.policy import PathPolicy, overdue
from tests.secretstore.conftest import PASSPHRASE

POLICY = """
[[rotate]]
paths = ["db/*"]
max_age_days = 90

[[rotate]]
paths = ["db/root"]
max_age_days = 30
"""


def test_overdue_secrets(store: EmbeddedStore, tmp_path: Path) -> None:
    policy_file = tmp_path / "p.toml"
    policy_file.write_text(POLICY)
    policy = PathPolicy.load(policy_file)
    store.write("db/app", "app-password-1")
    store.write("db/root", "root-password-1")
    store.write("api/key", "api-key-value-1")  # no rule: never due
    now = datetime.now(UTC)
    assert overdue(store, policy, now) == []
    late = overdue(store, policy, now + timedelta(days=45))
    assert [(o.path, o.max_age_days) for o in late] == [("db/root", 30)]
    late = overdue(store, policy, now + timedelta(days=100))
    assert sorted(o.path for o in late) == ["db/app", "db/root"]
    assert [o.age_days for o in late] == [100, 100]
    # Rotation rules alone do not restrict access; an empty file still denies everything.
    assert policy.allows("anyone", Operation.READ, "db/app")
    empty = tmp_path / "empty.toml"
    empty.write_text("")
    assert not PathPolicy.load(empty).allows("anyone", Operation.READ, "db/app")


def test_bad_rotation_rule(tmp_path: Path) -> None:
    bad = tmp_path / "p.toml"
    bad.write_text('[[rotate]]\npaths = ["db/*"]\nmax_age_days = 0\n')
    with pytest.raises(SecretConfigError):
        PathPolicy.load(bad)


def test_cli_due(store: EmbeddedStore, store_path: Path) -> None:
    store.write("db/app", "app-password-1")
    store_path.with_name("secrets.policy.toml").write_text(POLICY)
    env = {"SHIELDWALL_SECRETS_STORE": str(store_path), "SHIELDWALL_SECRETS_PASSPHRASE": PASSPHRASE}
    result = CliRunner().invoke(app, ["due"], env=env)
    assert result.exit_code == 0, result.output
    assert "0 secret(s) due" in result.output
