"""Secrets never leave a scanner in clear: a short preview and a salted hash stand in for them."""

from __future__ import annotations

import hashlib
import hmac

# A fixed default keeps hashes stable across machines so that baselines and the hub can
# deduplicate; teams that share results outside their trust boundary set their own salt.
DEFAULT_SALT = "shieldwall-secret-hash-v1"
PREVIEW_CHARS = 4
MASK = "*****"


def redact(value: str) -> str:
    """The first few characters of a secret followed by a mask; short values are fully masked."""
    if len(value) <= PREVIEW_CHARS * 2:
        return MASK
    return value[:PREVIEW_CHARS] + MASK


def secret_hash(value: str, salt: str = DEFAULT_SALT) -> str:
    """A salted HMAC-SHA256 of a secret, for deduplication without keeping the value."""
    return hmac.new(
        salt.encode(), value.encode("utf-8", "surrogatepass"), hashlib.sha256
    ).hexdigest()


def redact_in(text: str, secret: str) -> str:
    """``text`` with every occurrence of ``secret`` replaced by its redacted form."""
    if not secret:
        return text
    return text.replace(secret, redact(secret))
