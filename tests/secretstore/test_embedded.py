"""The embedded store: versions, soft delete, wrong key, tampering, concurrent writers."""

from __future__ import annotations

import json
import multiprocessing
from pathlib import Path

import pytest

from shieldwall.secretstore import (
    EmbeddedStore,
    SecretConfigError,
    SecretNotFoundError,
    SecretStoreError,
    TamperedError,
    WrongKeyError,
)
from shieldwall.secretstore.crypto import KdfParams, MasterKey, seal, unseal
from tests.secretstore.conftest import FAST_N, PASSPHRASE, SECRET


def test_write_read_versions(store: EmbeddedStore) -> None:
    assert store.write("db/password", "first-value") == 1
    assert store.write("db/password", SECRET) == 2
    assert store.read("db/password").value == SECRET
    assert store.read("db/password").version == 2
    assert store.read("db/password", 1).value == "first-value"
    meta = store.metadata("db/password")
    assert meta.current_version == 2
    assert [v.version for v in meta.versions] == [1, 2]
    assert all(v.live for v in meta.versions)


def test_reopen_with_passphrase(store: EmbeddedStore, store_path: Path) -> None:
    store.write("a/b", SECRET)
    assert EmbeddedStore.open(store_path, PASSPHRASE).read("a/b").value == SECRET


def test_value_never_in_file_in_clear(store: EmbeddedStore, store_path: Path) -> None:
    store.write("db/password", SECRET)
    raw = store_path.read_bytes()
    assert SECRET.encode() not in raw
    assert PASSPHRASE.encode() not in raw
    assert store_path.stat().st_mode & 0o077 == 0


def test_list_and_soft_delete(store: EmbeddedStore) -> None:
    store.write("db/password", "v1-value")
    store.write("db/password", "v2-value")
    store.write("api/token", SECRET)
    assert store.list() == ["api/token", "db/password"]
    assert store.list("db") == ["db/password"]
    store.delete("db/password")
    with pytest.raises(SecretNotFoundError, match="deleted"):
        store.read("db/password")
    assert store.read("db/password", 1).value == "v1-value"  # older versions are kept
    assert store.list() == ["api/token"]
    meta = store.metadata("db/password")
    assert meta.versions[1].deleted_at is not None and not meta.versions[1].live
    store.undelete("db/password", 2)
    assert store.read("db/password").value == "v2-value"


def test_missing_paths_and_versions(store: EmbeddedStore) -> None:
    with pytest.raises(SecretNotFoundError):
        store.read("nope")
    store.write("x/y", SECRET)
    with pytest.raises(SecretNotFoundError, match="no version 9"):
        store.read("x/y", 9)
    with pytest.raises(SecretNotFoundError):
        store.metadata("nope")


@pytest.mark.parametrize("path", ["", "../etc", "a//b", "a/./b", "a b", "ä/x"])
def test_invalid_paths(store: EmbeddedStore, path: str) -> None:
    with pytest.raises(SecretConfigError):
        store.write(path, SECRET)


def test_wrong_passphrase(store: EmbeddedStore, store_path: Path) -> None:
    store.write("db/password", SECRET)
    with pytest.raises(WrongKeyError) as info:
        EmbeddedStore.open(store_path, "not the passphrase")
    assert SECRET not in str(info.value)


def test_init_refuses_to_overwrite(store: EmbeddedStore, store_path: Path) -> None:
    with pytest.raises(SecretStoreError, match="already exists"):
        EmbeddedStore.init(store_path, PASSPHRASE, scrypt_n=FAST_N)


def test_open_missing_store(tmp_path: Path) -> None:
    with pytest.raises(SecretStoreError, match="no secret store"):
        EmbeddedStore.open(tmp_path / "absent.json", PASSPHRASE)


def _tamper(path: Path, edit: object) -> bytes:
    data = json.loads(path.read_bytes())
    edit(data)  # type: ignore[operator]
    raw = json.dumps(data).encode()
    path.write_bytes(raw)
    return raw


def test_tampered_ciphertext_detected_and_not_overwritten(
    store: EmbeddedStore, store_path: Path
) -> None:
    store.write("db/password", SECRET)

    def flip(data: dict) -> None:  # type: ignore[type-arg]
        version = data["secrets"]["db/password"]["versions"][0]
        first = version["ciphertext"][0]
        # A different first character (one ciphertext in 64 already starts with "A").
        version["ciphertext"] = ("B" if first == "A" else "A") + version["ciphertext"][1:]

    raw = _tamper(store_path, flip)
    with pytest.raises(TamperedError):
        store.read("db/password")
    with pytest.raises(TamperedError):
        store.write("db/password", "another")
    with pytest.raises(TamperedError):
        EmbeddedStore.open(store_path, PASSPHRASE)
    assert store_path.read_bytes() == raw  # nothing was overwritten


def test_tampered_metadata_detected(store: EmbeddedStore, store_path: Path) -> None:
    store.write("db/password", "v1-value")
    store.write("db/password", "v2-value")
    store.delete("db/password", 1)

    def undelete(data: dict) -> None:  # type: ignore[type-arg]
        data["secrets"]["db/password"]["versions"][0]["deleted_at"] = None

    _tamper(store_path, undelete)
    with pytest.raises(TamperedError, match="integrity"):
        store.read("db/password", 1)


@pytest.mark.parametrize(
    "content", [b"", b"{not json", b"\xff\xfe\x00binary\x00", b"[]", b'{"format": "x"}']
)
def test_corrupt_file(store: EmbeddedStore, store_path: Path, content: bytes) -> None:
    store_path.write_bytes(content)
    with pytest.raises(TamperedError, match="corrupt"):
        store.read("db/password")
    assert store_path.read_bytes() == content


def test_ciphertext_bound_to_path_and_version() -> None:
    master = MasterKey.from_passphrase(PASSPHRASE, KdfParams.fresh(n=FAST_N))
    sealed = seal(master, "db/password", 1, SECRET)
    assert unseal(master, "db/password", 1, sealed) == SECRET
    with pytest.raises(TamperedError):
        unseal(master, "other/path", 1, sealed)
    with pytest.raises(TamperedError):
        unseal(master, "db/password", 2, sealed)


def test_reprs_hide_values(store: EmbeddedStore) -> None:
    store.write("db/password", SECRET)
    secret = store.read("db/password")
    assert SECRET not in repr(secret)
    assert store.master.key.hex() not in repr(store)


def _writer(path: str, worker: int) -> None:
    store = EmbeddedStore.open(Path(path), PASSPHRASE)
    for i in range(8):
        store.write(f"w/{worker}", f"value-{worker}-{i}")
        store.write("shared/counter", f"value-{worker}-{i}")


def test_concurrent_writers_lose_no_update(store: EmbeddedStore, store_path: Path) -> None:
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_writer, args=(str(store_path), n)) for n in range(4)]
    for process in workers:
        process.start()
    for process in workers:
        process.join(timeout=60)
        assert process.exitcode == 0
    assert store.metadata("shared/counter").current_version == 32
    assert all(store.metadata(f"w/{n}").current_version == 8 for n in range(4))
    values = {store.read("shared/counter", v).value for v in range(1, 33)}
    assert len(values) == 32
