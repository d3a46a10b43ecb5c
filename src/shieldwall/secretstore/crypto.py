"""Envelope encryption: a master key from a passphrase (scrypt), one AES-256-GCM data key per value.

Each secret version is encrypted with its own random 256-bit data key; the data key is wrapped
(encrypted) with the master key. Both encryptions bind the path and version as associated data, so
a ciphertext moved to another path or version fails to decrypt instead of being served there.
The master key never touches disk; the store keeps only the KDF salt and parameters.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from shieldwall.secretstore.errors import TamperedError, WrongKeyError

KEY_BYTES = 32
NONCE_BYTES = 12
# scrypt n=2**17, r=8 costs 128 MiB and ~0.3 s: the OWASP-recommended floor for interactive use.
DEFAULT_SCRYPT_N = 2**17
SCRYPT_R = 8
SCRYPT_P = 1


def b64(data: bytes) -> str:
    """Standard base64 text of ``data``."""
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    """The bytes of base64 ``text``; malformed input is treated as tampering."""
    try:
        return base64.b64decode(text, validate=True)
    except (ValueError, TypeError) as exc:
        raise TamperedError("the secret store contains malformed base64") from exc


@dataclass(frozen=True, slots=True)
class KdfParams:
    """scrypt parameters stored in the file header so the key can be re-derived."""

    salt: bytes
    n: int = DEFAULT_SCRYPT_N
    r: int = SCRYPT_R
    p: int = SCRYPT_P

    @classmethod
    def fresh(cls, n: int = DEFAULT_SCRYPT_N) -> KdfParams:
        """New parameters with a random salt."""
        return cls(salt=os.urandom(16), n=n)


@dataclass(frozen=True, slots=True)
class MasterKey:
    """The master key and the sub-keys derived from it. ``repr`` hides them."""

    key: bytes

    def __repr__(self) -> str:
        return "MasterKey(<redacted>)"

    @classmethod
    def from_passphrase(cls, passphrase: str, params: KdfParams) -> MasterKey:
        """Derive the master key from a passphrase with scrypt (memory-hard)."""
        if params.n < 2**10 or params.n & (params.n - 1):
            raise TamperedError("the secret store's KDF parameters are invalid")
        kdf = Scrypt(salt=params.salt, length=KEY_BYTES, n=params.n, r=params.r, p=params.p)
        return cls(kdf.derive(passphrase.encode("utf-8")))

    def subkey(self, purpose: str) -> bytes:
        """An independent key for ``purpose`` (file MAC, audit HMAC, leak fingerprints)."""
        hkdf = HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=purpose.encode())
        return hkdf.derive(self.key)

    def mac(self, purpose: str, data: bytes) -> str:
        """Hex HMAC-SHA256 of ``data`` under the ``purpose`` sub-key."""
        return hmac.new(self.subkey(purpose), data, hashlib.sha256).hexdigest()


@dataclass(frozen=True, slots=True)
class Sealed:
    """One encrypted value: its wrapped data key and ciphertext, all base64."""

    wrapped_key: str
    key_nonce: str
    nonce: str
    ciphertext: str


def _aad(path: str, version: int) -> bytes:
    return f"shieldwall-secret:v1:{path}:{version}".encode()


def seal(master: MasterKey, path: str, version: int, value: str) -> Sealed:
    """Encrypt ``value`` under a fresh data key, and wrap that key with the master key."""
    data_key = AESGCM.generate_key(bit_length=256)
    aad = _aad(path, version)
    nonce, key_nonce = os.urandom(NONCE_BYTES), os.urandom(NONCE_BYTES)
    ciphertext = AESGCM(data_key).encrypt(nonce, value.encode("utf-8"), aad)
    wrapped = AESGCM(master.key).encrypt(key_nonce, data_key, aad)
    return Sealed(b64(wrapped), b64(key_nonce), b64(nonce), b64(ciphertext))


def unseal(master: MasterKey, path: str, version: int, sealed: Sealed) -> str:
    """Decrypt a sealed value; a failed tag means the store was tampered with."""
    aad = _aad(path, version)
    try:
        data_key = AESGCM(master.key).decrypt(
            unb64(sealed.key_nonce), unb64(sealed.wrapped_key), aad
        )
        plain = AESGCM(data_key).decrypt(unb64(sealed.nonce), unb64(sealed.ciphertext), aad)
    except (InvalidTag, ValueError) as exc:
        raise TamperedError(f"secret {path!r} version {version} fails its integrity check") from exc
    return plain.decode("utf-8")


CHECK_PURPOSE = "shieldwall-store-check"


def key_check(master: MasterKey) -> str:
    """A value stored in the header that tells a wrong passphrase from a tampered file."""
    return master.mac(CHECK_PURPOSE, b"shieldwall")


def verify_key(master: MasterKey, expected: str) -> None:
    """Raise WrongKeyError unless ``master`` produced ``expected``."""
    if not hmac.compare_digest(key_check(master), expected):
        raise WrongKeyError("wrong passphrase for the secret store")
