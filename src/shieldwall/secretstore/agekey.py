"""The master key sealed to age recipients (pyrage) instead of derived from a passphrase.

``init`` makes a random 256-bit master key and encrypts it to one or more age recipients: X25519
(``age1...``) or SSH public keys (``ssh-ed25519 ...``, ``ssh-rsa ...``, as age supports them);
any matching identity (``AGE-SECRET-KEY-1...`` from ``age-keygen``, or an unencrypted OpenSSH
private key) opens the store. Adding or removing a team member re-seals 32 bytes (``reseal``),
not every secret.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import pyrage  # type: ignore[import-untyped]  # ships no stubs
from pyrage import ssh, x25519

from shieldwall.secretstore.crypto import KEY_BYTES, MasterKey, b64, unb64
from shieldwall.secretstore.errors import SecretConfigError, TamperedError, WrongKeyError


def seal_master(recipients: Sequence[str]) -> tuple[MasterKey, str]:
    """A fresh master key and its age ciphertext (base64) for ``recipients``."""
    master = MasterKey(os.urandom(KEY_BYTES))
    return master, seal_existing(master, recipients)


def seal_existing(master: MasterKey, recipients: Sequence[str]) -> str:
    """The age ciphertext (base64) of an existing master key for ``recipients``."""
    if not recipients:
        raise SecretConfigError("give at least one age recipient (age1...)")
    try:
        parsed = [_recipient(text.strip()) for text in recipients]
    except pyrage.RecipientError as exc:
        raise SecretConfigError("invalid age recipient: expected age1... or ssh-...") from exc
    return b64(pyrage.encrypt(master.key, list(parsed)))


def _recipient(text: str) -> object:
    if text.startswith("ssh-"):
        return ssh.Recipient.from_str(text)
    return x25519.Recipient.from_str(text)


def parse_identities(text: str) -> list[object]:
    """The identities of an age identity file (comments and blank lines skipped), or of an
    unencrypted OpenSSH private key file."""
    if "-----BEGIN OPENSSH PRIVATE KEY-----" in text:
        try:
            return [ssh.Identity.from_buffer(text.encode("utf-8"))]
        except pyrage.IdentityError:
            # Never repeat the parser's message: it could quote the key.
            raise SecretConfigError(
                "the SSH private key cannot be used (passphrase-protected or not ed25519/RSA)"
            ) from None
    identities: list[object] = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        try:
            identities.append(x25519.Identity.from_str(stripped))
        except pyrage.IdentityError:
            # The message could include the line, which is a private key: say nothing of it.
            raise SecretConfigError("invalid line in the age identity file") from None
    if not identities:
        raise SecretConfigError("the age identity file holds no AGE-SECRET-KEY-1 identity")
    return identities


def open_master(wrapped: str, identity_text: str) -> MasterKey:
    """The master key, decrypted with an identity from ``identity_text``."""
    identities = parse_identities(identity_text)
    try:
        key = pyrage.decrypt(unb64(wrapped), list(identities))
    except pyrage.DecryptError:
        raise WrongKeyError("no age identity given opens the secret store") from None
    if len(key) != KEY_BYTES:
        raise TamperedError("the secret store's age-sealed master key is malformed")
    return MasterKey(key)
