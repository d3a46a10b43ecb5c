"""The master key sealed to age recipients (pyrage) instead of derived from a passphrase.

``init`` makes a random 256-bit master key and encrypts it to one or more age X25519 recipients
(``age1...``); any matching identity (``AGE-SECRET-KEY-1...``, e.g. from ``age-keygen``) opens the
store. Adding a team member is re-encrypting 32 bytes, not re-encrypting every secret.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import pyrage  # type: ignore[import-untyped]  # ships no stubs
from pyrage import x25519

from shieldwall.secretstore.crypto import KEY_BYTES, MasterKey, b64, unb64
from shieldwall.secretstore.errors import SecretConfigError, TamperedError, WrongKeyError


def seal_master(recipients: Sequence[str]) -> tuple[MasterKey, str]:
    """A fresh master key and its age ciphertext (base64) for ``recipients``."""
    if not recipients:
        raise SecretConfigError("give at least one age recipient (age1...)")
    try:
        parsed = [x25519.Recipient.from_str(text.strip()) for text in recipients]
    except pyrage.RecipientError as exc:
        raise SecretConfigError("invalid age recipient: expected age1...") from exc
    key = os.urandom(KEY_BYTES)
    return MasterKey(key), b64(pyrage.encrypt(key, list(parsed)))


def parse_identities(text: str) -> list[x25519.Identity]:
    """The X25519 identities of an age identity file (comments and blank lines skipped)."""
    identities = []
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
