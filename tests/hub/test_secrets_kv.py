"""The hub as a Vault KV v2 server: our Vault backend and hvac against a real hub on 127.0.0.1."""

from __future__ import annotations

import base64
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import hvac
import pytest
from hvac import exceptions as hvac_errors
from sqlalchemy import select, text
from sqlalchemy.orm import Session, sessionmaker

from shieldwall.hub.audit.service import verify
from shieldwall.hub.auth.service import create_token, create_user, revoke_token
from shieldwall.hub.db.engine import make_engine, make_session_factory, transaction
from shieldwall.hub.db.models import ApiToken, AuditEvent, KvVersion
from shieldwall.hub.enums import Role, TokenScope
from shieldwall.hub.secrets.policy import Capability, PolicyRule, capabilities
from shieldwall.hub.settings import HubSettings
from shieldwall.secretstore import (
    AccessDeniedError,
    BackendUnavailableError,
    SecretNotFoundError,
    SecretStoreError,
    VaultBackend,
)
from shieldwall.secretstore.mapping import load_mapping
from shieldwall.secretstore.service import SecretsService
from shieldwall.secretstore.settings import StoreSettings
from tests.servers.hub_server import running_hub
from tests.servers.k8s_tokenreview import k8s_api_server

SECRET = "hub-kv-Value-93e1c07a5b"  # shieldwall: ignore[SW-SEC-001] test value
MASTER = base64.b64encode(os.urandom(32)).decode()


@dataclass
class KvHub:
    url: str
    sessions: sessionmaker[Session]
    root: str  # global admin token (no KV policies: it has no KV access by itself)
    kv_admin: str  # token with the "all" policy
    app: str  # token with the "app-read" policy
    nobody: str  # token without policies

    def admin_api(self, method: str, path: str, **kwargs: object) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.root}"}
        return httpx.request(method, f"{self.url}/api/v1{path}", headers=headers, **kwargs)  # type: ignore[arg-type]

    def token_id(self, token: str) -> int:
        from shieldwall.hub.auth.secrets import token_digest

        with transaction(self.sessions) as session:
            return session.scalars(
                select(ApiToken.id).where(ApiToken.token_hash == token_digest(token))
            ).one()


def _token(session: Session, user_name: str, role: Role | None) -> str:
    user = create_user(session, user_name, None, role, "test")
    return create_token(
        session,
        user=user,
        name=f"{user_name}-token",
        scope=TokenScope.ADMIN if role else TokenScope.READ,
        project=None,
        expires_days=1,
        actor="test",
    ).token


def _start(db_url: str, master: str | None, **settings: str) -> Iterator[KvHub]:
    engine = make_engine(db_url)
    try:
        yield from _serve(db_url, master, make_session_factory(engine), settings)
    finally:
        engine.dispose()


def _serve(
    db_url: str, master: str | None, sessions: sessionmaker[Session], extra: dict[str, str]
) -> Iterator[KvHub]:
    with transaction(sessions) as session:
        tokens = [
            _token(session, "root", Role.ADMIN),
            _token(session, "kvadmin", None),
            _token(session, "app", None),
            _token(session, "nobody", None),
        ]
    settings = HubSettings(
        database_url=db_url,
        migrate_on_start=False,
        secrets_master_key=master,  # type: ignore[arg-type]
        **extra,  # type: ignore[arg-type]
    )
    with running_hub(settings) as url:
        hub = KvHub(url, sessions, *tokens)
        all_rules = [
            {"path": "secret/*", "capabilities": ["create", "read", "update", "delete", "list"]}
        ]
        app_rules = [
            {"path": "secret/data/app/*", "capabilities": ["read"]},
            {"path": "secret/metadata/app/*", "capabilities": ["list", "read"]},
            {"path": "secret/data/app/private/*", "capabilities": ["deny"]},
        ]
        for name, rules in (("all", all_rules), ("app-read", app_rules)):
            answer = hub.admin_api("PUT", f"/secrets/policies/{name}", json={"rules": rules})
            assert answer.status_code == 200, answer.text
        for token, policy in ((hub.kv_admin, "all"), (hub.app, "app-read")):
            answer = hub.admin_api(
                "PUT",
                f"/secrets/tokens/{hub.token_id(token)}/policies",
                json={"policies": [policy]},
            )
            assert answer.status_code == 204, answer.text
        yield hub


@pytest.fixture
def hub(db_url: str) -> Iterator[KvHub]:
    yield from _start(db_url, MASTER)


def test_vault_backend_roundtrip_against_the_hub(hub: KvHub) -> None:
    backend = VaultBackend(hub.url, hub.kv_admin)
    assert backend.write("db/password", "first-value") == 1
    assert backend.write("db/password", SECRET) == 2
    backend.write("app/deep/key", "other-value")
    assert backend.read("db/password").value == SECRET
    assert backend.read("db/password", 1).value == "first-value"
    assert backend.list() == ["app/deep/key", "db/password"]
    assert backend.list("app") == ["app/deep/key"]
    assert backend.list("absent") == []
    meta = backend.metadata("db/password")
    assert meta.current_version == 2 and [v.version for v in meta.versions] == [1, 2]
    backend.delete("db/password")
    with pytest.raises(SecretNotFoundError):
        backend.read("db/password")
    assert backend.read("db/password", 1).value == "first-value"
    backend.delete("db/password", 1)
    assert all(v.deleted_at is not None for v in backend.metadata("db/password").versions)
    with pytest.raises(SecretNotFoundError):
        backend.read("absent")


def test_hvac_check_and_set_undelete_destroy(hub: KvHub) -> None:
    client = hvac.Client(url=hub.url, token=hub.kv_admin)
    assert client.is_authenticated()
    kv = client.secrets.kv.v2
    kv.create_or_update_secret(path="cfg", secret={"a": "1", "b": "two"}, cas=0)
    with pytest.raises(hvac_errors.InvalidRequest, match="check-and-set"):
        kv.create_or_update_secret(path="cfg", secret={"a": "x"}, cas=0)
    kv.create_or_update_secret(path="cfg", secret={"a": "2"}, cas=1)
    read = kv.read_secret_version(path="cfg", raise_on_deleted_version=True)
    assert read["data"]["data"] == {"a": "2"} and read["data"]["metadata"]["version"] == 2
    kv.update_metadata(path="cfg", cas_required=True, max_versions=3)
    with pytest.raises(hvac_errors.InvalidRequest, match="required"):
        kv.create_or_update_secret(path="cfg", secret={"a": "3"})
    for expected in (3, 4, 5):
        kv.create_or_update_secret(path="cfg", secret={"a": str(expected)}, cas=expected - 1)
    meta = kv.read_secret_metadata(path="cfg")["data"]
    assert sorted(meta["versions"]) == ["3", "4", "5"] and meta["cas_required"] is True
    kv.delete_secret_versions(path="cfg", versions=[5])
    with pytest.raises(hvac_errors.InvalidPath):
        kv.read_secret_version(path="cfg", raise_on_deleted_version=True)
    kv.undelete_secret_versions(path="cfg", versions=[5])
    assert kv.read_secret_version(path="cfg", raise_on_deleted_version=True)["data"]["data"] == {
        "a": "5"
    }
    kv.destroy_secret_versions(path="cfg", versions=[4])
    assert kv.read_secret_metadata(path="cfg")["data"]["versions"]["4"]["destroyed"] is True
    kv.undelete_secret_versions(path="cfg", versions=[4])  # destroyed stays destroyed
    with pytest.raises(hvac_errors.InvalidPath):
        kv.read_secret_version(path="cfg", version=4, raise_on_deleted_version=True)
    kv.delete_metadata_and_all_versions(path="cfg")
    with pytest.raises(hvac_errors.InvalidPath):
        kv.read_secret_metadata(path="cfg")


def test_values_are_encrypted_at_rest_and_the_key_is_not_stored(hub: KvHub) -> None:
    VaultBackend(hub.url, hub.kv_admin).write("db/password", SECRET)
    with transaction(hub.sessions) as session:
        row = session.scalars(select(KvVersion)).one()
        assert row.ciphertext and SECRET not in row.ciphertext
        dump = ""
        for table in ("kv_secrets", "kv_versions", "audit_events", "kv_policies"):
            dump += repr(session.execute(text(f"SELECT * FROM {table}")).all())  # noqa: S608
    assert SECRET not in dump
    assert MASTER not in dump and base64.b64decode(MASTER).hex() not in dump


def test_a_different_master_key_cannot_read(db_url: str) -> None:
    first = _start(db_url, MASTER)
    hub = next(first)
    VaultBackend(hub.url, hub.kv_admin).write("db/password", SECRET)
    tokens = hub.kv_admin
    first.close()
    other = base64.b64encode(os.urandom(32)).decode()
    settings = HubSettings(database_url=db_url, migrate_on_start=False, secrets_master_key=other)  # type: ignore[arg-type]
    with running_hub(settings) as url, pytest.raises(SecretStoreError) as info:
        VaultBackend(url, tokens).read("db/password")
    assert SECRET not in str(info.value)


def test_policies_give_least_privilege(hub: KvHub) -> None:
    admin = VaultBackend(hub.url, hub.kv_admin)
    admin.write("app/key", SECRET)
    admin.write("app/private/key", "private-value")
    admin.write("db/password", "db-value")
    app = VaultBackend(hub.url, hub.app)
    assert app.read("app/key").value == SECRET
    assert app.list("app") == ["app/key", "app/private/key"]
    for denied in (
        lambda: app.read("db/password"),
        lambda: app.read("app/private/key"),  # deny overrides the wider read rule
        lambda: app.write("app/key", "overwrite"),
        lambda: app.delete("app/key"),
        lambda: app.list("db"),
        lambda: VaultBackend(hub.url, hub.nobody).read("app/key"),
        lambda: VaultBackend(hub.url, hub.root).read("app/key"),  # hub admin: no KV policy
        lambda: VaultBackend(hub.url, "swt_not-a-token").read("app/key"),
        lambda: VaultBackend(hub.url, "").read("app/key"),
    ):
        with pytest.raises(AccessDeniedError):
            denied()
    with transaction(hub.sessions) as session:
        revoke_token(session, hub.token_id(hub.app), "test")
    with pytest.raises(AccessDeniedError):
        app.read("app/key")


def test_every_access_is_audited_without_the_value(hub: KvHub) -> None:
    admin = VaultBackend(hub.url, hub.kv_admin)
    admin.write("app/key", SECRET)
    VaultBackend(hub.url, hub.app).read("app/key")
    with pytest.raises(AccessDeniedError):
        VaultBackend(hub.url, hub.app).read("db/password")
    with pytest.raises(SecretNotFoundError):
        admin.read("absent/key")
    with transaction(hub.sessions) as session:
        events = session.scalars(
            select(AuditEvent).where(AuditEvent.object_type == "secret").order_by(AuditEvent.id)
        ).all()
        seen = [(e.actor, e.action, e.object_id, e.details["outcome"]) for e in events]
        assert seen == [
            ("kvadmin", "secret.write", "secret/app/key", "ok"),
            ("app", "secret.read", "secret/app/key", "ok"),
            ("app", "secret.read", "secret/db/password", "denied"),
            ("kvadmin", "secret.read", "secret/absent/key", "not-found"),
        ]
        write, read = events[0].details, events[1].details
        assert write["value_hmac"] == read["value_hmac"] and len(write["value_hmac"]) == 64
        assert read["client"] == "127.0.0.1" and read["version"] == 1
        assert SECRET not in repr([e.details for e in events])
        assert verify(session).ok


def test_sealed_without_a_master_key(db_url: str) -> None:
    hub = _start(db_url, None)
    started = next(hub)
    with pytest.raises(BackendUnavailableError, match="sealed"):
        VaultBackend(started.url, started.kv_admin).read("app/key")
    assert httpx.get(f"{started.url}/v1/sys/health").json()["sealed"] is True
    hub.close()


def test_bad_requests_get_vault_errors(hub: KvHub) -> None:
    headers = {"X-Vault-Token": hub.kv_admin}
    bad_json = httpx.post(f"{hub.url}/v1/secret/data/x", content=b"{", headers=headers)
    assert bad_json.status_code == 400 and bad_json.json()["errors"]
    no_data = httpx.post(f"{hub.url}/v1/secret/data/x", json={"value": 1}, headers=headers)
    assert no_data.status_code == 400
    bad_path = httpx.get(f"{hub.url}/v1/secret/data/a/../b", headers=headers)
    assert bad_path.status_code in (400, 404)
    other_mount = httpx.get(f"{hub.url}/v1/kv/data/x", headers=headers)
    assert other_mount.status_code == 404
    bad_version = httpx.get(f"{hub.url}/v1/secret/data/x?version=abc", headers=headers)
    assert bad_version.status_code == 400


def test_admin_api_needs_a_global_admin(hub: KvHub) -> None:
    answer = httpx.put(
        f"{hub.url}/api/v1/secrets/policies/mine",
        json={"rules": [{"path": "secret/*", "capabilities": ["read"]}]},
        headers={"Authorization": f"Bearer {hub.kv_admin}"},
    )
    assert answer.status_code == 403
    bad = hub.admin_api(
        "PUT", "/secrets/policies/x", json={"rules": [{"path": "a*b", "capabilities": ["read"]}]}
    )
    assert bad.status_code == 422
    assert hub.admin_api("GET", "/secrets/policies").json()[0]["name"] == "all"


@pytest.mark.parametrize(
    ("pattern", "path", "matches"),
    [
        ("secret/data/app/*", "secret/data/app/key", True),
        ("secret/data/app/*", "secret/data/application", False),
        ("secret/data/app*", "secret/data/application", True),
        ("secret/data/+/key", "secret/data/x/key", True),
        ("secret/data/+/key", "secret/data/x/y/key", False),
        ("secret/data/app", "secret/data/app/key", False),
    ],
)
def test_policy_globs(pattern: str, path: str, matches: bool) -> None:
    rule = PolicyRule(path=pattern, capabilities=(Capability.READ,))
    assert (Capability.READ in capabilities([rule], path)) is matches


def test_most_specific_rule_decides() -> None:
    rules = [
        PolicyRule(path="secret/*", capabilities=(Capability.READ, Capability.LIST)),
        PolicyRule(path="secret/data/app/*", capabilities=(Capability.UPDATE,)),
    ]
    assert capabilities(rules, "secret/data/app/x") == {Capability.UPDATE}
    assert capabilities(rules, "secret/data/db/x") == {Capability.READ, Capability.LIST}
    assert capabilities(rules, "other/data/x") == frozenset()


def test_kubernetes_login_gives_a_short_lived_token_with_the_role_policies(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with k8s_api_server() as k8s:
        k8s.accounts = {"jwt-of-payments": ("shop", "payments"), "jwt-of-web": ("shop", "web")}
        settings = {
            "secrets_kubernetes_host": k8s.url,
            "secrets_kubernetes_reviewer_jwt": k8s.reviewer,
        }
        hub_iter = _start(db_url, MASTER, **settings)
        hub = next(hub_iter)
        try:
            answer = hub.admin_api(
                "PUT",
                "/secrets/kubernetes/roles/payments",
                json={
                    "bound_service_account_names": ["payments"],
                    "bound_service_account_namespaces": ["shop"],
                    "policies": ["app-read"],
                    "ttl_seconds": 600,
                },
            )
            assert answer.status_code == 204, answer.text
            VaultBackend(hub.url, hub.kv_admin).write("app/key", SECRET)
            # hvac's own login call, then our backend with the returned token.
            client = hvac.Client(url=hub.url)
            login = client.auth.kubernetes.login(role="payments", jwt="jwt-of-payments")
            assert login["auth"]["policies"] == ["app-read"]
            assert login["auth"]["lease_duration"] == 600
            assert client.secrets.kv.v2.read_secret_version(
                path="app/key", raise_on_deleted_version=True
            )["data"]["data"] == {"value": SECRET}
            backend = VaultBackend.with_kubernetes(hub.url, "payments", "jwt-of-payments")
            assert backend.read("app/key").value == SECRET
            with pytest.raises(AccessDeniedError):
                backend.write("app/key", "not allowed")  # the role's policy reads only
            # The mapping file's [vault] auth = "kubernetes" path, with a JWT file.
            jwt_file = tmp_path / "token"
            jwt_file.write_text("jwt-of-payments\n")
            mapping = tmp_path / ".shieldwall-secrets.toml"
            mapping.write_text(
                f'KEY = "vault:app/key"\n[vault]\nurl = "{hub.url}"\nauth = "kubernetes"\n'
                f'role = "payments"\njwt_path = "{jwt_file}"\n'
            )
            service = SecretsService(
                StoreSettings(tmp_path / "s.json", tmp_path / "a.jsonl"), lambda: "", {}
            )
            assert service.resolve(load_mapping(mapping)) == {"KEY": SECRET}
            for role, jwt in (("payments", "jwt-of-web"), ("payments", "forged"), ("nope", "x")):
                with pytest.raises(hvac_errors.VaultError):
                    hvac.Client(url=hub.url).auth.kubernetes.login(role=role, jwt=jwt)
            with transaction(hub.sessions) as session:
                logins = session.scalars(
                    select(AuditEvent).where(AuditEvent.action == "secret.login")
                ).all()
                outcomes = [(e.actor, e.details["outcome"]) for e in logins]
                assert outcomes[:3] == [("system:serviceaccount:shop:payments", "ok")] * 3
                assert [o for _, o in outcomes[3:]] == ["denied", "denied", "failed"]
                assert "jwt-of-payments" not in repr([e.details for e in logins])
                token = session.scalars(
                    select(ApiToken).where(ApiToken.name == "k8s:shop/payments")
                ).first()
                assert token is not None and token.expires_at is not None
        finally:
            hub_iter.close()


def test_kubernetes_login_is_off_without_configuration(hub: KvHub) -> None:
    with pytest.raises(hvac_errors.InvalidPath):
        hvac.Client(url=hub.url).auth.kubernetes.login(role="payments", jwt="x")


def test_concurrent_writers_lose_no_version(hub: KvHub) -> None:
    from concurrent.futures import ThreadPoolExecutor

    def writer(n: int) -> list[int]:
        backend = VaultBackend(hub.url, hub.kv_admin)
        return [backend.write("shared/counter", f"value-{n}-{i}") for i in range(8)]

    with ThreadPoolExecutor(max_workers=4) as pool:
        versions = [v for batch in pool.map(writer, range(4)) for v in batch]
    assert sorted(versions) == list(range(1, 33))
    assert VaultBackend(hub.url, hub.kv_admin).metadata("shared/counter").current_version == 32


def test_concurrent_reads_keep_the_audit_chain_intact(hub: KvHub) -> None:
    from concurrent.futures import ThreadPoolExecutor

    VaultBackend(hub.url, hub.kv_admin).write("app/key", SECRET)

    def reader(_: int) -> list[str]:
        backend = VaultBackend(hub.url, hub.app)
        return [backend.read("app/key").value for _ in range(8)]

    with ThreadPoolExecutor(max_workers=4) as pool:
        values = [v for batch in pool.map(reader, range(4)) for v in batch]
    assert values == [SECRET] * 32
    with transaction(hub.sessions) as session:
        assert verify(session).ok
        reads = session.scalars(select(AuditEvent).where(AuditEvent.action == "secret.read")).all()
        assert len(reads) == 32
