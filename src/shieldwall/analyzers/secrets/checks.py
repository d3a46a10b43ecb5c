"""Structural checks: small pure functions that confirm a pattern match is a real credential.

Each takes the matched secret and returns whether its structure is valid: an embedded checksum,
a decodable body, a parseable header. They kill the false positives a regular expression cannot.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import zlib
from collections.abc import Callable
from typing import Final
from urllib.parse import unquote

_BASE62: Final = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_ESCAPED_BREAK = re.compile(r"\\[rn]|\s")
_PGP_CHECKSUM = re.compile(r"^=[A-Za-z0-9+/]{4}$")
# Values people write where a URL password goes when they mean "fill this in".
_DUMMY_PASSWORDS: Final = frozenset(
    {
        "password", "pass", "passwd", "pwd", "secret", "changeme", "change_me", "example",
        "dummy", "placeholder", "redacted", "test", "testing", "foo", "bar", "xxx", "pw",
        "mypassword", "yourpassword", "your_password", "user", "username", "token", "null",
        "none", "passw0rd", "p@ssw0rd", "****", "*****", "<password>", "pass123",
        # Documentation classics: SQLAlchemy's scott/tiger, RabbitMQ's guest, Oracle's defaults.
        "tiger", "guest", "admin", "root", "postgres", "mysql", "masterkey", "letmein",
        "secret123", "password123", "s3cr3t", "hunter2", "pa55word", "mysecretpassword",
    }
)  # fmt: skip


def base62_crc32(data: str) -> str:
    """The six-character base62 CRC32 that GitHub and npm append to their tokens."""
    value = zlib.crc32(data.encode("ascii"))
    digits = ""
    while value:
        value, rem = divmod(value, 62)
        digits = _BASE62[rem] + digits
    return digits.rjust(6, "0")


def github_checksum(secret: str) -> bool:
    """``gh?_`` + 30 random characters + their base62 CRC32 (the 2021 token format)."""
    body = secret.split("_", 1)[1]
    if len(body) != 36:
        return True  # refresh tokens of other lengths carry no documented checksum
    return base62_crc32(body[:30]) == body[30:]


def npm_checksum(secret: str) -> bool:
    """``npm_`` + 30 random characters + their base62 CRC32 (same scheme as GitHub)."""
    body = secret[4:]
    return len(body) == 36 and base62_crc32(body[:30]) == body[30:]


def _b64decode(text: str, *, urlsafe: bool = False) -> bytes | None:
    padded = text + "=" * (-len(text) % 4)
    try:
        if urlsafe:
            return base64.urlsafe_b64decode(padded)
        return base64.b64decode(padded, validate=True)
    except (binascii.Error, ValueError):
        return None


def _read_varint(data: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while pos < len(data):
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, pos
        shift += 7
    raise ValueError("truncated varint")


def pypi_macaroon(secret: str) -> bool:
    """A PyPI token is ``pypi-`` + a base64url macaroon (v2) with location and identifier fields.

    See https://github.com/rescrv/libmacaroons/blob/master/doc/format.txt (v2 binary format).
    """
    raw = _b64decode(secret[5:], urlsafe=True)
    if not raw or raw[0] != 2:
        return False
    fields: dict[int, bytes] = {}
    pos = 1
    try:
        while pos < len(raw) and len(fields) < 2:
            field_type = raw[pos]
            length, pos = _read_varint(raw, pos + 1)
            fields[field_type] = raw[pos : pos + length]
            pos += length
    except ValueError:
        return False
    return fields.get(1, b"") in {b"pypi.org", b"test.pypi.org"} and len(fields.get(2, b"")) >= 8


def jwt(secret: str) -> bool:
    """Header and payload decode to JSON objects and the header names an algorithm."""
    parts = secret.split(".")
    if len(parts) != 3:
        return False
    decoded = []
    for part in parts[:2]:
        raw = _b64decode(part.rstrip("="), urlsafe=True)
        if raw is None:
            return False
        try:
            value = json.loads(raw)
        except (UnicodeDecodeError, ValueError):
            return False
        if not isinstance(value, dict):
            return False
        decoded.append(value)
    alg = decoded[0].get("alg")
    return isinstance(alg, str) and alg.lower() != "none"


def _pem_der(secret: str, *, drop_armour_checksum: bool = False) -> bytes | None:
    lines = [line for line in _ESCAPED_BREAK.split(secret) if line]
    if drop_armour_checksum and lines and _PGP_CHECKSUM.match(lines[-1]):
        lines = lines[:-1]
    raw = _b64decode("".join(lines).rstrip("="))
    if raw is None or len(raw) < 64:
        return None  # placeholder bodies ("...") and truncated samples are not keys
    return raw


def pem_der(secret: str) -> bool:
    """The PEM body is valid base64 of a DER SEQUENCE (RSA, EC, DSA, PKCS#8)."""
    raw = _pem_der(secret)
    return raw is not None and raw[0] == 0x30


def pem_openssh(secret: str) -> bool:
    """The body decodes to the ``openssh-key-v1`` format."""
    raw = _pem_der(secret)
    return raw is not None and raw.startswith(b"openssh-key-v1\x00")


def pem_pgp(secret: str) -> bool:
    """The armoured body decodes to an OpenPGP packet (high bit of the first octet set)."""
    raw = _pem_der(secret, drop_armour_checksum=True)
    return raw is not None and bool(raw[0] & 0x80)


def base64_any(secret: str) -> bool:
    """The value is valid base64 of at least 32 bytes (line breaks ignored)."""
    raw = _b64decode("".join(secret.split()).rstrip("="))
    return raw is not None and len(raw) >= 32


def base64_64_bytes(secret: str) -> bool:
    """An Azure storage account key is base64 of exactly 64 bytes."""
    raw = _b64decode(secret)
    return raw is not None and len(raw) == 64


def base64_pem_key(secret: str) -> bool:
    """``client-key-data`` is base64 of a PEM private key."""
    raw = _b64decode(secret.rstrip("="))
    return raw is not None and b"PRIVATE KEY-----" in raw[:100]


def docker_auth(secret: str) -> bool:
    """A docker ``auth`` value is base64 of ``user:password`` with a real password."""
    raw = _b64decode(secret.rstrip("="))
    if raw is None:
        return False
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    user, sep, password = text.partition(":")
    return bool(sep and user) and url_password(password)


def discord_token(secret: str) -> bool:
    """The first segment of a Discord bot token is the base64 of the bot's numeric id."""
    raw = _b64decode(secret.split(".", 1)[0], urlsafe=True)
    return raw is not None and raw.isdigit() and 15 <= len(raw) <= 20


def url_password(secret: str) -> bool:
    """A password (in a URL, a credential file, a PHP define) that is not a template or dummy."""
    value = unquote(secret)
    lowered = value.lower()
    if lowered in _DUMMY_PASSWORDS or len(set(value)) <= 2:
        return False
    return not (value.startswith(("$", "%", "{", "<", "[")) or "${" in value or "{{" in value)


def aws_key_id(secret: str) -> bool:
    """AWS key ids are 20 characters whose last 16 are base32 (A-Z, 2-7); the example is not."""
    return len(secret) == 20 and "EXAMPLE" not in secret


CHECKS: Final[dict[str, Callable[[str], bool]]] = {
    "aws_key_id": aws_key_id,
    "base64_64_bytes": base64_64_bytes,
    "base64_any": base64_any,
    "base64_pem_key": base64_pem_key,
    "discord_token": discord_token,
    "docker_auth": docker_auth,
    "github_checksum": github_checksum,
    "jwt": jwt,
    "npm_checksum": npm_checksum,
    "pem_der": pem_der,
    "pem_openssh": pem_openssh,
    "pem_pgp": pem_pgp,
    "pypi_macaroon": pypi_macaroon,
    "url_password": url_password,
}
