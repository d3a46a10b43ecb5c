"""Path policies: rules, denial of everything not allowed, and denials in the audit log."""

from __future__ import annotations

from pathlib import Path

import pytest

from shieldwall.secretstore import (
    AccessDeniedError,
    AuditedBackend,
    AuditLog,
    EmbeddedStore,
    Operation,
    SecretConfigError,
)
from shieldwall.secretstore.policy import PathPolicy, PolicyBackend
from tests.secretstore.conftest import SECRET

POLICY = """
[[allow]]
identity = "ci-*"
paths = ["app/*"]
operations = ["read", "list"]

[[allow]]
identity = "alice"
paths = ["*"]
operations = ["read", "write", "list", "metadata", "delete", "rotate"]
"""


@pytest.fixture
def policy(tmp_path: Path) -> PathPolicy:
    path = tmp_path / "p.toml"
    path.write_text(POLICY)
    return PathPolicy.load(path)


def test_rules(policy: PathPolicy) -> None:
    assert policy.allows("ci-build", Operation.READ, "app/key")
    assert policy.allows("ci-build", Operation.INJECT, "app/key")  # `run` is a read
    assert not policy.allows("ci-build", Operation.WRITE, "app/key")
    assert not policy.allows("ci-build", Operation.READ, "db/password")
    assert not policy.allows("bob", Operation.READ, "app/key")
    assert policy.allows("alice", Operation.DELETE, "db/password")


def test_no_file_allows_everything(tmp_path: Path) -> None:
    assert PathPolicy.load(tmp_path / "absent.toml").allows("anyone", Operation.WRITE, "x")


@pytest.mark.parametrize(
    "content",
    [
        "[[allow]]\npaths = ['a']\noperations = ['fly']\n",
        "[[allow]]\noperations = ['read']\n",
        "[[deny]]\npaths = ['a']\n",
        "= broken",
    ],
)
def test_bad_policy_file(tmp_path: Path, content: str) -> None:
    path = tmp_path / "p.toml"
    path.write_text(content)
    with pytest.raises(SecretConfigError):
        PathPolicy.load(path)


def test_enforced_and_audited(store: EmbeddedStore, audit: AuditLog, policy: PathPolicy) -> None:
    store.write("app/key", SECRET)
    store.write("db/password", SECRET)
    ci = AuditedBackend(PolicyBackend(store, policy, "ci-build"), audit)
    assert ci.read("app/key").value == SECRET
    assert ci.list() == ["app/key"]
    with pytest.raises(AccessDeniedError) as info:
        ci.read("db/password")
    assert SECRET not in str(info.value)
    with pytest.raises(AccessDeniedError):
        ci.write("app/key", "new-value")
    with pytest.raises(AccessDeniedError):
        ci.delete("app/key")
    outcomes = [(e.operation, e.path, e.outcome) for e in audit.entries()]
    assert outcomes[-3:] == [
        ("read", "db/password", "denied"),
        ("write", "app/key", "denied"),
        ("delete", "app/key", "denied"),
    ]
    assert store.read("app/key").version == 1
