"""The embedded encrypted store: one JSON file, envelope-encrypted values, a keyed file MAC.

Reads take a shared lock, writes an exclusive one around read-modify-write-rename, so concurrent
writers in other processes never lose an update. A file that fails its MAC or does not parse is
reported as tampered and never rewritten.
"""

from __future__ import annotations

import hmac
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from shieldwall.secretstore.agekey import open_master, seal_existing, seal_master
from shieldwall.secretstore.crypto import (
    DEFAULT_SCRYPT_N,
    KdfParams,
    MasterKey,
    Sealed,
    b64,
    key_check,
    seal,
    unb64,
    unseal,
    verify_key,
)
from shieldwall.secretstore.errors import (
    SecretConfigError,
    SecretNotFoundError,
    SecretStoreError,
    TamperedError,
)
from shieldwall.secretstore.fileformat import (
    AgeModel,
    KdfModel,
    KmsModel,
    SecretModel,
    StoreModel,
    VersionModel,
    parse_store,
)
from shieldwall.secretstore.kms import AwsKms
from shieldwall.secretstore.locking import atomic_write, locked
from shieldwall.secretstore.model import SecretMetadata, SecretValue, VersionInfo, normalise_path

MAC_PURPOSE = "shieldwall-store-mac"


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class EmbeddedStore:
    """A :class:`~shieldwall.secretstore.model.SecretBackend` over one encrypted file.

    The last verified file content is cached, keyed by inode, mtime and size: every write
    replaces the file by rename (a new inode), so a changed file is always parsed and verified
    again, and repeated reads skip the JSON parse and the file MAC.
    """

    path: Path
    master: MasterKey
    name: str = "store"
    _cache: dict[str, tuple[tuple[int, int, int], StoreModel]] = field(
        default_factory=dict, repr=False, compare=False
    )

    @classmethod
    def init(
        cls, path: Path, passphrase: str, *, scrypt_n: int = DEFAULT_SCRYPT_N
    ) -> EmbeddedStore:
        """Create a new empty store at ``path``; refuses to overwrite an existing one."""
        with locked(_lock_path(path), exclusive=True):
            if path.exists():
                raise SecretStoreError(f"a secret store already exists at {path}")
            params = KdfParams.fresh(n=scrypt_n)
            master = MasterKey.from_passphrase(passphrase, params)
            kdf = KdfModel(salt=b64(params.salt), n=params.n, r=params.r, p=params.p)
            store = cls(path, master)
            store._save(StoreModel(kdf=kdf, check=key_check(master)))
            return store

    @classmethod
    def init_age(cls, path: Path, recipients: list[str]) -> EmbeddedStore:
        """Create a new empty store whose random master key is sealed to age ``recipients``."""
        with locked(_lock_path(path), exclusive=True):
            if path.exists():
                raise SecretStoreError(f"a secret store already exists at {path}")
            master, wrapped = seal_master(recipients)
            age = AgeModel(recipients=list(recipients), wrapped_master=wrapped)
            store = cls(path, master)
            store._save(StoreModel(age=age, check=key_check(master)))
            return store

    @classmethod
    def init_kms(cls, path: Path, kms: AwsKms) -> EmbeddedStore:
        """Create a new empty store whose master key is a data key wrapped by a KMS key."""
        with locked(_lock_path(path), exclusive=True):
            if path.exists():
                raise SecretStoreError(f"a secret store already exists at {path}")
            master, wrapped = kms.new_master()
            header = KmsModel(
                key_id=kms.key_id,
                region=kms.region,
                endpoint_url=kms.endpoint_url,
                wrapped_master=wrapped,
            )
            store = cls(path, master)
            store._save(StoreModel(kms=header, check=key_check(master)))
            return store

    @classmethod
    def open(
        cls,
        path: Path,
        passphrase: str | None = None,
        *,
        age_identity: str | None = None,
        kms_endpoint: str | None = None,
    ) -> EmbeddedStore:
        """Open an existing store with its passphrase, an age identity or its KMS key.

        The file MAC is checked. ``kms_endpoint`` overrides the endpoint saved in the header.
        """
        if not path.is_file():
            raise SecretStoreError(f"no secret store at {path} (create one with `secrets init`)")
        with locked(_lock_path(path), exclusive=False):
            model = parse_store(path.read_bytes())
        if model.kms is not None:
            header = model.kms
            kms = AwsKms(header.key_id, header.region, kms_endpoint or header.endpoint_url)
            master = kms.open_master(header.wrapped_master)
        elif model.age is not None:
            if age_identity is None:
                raise SecretConfigError(f"the store {path} is opened with an age identity")
            master = open_master(model.age.wrapped_master, age_identity)
        elif model.kdf is not None and passphrase is not None:
            kdf = model.kdf
            params = KdfParams(salt=unb64(kdf.salt), n=kdf.n, r=kdf.r, p=kdf.p)
            master = MasterKey.from_passphrase(passphrase, params)
        elif model.kdf is not None:
            raise SecretConfigError(f"the store {path} is opened with a passphrase")
        else:
            raise TamperedError(f"the secret store {path} has no master key header")
        verify_key(master, model.check)
        store = cls(path, master)
        store._verify(model)
        return store

    @staticmethod
    def sealed_with(path: Path) -> str:
        """How the store at ``path`` is opened: ``passphrase``, ``age`` or ``kms``."""
        if not path.is_file():
            raise SecretStoreError(f"no secret store at {path} (create one with `secrets init`)")
        with locked(_lock_path(path), exclusive=False):
            model = parse_store(path.read_bytes())
        return "kms" if model.kms else "age" if model.age else "passphrase"

    # -- file access -------------------------------------------------------------------------

    def _load(self, *, mutable: bool = False) -> StoreModel:
        """The verified file content; ``mutable`` gives a private copy for a read-modify-write."""
        try:
            with self.path.open("rb") as handle:
                stat = os.fstat(handle.fileno())
                key = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
                cached = self._cache.get("model")
                if not mutable and cached is not None and cached[0] == key:
                    return cached[1]
                raw = handle.read()
        except OSError as exc:
            raise SecretStoreError(
                f"cannot read the secret store {self.path}: {exc.strerror}"
            ) from exc
        model = parse_store(raw)
        self._verify(model)
        if not mutable:
            self._cache["model"] = (key, model)
        return model

    def _verify(self, model: StoreModel) -> None:
        expected = self.master.mac(MAC_PURPOSE, model.signed_bytes())
        if not hmac.compare_digest(expected, model.mac):
            raise TamperedError(f"the secret store {self.path} fails its integrity check")

    def _save(self, model: StoreModel) -> None:
        model.mac = self.master.mac(MAC_PURPOSE, model.signed_bytes())
        atomic_write(self.path, model.model_dump_json(indent=1).encode())

    # -- backend contract ----------------------------------------------------------------------

    def read(self, path: str, version: int | None = None) -> SecretValue:
        """Decrypt the current version of ``path``, or ``version``."""
        path = normalise_path(path)
        with locked(_lock_path(self.path), exclusive=False):
            model = self._load()
        entry = _version(model, path, version)
        if entry.deleted_at is not None or entry.destroyed:
            raise SecretNotFoundError(f"secret {path!r} version {entry.version} is deleted")
        sealed = Sealed(entry.wrapped_key, entry.key_nonce, entry.nonce, entry.ciphertext)
        return SecretValue(path, entry.version, unseal(self.master, path, entry.version, sealed))

    def write(self, path: str, value: str) -> int:
        """Encrypt ``value`` as the next version of ``path``."""
        path = normalise_path(path)
        with locked(_lock_path(self.path), exclusive=True):
            model = self._load(mutable=True)
            now = _now()
            secret = model.secrets.setdefault(path, SecretModel(created_at=now, updated_at=now))
            number = max((v.version for v in secret.versions), default=0) + 1
            sealed = seal(self.master, path, number, value)
            secret.versions.append(
                VersionModel(
                    version=number,
                    created_at=now,
                    wrapped_key=sealed.wrapped_key,
                    key_nonce=sealed.key_nonce,
                    nonce=sealed.nonce,
                    ciphertext=sealed.ciphertext,
                )
            )
            secret.updated_at = now
            self._save(model)
        return number

    def list(self, prefix: str = "") -> list[str]:
        """Paths whose current version is live and that start with ``prefix``."""
        prefix = prefix.strip("/")
        with locked(_lock_path(self.path), exclusive=False):
            model = self._load()
        return sorted(
            p
            for p, s in model.secrets.items()
            if p.startswith(prefix) and s.versions and _is_live(max(s.versions, key=_number))
        )

    def metadata(self, path: str) -> SecretMetadata:
        """Every version's timestamps and state."""
        path = normalise_path(path)
        with locked(_lock_path(self.path), exclusive=False):
            model = self._load()
        secret = model.secrets.get(path)
        if secret is None:
            raise SecretNotFoundError(f"no secret at {path!r}")
        infos = tuple(
            VersionInfo(v.version, v.created_at, v.deleted_at, v.destroyed) for v in secret.versions
        )
        current = max((v.version for v in secret.versions), default=0)
        return SecretMetadata(path, current, infos, secret.created_at, secret.updated_at)

    def delete(self, path: str, version: int | None = None) -> None:
        """Soft-delete the current version (or ``version``); the ciphertext is kept."""
        path = normalise_path(path)
        with locked(_lock_path(self.path), exclusive=True):
            model = self._load(mutable=True)
            entry = _version(model, path, version)
            if entry.deleted_at is not None:
                raise SecretNotFoundError(f"secret {path!r} version {entry.version} is deleted")
            entry.deleted_at = _now()
            model.secrets[path].updated_at = entry.deleted_at
            self._save(model)

    def undelete(self, path: str, version: int) -> None:
        """Restore a soft-deleted version."""
        path = normalise_path(path)
        with locked(_lock_path(self.path), exclusive=True):
            model = self._load(mutable=True)
            entry = _version(model, path, version)
            entry.deleted_at = None
            self._save(model)

    def reseal(self, recipients: Sequence[str]) -> None:
        """Seal the master key to a new list of age recipients (add or remove people).

        Only the header changes (32 bytes re-encrypted); every secret stays as it is. A store
        opened with a passphrase or KMS is refused: re-sealing is for age stores.
        """
        with locked(_lock_path(self.path), exclusive=True):
            model = self._load(mutable=True)
            if model.age is None:
                raise SecretConfigError(f"the store {self.path} is not sealed to age recipients")
            model.age = AgeModel(
                recipients=list(recipients), wrapped_master=seal_existing(self.master, recipients)
            )
            self._save(model)

    def fingerprint_key(self) -> bytes:
        """The key the audit log and leak fingerprints use for HMACs of values."""
        return self.master.subkey("shieldwall-value-hmac")


def _number(entry: VersionModel) -> int:
    return entry.version


def _is_live(entry: VersionModel) -> bool:
    return entry.deleted_at is None and not entry.destroyed


def _lock_path(store: Path) -> Path:
    return store.with_name(store.name + ".lock")


def _version(model: StoreModel, path: str, version: int | None) -> VersionModel:
    secret = model.secrets.get(path)
    if secret is None or not secret.versions:
        raise SecretNotFoundError(f"no secret at {path!r}")
    if version is None:
        # As in Vault KV v2: the current version is the highest; if it is deleted, so is the secret.
        return max(secret.versions, key=lambda v: v.version)
    for entry in secret.versions:
        if entry.version == version:
            return entry
    raise SecretNotFoundError(f"secret {path!r} has no version {version}")
