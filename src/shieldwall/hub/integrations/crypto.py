"""Credentials the hub must use later (tracker tokens, chat URLs, signing keys, SMTP passwords)
are stored encrypted with Fernet (AES-128-CBC + HMAC-SHA256, authenticated), never hashed: the
hub has to send them. The key comes from ``SHIELDWALL_SECRET_KEY`` or a random key file that is
created once, readable by its owner only.
"""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
from collections.abc import Callable
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

from shieldwall.hub.errors import HubError
from shieldwall.hub.settings import HubSettings, default_data_dir

KEY_FILE = "secret.key"


class SecretBoxError(HubError):
    """A stored secret cannot be decrypted (the key changed)."""


def _fernet_key(material: bytes) -> bytes:
    # Any string may be configured; Fernet wants 32 url-safe base64 bytes.
    return base64.urlsafe_b64encode(hashlib.sha256(b"shieldwall-hub:" + material).digest())


def key_file_material(path: Path) -> bytes:
    """The key in ``path``, created (mode 0600) when missing."""
    try:
        return path.read_bytes().strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    material = secrets.token_urlsafe(32).encode()
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process won the race: use its key
        return path.read_bytes().strip()
    with os.fdopen(fd, "wb") as handle:
        handle.write(material)
    return material


class SecretBox:
    """Seals and opens stored credentials; the key is read (or the key file created) on first
    use, so a job that finds nothing to seal or open touches no file."""

    def __init__(self, material: bytes | Callable[[], bytes]) -> None:
        self._material = material
        self._fernet: Fernet | None = None

    @classmethod
    def from_settings(cls, settings: HubSettings) -> SecretBox:
        """The configured key, or the data directory's key file."""
        if settings.secret_key is not None:
            return cls(settings.secret_key.get_secret_value().encode())
        return cls(lambda: key_file_material(default_data_dir() / KEY_FILE))

    def _key(self) -> Fernet:
        if self._fernet is None:
            material = self._material if isinstance(self._material, bytes) else self._material()
            self._fernet = Fernet(_fernet_key(material))
        return self._fernet

    def seal(self, plain: str) -> str:
        """Encrypt; an empty value stays empty."""
        return self._key().encrypt(plain.encode()).decode() if plain else ""

    def open(self, sealed: str) -> str:
        """Decrypt what :meth:`seal` produced."""
        if not sealed:
            return ""
        try:
            return self._key().decrypt(sealed.encode()).decode()
        except InvalidToken:
            raise SecretBoxError(
                "a stored credential cannot be decrypted: SHIELDWALL_SECRET_KEY changed;"
                " enter the credential again"
            ) from None
