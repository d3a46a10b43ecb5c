"""The Python API: ``from shieldwall.secretstore import get_secret``."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from shieldwall.secretstore.errors import SecretConfigError
from shieldwall.secretstore.mapping import SecretRef
from shieldwall.secretstore.service import SecretsService
from shieldwall.secretstore.settings import PASSPHRASE_ENV, StoreSettings


def get_secret(
    reference: str,
    *,
    version: int | None = None,
    store: Path | None = None,
    passphrase: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> str:
    """The value of a secret, audited like any other read.

    ``reference`` is ``backend:path`` (``store:db/password``, ``vault:app/key``, ``env:x``) or a
    bare path, which means the embedded store. The store and passphrase default to
    ``SHIELDWALL_SECRETS_STORE`` and ``SHIELDWALL_SECRETS_PASSPHRASE``.
    """
    env = dict(os.environ if environ is None else environ)
    ref = SecretRef.parse(reference if ":" in reference else f"store:{reference}")
    settings = StoreSettings.resolve(env, store=store, passphrase=passphrase)

    def _passphrase() -> str:
        if settings.passphrase is None:
            raise SecretConfigError(f"no passphrase for the secret store: set ${PASSPHRASE_ENV}")
        return settings.passphrase

    service = SecretsService(settings, _passphrase, env)
    return service.backend(ref.backend).read(ref.path, version or ref.version).value
